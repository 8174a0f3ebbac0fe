//! Tenant configuration of `builtin:risk`, validated into ready-to-run [`Settings`].
//!
//! ```json
//! {
//!   "tools": {"critical": ["admin_*"], "low": ["search_docs"]},
//!   "argument_rules": [{"path": "$.amount", "op": ">", "value": 1000, "level": "critical",
//!                       "tools": ["transfer_*"]}],
//!   "actions": {"medium": "allow", "critical": "deny"},
//!   "builtin_rules": true,
//!   "sensitive_arguments": true
//! }
//! ```
//! Every key is optional; `{}` gives the documented defaults. Errors name the
//! dotted key (`argument_rules[0].op`, `tools.critical[2]`).

use serde::Deserialize;
use warden_sdk::{ConfigError, parse_config};

use crate::glob;
use crate::level::Level;
use crate::rules::{Op, Operand, Path};
use crate::sensitive::Detector;

/// What to do with a call of a given level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Let it through silently.
    Allow,
    /// Let it through, reporting the findings.
    AllowWithFinding,
    /// Hold it for a human (critical = two approvers, enforced by the host).
    RequireApproval,
    /// Refuse it.
    Deny,
}

/// Tool lists per level: exact names or `*`/`?` globs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ToolLists {
    #[serde(default)]
    critical: Vec<String>,
    #[serde(default)]
    high: Vec<String>,
    #[serde(default)]
    medium: Vec<String>,
    #[serde(default)]
    low: Vec<String>,
}

/// Actions per level. Defaults: allow, allow-with-finding, require-approval ×2.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actions {
    /// Default `allow`.
    #[serde(default = "allow")]
    pub low: Action,
    /// Default `allow-with-finding`.
    #[serde(default = "allow_with_finding")]
    pub medium: Action,
    /// Default `require-approval` (level high).
    #[serde(default = "require_approval")]
    pub high: Action,
    /// Default `require-approval` (level critical: two approvers).
    #[serde(default = "require_approval")]
    pub critical: Action,
}

fn allow() -> Action {
    Action::Allow
}
fn allow_with_finding() -> Action {
    Action::AllowWithFinding
}
fn require_approval() -> Action {
    Action::RequireApproval
}
fn yes() -> bool {
    true
}

impl Default for Actions {
    fn default() -> Self {
        Self {
            low: allow(),
            medium: allow_with_finding(),
            high: require_approval(),
            critical: require_approval(),
        }
    }
}

impl Actions {
    /// The action for `level`.
    pub fn for_level(&self, level: Level) -> Action {
        match level {
            Level::Low => self.low,
            Level::Medium => self.medium,
            Level::High => self.high,
            Level::Critical => self.critical,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    path: String,
    op: Op,
    value: serde_json::Value,
    level: Level,
    #[serde(default)]
    tools: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    tools: ToolLists,
    #[serde(default)]
    argument_rules: Vec<RawRule>,
    #[serde(default)]
    actions: Actions,
    #[serde(default = "yes")]
    builtin_rules: bool,
    #[serde(default = "yes")]
    sensitive_arguments: bool,
}

/// A validated argument rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Position in `argument_rules`, for finding details.
    pub index: usize,
    /// The path as configured, for finding details.
    pub path_text: String,
    /// Parsed path.
    pub path: Path,
    /// Operator.
    pub op: Op,
    /// Prepared operand.
    pub operand: Operand,
    /// Level the call rises to when the rule matches.
    pub level: Level,
    /// Tool patterns the rule applies to (empty = all tools).
    pub tools: Vec<String>,
}

/// Everything `evaluate` needs, checked once at configure time.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Exact tool names (lower-cased) with their configured level.
    pub exact: Vec<(String, Level)>,
    /// Glob patterns with their configured level.
    pub patterns: Vec<(String, Level)>,
    /// Argument rules in configured order.
    pub rules: Vec<Rule>,
    /// Action per level.
    pub actions: Actions,
    /// Whether unlisted tools are classified by the built-in name rules (else low).
    pub builtin_rules: bool,
    /// Whether sensitive arguments raise high to critical.
    pub sensitive_arguments: bool,
    /// Value detectors.
    pub detector: Detector,
}

