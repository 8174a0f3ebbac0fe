//! `builtin:router`: a cost-aware model router.
//!
//! For each request whose model the client left to us (`auto`, or any model of
//! the tier table), it scores the task's complexity ([`complexity`]), picks the
//! tier serving that score ([`config`]), and then lets the tenant's remaining
//! budget pull it down: one tier down when the budget is low, and further down
//! while the estimated cost ([`pricing`]) exceeds what is left. Pinned requests
//! (`pinned-model: true` metadata or `pinned_models`) are never moved.
//!
//! Every verdict carries one `router.decision` info finding saying what was
//! decided and why, so operators can audit routing from the logs alone.

pub mod complexity;
pub mod config;
pub mod pricing;

use rust_decimal::Decimal;
use warden_sdk::{ConfigError, Finding, Input, Phase, Policy, PolicyInfo, Severity, Verdict};

use crate::config::Settings;
use crate::pricing::parse_decimal;

/// The configured router of one tenant.
#[derive(Debug, Clone)]
pub struct Router {
    settings: Settings,
}

/// What the router decided, before it becomes a verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Tier index chosen.
    pub tier: usize,
    /// Tier index the score alone would have chosen.
    pub wanted: usize,
    /// Estimated cost on the chosen tier.
    pub cost: Decimal,
    /// Why it stepped down, if it did.
    pub step_down: Option<&'static str>,
}

fn note(detail: String) -> Finding {
    Finding::new("router.decision", "routing", Severity::Info).detail(detail)
}

impl Router {
    /// Choose a tier for `score` with `tokens` of input, given the budget metadata.
    pub fn decide(
        &self,
        score: f64,
        tokens: u64,
        remaining: Option<Decimal>,
        limit: Option<Decimal>,
        requested: Option<usize>,
    ) -> Decision {
        let s = &self.settings;
        let mut tier = s.tier_for(score);
        if let Some(r) = requested.filter(|&r| !s.allow_upgrade && tier > r) {
            tier = r;
        }
        let wanted = tier;
        let out = u64::from(s.expected_output_tokens);
        let cost = |t: usize| s.tier_prices[t].cost(tokens, out);
        let mut step_down = None;
        if let Some(rem) = remaining {
            let low =
                rem < s.low_budget_usd || limit.is_some_and(|l| rem < l * s.low_budget_fraction);
            if low && tier > 0 {
                tier -= 1;
                step_down = Some("remaining budget is low");
            }
            while tier > 0 && cost(tier) > rem {
                tier -= 1;
                step_down = Some("estimated cost exceeds the remaining budget");
            }
        }
        Decision {
            tier,
            wanted,
            cost: cost(tier),
            step_down,
        }
    }
}

impl Policy for Router {
    fn info() -> PolicyInfo {
        PolicyInfo::new(
            "router",
            env!("CARGO_PKG_VERSION"),
            "routes each request to the cheapest model tier that fits its complexity and the tenant's budget",
        )
        .phases(&[Phase::Request])
        .routes()
    }

    fn configure(config_json: &str) -> Result<Self, ConfigError> {
        Ok(Self {
            settings: Settings::parse(config_json)?,
        })
    }

    fn evaluate(&self, input: &Input) -> Result<Verdict, String> {
        let s = &self.settings;
        let model = input.model.as_str();
        let lower = model.to_lowercase();
        if !s.routable(model) {
            return Ok(Verdict::allow().finding(note(format!(
                "model `{model}` is not routable; left as requested"
            ))));
        }
        let pinned_meta = input
            .meta("pinned-model")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        if (s.respect_pinned && pinned_meta) || s.pinned_models.contains(&lower) {
            return Ok(
                Verdict::allow().finding(note(format!("model `{model}` is pinned; not rerouted")))
            );
        }

        let tools = input
            .meta("tools-offered")
            .and_then(|v| v.trim().parse::<u32>().ok())
            .unwrap_or(0);
        let c = complexity::assess(&input.messages, tools);
        let mut budget_note = String::new();
        let remaining = match input.meta("budget-remaining-usd") {
            Some(v) => {
                let d = parse_decimal(v);
                if d.is_none() {
                    budget_note = "; budget-remaining-usd unreadable, budget ignored".into();
                }
                d
            }
            None => None,
        };
        let limit = input.meta("budget-limit-usd").and_then(parse_decimal);
        let requested = s.tiers.iter().position(|t| t.model.to_lowercase() == lower);
        let d = self.decide(c.score, c.tokens, remaining, limit, requested);
        let tier = &s.tiers[d.tier];

        let signals = if c.signals.is_empty() {
            "none".to_string()
        } else {
            c.signals.join(", ")
        };
        let mut detail = format!(
            "complexity {:.2} (signals: {signals}; ~{} input tokens{}) -> tier {} (`{}`); est. cost ${}",
            c.score,
            c.tokens,
            if tools > 0 {
                format!(", {tools} tools")
            } else {
                String::new()
            },
            tier.name,
            tier.model,
            d.cost.round_dp(6).normalize(),
        );
        if let Some(rem) = remaining {
            detail.push_str(&format!("; budget ${} remaining", rem.normalize()));
            if d.cost > rem {
                detail.push_str(" (even the cheapest tier exceeds it)");
            }
        }
        match d.step_down {
            Some(why) => detail.push_str(&format!(
                "; stepped down from {} because the {why}",
                s.tiers[d.wanted].name
            )),
            None => detail.push_str("; no budget step-down"),
        }
        detail.push_str(&budget_note);

        let verdict = if tier.model.eq_ignore_ascii_case(model) && tier.upstream.is_none() {
            detail.push_str("; already the requested model");
            Verdict::allow()
        } else {
            Verdict::route(Some(tier.model.clone()), tier.upstream.clone())
        };
        Ok(verdict.finding(note(detail)).score(c.score as f32))
    }
}

