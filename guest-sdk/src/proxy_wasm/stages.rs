//! The policies a filter runs: a [`Stage`] is one configured policy behind a
//! uniform interface, so a single-policy filter and the chain filter share one
//! HTTP path. The chain filter's plugin configuration lists the stages:
//!
//! ```json
//! {"policies": [
//!   {"policy": "injection", "config": {"threshold": 0.5}},
//!   {"policy": "pii"},
//!   {"policy": "router", "config": {"tiers": []}},
//!   {"policy": "risk"}
//! ]}
//! ```
//! Each `config` is the same JSON as that policy's `config` in `warden.toml`
//! (and as the plugin configuration of its single-policy filter); omitted means
//! `{}`. `name` (default: the policy's name) names its counters and refusals.

use serde::Deserialize;
use serde_json::Value;

use crate::{ConfigError, Input, Policy, PolicyInfo, Verdict, parse_config};

/// A configured policy's `evaluate`.
type Evaluate = Box<dyn Fn(&Input) -> Result<Verdict, String>>;

/// One configured policy.
pub struct Stage {
    /// Its name in refusals, counters and logs.
    pub name: String,
    /// Its metadata (phases, effects).
    pub info: PolicyInfo,
    eval: Evaluate,
}

impl std::fmt::Debug for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stage").field("name", &self.name).finish()
    }
}

impl Stage {
    /// `policy`, configured, as a stage called `name`.
    pub fn new<P: Policy>(name: String, policy: P) -> Self {
        Self {
            name,
            info: P::info(),
            eval: Box::new(move |input| policy.evaluate(input)),
        }
    }

    /// Run the policy.
    pub fn evaluate(&self, input: &Input) -> Result<Verdict, String> {
        (self.eval)(input)
    }
}

/// A policy the chain filter can run, by name.
#[derive(Debug, Clone)]
pub struct Builtin {
    /// The policy's own name (`PolicyInfo::name`).
    pub name: String,
    configure: fn(String, &str) -> Result<Stage, ConfigError>,
}

fn configure_stage<P: Policy>(name: String, config: &str) -> Result<Stage, ConfigError> {
    P::configure(config).map(|p| Stage::new::<P>(name, p))
}

/// `P` as a chain-filter policy.
pub fn builtin<P: Policy>() -> Builtin {
    Builtin {
        name: P::info().name,
        configure: configure_stage::<P>,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChainConfig {
    policies: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    policy: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    config: Option<Value>,
}

/// The stages of a chain filter's plugin configuration (see the module docs).
pub fn chain(config: &str, builtins: &[Builtin]) -> Result<Vec<Stage>, String> {
    let c: ChainConfig = parse_config(config).map_err(|e| e.to_string())?;
    if c.policies.is_empty() {
        return Err("`policies` must list at least one policy".into());
    }
    let known = || {
        builtins
            .iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut stages: Vec<Stage> = Vec::new();
    for (i, e) in c.policies.into_iter().enumerate() {
        let Some(b) = builtins.iter().find(|b| b.name == e.policy) else {
            return Err(format!(
                "policies[{i}].policy: unknown policy `{}` (this filter has: {})",
                e.policy,
                known()
            ));
        };
        let name = e.name.unwrap_or_else(|| b.name.clone());
        if stages.iter().any(|s| s.name == name) {
            return Err(format!(
                "policies[{i}]: a second stage named `{name}` (set `name` to tell them apart)"
            ));
        }
        let text = match &e.config {
            None | Some(Value::Null) => "{}".to_string(),
            Some(v @ Value::Object(_)) => v.to_string(),
            Some(_) => return Err(format!("policies[{i}].config: must be a JSON object")),
        };
        let stage = (b.configure)(name.clone(), &text)
            .map_err(|err| format!("policies[{i}] (`{name}`): {err}"))?;
        stages.push(stage);
    }
    Ok(stages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Phase};

    struct Echo(String);
    impl Policy for Echo {
        fn info() -> PolicyInfo {
            PolicyInfo::new("echo", "0.1.0", "test")
        }
        fn configure(config: &str) -> Result<Self, ConfigError> {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct C {
                #[serde(default)]
                word: String,
            }
            let c: C = parse_config(config)?;
            Ok(Echo(c.word))
        }
        fn evaluate(&self, input: &Input) -> Result<Verdict, String> {
            Ok(
                if input.messages[0].content.contains(&self.0) && !self.0.is_empty() {
                    Verdict::deny("word")
                } else {
                    Verdict::allow()
                },
            )
        }
    }

    #[test]
    fn parses_the_chain_and_names_bad_entries() {
        let b = [builtin::<Echo>()];
        let s = chain(
            r#"{"policies":[{"policy":"echo","config":{"word":"x"}},{"policy":"echo","name":"again"}]}"#,
            &b,
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].name, "again");
        let input = Input::new(Phase::Request, vec![Message::user("x")]);
        assert!(matches!(
            s[0].evaluate(&input).unwrap().action,
            crate::Action::Deny(_)
        ));
        assert!(matches!(
            s[1].evaluate(&input).unwrap().action,
            crate::Action::Allow
        ));

        let e = chain(r#"{"policies":[{"policy":"echo","config":{"wrd":1}}]}"#, &b).unwrap_err();
        assert!(
            e.starts_with("policies[0] (`echo`): ") && e.contains("wrd"),
            "{e}"
        );
        let e = chain(r#"{"policies":[{"policy":"nope"}]}"#, &b).unwrap_err();
        assert!(
            e.contains("unknown policy `nope`") && e.contains("echo"),
            "{e}"
        );
        assert!(chain(r#"{"policies":[]}"#, &b).is_err());
        assert!(chain(r#"{"policies":[{"policy":"echo"},{"policy":"echo"}]}"#, &b).is_err());
        assert!(chain(r#"{"chain":[]}"#, &b).is_err());
    }
}