impl Settings {
    /// Parse and validate a JSON configuration (`""` or `{}` for defaults).
    pub fn parse(json: &str) -> Result<Self, ConfigError> {
        let raw: RawConfig = parse_config(json)?;
        let mut exact = Vec::new();
        let mut patterns = Vec::new();
        let lists = [
            ("critical", Level::Critical, &raw.tools.critical),
            ("high", Level::High, &raw.tools.high),
            ("medium", Level::Medium, &raw.tools.medium),
            ("low", Level::Low, &raw.tools.low),
        ];
        for (key, level, list) in lists {
            for (i, name) in list.iter().enumerate() {
                glob::validate(name)
                    .map_err(|m| ConfigError::at(format!("tools.{key}[{i}]"), m))?;
                if glob::is_pattern(name) {
                    patterns.push((name.clone(), level));
                } else {
                    if let Some((_, other)) = exact.iter().find(|(n, _)| *n == name.to_lowercase())
                    {
                        return Err(ConfigError::at(
                            format!("tools.{key}[{i}]"),
                            format!("{name:?} is already listed as {}", Level::as_str(*other)),
                        ));
                    }
                    exact.push((name.to_lowercase(), level));
                }
            }
        }
        let mut rules = Vec::new();
        for (i, r) in raw.argument_rules.into_iter().enumerate() {
            let path = r
                .path
                .parse()
                .map_err(|m| ConfigError::at(format!("argument_rules[{i}].path"), m))?;
            let operand = Operand::new(r.op, &r.value)
                .map_err(|m| ConfigError::at(format!("argument_rules[{i}].value"), m))?;
            for (j, t) in r.tools.iter().enumerate() {
                glob::validate(t)
                    .map_err(|m| ConfigError::at(format!("argument_rules[{i}].tools[{j}]"), m))?;
            }
            rules.push(Rule {
                index: i,
                path_text: r.path,
                path,
                op: r.op,
                operand,
                level: r.level,
                tools: r.tools,
            });
        }
        Ok(Self {
            exact,
            patterns,
            rules,
            actions: raw.actions,
            builtin_rules: raw.builtin_rules,
            sensitive_arguments: raw.sensitive_arguments,
            detector: Detector::new(),
        })
    }

    /// The configured level of `name`, if listed: an exact name wins over patterns;
    /// among matching patterns the highest level wins (fail towards caution).
    pub fn listed(&self, name: &str) -> Option<Level> {
        let lower = name.to_lowercase();
        if let Some((_, l)) = self.exact.iter().find(|(n, _)| *n == lower) {
            return Some(*l);
        }
        self.patterns
            .iter()
            .filter(|(p, _)| glob::matches(p, name))
            .map(|(_, l)| *l)
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(json: &str) -> Option<String> {
        Settings::parse(json).err().and_then(|e| e.key)
    }

    #[test]
    fn defaults() {
        let s = Settings::parse("").unwrap();
        assert_eq!(s.actions.for_level(Level::Low), Action::Allow);
        assert_eq!(s.actions.for_level(Level::Medium), Action::AllowWithFinding);
        assert_eq!(
            s.actions.for_level(Level::Critical),
            Action::RequireApproval
        );
        assert!(s.builtin_rules && s.sensitive_arguments && s.rules.is_empty());
    }

    #[test]
    fn errors_name_the_key() {
        assert_eq!(
            key_of(r#"{"argument_rules":[{"path":"$.a","op":"=>","value":1,"level":"high"}]}"#)
                .as_deref(),
            Some("argument_rules[0].op")
        );
        assert_eq!(
            key_of(r#"{"argument_rules":[{"path":"a..b","op":">","value":1,"level":"high"}]}"#)
                .as_deref(),
            Some("argument_rules[0].path")
        );
        assert_eq!(
            key_of(
                r#"{"argument_rules":[{"path":"$.a","op":"matches","value":"(","level":"high"}]}"#
            )
            .as_deref(),
            Some("argument_rules[0].value")
        );
        assert_eq!(
            key_of(r#"{"argument_rules":[{"path":"$.a","op":">","value":1,"level":"severe"}]}"#)
                .as_deref(),
            Some("argument_rules[0].level")
        );
        assert_eq!(
            key_of(r#"{"tools":{"critical":["ok","bad[x]"]}}"#).as_deref(),
            Some("tools.critical[1]")
        );
        assert_eq!(
            key_of(r#"{"tools":{"severe":["x"]}}"#).as_deref(),
            Some("tools.severe")
        );
        assert_eq!(
            key_of(r#"{"actions":{"high":"maybe"}}"#).as_deref(),
            Some("actions.high")
        );
        assert_eq!(
            key_of(r#"{"tools":{"high":["x"],"low":["X"]}}"#).as_deref(),
            Some("tools.low[0]")
        );
        assert!(Settings::parse(r#"{"colour":1}"#).is_err());
    }

    #[test]
    fn exact_names_win_over_patterns() {
        let s = Settings::parse(r#"{"tools":{"critical":["admin_*"],"low":["admin_docs"],"medium":["*_draft"],"high":["send_*"]}}"#).unwrap();
        assert_eq!(s.listed("admin_reset"), Some(Level::Critical));
        assert_eq!(s.listed("Admin_Docs"), Some(Level::Low));
        assert_eq!(s.listed("send_draft"), Some(Level::High));
        assert_eq!(s.listed("search"), None);
    }
}
