//! `warden.toml`: raw serde structs (unknown keys are errors), then validation
//! into typed settings whose errors name the offending key and value.
//!
//! No config at all means [`Config::embedded_default`]: tenant `default` with
//! every built-in policy.

mod raw;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use raw::{
    ChainEntryRaw, RawChains, RawConfig, RawModel, RawServer, RawUpstream, hash_api_key,
};
use warden_sdk::Phase;

use crate::budget::config::Controls;
use crate::policy::{FailureMode, InstanceStrategy, Limits};

/// The embedded default configuration, also shipped as `examples/warden.toml`'s core.
pub const EMBEDDED_DEFAULT: &str = include_str!("default.toml");

/// A configuration error that names the key to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("config key `{key}`: {reason}")]
pub struct ConfigError {
    /// Dotted path of the key.
    pub key: String,
    /// What is wrong, including the offending value.
    pub reason: String,
}

impl ConfigError {
    fn new(key: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            reason: reason.into(),
        }
    }
}

/// Where a policy's component comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// `builtin:<name>`, embedded in the binary.
    Builtin(String),
    /// A `.wasm` component on disk.
    File(PathBuf),
}

impl PolicySource {
    /// Parse `builtin:<name>` or a path (relative to `base`).
    pub fn parse(s: &str, base: &Path) -> Self {
        match s.strip_prefix("builtin:") {
            Some(name) => PolicySource::Builtin(name.to_string()),
            None => {
                let p = Path::new(s);
                PolicySource::File(if p.is_absolute() {
                    p.to_path_buf()
                } else {
                    base.join(p)
                })
            }
        }
    }
}

impl std::fmt::Display for PolicySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicySource::Builtin(n) => write!(f, "builtin:{n}"),
            PolicySource::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A policy definition: source plus default limits and config.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDef {
    /// Component source.
    pub source: PolicySource,
    /// Limits per call.
    pub limits: Limits,
    /// Failure mode unless a chain entry overrides it.
    pub failure_mode: FailureMode,
    /// Instance strategy.
    pub strategy: InstanceStrategy,
    /// Default config JSON for every tenant.
    pub config: serde_json::Value,
}

/// One policy in a tenant's chain, fully resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainEntry {
    /// Name of the policy definition.
    pub policy: String,
    /// Failure mode for this chain position.
    pub failure_mode: FailureMode,
    /// Effective config JSON (entry > tenant > policy default > `{}`).
    pub config: serde_json::Value,
}

/// A tenant's chains and settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TenantConfig {
    /// Ordered chains per phase.
    pub chains: BTreeMap<Phase, Vec<ChainEntry>>,
    /// API keys as lowercase hex sha256 digests (never plain text in memory).
    pub api_key_hashes: Vec<String>,
    /// Models this tenant may use (empty: all configured models).
    pub models: Vec<String>,
}

/// The validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Engine settings.
    pub engine: crate::engine::EngineConfig,
    /// Policy definitions by name.
    pub policies: BTreeMap<String, PolicyDef>,
    /// Tenants by name.
    pub tenants: BTreeMap<String, TenantConfig>,
    /// `[budgets]`, `[prices]`, `[rate_limits]`, `[approvals]`, `[resilience]`
    /// and `[store]`, validated (`store.data_dir` resolved against the config's
    /// directory).
    pub controls: Controls,
    /// The raw text's gateway sections, validated by the gateway.
    pub raw: RawConfig,
    /// Whether this is the embedded default (any API key maps to `default`).
    pub embedded: bool,
}

impl Config {
    /// The configuration used when none is given.
    pub fn embedded_default() -> Self {
        let mut c = Self::from_toml(EMBEDDED_DEFAULT, Path::new("."))
            .expect("embedded default config is valid");
        c.embedded = true;
        c
    }

    /// Read and validate a config file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::new("<file>", format!("cannot read {}: {e}", path.display()))
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Self::from_toml(&text, base)
    }

    /// Parse and validate TOML text; relative paths resolve against `base`.
    pub fn from_toml(text: &str, base: &Path) -> Result<Self, ConfigError> {
        let raw = raw::parse(text)?;
        raw::validate(raw, base)
    }

    /// Whether any budget is configured (global, default or per tenant).
    pub fn budgets_configured(&self) -> bool {
        let b = &self.controls.budgets;
        b.global.is_some()
            || b.default != crate::budget::TenantBudgets::default()
            || !b.tenants.is_empty()
    }

    /// Whether `[approvals]` says anything.
    pub fn approvals_configured(&self) -> bool {
        self.raw.approvals != Default::default()
    }

    /// Whether the durable store is opened: only when `[store] data_dir` is set,
    /// or budgets or approvals are configured (they need it). Nothing configured
    /// means no data directory is created.
    pub fn store_needed(&self) -> bool {
        self.raw.store.data_dir.is_some()
            || self.budgets_configured()
            || self.approvals_configured()
    }

    /// `tenant`'s settings with its chains replaced by `chains` (entries written
    /// as in `[tenants.<t>.chain]`), resolved against the policies in force.
    pub fn tenant_with_chains(
        &self,
        tenant: &str,
        chains: &RawChains,
    ) -> Result<TenantConfig, ConfigError> {
        let current = self
            .tenants
            .get(tenant)
            .ok_or_else(|| ConfigError::new(format!("tenants.{tenant}"), "no such tenant"))?;
        let tenant_config = self
            .raw
            .tenants
            .get(tenant)
            .map(|t| t.config.clone())
            .unwrap_or_default();
        let chains = raw::resolve_chains(
            &format!("tenants.{tenant}"),
            chains,
            &tenant_config,
            &self.policies,
        )?;
        Ok(TenantConfig {
            chains,
            ..current.clone()
        })
    }

    /// The `default` tenant's name when running on the embedded default.
    pub fn tenant(&self, name: &str) -> Option<&TenantConfig> {
        self.tenants.get(name)
    }
}

pub(crate) fn duration_ms(key: &str, ms: u64) -> Result<Duration, ConfigError> {
    if ms == 0 {
        return Err(ConfigError::new(key, "must be at least 1 (milliseconds)"));
    }
    Ok(Duration::from_millis(ms))
}
