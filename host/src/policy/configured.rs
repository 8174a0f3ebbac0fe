//! A policy configured for one tenant, and the instances that serve its calls.
//!
//! Instance strategy (documented in the README):
//! - `warm` (default): configured instances are reused for up to `max_uses`
//!   calls of the same (tenant, policy version); one spare per thread that may
//!   evaluate at once is kept ready, created (and replaced when retired) on a
//!   background thread. Any fault discards the instance, so a trapped or
//!   half-updated instance is never reused. Cost: ~2-3 µs per call on a small
//!   input.
//! - `fresh`: a new instance per call, configured before use. Strictest isolation;
//!   costs instantiation plus `configure` on every call.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use wasmtime::{Store, Trap};

use super::bindings::{GuestState, Policy, input_out, verdict_in};
use super::{FaultKind, LoadError, PolicyFault, PolicyModule, deadline, validate};
use crate::engine::Engine;
use warden_sdk::{Input, Verdict};

/// Default time limit per call: generous for regex work on 50 000 characters,
/// short enough that a looping policy cannot stall a request noticeably.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(50);
/// Default memory limit per instance: room for a detector's tables and a
/// large prompt, small enough that hundreds of instances fit in RAM.
pub const DEFAULT_MEMORY: usize = 64 << 20;
/// `configure` may compile regexes or models: it gets this long at least.
const CONFIGURE_TIMEOUT: Duration = Duration::from_secs(2);
/// Calls served by one warm instance before it is replaced, bounding any
/// state that leaks between calls despite the WIT's purity rule. Not lower:
/// a replacement pays `configure` (~100 ms for `builtin:injection`, which
/// compiles its patterns) and cold caches, which at 10,000 uses was ~4% of
/// the gateway's CPU under load.
pub const DEFAULT_MAX_USES: u32 = 100_000;
/// The warm-up call may take this many times the policy's time limit: it
/// pays the lazy initialisation that the limit is not meant to cover.
const WARM_UP_TIMEOUT_FACTOR: u32 = 10;
/// Idle warm instances kept per configured policy.
const MAX_IDLE: usize = 8;

/// Warm instances to keep ready: one per thread that may evaluate at once
/// (the policy workers plus the reactor threads that run small inputs in
/// place), so a burst of concurrent calls never waits for a new instance.
fn spare_target() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (cores.max(2) * 2).min(MAX_IDLE)
}

/// Per-policy limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Wall-clock limit per call.
    pub timeout: Duration,
    /// Linear-memory limit per instance, in bytes.
    pub memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_TIMEOUT,
            memory: DEFAULT_MEMORY,
        }
    }
}

/// What a chain does when a policy faults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureMode {
    /// Treat the fault as a deny (fail closed). The default: a guardrail that
    /// breaks must not silently let traffic through.
    #[default]
    Deny,
    /// Skip the policy and carry on (fail open). The fault is still logged and counted.
    Allow,
}

/// How instances are managed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceStrategy {
    /// Reuse configured instances up to `max_uses` calls each.
    Warm {
        /// Calls per instance before replacement.
        max_uses: u32,
    },
    /// A fresh instance for every call.
    Fresh,
}

impl Default for InstanceStrategy {
    fn default() -> Self {
        InstanceStrategy::Warm {
            max_uses: DEFAULT_MAX_USES,
        }
    }
}

struct Instance {
    store: Store<GuestState>,
    policy: Policy,
    uses: u32,
}

/// A policy module bound to one tenant's configuration.
pub struct ConfiguredPolicy {
    /// Name of the policy in the chain (e.g. `pii`).
    pub name: Arc<str>,
    /// The module.
    pub module: Arc<PolicyModule>,
    /// The configuration JSON given to `configure`.
    pub config_json: String,
    /// Limits per call.
    pub limits: Limits,
    /// What a fault means for the chain.
    pub failure_mode: FailureMode,
    /// Instance reuse.
    pub strategy: InstanceStrategy,
    engine: Engine,
    idle: Mutex<Vec<Instance>>,
    /// Cleared when the warm-up call faults once; later instances skip it.
    warm_up_works: AtomicBool,
    /// Set while a background thread creates spare instances.
    topping_up: AtomicBool,
}

