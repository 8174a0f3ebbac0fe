//! The serde shape of `warden.toml`. Every struct denies unknown keys, so a
//! typo is an error naming the key rather than a silently ignored setting.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use warden_sdk::Phase;

use super::{ChainEntry, Config, ConfigError, PolicyDef, PolicySource, TenantConfig, duration_ms};
use crate::budget::config::{
    RawApprovals, RawBudgets, RawControls, RawPrice, RawRateLimits, RawResilience, RawStore,
};
use crate::policy::{FailureMode, InstanceStrategy, Limits};

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// `[engine]`.
    #[serde(default)]
    pub engine: RawEngine,
    /// `[defaults]`: limits applied to every policy unless it says otherwise.
    #[serde(default)]
    pub defaults: RawLimits,
    /// `[policies.<name>]`.
    #[serde(default)]
    pub policies: BTreeMap<String, RawPolicy>,
    /// `[tenants.<name>]`.
    #[serde(default)]
    pub tenants: BTreeMap<String, RawTenant>,
    /// `[server]`: the gateway (`warden serve`); validated by `gateway::Settings`.
    #[serde(default)]
    pub server: RawServer,
    /// `[upstreams.<name>]`: model providers the gateway forwards to.
    #[serde(default)]
    pub upstreams: BTreeMap<String, RawUpstream>,
    /// `[models.<name>]`: which upstream serves a model.
    #[serde(default)]
    pub models: BTreeMap<String, RawModel>,
    /// `[budgets]`: spend limits (default: none).
    #[serde(default)]
    pub budgets: RawBudgets,
    /// `[prices."model"]`: USD per 1,000 tokens, added to the built-in table.
    #[serde(default)]
    pub prices: BTreeMap<String, RawPrice>,
    /// `[rate_limits]`: requests / tokens per minute (default: none).
    #[serde(default)]
    pub rate_limits: RawRateLimits,
    /// `[approvals]`: human approval timeouts.
    #[serde(default)]
    pub approvals: RawApprovals,
    /// `[resilience]`: retries, circuit breakers, fallbacks.
    #[serde(default)]
    pub resilience: RawResilience,
    /// `[store]`: where spend and approvals are kept.
    #[serde(default)]
    pub store: RawStore,
}

/// `[server]`. Every limit has a safe default (see `gateway::Settings`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServer {
    /// Listen address (default `127.0.0.1:8080`; `--listen` overrides).
    pub listen: Option<String>,
    /// Largest request body in bytes (default 1 MiB; more is 413).
    pub max_body_bytes: Option<u64>,
    /// Most characters of message text per request (default 50,000; more is 400).
    pub max_input_chars: Option<u64>,
    /// Upstream time limit in milliseconds (default 60,000; then 504).
    pub upstream_timeout_ms: Option<u64>,
    /// Requests served at once (default 256; beyond that 503 at once, no queue).
    pub max_concurrent_requests: Option<u64>,
    /// Time in-flight requests get to finish after SIGTERM/ctrl-c (default 10,000 ms).
    pub shutdown_grace_ms: Option<u64>,
    /// Bytes of streamed answer held back for the response chain (default 64).
    pub stream_window_bytes: Option<u64>,
    /// Log prompts and answers (default false: they never reach the logs).
    pub log_prompts: Option<bool>,
    /// Upstream for models not under `[models]` (default: none, unknown models are 404;
    /// `mock` when no `[upstreams]` are configured).
    pub default_upstream: Option<String>,
    /// Environment variable holding the `/admin/` bearer token (default: none).
    pub admin_token_env: Option<String>,
    /// File holding the `/admin/` bearer token, trimmed (default: none; with
    /// neither set, `/admin/` answers 404).
    pub admin_token_file: Option<String>,
}

/// `[upstreams.<name>]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpstream {
    /// `openai`, `anthropic` or `mock` (default: the section name when it is one of those).
    pub kind: Option<String>,
    /// Base URL (default `https://api.openai.com/v1` / `https://api.anthropic.com`).
    pub base_url: Option<String>,
    /// Environment variable holding the provider API key.
    pub api_key_env: Option<String>,
    /// File holding the provider API key (trimmed).
    pub api_key_file: Option<String>,
    /// Time limit for this upstream in milliseconds (default `server.upstream_timeout_ms`).
    pub timeout_ms: Option<u64>,
}

