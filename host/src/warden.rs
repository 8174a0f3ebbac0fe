//! [`Warden`]: engine + catalog + registry, built from a [`Config`].

use std::sync::Arc;

use warden_sdk::{Input, Phase};

use crate::chain::{Catalog, ChainOutcome, Registry, StateBag, TenantChain};
use crate::config::{Config, TenantConfig};
use crate::engine::Engine;
use crate::policy::{LoadError, PolicyLinker};

/// Why Warden could not start or apply a change.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The engine could not be created.
    #[error("cannot create the Wasm engine: {0}")]
    Engine(String),
    /// A policy failed to load or configure.
    #[error(transparent)]
    Load(#[from] LoadError),
}

/// A running policy host: everything the CLI and the gateway need.
#[derive(Debug, Clone)]
pub struct Warden {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    workers: crate::chain::ChainWorkers,
    catalog: Catalog,
    registry: Registry,
    config: arc_swap::ArcSwap<Config>,
}

impl Warden {
    /// Build the engine, load every policy the config uses, configure every
    /// tenant's chain and publish them.
    pub fn start(config: Config) -> Result<Self, StartError> {
        let engine =
            Engine::new(&config.engine).map_err(|e| StartError::Engine(format!("{e:#}")))?;
        let linker =
            PolicyLinker::new(&engine).map_err(|e| StartError::Engine(format!("{e:#}")))?;
        let catalog = Catalog::new(linker);
        let chains = catalog.build_all(&config)?;
        let registry = Registry::default();
        registry.replace_all(chains.into_values());
        Ok(Self {
            inner: Arc::new(Inner {
                workers: crate::chain::ChainWorkers::per_core(),
                catalog,
                registry,
                config: arc_swap::ArcSwap::from_pointee(config),
            }),
        })
    }

    /// The module catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// The live chains.
    pub fn registry(&self) -> &Registry {
        &self.inner.registry
    }

    /// The configuration in force.
    pub fn config(&self) -> Arc<Config> {
        self.inner.config.load_full()
    }

    /// Current chain of `tenant`.
    pub fn chain(&self, tenant: &str) -> Option<Arc<TenantChain>> {
        self.inner.registry.get(tenant)
    }

    /// Run `tenant`'s `phase` chain on `input` (blocking).
    pub fn evaluate(
        &self,
        tenant: &str,
        phase: Phase,
        input: Input,
        states: &mut StateBag,
    ) -> Option<ChainOutcome> {
        let chain = self.chain(tenant)?;
        Some(chain.evaluate(phase, input, states))
    }

    /// Async form: runs the chain on the policy worker pool (one thread per
    /// core), so a long evaluation (up to its time limit) never stalls the
    /// reactor. Small inputs (at most [`INLINE_MAX_BYTES`] of text: a short
    /// answer, a tool call) and empty chains run on the caller's thread:
    /// handing them to the pool and back costs more CPU (two thread wake-ups)
    /// than evaluating them.
    pub async fn evaluate_async(
        &self,
        chain: Arc<TenantChain>,
        phase: Phase,
        input: Input,
        mut states: StateBag,
    ) -> (ChainOutcome, StateBag) {
        if chain.policies(phase).is_empty() || text_bytes(&input) <= INLINE_MAX_BYTES {
            let out = chain.evaluate(phase, input, &mut states);
            return (out, states);
        }
        self.inner
            .workers
            .run(move || {
                let out = chain.evaluate(phase, input, &mut states);
                (out, states)
            })
            .await
    }

    /// Replace `tenant`'s chain with one built from `tcfg` (policies resolved
    /// in the current config, plus any extra modules given). Fully validated
    /// before publishing: on error the old chain keeps serving.
    pub fn swap_tenant(&self, tenant: &str, tcfg: &TenantConfig) -> Result<u64, LoadError> {
        let config = self.config();
        let mut modules = std::collections::HashMap::new();
        for e in tcfg.chains.values().flatten() {
            let def = config
                .policies
                .get(&e.policy)
                .ok_or_else(|| LoadError::Source {
                    policy: e.policy.clone(),
                    reason: "no such policy in [policies]".into(),
                })?;
            if !modules.contains_key(e.policy.as_str()) {
                let bytes = Catalog::read_source(&e.policy, &def.source)?;
                modules.insert(
                    e.policy.as_str(),
                    self.inner.catalog.load_bytes(&e.policy, &bytes)?,
                );
            }
        }
        let chain = self
            .inner
            .catalog
            .build_tenant(tenant, tcfg, &config.policies, &modules)?;
        Ok(self.inner.registry.swap(chain))
    }

    /// Add or replace a policy definition in the configuration in force (tenants
    /// pick it up on their next swap).
    pub fn define_policy(&self, name: &str, def: crate::config::PolicyDef) {
        let mut config = Config::clone(&self.config());
        config.policies.insert(name.to_string(), def);
        self.inner.config.store(Arc::new(config));
    }

    /// Replace the whole configuration (reload). Validated and built first; on
    /// error nothing changes.
    pub fn reload(&self, config: Config) -> Result<(), LoadError> {
        let chains = self.inner.catalog.build_all(&config)?;
        self.inner.registry.replace_all(chains.into_values());
        self.inner.config.store(Arc::new(config));
        Ok(())
    }
}

/// Inputs with at most this much message and tool-call text are evaluated on
/// the calling thread (see [`Warden::evaluate_async`]).
pub const INLINE_MAX_BYTES: usize = 1024;

fn text_bytes(input: &Input) -> usize {
    let messages: usize = input.messages.iter().map(|m| m.content.len()).sum();
    messages
        + input
            .tool_call
            .as_ref()
            .map_or(0, |t| t.name.len() + t.arguments.len())
}