impl std::fmt::Debug for ConfiguredPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfiguredPolicy")
            .field("name", &self.name)
            .field("version", &self.module.digest)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl ConfiguredPolicy {
    /// Configure `module` for a tenant. Runs `configure` on a first instance, so
    /// a bad config is a load error; with the warm strategy that instance is kept.
    pub fn new(
        engine: &Engine,
        name: &str,
        module: Arc<PolicyModule>,
        config_json: String,
        limits: Limits,
        failure_mode: FailureMode,
        strategy: InstanceStrategy,
    ) -> Result<Self, LoadError> {
        if limits.memory > crate::engine::MAX_POLICY_MEMORY {
            return Err(LoadError::Source {
                policy: name.into(),
                reason: format!(
                    "memory limit {} exceeds the host's maximum {}",
                    limits.memory,
                    crate::engine::MAX_POLICY_MEMORY
                ),
            });
        }
        let this = Self {
            name: Arc::from(name),
            module,
            config_json,
            limits,
            failure_mode,
            strategy,
            engine: engine.clone(),
            idle: Mutex::new(Vec::new()),
            warm_up_works: AtomicBool::new(true),
            topping_up: AtomicBool::new(false),
        };
        let first = this.instantiate().map_err(|fault| match fault {
            Ok(e) => e,
            Err(f) => LoadError::Fault {
                policy: name.into(),
                reason: f.to_string(),
            },
        })?;
        if matches!(strategy, InstanceStrategy::Warm { .. }) {
            this.idle.lock().unwrap().push(first);
        }
        Ok(this)
    }

    /// Create and configure an instance. `Err(Ok(_))` is a config rejection,
    /// `Err(Err(_))` a fault.
    fn instantiate(&self) -> Result<Instance, Result<LoadError, PolicyFault>> {
        let mut store = Store::new(
            self.engine.wasmtime(),
            GuestState::new(self.name.clone(), self.limits.memory),
        );
        store.limiter(|s| s as &mut dyn wasmtime::ResourceLimiter);
        deadline::install(&mut store);
        deadline::arm(&mut store, CONFIGURE_TIMEOUT.max(self.limits.timeout));
        let policy = self.module.pre.instantiate(&mut store).map_err(|e| {
            let msg = format!("{e:#}");
            let kind = if msg.contains("pool") || msg.contains("maximum concurrent") {
                FaultKind::Overloaded(msg)
            } else {
                self.classify(&store, e)
            };
            Err(self.fault(kind))
        })?;
        match policy
            .warden_policy_guard()
            .call_configure(&mut store, &self.config_json)
        {
            Ok(Ok(())) => {
                let mut inst = Instance {
                    store,
                    policy,
                    uses: 0,
                };
                let warm = matches!(self.strategy, InstanceStrategy::Warm { .. });
                if warm
                    && self.warm_up_works.load(Ordering::Relaxed)
                    && let Err(kind) = self.warm_up(&mut inst)
                {
                    // A policy that faults on ordinary text will fault on requests
                    // too, where its failure mode applies; here it only means this
                    // instance is unusable. Stop warming this policy up and retry.
                    tracing::debug!(
                        policy = &*self.name,
                        fault = kind.label(),
                        "warm-up faulted"
                    );
                    self.warm_up_works.store(false, Ordering::Relaxed);
                    return self.instantiate();
                }
                Ok(inst)
            }
            Ok(Err(e)) => Err(Ok(LoadError::Configure {
                policy: self.name.to_string(),
                key: e.key,
                message: e.message,
            })),
            Err(e) => Err(Err(self.fault(self.classify(&store, e)))),
        }
    }

    /// Run one representative evaluation per declared phase on a new warm
    /// instance, still under the generous configure deadline. Guests build
    /// lazy state on first use (regex DFA caches: milliseconds inside Wasm);
    /// paying it here keeps that cost off the first real request's time limit.
    /// Policies are pure, so the calls leave nothing behind; their verdicts are
    /// ignored, but a trap means the instance is unusable.
    fn warm_up(&self, inst: &mut Instance) -> Result<(), FaultKind> {
        deadline::arm(
            &mut inst.store,
            self.limits.timeout * WARM_UP_TIMEOUT_FACTOR,
        );
        for phase in &self.module.info.phases {
            let input = warm_up_input(*phase);
            let result = inst
                .policy
                .warden_policy_guard()
                .call_evaluate(&mut inst.store, &input_out(&input));
            if let Err(e) = result {
                return Err(self.classify(&inst.store, e));
            }
        }
        Ok(())
    }

    fn fault(&self, kind: FaultKind) -> PolicyFault {
        PolicyFault {
            policy: self.name.to_string(),
            kind,
        }
    }

    /// Map a wasmtime error to a typed fault, once, at the engine boundary.
    fn classify(&self, store: &Store<GuestState>, e: wasmtime::Error) -> FaultKind {
        if store.data().memory_limit_hit {
            return FaultKind::MemoryLimit(self.limits.memory);
        }
        match e.downcast_ref::<Trap>() {
            Some(Trap::Interrupt) => FaultKind::Timeout(self.limits.timeout),
            Some(trap) => FaultKind::Trap(trap.to_string()),
            None => FaultKind::Trap(format!("{e:#}")),
        }
    }

    /// Whether the policy handles `phase`.
    pub fn handles(&self, phase: warden_sdk::Phase) -> bool {
        self.module.info.phases.contains(&phase)
    }

    /// Create warm instances up to the spare target on a background thread,
    /// so that neither a burst of concurrency nor an instance reaching
    /// `max_uses` makes a request wait for `configure` (a policy that compiles
    /// its rules there can take 100 ms).
    fn top_up(self: &Arc<Self>) {
        if !matches!(self.strategy, InstanceStrategy::Warm { .. })
            || self.idle.lock().unwrap().len() >= spare_target()
            || self.topping_up.swap(true, Ordering::AcqRel)
        {
            return;
        }
        let this = self.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("warden-warm-{}", self.name))
            .spawn(move || {
                background_priority();
                while this.idle.lock().unwrap().len() < spare_target() {
                    match this.instantiate() {
                        Ok(inst) => this.idle.lock().unwrap().push(inst),
                        // Pool full or a fault: calls create instances as needed.
                        Err(_) => break,
                    }
                }
                this.topping_up.store(false, Ordering::Release);
            });
        if spawned.is_err() {
            self.topping_up.store(false, Ordering::Release);
        }
    }

    /// Evaluate `input` under the policy's limits. Blocking: call from a
    /// blocking thread in async code.
    pub fn evaluate(self: &Arc<Self>, input: &Input) -> Result<Verdict, PolicyFault> {
        let (checked_out, ran_dry) = {
            let mut idle = self.idle.lock().unwrap();
            let i = idle.pop();
            (i, idle.is_empty())
        };
        if ran_dry {
            self.top_up();
        }
        let mut inst = match checked_out {
            Some(i) => i,
            None => self.instantiate().map_err(|r| match r {
                Ok(load) => self.fault(FaultKind::Guest(load.to_string())),
                Err(f) => f,
            })?,
        };
        deadline::arm(&mut inst.store, self.limits.timeout);
        let wit_input = input_out(input);
        let result = inst
            .policy
            .warden_policy_guard()
            .call_evaluate(&mut inst.store, &wit_input);
        // From here on, any error path drops `inst`: a faulted instance is never reused.
        let verdict = match result {
            Ok(Ok(v)) => verdict_in(v),
            Ok(Err(msg)) => return Err(self.fault(FaultKind::Guest(msg))),
            Err(e) => return Err(self.fault(self.classify(&inst.store, e))),
        };
        validate::verdict(&verdict, input, &self.module.info.effects).map_err(|k| self.fault(k))?;
        inst.uses += 1;
        if let InstanceStrategy::Warm { max_uses } = self.strategy {
            if inst.uses < max_uses {
                let mut idle = self.idle.lock().unwrap();
                if idle.len() < MAX_IDLE {
                    idle.push(inst);
                }
            } else {
                self.top_up(); // its replacement, off the request path
            }
        }
        Ok(verdict)
    }
}

/// A small, ordinary chat for [`ConfiguredPolicy::warm_up`]: text, digits,
/// an address and a tool call, so the common scanning paths get exercised.
/// Spares are background work: a `configure` that compiles rules for 100 ms
/// must not take a core from the requests being served (on 2 cores it showed
/// in their p99). Nice 10 leaves it about a tenth of a busy core, plenty to
/// replace instances retired after `max_uses` calls. Best effort, Linux only.
fn background_priority() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
}

fn warm_up_input(phase: warden_sdk::Phase) -> Input {
    use warden_sdk::{Message, Role};
    let mut input = Input::new(
        phase,
        vec![
            Message::new(Role::System, "You are a helpful assistant."),
            Message::new(
                Role::User,
                "Hello! Could you summarise order 1234 for jane@example.com, step by step?",
            ),
        ],
    );
    if phase == warden_sdk::Phase::Response {
        input.messages = vec![Message::new(
            Role::Assistant,
            "Sure: order 1234 shipped on 2024-05-01.",
        )];
    }
    if phase == warden_sdk::Phase::ToolCall {
        input = Input::tool_call("search_docs", r#"{"query":"shipping times","limit":5}"#);
    }
    input.tenant = "warden-warm-up".into();
    input
}
