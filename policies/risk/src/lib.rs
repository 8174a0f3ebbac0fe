//! `builtin:risk`: rates every tool call an agent is about to make as low,
//! medium, high or critical, and holds the risky ones for human approval.
//!
//! The level comes from, in order:
//! 1. the tenant's `tools` lists (exact names beat globs), else the built-in
//!    name rules in [`names`] (admin/credential/security/bulk-export = critical;
//!    file deletion, SQL, email, external posts, payments, user changes = high;
//!    other state changes = medium; the rest low);
//! 2. the arguments: a high call touching secrets or personal data becomes
//!    critical ([`sensitive`]); malformed JSON is at least medium;
//! 3. the tenant's `argument_rules`, which only ever raise the level ([`rules`]).
//!
//! The level then picks an action from `actions` (defaults: low allow, medium
//! allow with findings, high and critical require approval; the host requires two
//! approvers for critical). The verdict score is level / 3.

pub mod config;
pub mod glob;
pub mod json;
pub mod level;
pub mod names;
pub mod rules;
pub mod sensitive;

use warden_sdk::{ConfigError, Finding, Input, Phase, Policy, PolicyInfo, Severity, Span, Verdict};

use crate::config::{Action, Settings};
use crate::level::Level;

/// At most this many sensitive-argument findings per call: enough to act on,
/// bounded so a huge argument blob cannot flood the host's logs.
const MAX_SENSITIVE_FINDINGS: usize = 8;

/// The configured risk policy of one tenant.
#[derive(Debug, Clone)]
pub struct RiskPolicy {
    settings: Settings,
}

/// A tool name as shown in details: bounded, since it comes from the model.
fn shown(name: &str) -> String {
    let mut s: String = name.chars().take(64).collect();
    if s.len() < name.len() {
        s.push('…');
    }
    s
}

impl RiskPolicy {
    /// The level of `name` from configuration or the built-in rules, with why.
    pub fn name_level(&self, name: &str) -> (Level, &'static str) {
        match self.settings.listed(name) {
            Some(level) => (level, "listed in the tenant's `tools`"),
            None if self.settings.builtin_rules => names::classify(name),
            None => (Level::Low, "not listed (built-in rules off)"),
        }
    }

    /// Assess one tool call: its level and the findings that explain it.
    pub fn assess(&self, name: &str, arguments: &str) -> (Level, Vec<Finding>) {
        let (mut level, why) = self.name_level(name);
        let mut reasons = vec![why.to_string()];
        let mut findings = Vec::new();
        let mut sensitive = Vec::new();

        let parsed = if arguments.trim().is_empty() {
            Ok(None)
        } else {
            json::parse(arguments).map(Some)
        };
        match &parsed {
            Ok(root) => {
                if let Some(root) = root {
                    sensitive = self.settings.detector.scan(root);
                }
            }
            Err(e) => {
                if level < Level::Medium {
                    level = Level::Medium;
                    reasons.push("arguments are not valid JSON".into());
                }
                findings.push(
                    Finding::new("risk.malformed-arguments", "risk", Severity::Medium).detail(
                        format!("tool arguments are not valid JSON ({e}); rated at least medium"),
                    ),
                );
                sensitive = self.settings.detector.scan_raw(arguments);
            }
        }

        let escalate =
            self.settings.sensitive_arguments && level == Level::High && !sensitive.is_empty();
        if escalate {
            level = Level::Critical;
            reasons.push("arguments touch secrets or personal data".into());
        }
        let severity = if escalate {
            Severity::Critical
        } else {
            Severity::Medium
        };
        findings.extend(sensitive.iter().take(MAX_SENSITIVE_FINDINGS).map(|h| {
            Finding::new("risk.sensitive-argument", "risk", severity)
                .at(Span::tool_arguments(h.start, h.end))
                .detail(h.what.clone())
        }));

        if let Ok(Some(root)) = &parsed {
            for rule in &self.settings.rules {
                if !rule.tools.is_empty() && !rule.tools.iter().any(|p| glob::matches(p, name)) {
                    continue;
                }
                let Some(hit) = rule
                    .path
                    .select(root)
                    .into_iter()
                    .find(|n| rules::test(n, rule.op, &rule.operand))
                else {
                    continue;
                };
                let (start, end) = hit.value_span();
                findings.push(
                    Finding::new("risk.argument-rule", "risk", rule.level.severity())
                        .at(Span::tool_arguments(start, end))
                        .detail(format!(
                            "argument_rules[{}] (`{}` {} …) matched: at least {}",
                            rule.index,
                            rule.path_text,
                            rule.op.as_str(),
                            rule.level.as_str()
                        )),
                );
                if rule.level > level {
                    level = rule.level;
                    reasons.push(format!("argument_rules[{}] matched", rule.index));
                }
            }
        }

        let head = Finding::new("risk.tool-level", "risk", level.severity()).detail(format!(
            "tool `{}` is {} risk: {}",
            shown(name),
            level.as_str(),
            reasons.join("; ")
        ));
        findings.insert(0, head);
        (level, findings)
    }
}

impl Policy for RiskPolicy {
    fn info() -> PolicyInfo {
        PolicyInfo::new(
            "risk",
            env!("CARGO_PKG_VERSION"),
            "rates agent tool calls low/medium/high/critical and holds risky ones for human approval",
        )
        .phases(&[Phase::ToolCall])
        .approves()
    }

    fn configure(config_json: &str) -> Result<Self, ConfigError> {
        Ok(Self {
            settings: Settings::parse(config_json)?,
        })
    }

