//! Runs every case of `eval/cases.jsonl` through the native policy and checks its
//! `expect`, so the eval file (also used by `warden policy test`) stays true.

use serde::Deserialize;
use warden_policy_router::Router;
use warden_sdk::{Input, Message, Phase, Policy, Role, ToolCall};

#[derive(Deserialize)]
struct Case {
    id: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    messages: Vec<Msg>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    metadata: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    tool: Option<ToolCall>,
    #[serde(default)]
    config: Option<serde_json::Value>,
    expect: String,
}

#[derive(Deserialize)]
struct Msg {
    role: String,
    content: String,
}

fn input(c: &Case) -> Input {
    let phase: Phase = c.phase.as_deref().unwrap_or("request").parse().unwrap();
    let mut messages: Vec<Message> = c
        .messages
        .iter()
        .map(|m| Message::new(m.role.parse().unwrap(), m.content.clone()))
        .collect();
    if let Some(t) = &c.text {
        let role: Role = c.role.as_deref().unwrap_or("user").parse().unwrap();
        messages.push(Message::new(role, t.clone()));
    }
    let mut i = Input::new(phase, messages);
    i.model = c.model.clone().unwrap_or_else(|| "mock".into());
    i.tool_call = c.tool.clone();
    i.metadata = c
        .metadata
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    i
}

#[test]
fn every_case_holds() {
    let text = include_str!("../eval/cases.jsonl");
    let mut failures = Vec::new();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Case =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("bad case line {line}: {e}"));
        let config = case
            .config
            .as_ref()
            .map_or_else(|| "{}".to_string(), |c| c.to_string());
        let policy = Router::configure(&config)
            .unwrap_or_else(|e| panic!("{}: config refused: {e}", case.id));
        let verdict = policy.evaluate(&input(&case)).unwrap();
        if verdict.action.name() != case.expect {
            failures.push(format!(
                "{}: expected {}, got {:?}",
                case.id, case.expect, verdict
            ));
        }
        n += 1;
    }
    assert!(n >= 20, "only {n} cases");
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
