//! The shared table of cases (`tests/fixtures/filter-cases.json`): each case
//! runs through the component form (the host library), the single-policy filter
//! and the chain filter configured with the same policy config (both in Envoy),
//! and the decisions must agree, down to the rewritten text, the routed model
//! and the deny code.

use std::path::Path;

use serde::Deserialize;
use serde_json::{Value, json};
use warden::Warden;
use warden::chain::StateBag;
use warden::config::Config;
use warden_sdk::{Input, Message, Phase, ToolCall};

use crate::support::envoy::{self, Envoy, Filter, Upstream};

#[derive(Debug, Clone, Deserialize)]
struct Case {
    name: String,
    policy: String,
    config: Value,
    api: String,
    model: String,
    #[serde(default)]
    text: String,
    #[serde(default = "request_phase")]
    phase: String,
    #[serde(default)]
    tool: Option<ToolCall>,
    expect: String,
}

fn request_phase() -> String {
    "request".into()
}

fn cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/filter-cases.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).expect("valid filter cases")
}

/// (component source for warden.toml, filter module) of a policy in the table.
fn forms(policy: &str) -> (String, &'static str) {
    match policy {
        "injection" => (
            "builtin:injection".into(),
            warden_artifacts::INJECTION_FILTER,
        ),
        "pii" => ("builtin:pii".into(), warden_artifacts::PII_FILTER),
        "risk" => ("builtin:risk".into(), warden_artifacts::RISK_FILTER),
        "router" => ("builtin:router".into(), warden_artifacts::ROUTER_FILTER),
        "banned-topics" => (
            warden_artifacts::CUSTOM_BANNED_TOPICS.into(),
            warden_artifacts::CUSTOM_BANNED_TOPICS_FILTER,
        ),
        other => panic!("unknown policy {other} in filter-cases.json"),
    }
}

/// The component form: a Warden whose `default` tenant runs just this policy.
fn component(case: &Case) -> Warden {
    let (source, _) = forms(&case.policy);
    let chain = if case.phase == "tool-call" {
        "tool-call"
    } else {
        "request"
    };
    let config: toml::Table = serde_json::from_value(case.config.clone()).unwrap();
    let mut policy = toml::Table::new();
    policy.insert("source".into(), source.into());
    policy.insert("config".into(), config.into());
    let mut chains = toml::Table::new();
    chains.insert(chain.into(), toml::Value::Array(vec!["p".into()]));
    let doc = json!({"policies": {"p": policy}, "tenants": {"default": {"chain": chains}}});
    let doc: toml::Table = serde_json::from_value(doc).unwrap();
    let text = toml::to_string(&doc).unwrap();
    Warden::start(Config::from_toml(&text, Path::new("/")).expect("valid config")).expect("starts")
}

/// The decision of the component form, with what it would send on: (action, text or model).
fn component_decision(w: &Warden, case: &Case) -> (String, String) {
    let mut input = Input::new(Phase::Request, vec![Message::user(&case.text)]);
    input.model = case.model.clone();
    input.metadata = vec![
        ("api".into(), case.api.clone()),
        ("stream".into(), "false".into()),
    ];
    let phase = if case.phase == "tool-call" {
        input.phase = Phase::ToolCall;
        input.messages.clear();
        input.metadata.truncate(1);
        input.tool_call = case.tool.clone();
        Phase::ToolCall
    } else {
        Phase::Request
    };
    let out = w
        .evaluate("default", phase, input, &mut StateBag::new())
        .unwrap();
    let detail = match out.action {
        "modify" => out.messages.last().unwrap().content.clone(),
        "route" => out.model.clone(),
        // Only the OpenAI error shape carries the code (as in `warden serve`).
        "deny" if case.api == "openai" => out
            .deny
            .as_ref()
            .and_then(|d| d.code.clone())
            .unwrap_or_else(|| "policy_violation".into()),
        _ => String::new(),
    };
    (out.action.to_string(), detail)
}

/// The decision of the filter form, read off the HTTP exchange.
fn filter_decision(envoy: &Envoy, up: &Upstream, case: &Case) -> (String, String) {
    let text = match &case.tool {
        Some(t) => format!("TOOL {} {}", t.name, t.arguments),
        None => case.text.clone(),
    };
    let before = up.received().len();
    let reply = envoy.chat(&case.api, &case.model, &text);
    let reached = up.received().len() > before;
    let code = |r: &envoy::Reply| {
        let j = r.json();
        j["error"]["code"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_default()
    };
    let approval = |r: &envoy::Reply| {
        r.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains(": human approval required")
    };
    match reply.status {
        403 if approval(&reply) => ("require-approval".into(), String::new()),
        403 => {
            assert!(
                !reached || case.phase == "tool-call",
                "{}: denied request reached upstream",
                case.name
            );
            ("deny".into(), code(&reply))
        }
        200 => {
            let sent = up.last().json();
            let (_, original) = envoy::chat_request(&case.api, &case.model, &text);
            let got = sent["messages"][0]["content"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            if sent["messages"] != original["messages"] {
                ("modify".into(), got)
            } else if sent["model"] != original["model"] {
                assert_eq!(up.last().header("x-warden-model"), sent["model"].as_str());
                ("route".into(), sent["model"].as_str().unwrap().into())
            } else {
                ("allow".into(), String::new())
            }
        }
        s => panic!("{}: unexpected status {s}: {}", case.name, reply.text()),
    }
}

#[test]
fn filter_and_component_forms_decide_the_same_on_the_shared_cases() {
    let Some(bin) = envoy::binary() else { return };
    let cases = cases();
    let mut i = 0;
    while i < cases.len() {
        // Consecutive cases with the same policy and config share one Envoy.
        let first = &cases[i];
        let group: Vec<&Case> = cases[i..]
            .iter()
            .take_while(|c| c.policy == first.policy && c.config == first.config)
            .collect();
        i += group.len();
        let up = Upstream::start();
        let (_, module) = forms(&first.policy);
        let filter = Filter::new(
            &format!("warden-{}", first.policy),
            module,
            &first.config.to_string(),
        );
        let envoy = Envoy::start(&bin, &envoy::config(&[filter], up.port()));
        // The chain filter, configured with the same policy config, for the
        // built-in policies (a custom policy is not linked into it).
        let chain = (first.policy != "banned-topics").then(|| {
            let config = json!({"policies": [{"policy": first.policy, "config": first.config}]});
            let filter = Filter::new(
                "warden-chain",
                warden_artifacts::CHAIN_FILTER,
                &config.to_string(),
            );
            Envoy::start(&bin, &envoy::config(&[filter], up.port()))
        });
        for case in group {
            let w = component(case);
            let want = component_decision(&w, case);
            let got = filter_decision(&envoy, &up, case);
            assert_eq!(want.0, case.expect, "{}: component form", case.name);
            assert_eq!(got, want, "{}: filter form vs component form", case.name);
            if let Some(chain) = &chain {
                let got = filter_decision(chain, &up, case);
                assert_eq!(got, want, "{}: chain filter vs component form", case.name);
            }
        }
    }
}