    fn evaluate(&self, input: &Input) -> Result<Verdict, String> {
        // The host only calls us in `tool-call`; without a tool call there is nothing to rate.
        let Some(call) = &input.tool_call else {
            return Ok(Verdict::allow());
        };
        let (level, findings) = self.assess(&call.name, &call.arguments);
        let reason = format!("tool `{}` is {} risk", shown(&call.name), level.as_str());
        let verdict = match self.settings.actions.for_level(level) {
            Action::Allow => return Ok(Verdict::allow().score(level.score())),
            Action::AllowWithFinding => Verdict::allow(),
            Action::RequireApproval => Verdict::require_approval(level.risk_level(), reason),
            Action::Deny => {
                Verdict::deny_with_code(reason, format!("tool_risk_{}", level.as_str()))
            }
        };
        Ok(verdict.findings(findings).score(level.score()))
    }
}

#[cfg(not(feature = "library"))]
warden_sdk::export_policy!(RiskPolicy);

#[cfg(test)]
mod tests {
    use super::*;
    use warden_sdk::{Action as A, RiskLevel};

    fn eval(config: &str, name: &str, args: &str) -> Verdict {
        RiskPolicy::configure(config)
            .unwrap()
            .evaluate(&Input::tool_call(name, args))
            .unwrap()
    }

    #[test]
    fn default_actions_per_level() {
        let v = eval("{}", "search_docs", r#"{"q":"rust"}"#);
        assert_eq!(v.action, A::Allow);
        assert!(v.findings.is_empty());
        assert_eq!(v.score, Some(0.0));

        let v = eval("{}", "write_file", r#"{"path":"a.txt","content":"x"}"#);
        assert_eq!(v.action, A::Allow);
        assert_eq!(v.findings[0].rule, "risk.tool-level");

        let v = eval("{}", "send_email", r#"{"to":"a@b.c","body":"hello"}"#);
        assert!(matches!(v.action, A::RequireApproval(ref a) if a.level == RiskLevel::High));

        let v = eval("{}", "grant_role", r#"{"user":"bob","role":"owner"}"#);
        assert!(matches!(v.action, A::RequireApproval(ref a) if a.level == RiskLevel::Critical));
        assert_eq!(v.score, Some(1.0));
    }

    #[test]
    fn secrets_raise_high_to_critical_with_a_span() {
        let args = r#"{"to":"a@b.c","body":"the password is hunter2"}"#;
        let v = eval("{}", "send_email", args);
        assert!(matches!(v.action, A::RequireApproval(ref a) if a.level == RiskLevel::Critical));
        let f = v
            .findings
            .iter()
            .find(|f| f.rule == "risk.sensitive-argument")
            .unwrap();
        assert_eq!(&args[f.span.unwrap().range()], "password");
        assert!(v.findings.iter().all(|f| !f.detail.contains("hunter2")));
        // Medium tools are not escalated, but the finding is reported.
        let v = eval("{}", "write_file", r#"{"path":"a","api_key":"sk"}"#);
        assert_eq!(v.action, A::Allow);
        assert!(
            v.findings
                .iter()
                .any(|f| f.rule == "risk.sensitive-argument")
        );
    }

    #[test]
    fn malformed_arguments_are_at_least_medium() {
        let v = eval("{}", "search_docs", "{not json");
        assert_eq!(v.action, A::Allow);
        assert!(
            v.findings
                .iter()
                .any(|f| f.rule == "risk.malformed-arguments")
        );
        assert!((v.score.unwrap() - 1.0 / 3.0).abs() < 1e-6);
        let v = eval(r#"{"actions":{"medium":"deny"}}"#, "lookup", "[1,");
        assert_eq!(v.action.name(), "deny");
    }

    #[test]
    fn argument_rules_raise_the_level() {
        let cfg = r#"{"argument_rules":[{"path":"$.amount","op":">","value":1000,"level":"critical","tools":["transfer_*"]}]}"#;
        let args = r#"{"amount": 2500.50, "to": "acct-1"}"#;
        let v = eval(cfg, "transfer_funds", args);
        assert!(matches!(v.action, A::RequireApproval(ref a) if a.level == RiskLevel::Critical));
        let f = v
            .findings
            .iter()
            .find(|f| f.rule == "risk.argument-rule")
            .unwrap();
        assert_eq!(&args[f.span.unwrap().range()], "2500.50");
        let v = eval(cfg, "transfer_funds", r#"{"amount": 10}"#);
        assert!(matches!(v.action, A::RequireApproval(ref a) if a.level == RiskLevel::High));
        // Rules scoped to other tools do not apply.
        let v = eval(cfg, "refund", r#"{"amount": 5000}"#);
        assert!(matches!(v.action, A::RequireApproval(ref a) if a.level == RiskLevel::High));
    }

    #[test]
    fn config_lists_override_defaults() {
        let cfg = r#"{"tools":{"low":["send_email"],"critical":["search_*"]},"actions":{"critical":"deny"}}"#;
        assert_eq!(eval(cfg, "send_email", "{}").action, A::Allow);
        let v = eval(cfg, "search_docs", "{}");
        assert_eq!(v.action.name(), "deny");
        assert!(
            matches!(v.action, A::Deny(ref d) if d.code.as_deref() == Some("tool_risk_critical"))
        );
        assert_eq!(
            eval(r#"{"builtin_rules":false}"#, "delete_file", "{}").action,
            A::Allow
        );
    }

    #[test]
    fn no_tool_call_is_allowed() {
        let p = RiskPolicy::configure("{}").unwrap();
        assert_eq!(p.evaluate(&Input::request("hi")).unwrap().action, A::Allow);
    }
}