/// `[models.<name>]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    /// Name of the `[upstreams.<name>]` serving this model.
    pub upstream: String,
}

/// `[engine]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEngine {
    /// Precompiled-artifact cache directory (default: `~/.cache/warden`).
    pub cache_dir: Option<String>,
    /// Disable the artifact cache.
    pub cache: Option<bool>,
    /// Pooling allocator (default true).
    pub pooling: Option<bool>,
    /// Pool size in component instances (default 512).
    pub max_instances: Option<u32>,
}

/// Limits and failure handling, in `[defaults]` or per policy.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    /// Time limit per call in milliseconds (default 50).
    pub timeout_ms: Option<u64>,
    /// Memory limit per instance in MiB (default 64).
    pub memory_mib: Option<u64>,
    /// `deny` (default) or `allow`.
    pub failure_mode: Option<FailureMode>,
    /// `warm` (default) or `fresh`.
    pub instances: Option<String>,
    /// Calls per warm instance (default 100000).
    pub max_uses: Option<u32>,
}

/// `[policies.<name>]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    /// `builtin:<name>` or a path to a `.wasm` component.
    pub source: String,
    /// Default config for every tenant (a TOML table, passed to the policy as JSON).
    #[serde(default)]
    pub config: Option<toml::Table>,
    /// Limits.
    #[serde(flatten)]
    pub limits: RawLimits,
}

/// `[tenants.<name>]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTenant {
    /// API keys that identify this tenant: `sha256:<hex>` (preferred) or
    /// `env:VAR` (the key is read from the environment and hashed at load).
    #[serde(default)]
    pub api_keys: Vec<String>,
    /// Models this tenant may use (default: all).
    #[serde(default)]
    pub models: Vec<String>,
    /// Chains per phase.
    #[serde(default)]
    pub chain: RawChains,
    /// Per-policy config for this tenant: `[tenants.<t>.config.<policy>]`.
    #[serde(default)]
    pub config: BTreeMap<String, toml::Table>,
}

/// `[tenants.<name>.chain]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChains {
    /// Before the model.
    #[serde(default)]
    pub request: Vec<ChainEntryRaw>,
    /// After the model.
    #[serde(default)]
    pub response: Vec<ChainEntryRaw>,
    /// Before a tool runs.
    #[serde(default, rename = "tool-call")]
    pub tool_call: Vec<ChainEntryRaw>,
}

/// A chain entry: a policy name, or a table with overrides.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ChainEntryRaw {
    /// Just the policy name.
    Name(String),
    /// Name plus overrides.
    Detailed(RawChainEntry),
}

/// `{ policy = "pii", failure_mode = "allow", config = { ... } }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChainEntry {
    /// Policy name.
    pub policy: String,
    /// Failure mode at this position.
    pub failure_mode: Option<FailureMode>,
    /// Config for this position only.
    pub config: Option<toml::Table>,
}

pub(super) fn parse(text: &str) -> Result<RawConfig, ConfigError> {
    let de = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = e.path().to_string();
        let msg = e.into_inner().to_string();
        ConfigError {
            key: if key == "." { "<root>".into() } else { key },
            reason: msg.trim().to_string(),
        }
    })
}

fn limits(key: &str, base: &Limits, raw: &RawLimits) -> Result<Limits, ConfigError> {
    let mut l = *base;
    if let Some(ms) = raw.timeout_ms {
        l.timeout = duration_ms(&format!("{key}.timeout_ms"), ms)?;
    }
    if let Some(mib) = raw.memory_mib {
        let bytes = (mib as usize).saturating_mul(1 << 20);
        if mib == 0 || bytes > crate::engine::MAX_POLICY_MEMORY {
            return Err(ConfigError::new(
                format!("{key}.memory_mib"),
                format!("{mib} is outside 1..=1024"),
            ));
        }
        l.memory = bytes;
    }
    Ok(l)
}

