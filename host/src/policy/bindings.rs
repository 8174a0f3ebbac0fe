//! Host-side bindings of the `warden:policy/policy` world, the guest's store
//! state, and the conversions between bindgen types and SDK types.

use std::sync::Arc;

use wasmtime::component::ResourceTable;
use wasmtime::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use warden_sdk as sdk;

wasmtime::component::bindgen!({
    path: "../wit",
    world: "warden:policy/policy",
});

pub use self::warden::policy::types as wit;

/// Per-store host state of one policy instance.
pub struct GuestState {
    wasi: WasiCtx,
    table: ResourceTable,
    limits: StoreLimits,
    /// Set when the memory limit refused a growth, so the fault is typed.
    pub memory_limit_hit: bool,
    memory_limit: usize,
    /// Policy name, for log lines from the guest.
    pub policy: Arc<str>,
    /// When the current call must stop (see [`super::deadline`]).
    pub deadline: super::deadline::Deadline,
}

impl GuestState {
    /// State with an empty WASI context: no preopened directories, no
    /// environment, no arguments; stdout/stderr go to the host log.
    pub fn new(policy: Arc<str>, memory_limit: usize) -> Self {
        let mut b = wasmtime_wasi::WasiCtxBuilder::new();
        b.stdout(super::guest_log::GuestPipe::new(policy.clone(), "stdout"));
        b.stderr(super::guest_log::GuestPipe::new(policy.clone(), "stderr"));
        Self {
            wasi: b.build(),
            table: ResourceTable::new(),
            limits: StoreLimitsBuilder::new()
                .memory_size(memory_limit)
                .instances(64)
                .tables(64)
                .memories(16)
                .trap_on_grow_failure(true)
                .build(),
            memory_limit_hit: false,
            memory_limit,
            policy,
            deadline: Default::default(),
        }
    }
}

impl WasiView for GuestState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// Wraps `StoreLimits` to remember *why* a growth failed, so a memory bomb is
/// reported as `MemoryLimit` rather than as a bare trap.
impl ResourceLimiter for GuestState {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.memory_limit {
            self.memory_limit_hit = true;
        }
        self.limits.memory_growing(current, desired, maximum)
    }
    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }
    fn instances(&self) -> usize {
        self.limits.instances()
    }
    fn tables(&self) -> usize {
        self.limits.tables()
    }
    fn memories(&self) -> usize {
        self.limits.memories()
    }
}

impl wit::Host for GuestState {}

impl self::warden::policy::log::Host for GuestState {
    fn log(
        &mut self,
        level: self::warden::policy::log::Level,
        message: String,
        fields: Vec<(String, String)>,
    ) {
        use self::warden::policy::log::Level;
        let fields = fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        let policy = &*self.policy;
        match level {
            Level::Trace => tracing::trace!(policy, fields, "{message}"),
            Level::Debug => tracing::debug!(policy, fields, "{message}"),
            Level::Info => tracing::info!(policy, fields, "{message}"),
            Level::Warn => tracing::warn!(policy, fields, "{message}"),
            Level::Error => tracing::error!(policy, fields, "{message}"),
        }
    }
}

pub(crate) fn phase_in(p: wit::Phase) -> sdk::Phase {
    match p {
        wit::Phase::Request => sdk::Phase::Request,
        wit::Phase::Response => sdk::Phase::Response,
        wit::Phase::ToolCall => sdk::Phase::ToolCall,
    }
}

fn phase_out(p: sdk::Phase) -> wit::Phase {
    match p {
        sdk::Phase::Request => wit::Phase::Request,
        sdk::Phase::Response => wit::Phase::Response,
        sdk::Phase::ToolCall => wit::Phase::ToolCall,
    }
}

pub(crate) fn info_in(i: wit::PolicyInfo) -> sdk::PolicyInfo {
    sdk::PolicyInfo {
        name: i.name,
        version: i.version,
        description: i.description,
        phases: i.phases.into_iter().map(phase_in).collect(),
        effects: sdk::Effects {
            modify: i.effects.contains(wit::Effects::MODIFY),
            route: i.effects.contains(wit::Effects::ROUTE),
            approve: i.effects.contains(wit::Effects::APPROVE),
        },
    }
}

pub(crate) fn input_out(i: &sdk::Input) -> wit::Input {
    wit::Input {
        tenant: i.tenant.clone(),
        user: i.user.clone(),
        model: i.model.clone(),
        phase: phase_out(i.phase),
        messages: i
            .messages
            .iter()
            .map(|m| wit::Message {
                role: match m.role {
                    sdk::Role::System => wit::Role::System,
                    sdk::Role::User => wit::Role::User,
                    sdk::Role::Assistant => wit::Role::Assistant,
                    sdk::Role::Tool => wit::Role::Tool,
                },
                content: m.content.clone(),
            })
            .collect(),
        tool_call: i.tool_call.as_ref().map(|t| wit::ToolCall {
            name: t.name.clone(),
            arguments: t.arguments.clone(),
        }),
        metadata: i.metadata.clone(),
        state: i.state.clone(),
    }
}

fn span_in(s: wit::Span) -> sdk::Span {
    sdk::Span {
        target: match s.target {
            wit::Target::Message(n) => sdk::Target::Message(n),
            wit::Target::ToolArguments => sdk::Target::ToolArguments,
        },
        start: s.start,
        end: s.end,
    }
}

fn level_in(l: wit::RiskLevel) -> sdk::RiskLevel {
    match l {
        wit::RiskLevel::Low => sdk::RiskLevel::Low,
        wit::RiskLevel::Medium => sdk::RiskLevel::Medium,
        wit::RiskLevel::High => sdk::RiskLevel::High,
        wit::RiskLevel::Critical => sdk::RiskLevel::Critical,
    }
}

pub(crate) fn verdict_in(v: wit::Verdict) -> sdk::Verdict {
    let action = match v.action {
        wit::Action::Allow => sdk::Action::Allow,
        wit::Action::Deny(d) => sdk::Action::Deny(sdk::Deny {
            reason: d.reason,
            code: d.code,
        }),
        wit::Action::Modify(edits) => sdk::Action::Modify {
            edits: edits
                .into_iter()
                .map(|e| sdk::Edit {
                    span: span_in(e.span),
                    replacement: e.replacement,
                })
                .collect(),
        },
        wit::Action::Route(r) => sdk::Action::Route(sdk::Route {
            model: r.model,
            upstream: r.upstream,
        }),
        wit::Action::RequireApproval(a) => sdk::Action::RequireApproval(sdk::Approval {
            level: level_in(a.level),
            reason: a.reason,
        }),
    };
    sdk::Verdict {
        action,
        findings: v
            .findings
            .into_iter()
            .map(|f| sdk::Finding {
                rule: f.rule,
                category: f.category,
                severity: match f.severity {
                    wit::Severity::Info => sdk::Severity::Info,
                    wit::Severity::Low => sdk::Severity::Low,
                    wit::Severity::Medium => sdk::Severity::Medium,
                    wit::Severity::High => sdk::Severity::High,
                    wit::Severity::Critical => sdk::Severity::Critical,
                },
                span: f.span.map(span_in),
                detail: f.detail,
            })
            .collect(),
        score: v.score,
        state: v.state,
    }
}
