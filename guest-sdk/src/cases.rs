//! Labelled test cases: the JSON-lines format read by `warden policy test`,
//! and the same cases run natively in a policy's own `cargo test`.
//!
//! One JSON object per line:
//! `{"id", "category", "text" | "messages", "role", "phase", "model",
//!   "metadata", "tool": {"name", "arguments"}, "config", "expect", "entities"}`.
//! Only `expect` (an action name) is required. `text` is one message with
//! `role` (default `user`, or `assistant` in the response phase); the phase
//! defaults to `tool-call` when `tool` is set, else `request`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{Input, Message, Phase, Policy, Role, ToolCall};

/// One labelled case.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    /// Case id, for reports.
    #[serde(default)]
    pub id: Option<String>,
    /// Category, for per-category figures.
    #[serde(default)]
    pub category: Option<String>,
    /// A single message's text.
    #[serde(default)]
    pub text: Option<String>,
    /// Role of `text`.
    #[serde(default)]
    pub role: Option<String>,
    /// Messages (before `text`, if both are given).
    #[serde(default)]
    pub messages: Vec<Message>,
    /// Phase name.
    #[serde(default)]
    pub phase: Option<String>,
    /// Model name (default `mock`).
    #[serde(default)]
    pub model: Option<String>,
    /// Request metadata.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// Tool call (tool-call phase).
    #[serde(default)]
    pub tool: Option<ToolCall>,
    /// Config JSON for this case (default: the runner's).
    #[serde(default)]
    pub config: Option<serde_json::Value>,
    /// Expected action name.
    pub expect: String,
    /// Labelled spans, for span-level figures.
    #[serde(default)]
    pub entities: Option<Vec<Entity>>,
}

/// A labelled span: `type` and byte range in message `message` (default 0).
#[derive(Debug, Clone, Deserialize)]
pub struct Entity {
    /// Entity type, compared with the part of a finding's rule after its first dot.
    #[serde(rename = "type")]
    pub kind: String,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// Message index.
    #[serde(default)]
    pub message: u32,
}

impl Case {
    /// Parse a JSON-lines file's text; blank lines and `//` lines are skipped.
    /// Errors name the 1-based line.
    pub fn parse_lines(text: &str) -> Result<Vec<(usize, Case)>, String> {
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with("//") {
                continue;
            }
            let case = serde_json::from_str(t)
                .map_err(|e| format!("line {}: not a valid case: {e}", i + 1))?;
            out.push((i + 1, case));
        }
        Ok(out)
    }

    /// The case's id, or `line N`.
    pub fn name(&self, line: usize) -> String {
        self.id.clone().unwrap_or_else(|| format!("line {line}"))
    }

    /// The config JSON to use: the case's own, else `default`.
    pub fn config_json(&self, default: &str) -> String {
        self.config
            .as_ref()
            .map_or_else(|| default.to_string(), |c| c.to_string())
    }

    /// The input this case describes.
    pub fn input(&self) -> Result<Input, String> {
        let phase: Phase = match &self.phase {
            Some(p) => p.parse()?,
            None if self.tool.is_some() => Phase::ToolCall,
            None => Phase::Request,
        };
        let mut messages = self.messages.clone();
        if let Some(t) = &self.text {
            let role: Role = match &self.role {
                Some(r) => r.parse()?,
                None if phase == Phase::Response => Role::Assistant,
                None => Role::User,
            };
            messages.push(Message::new(role, t.clone()));
        }
        let mut input = Input::new(phase, messages);
        if let Some(m) = &self.model {
            input.model = m.clone();
        }
        input.metadata = self
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        input.tool_call = self.tool.clone();
        Ok(input)
    }
}

/// Run every case of `jsonl` through `P` natively (configured with each case's
/// config, else `{}`) and return one line per case whose action differs from
/// `expect`, plus the number of cases. For a policy's own `cargo test`:
///
/// ```ignore
/// let (n, failures) = warden_sdk::cases::run::<MyPolicy>(include_str!("../cases.jsonl"));
/// assert!(failures.is_empty(), "{failures:#?}");
/// ```
pub fn run<P: Policy>(jsonl: &str) -> (usize, Vec<String>) {
    let cases = match Case::parse_lines(jsonl) {
        Ok(c) => c,
        Err(e) => return (0, vec![e]),
    };
    let mut failures = Vec::new();
    for (line, case) in &cases {
        let name = case.name(*line);
        let outcome = P::configure(&case.config_json("{}"))
            .map_err(|e| format!("config refused: {e}"))
            .and_then(|p| p.evaluate(&case.input()?));
        match outcome {
            Ok(v) if v.action.name() == case.expect => {}
            Ok(v) => failures.push(format!("{name}: expected {}, got {:?}", case.expect, v)),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    (cases.len(), failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_inputs_with_the_documented_defaults() {
        let cases = Case::parse_lines(
            "{\"text\":\"hi\",\"expect\":\"allow\"}\n\n// comment\n\
             {\"tool\":{\"name\":\"rm\",\"arguments\":\"{}\"},\"expect\":\"deny\"}\n\
             {\"phase\":\"response\",\"text\":\"ok\",\"model\":\"m\",\"expect\":\"allow\"}\n",
        )
        .unwrap();
        assert_eq!(cases.len(), 3);
        let i = cases[0].1.input().unwrap();
        assert_eq!(
            (i.phase, i.messages[0].role, i.model.as_str()),
            (Phase::Request, Role::User, "mock")
        );
        assert_eq!(cases[1].1.input().unwrap().phase, Phase::ToolCall);
        let r = cases[2].1.input().unwrap();
        assert_eq!(
            (r.messages[0].role, r.model.as_str()),
            (Role::Assistant, "m")
        );
        assert!(
            Case::parse_lines("{\"text\":1}")
                .unwrap_err()
                .starts_with("line 1")
        );
    }
}