fn strategy(
    key: &str,
    base: InstanceStrategy,
    raw: &RawLimits,
) -> Result<InstanceStrategy, ConfigError> {
    let max_uses = raw.max_uses.unwrap_or(match base {
        InstanceStrategy::Warm { max_uses } => max_uses,
        InstanceStrategy::Fresh => crate::policy::DEFAULT_MAX_USES,
    });
    if max_uses == 0 {
        return Err(ConfigError::new(
            format!("{key}.max_uses"),
            "must be at least 1",
        ));
    }
    match raw.instances.as_deref() {
        None => Ok(match base {
            InstanceStrategy::Warm { .. } => InstanceStrategy::Warm { max_uses },
            InstanceStrategy::Fresh => InstanceStrategy::Fresh,
        }),
        Some("warm") => Ok(InstanceStrategy::Warm { max_uses }),
        Some("fresh") => Ok(InstanceStrategy::Fresh),
        Some(other) => Err(ConfigError::new(
            format!("{key}.instances"),
            format!("{other:?} is not `warm` or `fresh`"),
        )),
    }
}

fn to_json(table: &Option<toml::Table>) -> serde_json::Value {
    table
        .as_ref()
        .map_or(serde_json::Value::Object(Default::default()), |t| {
            serde_json::to_value(t).unwrap_or(serde_json::Value::Object(Default::default()))
        })
}

/// Hash an API key the way tenants store them.
pub fn hash_api_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Resolve a tenant's chain entries against the policy definitions: entry
/// config, else the tenant's `[tenants.<t>.config.<policy>]`, else the policy's.
pub(super) fn resolve_chains(
    tkey: &str,
    chain: &RawChains,
    tenant_config: &BTreeMap<String, toml::Table>,
    policies: &BTreeMap<String, PolicyDef>,
) -> Result<BTreeMap<Phase, Vec<ChainEntry>>, ConfigError> {
    let mut chains = BTreeMap::new();
    for (phase, entries) in [
        (Phase::Request, &chain.request),
        (Phase::Response, &chain.response),
        (Phase::ToolCall, &chain.tool_call),
    ] {
        let mut resolved = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let ekey = format!("{tkey}.chain.{}[{i}]", phase.as_str());
            let (name, fm, cfg) = match e {
                ChainEntryRaw::Name(n) => (n, None, None),
                ChainEntryRaw::Detailed(d) => (&d.policy, d.failure_mode, d.config.as_ref()),
            };
            let def = policies.get(name).ok_or_else(|| {
                ConfigError::new(
                    &ekey,
                    format!("unknown policy {name:?} (define it under [policies.{name}])"),
                )
            })?;
            let config = match cfg {
                Some(c) => to_json(&Some(c.clone())),
                None => match tenant_config.get(name) {
                    Some(c) => to_json(&Some(c.clone())),
                    None => def.config.clone(),
                },
            };
            resolved.push(ChainEntry {
                policy: name.clone(),
                failure_mode: fm.unwrap_or(def.failure_mode),
                config,
            });
        }
        chains.insert(phase, resolved);
    }
    Ok(chains)
}

