//! Config for money, humans and durability: `[budgets]`, `[prices."model"]`,
//! `[rate_limits]`, `[approvals]`, `[resilience]` and `[store]`.
//!
//! Raw serde structs deny unknown keys; [`RawControls::validate`] turns them into
//! typed settings whose errors name the key (`budgets.tenants.acme.user.limit_usd`).
//! Money is written as a string (`limit_usd = "100.00"`): a TOML float is refused,
//! because 0.1 is not exactly representable.
//!
//! # Plugging into `warden.toml`
//!
//! Today [`Controls::from_table`] reads these sections from the parsed file. To
//! wire them in, `config::raw::RawConfig` gains six fields (`#[serde(default)]
//! budgets: RawBudgets`, `prices: BTreeMap<String, RawPrice>`, `rate_limits:
//! RawRateLimits`, `approvals: RawApprovals`, `resilience: RawResilience`,
//! `store: RawStore`), its validation builds a [`RawControls`] from them and calls
//! [`RawControls::validate`], and `Config` carries the resulting [`Controls`].
//!
//! ```toml
//! [budgets]
//! warn_ratio = "0.8"
//! global = { limit_usd = "100.00", period = "monthly" }
//! [budgets.default]                       # tenants not listed below
//! user = { limit_usd = "2.00", period = "daily" }
//! [budgets.tenants.acme]
//! tenant = { limit_usd = "50.00" }        # period defaults to monthly
//! request = { limit_usd = "0.50" }
//!
//! [prices."llama-3-70b"]
//! input = "0.0009"
//! output = "0.0009"
//!
//! [rate_limits]
//! tenant = { rpm = 600, tpm = 200000 }    # each tenant not listed below
//! key = { rpm = 60 }                      # each API key
//! [rate_limits.tenants.acme]
//! tenant = { rpm = 1200 }
//!
//! [approvals]
//! timeout_secs = 1800
//! tenants = { acme = { timeout_secs = 600 } }
//!
//! [resilience]
//! max_retries = 2
//! backoff_base_ms = 250
//! backoff_max_ms = 8000
//! breaker_failures = 5
//! breaker_recovery_secs = 60
//! breaker_successes = 3
//! fallback_models = { "gpt-4o" = "gpt-4o-mini" }
//! fallback_upstreams = { openai = "azure" }
//!
//! [store]
//! data_dir = ".warden-data"
//! spend_fsync = "periodic"                # or "per-answer"
//! spend_fsync_interval_ms = 1000
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Duration;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{
    BudgetConfig, BudgetLimit, DEFAULT_WARN_RATIO, Period, Price, PriceTable, TenantBudgets,
};
use crate::approval::{ApprovalSettings, DEFAULT_TIMEOUT};
use crate::config::ConfigError;
use crate::ratelimit::{Limits, RateLimitConfig, TenantLimits};
use crate::resilience::{BreakerSettings, Fallbacks, RetryPolicy};
use crate::store::{DEFAULT_SPEND_FSYNC_INTERVAL, SpendSync};

/// Where the store lives when `[store] data_dir` is not set: beside the config,
/// hidden, so it is not mistaken for something to edit.
pub const DEFAULT_DATA_DIR: &str = ".warden-data";

/// Budget period when a limit names none: providers bill monthly.
pub const DEFAULT_PERIOD: Period = Period::Monthly;

/// The sections, as written. Every field defaults, so an empty file is valid.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawControls {
    /// `[budgets]`.
    #[serde(default)]
    pub budgets: RawBudgets,
    /// `[prices."model"]`.
    #[serde(default)]
    pub prices: BTreeMap<String, RawPrice>,
    /// `[rate_limits]`.
    #[serde(default)]
    pub rate_limits: RawRateLimits,
    /// `[approvals]`.
    #[serde(default)]
    pub approvals: RawApprovals,
    /// `[resilience]`.
    #[serde(default)]
    pub resilience: RawResilience,
    /// `[store]`.
    #[serde(default)]
    pub store: RawStore,
}

