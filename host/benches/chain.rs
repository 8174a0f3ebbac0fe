//! One chain evaluation of the embedded default's four built-in policies on the
//! canonical ~2 KB chat request (`tests/fixtures/chat-2k.json`), request phase
//! (injection, pii, router) and tool-call phase (risk), and each policy alone.
//! Target: the four-policy evaluation under 100 µs median through the host.
//!
//! Run with `cargo bench -p warden --bench chain`.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use warden::Warden;
use warden::chain::StateBag;
use warden::config::Config;
use warden_sdk::{Input, Message, Phase};

fn chat_2k() -> Input {
    let body: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/fixtures/chat-2k.json"))
            .expect("fixture is JSON");
    let messages = body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            Message::new(
                m["role"].as_str().unwrap().parse().unwrap(),
                m["content"].as_str().unwrap(),
            )
        })
        .collect();
    let mut input = Input::new(Phase::Request, messages);
    input.model = body["model"].as_str().unwrap().into();
    input
}

fn default_chain(c: &mut Criterion) {
    // The embedded default, with a generous time limit: this measures speed, and a
    // busy 2-core machine can deschedule a thread for longer than the 50 ms default.
    let toml = format!(
        "[defaults]\ntimeout_ms = 2000\n{}",
        warden::config::EMBEDDED_DEFAULT
    );
    let config = Config::from_toml(&toml, std::path::Path::new(".")).expect("valid config");
    let w = Warden::start(config).expect("embedded default starts");
    let input = chat_2k();
    let chain = w.chain("default").unwrap();
    c.bench_function("default_chain/request_2k", |b| {
        b.iter(|| chain.evaluate(Phase::Request, input.clone(), &mut StateBag::new()))
    });
    let mut response = input.clone();
    response.messages = vec![Message::new(
        warden_sdk::Role::Assistant,
        input.messages[1].content.clone(),
    )];
    c.bench_function("default_chain/response", |b| {
        b.iter(|| chain.evaluate(Phase::Response, response.clone(), &mut StateBag::new()))
    });
    let tool = Input::tool_call(
        "send_email",
        r#"{"to":"ops@example.com","subject":"weekly report","body":"attached"}"#,
    );
    c.bench_function("default_chain/tool_call", |b| {
        b.iter(|| chain.evaluate(Phase::ToolCall, tool.clone(), &mut StateBag::new()))
    });
    let four: Vec<_> = ["injection", "pii", "router"]
        .iter()
        .map(|n| {
            chain
                .policies(Phase::Request)
                .iter()
                .find(|p| &*p.name == *n)
                .unwrap()
                .clone()
        })
        .chain(chain.policies(Phase::ToolCall).iter().cloned())
        .collect();
    c.bench_function("four_policies/2k", |b| {
        b.iter(|| {
            for p in &four[..3] {
                p.evaluate(&input).unwrap();
            }
            four[3].evaluate(&tool).unwrap();
        })
    });
    // Each policy alone through the host (same inputs), to see where the chain's time goes.
    for p in &four {
        let input = if p.handles(Phase::ToolCall) {
            &tool
        } else {
            &input
        };
        c.bench_function(&format!("policy/{}", p.name), |b| {
            b.iter(|| p.evaluate(input).unwrap())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = default_chain
}
criterion_main!(benches);