#[cfg(not(feature = "library"))]
warden_sdk::export_policy!(Router);

#[cfg(test)]
mod tests {
    use super::*;
    use warden_sdk::{Action, Route};

    fn run(config: &str, model: &str, text: &str, meta: &[(&str, &str)]) -> Verdict {
        let mut input = Input::request(text);
        input.model = model.into();
        input.metadata = meta
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Router::configure(config).unwrap().evaluate(&input).unwrap()
    }

    fn routed_to(v: &Verdict) -> Option<&str> {
        match &v.action {
            Action::Route(Route { model, .. }) => model.as_deref(),
            _ => None,
        }
    }

    const HARD: &str = "Prove rigorously, step by step, that the theorem holds for every n.";

    #[test]
    fn routes_auto_by_complexity() {
        assert_eq!(
            routed_to(&run("{}", "auto", "hi", &[])),
            Some("gpt-4o-mini")
        );
        let v = run("{}", "auto", HARD, &[]);
        assert_eq!(routed_to(&v), Some("o1"));
        let f = &v.findings[0];
        assert_eq!(
            (f.rule.as_str(), f.category.as_str(), f.severity),
            ("router.decision", "routing", Severity::Info)
        );
        assert!(
            f.detail.contains("tier large") && f.detail.contains("no budget step-down"),
            "{}",
            f.detail
        );
        let mid = run(
            "{}",
            "auto",
            "Debug this please:\n```\nTraceback (most recent call last):\n```",
            &[],
        );
        assert_eq!(routed_to(&mid), Some("gpt-4o"));
    }

    #[test]
    fn same_model_is_allowed_with_a_finding() {
        let v = run("{}", "gpt-4o-mini", "hi", &[]);
        assert_eq!(v.action, Action::Allow);
        assert!(v.findings[0].detail.contains("already the requested model"));
        // Downgrades an over-powered request, upgrades unless told not to.
        assert_eq!(routed_to(&run("{}", "o1", "hi", &[])), Some("gpt-4o-mini"));
        assert_eq!(routed_to(&run("{}", "gpt-4o-mini", HARD, &[])), Some("o1"));
        assert_eq!(
            run(r#"{"allow_upgrade":false}"#, "gpt-4o-mini", HARD, &[]).action,
            Action::Allow
        );
    }

    #[test]
    fn pinned_and_unroutable_models_are_left_alone() {
        assert_eq!(
            run("{}", "o1", "hi", &[("pinned-model", "true")]).action,
            Action::Allow
        );
        assert_eq!(
            routed_to(&run(
                r#"{"respect_pinned":false}"#,
                "o1",
                "hi",
                &[("pinned-model", "true")]
            )),
            Some("gpt-4o-mini")
        );
        assert_eq!(
            run(r#"{"pinned_models":["O1"]}"#, "o1", "hi", &[]).action,
            Action::Allow
        );
        assert_eq!(run("{}", "claude-3-opus", "hi", &[]).action, Action::Allow);
        assert_eq!(
            run(r#"{"only_models":["gpt-4o"]}"#, "auto", "hi", &[]).action,
            Action::Allow
        );
        assert_eq!(
            routed_to(&run(r#"{"only_models":["gpt-4o"]}"#, "gpt-4o", "hi", &[])),
            Some("gpt-4o-mini")
        );
    }

    #[test]
    fn budget_steps_down() {
        // Low absolute budget: one tier down.
        let v = run("{}", "auto", HARD, &[("budget-remaining-usd", "0.50")]);
        assert_eq!(routed_to(&v), Some("gpt-4o"));
        assert!(
            v.findings[0]
                .detail
                .contains("stepped down from large because the remaining budget is low")
        );
        // Low relative to the limit.
        let v = run(
            "{}",
            "auto",
            HARD,
            &[("budget-remaining-usd", "15"), ("budget-limit-usd", "100")],
        );
        assert_eq!(routed_to(&v), Some("gpt-4o"));
        // Plenty left: no step.
        assert_eq!(
            routed_to(&run(
                "{}",
                "auto",
                HARD,
                &[("budget-remaining-usd", "50"), ("budget-limit-usd", "100")]
            )),
            Some("o1")
        );
        // Cost does not fit: o1 costs ~0.0302 for 500 output tokens.
        let cfg = r#"{"low_budget_usd":"0"}"#;
        assert_eq!(
            routed_to(&run(cfg, "auto", HARD, &[("budget-remaining-usd", "0.02")])),
            Some("gpt-4o")
        );
        assert_eq!(
            routed_to(&run(
                cfg,
                "auto",
                HARD,
                &[("budget-remaining-usd", "0.001")]
            )),
            Some("gpt-4o-mini")
        );
        let v = run(cfg, "auto", HARD, &[("budget-remaining-usd", "0")]);
        assert_eq!(routed_to(&v), Some("gpt-4o-mini"));
        assert!(v.findings[0].detail.contains("even the cheapest"));
        // Unreadable budgets are ignored, and said so.
        let v = run("{}", "auto", HARD, &[("budget-remaining-usd", "plenty")]);
        assert_eq!(routed_to(&v), Some("o1"));
        assert!(v.findings[0].detail.contains("unreadable"));
    }

    #[test]
    fn tiers_can_name_upstreams() {
        let cfg =
            r#"{"tiers":[{"name":"local","model":"mock","max_score":1,"upstream":"ollama"}]}"#;
        let v = run(cfg, "auto", "hi", &[]);
        assert_eq!(
            v.action,
            Action::Route(Route {
                model: Some("mock".into()),
                upstream: Some("ollama".into())
            })
        );
    }
}