/// `[budgets]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBudgets {
    /// Fraction of a limit that logs a warning (default `"0.8"`).
    #[serde(default, deserialize_with = "decimal_str_opt")]
    pub warn_ratio: Option<Decimal>,
    /// All traffic.
    pub global: Option<RawLimit>,
    /// Tenants not listed under `tenants`.
    #[serde(default)]
    pub default: RawTenantBudgets,
    /// Per tenant (replaces `default` entirely for that tenant).
    #[serde(default)]
    pub tenants: BTreeMap<String, RawTenantBudgets>,
}

/// `{ limit_usd = "..", period = "daily" | "monthly" | "none" }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimit {
    /// USD, as a string.
    #[serde(deserialize_with = "decimal_str")]
    pub limit_usd: Decimal,
    /// Default monthly.
    pub period: Option<Period>,
}

/// `{ limit_usd = ".." }`: per request, so no period.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequestLimit {
    /// USD, as a string.
    #[serde(deserialize_with = "decimal_str")]
    pub limit_usd: Decimal,
}

/// A tenant's budgets.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTenantBudgets {
    /// The whole tenant.
    pub tenant: Option<RawLimit>,
    /// Each end user.
    pub user: Option<RawLimit>,
    /// Each request.
    pub request: Option<RawRequestLimit>,
}

/// `[prices."model"]`: USD per 1,000 tokens, as strings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrice {
    /// Per 1,000 input tokens.
    #[serde(deserialize_with = "decimal_str")]
    pub input: Decimal,
    /// Per 1,000 output tokens.
    #[serde(deserialize_with = "decimal_str")]
    pub output: Decimal,
}

/// `[rate_limits]`: nothing is limited unless configured (a gateway that answers
/// 429 out of the box would surprise; set limits per deployment).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRateLimits {
    /// Each tenant not listed below.
    pub tenant: Option<RawRate>,
    /// Each API key of a tenant not listed below.
    pub key: Option<RawRate>,
    /// Per tenant (replaces both defaults for that tenant).
    #[serde(default)]
    pub tenants: BTreeMap<String, RawTenantRates>,
}

/// `{ rpm = .., tpm = .. }`, either optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRate {
    /// Requests per minute.
    pub rpm: Option<u64>,
    /// Tokens per minute.
    pub tpm: Option<u64>,
}

/// `[rate_limits.tenants.<t>]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTenantRates {
    /// The whole tenant.
    pub tenant: Option<RawRate>,
    /// Each of its API keys.
    pub key: Option<RawRate>,
}

/// `[approvals]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApprovals {
    /// Seconds before a pending request escalates (default 1800).
    pub timeout_secs: Option<u64>,
    /// Per tenant.
    #[serde(default)]
    pub tenants: BTreeMap<String, RawTenantApprovals>,
}

/// `[approvals.tenants.<t>]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTenantApprovals {
    /// Seconds before a pending request escalates.
    pub timeout_secs: Option<u64>,
}

/// `[resilience]`; defaults in `resilience::retry` and `resilience::breaker`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResilience {
    /// Retries after the first attempt (default 2).
    pub max_retries: Option<u32>,
    /// First backoff ceiling in ms (default 250).
    pub backoff_base_ms: Option<u64>,
    /// Largest backoff ceiling in ms (default 8000).
    pub backoff_max_ms: Option<u64>,
    /// Consecutive failures that open a breaker (default 5).
    pub breaker_failures: Option<u32>,
    /// Seconds open before probing (default 60).
    pub breaker_recovery_secs: Option<u64>,
    /// Half-open successes that close it (default 3).
    pub breaker_successes: Option<u32>,
    /// Model → fallback model.
    #[serde(default)]
    pub fallback_models: BTreeMap<String, String>,
    /// Upstream → fallback upstream.
    #[serde(default)]
    pub fallback_upstreams: BTreeMap<String, String>,
}

/// `[store]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStore {
    /// Data directory (default `.warden-data`).
    pub data_dir: Option<String>,
    /// `"periodic"` (default) or `"per-answer"`: see [`SpendSync`].
    pub spend_fsync: Option<String>,
    /// With `"periodic"`: the longest a spend record waits for its fsync (default 1000).
    pub spend_fsync_interval_ms: Option<u64>,
}