pub(super) fn validate(raw: RawConfig, base: &Path) -> Result<Config, ConfigError> {
    let mut engine = crate::engine::EngineConfig::default();
    if let Some(dir) = &raw.engine.cache_dir {
        engine.cache_dir = Some(base.join(dir));
    }
    if raw.engine.cache == Some(false) {
        engine.cache_dir = None;
    }
    if let Some(p) = raw.engine.pooling {
        engine.pooling = p;
    }
    if let Some(n) = raw.engine.max_instances {
        if n == 0 {
            return Err(ConfigError::new(
                "engine.max_instances",
                "must be at least 1",
            ));
        }
        engine.max_instances = n;
    }

    let default_limits = limits("defaults", &Limits::default(), &raw.defaults)?;
    let default_strategy = strategy("defaults", InstanceStrategy::default(), &raw.defaults)?;
    let default_failure = raw.defaults.failure_mode.unwrap_or_default();

    let mut policies = BTreeMap::new();
    for (name, p) in &raw.policies {
        let key = format!("policies.{name}");
        let source = PolicySource::parse(&p.source, base);
        if let PolicySource::Builtin(b) = &source
            && !crate::builtin::exists(b)
        {
            return Err(ConfigError::new(
                format!("{key}.source"),
                format!(
                    "unknown built-in policy {:?} (built-ins: {})",
                    p.source,
                    crate::builtin::names().join(", ")
                ),
            ));
        }
        policies.insert(
            name.clone(),
            PolicyDef {
                source,
                limits: limits(&key, &default_limits, &p.limits)?,
                failure_mode: p.limits.failure_mode.unwrap_or(default_failure),
                strategy: strategy(&key, default_strategy, &p.limits)?,
                config: to_json(&p.config),
            },
        );
    }

    let mut tenants = BTreeMap::new();
    for (tname, t) in &raw.tenants {
        let tkey = format!("tenants.{tname}");
        for cfg_name in t.config.keys() {
            if !policies.contains_key(cfg_name) {
                return Err(ConfigError::new(
                    format!("{tkey}.config.{cfg_name}"),
                    "no such policy in [policies]",
                ));
            }
        }
        let chains = resolve_chains(&tkey, &t.chain, &t.config, &policies)?;
        let mut api_key_hashes = Vec::new();
        for (i, k) in t.api_keys.iter().enumerate() {
            let kkey = format!("{tkey}.api_keys[{i}]");
            if let Some(h) = k.strip_prefix("sha256:") {
                if h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(ConfigError::new(kkey, "a sha256 key hash is 64 hex digits"));
                }
                api_key_hashes.push(h.to_ascii_lowercase());
            } else if let Some(var) = k.strip_prefix("env:") {
                let v = std::env::var(var).map_err(|_| {
                    ConfigError::new(&kkey, format!("environment variable {var} is not set"))
                })?;
                api_key_hashes.push(hash_api_key(&v));
            } else {
                return Err(ConfigError::new(
                    kkey,
                    "keys are never stored in plain text: use \"sha256:<hex>\" (see `warden hash-key`) or \"env:VAR\"",
                ));
            }
        }
        tenants.insert(
            tname.clone(),
            TenantConfig {
                chains,
                api_key_hashes,
                models: t.models.clone(),
            },
        );
    }
    let mut controls = RawControls {
        budgets: raw.budgets.clone(),
        prices: raw.prices.clone(),
        rate_limits: raw.rate_limits.clone(),
        approvals: raw.approvals.clone(),
        resilience: raw.resilience.clone(),
        store: raw.store.clone(),
    }
    .validate()?;
    if controls.data_dir.is_relative() {
        controls.data_dir = base.join(&controls.data_dir);
    }
    Ok(Config {
        engine,
        policies,
        tenants,
        controls,
        raw,
        embedded: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_bad_values_name_the_key() {
        let e = Config::from_toml(
            "[policies.a]\nsource = \"builtin:pii\"\ntimout_ms = 5\n",
            Path::new("."),
        )
        .unwrap_err();
        assert!(e.reason.contains("timout_ms"), "{e}");
        let e = Config::from_toml(
            "[policies.a]\nsource = \"builtin:pii\"\n[tenants.t.chain]\nrequest = [\"a\", \"b\"]\n",
            Path::new("."),
        )
        .unwrap_err();
        assert_eq!(e.key, "tenants.t.chain.request[1]");
        let e = Config::from_toml("[policies.a]\nsource = \"builtin:nope\"\n", Path::new("."))
            .unwrap_err();
        assert_eq!(e.key, "policies.a.source");
        let e = Config::from_toml("[defaults]\ntimeout_ms = 0\n", Path::new(".")).unwrap_err();
        assert_eq!(e.key, "defaults.timeout_ms");
        let e = Config::from_toml("[tenants.t]\napi_keys = [\"sk-plain\"]\n", Path::new("."))
            .unwrap_err();
        assert_eq!(e.key, "tenants.t.api_keys[0]");
    }

    #[test]
    fn config_precedence_is_entry_then_tenant_then_policy() {
        let c = Config::from_toml(
            r#"
[policies.p]
source = "builtin:pii"
config = { level = "policy" }
failure_mode = "allow"
[tenants.a.chain]
request = ["p", { policy = "p", config = { level = "entry" }, failure_mode = "deny" }]
[tenants.a.config.p]
level = "tenant"
[tenants.b.chain]
request = ["p"]
"#,
            Path::new("."),
        )
        .unwrap();
        let a = &c.tenants["a"].chains[&Phase::Request];
        assert_eq!(a[0].config["level"], "tenant");
        assert_eq!(a[0].failure_mode, FailureMode::Allow);
        assert_eq!(a[1].config["level"], "entry");
        assert_eq!(a[1].failure_mode, FailureMode::Deny);
        assert_eq!(
            c.tenants["b"].chains[&Phase::Request][0].config["level"],
            "policy"
        );
    }
}
