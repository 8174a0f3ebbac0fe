//! Tenant configuration of `builtin:router`, validated into [`Settings`].
//!
//! ```json
//! {
//!   "tiers": [
//!     {"name": "small",  "model": "gpt-4o-mini", "max_score": 0.35},
//!     {"name": "medium", "model": "gpt-4o",      "max_score": 0.7},
//!     {"name": "large",  "model": "o1",          "max_score": 1.0}
//!   ],
//!   "respect_pinned": true,
//!   "pinned_models": [],
//!   "only_models": null,
//!   "allow_upgrade": true,
//!   "prices": {"my-model": {"input": "0.001", "output": "0.002"}},
//!   "low_budget_fraction": "0.2",
//!   "low_budget_usd": "1.00",
//!   "expected_output_tokens": 500
//! }
//! ```
//! All keys are optional (`{}` gives exactly the values above). Tiers go from
//! cheapest to most capable; the first whose `max_score` is at least the
//! request's score is chosen, and budget step-downs move towards index 0.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;
use warden_sdk::{ConfigError, parse_config};

use crate::pricing::{self, Price, de_decimal};

/// One model tier.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Display name, e.g. `small`.
    pub name: String,
    /// Model to route to.
    pub model: String,
    /// Highest complexity score (inclusive) this tier serves, in `(0, 1]`.
    pub max_score: f64,
    /// Upstream to route to as well (as named in the host config), if any.
    #[serde(default)]
    pub upstream: Option<String>,
}

fn default_tiers() -> Vec<Tier> {
    let t = |name: &str, model: &str, max_score| Tier {
        name: name.into(),
        model: model.into(),
        max_score,
        upstream: None,
    };
    vec![
        t("small", "gpt-4o-mini", 0.35),
        t("medium", "gpt-4o", 0.7),
        t("large", "o1", 1.0),
    ]
}
fn yes() -> bool {
    true
}
fn fraction() -> Decimal {
    Decimal::from_str("0.2").expect("valid")
}
fn one_dollar() -> Decimal {
    Decimal::from_str("1.00").expect("valid")
}
fn five_hundred() -> u32 {
    500
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default = "default_tiers")]
    tiers: Vec<Tier>,
    #[serde(default = "yes")]
    respect_pinned: bool,
    #[serde(default)]
    pinned_models: Vec<String>,
    #[serde(default)]
    only_models: Option<Vec<String>>,
    #[serde(default = "yes")]
    allow_upgrade: bool,
    #[serde(default)]
    prices: BTreeMap<String, Price>,
    #[serde(default = "fraction", deserialize_with = "de_decimal")]
    low_budget_fraction: Decimal,
    #[serde(default = "one_dollar", deserialize_with = "de_decimal")]
    low_budget_usd: Decimal,
    #[serde(default = "five_hundred")]
    expected_output_tokens: u32,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Tiers, cheapest first; the last has `max_score >= 1`.
    pub tiers: Vec<Tier>,
    /// Price of each tier's model, parallel to `tiers`.
    pub tier_prices: Vec<Price>,
    /// Honour the `pinned-model: true` metadata.
    pub respect_pinned: bool,
    /// Models never rerouted (lower-cased).
    pub pinned_models: Vec<String>,
    /// Models the router may route from (lower-cased); `None` = tier models + `auto`.
    pub only_models: Option<Vec<String>>,
    /// Whether a request for a cheaper tier's model may be moved up.
    pub allow_upgrade: bool,
    /// Low budget when remaining < limit × this.
    pub low_budget_fraction: Decimal,
    /// Low budget when remaining < this.
    pub low_budget_usd: Decimal,
    /// Output tokens assumed for cost estimates.
    pub expected_output_tokens: u32,
}