/// Validated settings for all six sections.
#[derive(Debug, Clone, PartialEq)]
pub struct Controls {
    /// Budgets.
    pub budgets: BudgetConfig,
    /// Prices (defaults plus overrides).
    pub prices: PriceTable,
    /// Rate limits.
    pub rate_limits: RateLimitConfig,
    /// Approval timeouts.
    pub approvals: ApprovalSettings,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Circuit breaker thresholds.
    pub breaker: BreakerSettings,
    /// Fallback models and upstreams.
    pub fallbacks: Fallbacks,
    /// Data directory of the store.
    pub data_dir: PathBuf,
    /// When spend records are fsynced.
    pub spend_sync: SpendSync,
}

/// The keys of `warden.toml` these settings own.
const SECTIONS: [&str; 6] = [
    "budgets",
    "prices",
    "rate_limits",
    "approvals",
    "resilience",
    "store",
];

impl Controls {
    /// Read the six sections from a parsed `warden.toml`, ignoring its other keys.
    pub fn from_table(table: &toml::Table) -> Result<Self, ConfigError> {
        let mine: toml::Table = table
            .iter()
            .filter(|(k, _)| SECTIONS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let raw: RawControls =
            serde_path_to_error::deserialize(toml::Value::Table(mine)).map_err(|e| {
                let key = e.path().to_string();
                ConfigError {
                    key,
                    reason: e.into_inner().to_string().trim().to_string(),
                }
            })?;
        raw.validate()
    }
}

/// Money from a TOML string only: a TOML float has already lost exactness when
/// parsed, so `limit_usd = 0.1` is refused rather than silently rounded.
fn decimal_str<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let s = String::deserialize(d)?;
    s.trim()
        .parse()
        .map_err(|e| serde::de::Error::custom(format!("`{s}` is not a decimal amount: {e}")))
}

fn decimal_str_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    decimal_str(d).map(Some)
}

fn err(key: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.into(),
        reason: reason.into(),
    }
}

fn money(key: &str, v: Decimal) -> Result<Decimal, ConfigError> {
    if v.is_sign_negative() {
        return Err(err(key, format!("must not be negative, got {v}")));
    }
    Ok(v)
}

fn limit(key: &str, raw: &Option<RawLimit>) -> Result<Option<BudgetLimit>, ConfigError> {
    raw.as_ref()
        .map(|l| {
            Ok(BudgetLimit {
                limit_usd: money(&format!("{key}.limit_usd"), l.limit_usd)?,
                period: l.period.unwrap_or(DEFAULT_PERIOD),
            })
        })
        .transpose()
}

fn tenant_budgets(key: &str, raw: &RawTenantBudgets) -> Result<TenantBudgets, ConfigError> {
    Ok(TenantBudgets {
        tenant: limit(&format!("{key}.tenant"), &raw.tenant)?,
        user: limit(&format!("{key}.user"), &raw.user)?,
        request: raw
            .request
            .as_ref()
            .map(|r| money(&format!("{key}.request.limit_usd"), r.limit_usd))
            .transpose()?,
    })
}

fn rate(key: &str, raw: Option<RawRate>) -> Result<Limits, ConfigError> {
    let raw = raw.unwrap_or_default();
    for (name, v) in [("rpm", raw.rpm), ("tpm", raw.tpm)] {
        if v == Some(0) {
            return Err(err(
                format!("{key}.{name}"),
                "must be at least 1 (leave it out for no limit)",
            ));
        }
    }
    Ok(Limits {
        rpm: raw.rpm,
        tpm: raw.tpm,
    })
}

fn positive_secs(key: &str, v: Option<u64>, default: Duration) -> Result<Duration, ConfigError> {
    match v {
        Some(0) => Err(err(key, "must be at least 1")),
        Some(s) => Ok(Duration::from_secs(s)),
        None => Ok(default),
    }
}

fn at_least_one(key: &str, v: Option<u32>, default: u32) -> Result<u32, ConfigError> {
    match v {
        Some(0) => Err(err(key, "must be at least 1")),
        Some(n) => Ok(n),
        None => Ok(default),
    }
}