impl Settings {
    /// Parse and validate a JSON configuration (`""` or `{}` for defaults).
    pub fn parse(json: &str) -> Result<Self, ConfigError> {
        let raw: RawConfig = parse_config(json)?;
        if raw.tiers.is_empty() {
            return Err(ConfigError::at("tiers", "at least one tier is needed"));
        }
        let mut prices = pricing::defaults();
        for (model, p) in &raw.prices {
            for (field, v) in [("input", p.input), ("output", p.output)] {
                if v.is_sign_negative() {
                    return Err(ConfigError::at(
                        format!("prices.{model}.{field}"),
                        "a price cannot be negative",
                    ));
                }
            }
            prices.insert(model.clone(), *p);
        }
        let mut tier_prices = Vec::new();
        let mut last = 0.0;
        for (i, t) in raw.tiers.iter().enumerate() {
            if t.name.trim().is_empty() {
                return Err(ConfigError::at(
                    format!("tiers[{i}].name"),
                    "must not be empty",
                ));
            }
            if raw.tiers[..i].iter().any(|o| o.name == t.name) {
                return Err(ConfigError::at(
                    format!("tiers[{i}].name"),
                    format!("duplicate tier name {:?}", t.name),
                ));
            }
            if t.model.trim().is_empty() {
                return Err(ConfigError::at(
                    format!("tiers[{i}].model"),
                    "must not be empty",
                ));
            }
            let is_last = i == raw.tiers.len() - 1;
            if !(t.max_score > last && (t.max_score <= 1.0 || is_last)) {
                return Err(ConfigError::at(
                    format!("tiers[{i}].max_score"),
                    format!("must be in (0, 1] and greater than the previous tier's ({last})"),
                ));
            }
            last = t.max_score;
            let price = prices.get(&t.model).copied().ok_or_else(|| {
                ConfigError::at(
                    format!("tiers[{i}].model"),
                    format!("no price for {:?}; add it under `prices`", t.model),
                )
            })?;
            tier_prices.push(price);
        }
        let n = raw.tiers.len() - 1;
        if raw.tiers[n].max_score < 1.0 {
            return Err(ConfigError::at(
                format!("tiers[{n}].max_score"),
                "the last tier must cover scores up to 1.0",
            ));
        }
        if raw.low_budget_fraction.is_sign_negative() || raw.low_budget_fraction > Decimal::ONE {
            return Err(ConfigError::at(
                "low_budget_fraction",
                "must be between 0 and 1",
            ));
        }
        if raw.low_budget_usd.is_sign_negative() {
            return Err(ConfigError::at("low_budget_usd", "cannot be negative"));
        }
        if raw.expected_output_tokens > 1_000_000 {
            return Err(ConfigError::at(
                "expected_output_tokens",
                "at most 1,000,000",
            ));
        }
        let lower = |v: Vec<String>| v.into_iter().map(|m| m.to_lowercase()).collect::<Vec<_>>();
        Ok(Self {
            tiers: raw.tiers,
            tier_prices,
            respect_pinned: raw.respect_pinned,
            pinned_models: lower(raw.pinned_models),
            only_models: raw.only_models.map(lower),
            allow_upgrade: raw.allow_upgrade,
            low_budget_fraction: raw.low_budget_fraction,
            low_budget_usd: raw.low_budget_usd,
            expected_output_tokens: raw.expected_output_tokens,
        })
    }

    /// Whether the router may move a request for `model` (case-insensitive).
    pub fn routable(&self, model: &str) -> bool {
        let m = model.to_lowercase();
        match &self.only_models {
            Some(list) => list.contains(&m),
            None => m == "auto" || self.tiers.iter().any(|t| t.model.to_lowercase() == m),
        }
    }

    /// Index of the tier serving `score`.
    pub fn tier_for(&self, score: f64) -> usize {
        self.tiers
            .iter()
            .position(|t| score <= t.max_score)
            .unwrap_or(self.tiers.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(json: &str) -> Option<String> {
        Settings::parse(json).err().and_then(|e| e.key)
    }

    #[test]
    fn defaults_are_documented_values() {
        let s = Settings::parse("{}").unwrap();
        assert_eq!(s.tiers, default_tiers());
        assert_eq!(s.tier_for(0.0), 0);
        assert_eq!(s.tier_for(0.35), 0);
        assert_eq!(s.tier_for(0.36), 1);
        assert_eq!(s.tier_for(1.0), 2);
        assert!(s.routable("auto") && s.routable("GPT-4o") && !s.routable("mock"));
        assert_eq!(s.low_budget_usd, Decimal::from_str("1.00").unwrap());
        assert_eq!(s.expected_output_tokens, 500);
    }

    #[test]
    fn errors_name_the_key() {
        assert_eq!(key_of(r#"{"tiers":[]}"#).as_deref(), Some("tiers"));
        assert_eq!(
            key_of(r#"{"tiers":[{"name":"a","model":"gpt-4o","max_score":0.5},{"name":"b","model":"o1","max_score":0.4}]}"#).as_deref(),
            Some("tiers[1].max_score")
        );
        assert_eq!(
            key_of(r#"{"tiers":[{"name":"a","model":"gpt-4o","max_score":0.5}]}"#).as_deref(),
            Some("tiers[0].max_score")
        );
        assert_eq!(
            key_of(r#"{"tiers":[{"name":"a","model":"llama","max_score":1}]}"#).as_deref(),
            Some("tiers[0].model")
        );
        assert_eq!(
            key_of(r#"{"tiers":[{"name":"a","model":"o1","max_score":1,"cost":2}]}"#).as_deref(),
            Some("tiers[0].cost")
        );
        assert_eq!(
            key_of(r#"{"prices":{"x":{"input":"-1","output":"0"}}}"#).as_deref(),
            Some("prices.x.input")
        );
        assert_eq!(
            key_of(r#"{"prices":{"x":{"input":"abc","output":"0"}}}"#).as_deref(),
            Some("prices.x.input")
        );
        assert_eq!(
            key_of(r#"{"low_budget_fraction":"1.5"}"#).as_deref(),
            Some("low_budget_fraction")
        );
        assert_eq!(
            key_of(r#"{"low_budget_usd":"x"}"#).as_deref(),
            Some("low_budget_usd")
        );
        assert!(Settings::parse(r#"{"tier":[]}"#).is_err());
    }

    #[test]
    fn custom_models_need_prices() {
        let cfg = r#"{"tiers":[{"name":"s","model":"llama","max_score":1}],"prices":{"llama":{"input":"0.0001","output":"0.0002"}}}"#;
        let s = Settings::parse(cfg).unwrap();
        assert!(s.routable("llama") && !s.routable("gpt-4o"));
    }
}