impl RawControls {
    /// Check values and build typed settings; errors name the key.
    pub fn validate(self) -> Result<Controls, ConfigError> {
        let b = &self.budgets;
        let warn_ratio = b.warn_ratio.unwrap_or(DEFAULT_WARN_RATIO);
        if warn_ratio <= Decimal::ZERO || warn_ratio > Decimal::ONE {
            return Err(err(
                "budgets.warn_ratio",
                format!("must be in (0, 1], got {warn_ratio}"),
            ));
        }
        let budgets = BudgetConfig {
            global: limit("budgets.global", &b.global)?,
            default: tenant_budgets("budgets.default", &b.default)?,
            tenants: b
                .tenants
                .iter()
                .map(|(t, raw)| {
                    Ok((
                        t.clone(),
                        tenant_budgets(&format!("budgets.tenants.{t}"), raw)?,
                    ))
                })
                .collect::<Result<HashMap<_, _>, ConfigError>>()?,
            warn_ratio,
        };

        let mut prices = Vec::new();
        for (model, p) in &self.prices {
            let key = format!("prices.{model}");
            prices.push((
                model.clone(),
                Price {
                    input_per_1k: money(&format!("{key}.input"), p.input)?,
                    output_per_1k: money(&format!("{key}.output"), p.output)?,
                },
            ));
        }

        let r = &self.rate_limits;
        let rate_limits = RateLimitConfig {
            default: TenantLimits {
                tenant: rate("rate_limits.tenant", r.tenant)?,
                key: rate("rate_limits.key", r.key)?,
            },
            tenants: r
                .tenants
                .iter()
                .map(|(t, raw)| {
                    let key = format!("rate_limits.tenants.{t}");
                    let limits = TenantLimits {
                        tenant: rate(&format!("{key}.tenant"), raw.tenant)?,
                        key: rate(&format!("{key}.key"), raw.key)?,
                    };
                    Ok((t.clone(), limits))
                })
                .collect::<Result<_, ConfigError>>()?,
        };

        let a = &self.approvals;
        let default_timeout =
            positive_secs("approvals.timeout_secs", a.timeout_secs, DEFAULT_TIMEOUT)?;
        let approvals = ApprovalSettings {
            default_timeout,
            tenant_timeouts: a
                .tenants
                .iter()
                .map(|(t, raw)| {
                    let key = format!("approvals.tenants.{t}.timeout_secs");
                    Ok((
                        t.clone(),
                        positive_secs(&key, raw.timeout_secs, default_timeout)?,
                    ))
                })
                .collect::<Result<_, ConfigError>>()?,
        };

        let s = &self.resilience;
        let defaults = RetryPolicy::default();
        let retry = RetryPolicy {
            max_retries: s.max_retries.unwrap_or(defaults.max_retries),
            base: s
                .backoff_base_ms
                .map_or(defaults.base, Duration::from_millis),
            max: s.backoff_max_ms.map_or(defaults.max, Duration::from_millis),
        };
        if retry.base > retry.max {
            return Err(err(
                "resilience.backoff_base_ms",
                format!(
                    "{} ms is more than backoff_max_ms ({} ms)",
                    retry.base.as_millis(),
                    retry.max.as_millis()
                ),
            ));
        }
        let bd = BreakerSettings::default();
        let breaker = BreakerSettings {
            failure_threshold: at_least_one(
                "resilience.breaker_failures",
                s.breaker_failures,
                bd.failure_threshold,
            )?,
            recovery: positive_secs(
                "resilience.breaker_recovery_secs",
                s.breaker_recovery_secs,
                bd.recovery,
            )?,
            success_threshold: at_least_one(
                "resilience.breaker_successes",
                s.breaker_successes,
                bd.success_threshold,
            )?,
        };
        for (section, map) in [
            ("fallback_models", &s.fallback_models),
            ("fallback_upstreams", &s.fallback_upstreams),
        ] {
            if let Some((k, _)) = map.iter().find(|(k, v)| k == v) {
                return Err(err(
                    format!("resilience.{section}.{k}"),
                    "falls back to itself",
                ));
            }
        }
        let fallbacks = Fallbacks {
            models: s
                .fallback_models
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            upstreams: s
                .fallback_upstreams
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };

        let data_dir = self.store.data_dir.as_deref().unwrap_or(DEFAULT_DATA_DIR);
        if data_dir.trim().is_empty() {
            return Err(err("store.data_dir", "must not be empty"));
        }
        let interval = match self.store.spend_fsync_interval_ms {
            None => DEFAULT_SPEND_FSYNC_INTERVAL,
            Some(ms @ 1..=60_000) => Duration::from_millis(ms),
            Some(_) => {
                return Err(err(
                    "store.spend_fsync_interval_ms",
                    "must be 1 to 60000 (a longer window risks more spend on a power cut)",
                ));
            }
        };
        let spend_sync = match self.store.spend_fsync.as_deref() {
            None | Some("periodic") => SpendSync::Periodic(interval),
            Some("per-answer") => {
                if self.store.spend_fsync_interval_ms.is_some() {
                    return Err(err(
                        "store.spend_fsync_interval_ms",
                        "only applies to spend_fsync = \"periodic\"",
                    ));
                }
                SpendSync::PerAnswer
            }
            Some(other) => {
                return Err(err(
                    "store.spend_fsync",
                    format!("`{other}` is not one of \"periodic\", \"per-answer\""),
                ));
            }
        };

        Ok(Controls {
            budgets,
            prices: PriceTable::with_overrides(prices),
            rate_limits,
            approvals,
            retry,
            breaker,
            fallbacks,
            data_dir: PathBuf::from(data_dir),
            spend_sync,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Usage;

    fn parse(text: &str) -> Result<Controls, ConfigError> {
        Controls::from_table(&text.parse::<toml::Table>().unwrap())
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn empty_config_gives_the_documented_defaults() {
        let c = parse("").unwrap();
        assert_eq!(c.budgets, BudgetConfig::default());
        assert_eq!(c.budgets.warn_ratio, d("0.8"));
        assert_eq!(c.prices, PriceTable::default());
        assert_eq!(c.rate_limits, RateLimitConfig::default());
        assert_eq!(c.approvals.default_timeout, Duration::from_secs(1800));
        assert_eq!(c.retry, RetryPolicy::default());
        assert_eq!(
            c.breaker,
            BreakerSettings {
                failure_threshold: 5,
                recovery: Duration::from_secs(60),
                success_threshold: 3
            }
        );
        assert_eq!(c.data_dir, PathBuf::from(".warden-data"));
        assert_eq!(c.spend_sync, SpendSync::Periodic(Duration::from_secs(1)));
    }

    #[test]
    fn the_module_doc_example_parses() {
        let doc = include_str!("config.rs");
        let example: String = doc
            .lines()
            .skip_while(|l| !l.starts_with("//! ```toml"))
            .skip(1)
            .take_while(|l| !l.starts_with("//! ```"))
            .map(|l| format!("{}\n", l.trim_start_matches("//!").trim_start()))
            .collect();
        let c = parse(&example).unwrap();
        let acme = c.budgets.tenants["acme"];
        assert_eq!(
            acme.tenant,
            Some(BudgetLimit {
                limit_usd: d("50.00"),
                period: Period::Monthly
            })
        );
        assert_eq!(acme.request, Some(d("0.50")));
        assert_eq!(acme.user, None, "a listed tenant does not inherit default");
        assert_eq!(c.budgets.default.user.unwrap().period, Period::Daily);
        assert_eq!(c.budgets.global.unwrap().limit_usd, d("100.00"));
        assert_eq!(
            c.prices.cost(
                "llama-3-70b",
                Usage {
                    input_tokens: 1000,
                    output_tokens: 1000
                }
            ),
            Some(d("0.0018"))
        );
        assert_eq!(
            c.rate_limits.default.tenant,
            Limits {
                rpm: Some(600),
                tpm: Some(200_000)
            }
        );
        assert_eq!(c.rate_limits.tenants["acme"].tenant.rpm, Some(1200));
        assert_eq!(c.approvals.timeout_for("acme"), Duration::from_secs(600));
        assert_eq!(c.approvals.timeout_for("other"), Duration::from_secs(1800));
        assert_eq!(c.fallbacks.model("gpt-4o"), Some("gpt-4o-mini"));
        assert_eq!(c.fallbacks.upstream("openai"), Some("azure"));
    }

    #[test]
    fn other_sections_are_left_alone() {
        assert!(parse("[server]\nlisten = \"x\"\n[tenants.a]\n").is_ok());
    }

    #[test]
    fn unknown_keys_are_errors_naming_the_key() {
        let e = parse("[budgets.global]\nlimit_usd = \"1\"\nperiodd = \"daily\"").unwrap_err();
        assert!(e.key.starts_with("budgets.global"), "{e}");
        assert!(e.reason.contains("periodd"), "{e}");
        let e =
            parse("[budgets.tenants.acme]\nrequest = { limit_usd = \"1\", period = \"daily\" }")
                .unwrap_err();
        assert!(e.key.starts_with("budgets.tenants.acme.request"), "{e}");
    }

    #[test]
    fn spend_fsync_modes() {
        let c = parse("[store]\nspend_fsync_interval_ms = 250").unwrap();
        assert_eq!(
            c.spend_sync,
            SpendSync::Periodic(Duration::from_millis(250))
        );
        let c = parse("[store]\nspend_fsync = \"per-answer\"").unwrap();
        assert_eq!(c.spend_sync, SpendSync::PerAnswer);
    }

    #[test]
    fn money_must_be_a_string_not_a_float() {
        let e = parse("[budgets]\nglobal = { limit_usd = 100.0 }").unwrap_err();
        assert_eq!(e.key, "budgets.global.limit_usd", "{e}");
    }

    #[test]
    fn bad_values_name_their_key() {
        let cases = [
            (
                "[budgets]\nglobal = { limit_usd = \"-1\" }",
                "budgets.global.limit_usd",
            ),
            ("[budgets]\nwarn_ratio = \"1.5\"", "budgets.warn_ratio"),
            (
                "[budgets.tenants.acme]\nuser = { limit_usd = \"-0.01\" }",
                "budgets.tenants.acme.user.limit_usd",
            ),
            (
                "[budgets.default]\nuser = { limit_usd = \"1\", period = \"weekly\" }",
                "budgets.default.user.period",
            ),
            (
                "[prices.\"gpt-4o\"]\ninput = \"-1\"\noutput = \"1\"",
                "prices.gpt-4o.input",
            ),
            ("[rate_limits]\nkey = { rpm = 0 }", "rate_limits.key.rpm"),
            (
                "[rate_limits.tenants.acme]\ntenant = { tpm = 0 }",
                "rate_limits.tenants.acme.tenant.tpm",
            ),
            ("[approvals]\ntimeout_secs = 0", "approvals.timeout_secs"),
            (
                "[approvals.tenants.acme]\ntimeout_secs = 0",
                "approvals.tenants.acme.timeout_secs",
            ),
            (
                "[resilience]\nbackoff_base_ms = 9000\nbackoff_max_ms = 100",
                "resilience.backoff_base_ms",
            ),
            (
                "[resilience]\nbreaker_failures = 0",
                "resilience.breaker_failures",
            ),
            (
                "[resilience]\nfallback_models = { a = \"a\" }",
                "resilience.fallback_models.a",
            ),
            ("[store]\ndata_dir = \"\"", "store.data_dir"),
            ("[store]\nspend_fsync = \"never\"", "store.spend_fsync"),
            (
                "[store]\nspend_fsync_interval_ms = 0",
                "store.spend_fsync_interval_ms",
            ),
            (
                "[store]\nspend_fsync = \"per-answer\"\nspend_fsync_interval_ms = 10",
                "store.spend_fsync_interval_ms",
            ),
        ];
        for (text, key) in cases {
            let e = parse(text).unwrap_err();
            assert!(
                e.key.starts_with(key),
                "{text}: got key `{}` ({})",
                e.key,
                e.reason
            );
        }
    }
}
