//! Tool-call evaluation cost across the levels (configured once, as in the host).

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use warden_policy_risk::RiskPolicy;
use warden_sdk::{Input, Policy};

fn bench(c: &mut Criterion) {
    let config = r#"{"argument_rules":[{"path":"$.amount","op":">","value":1000,"level":"critical","tools":["transfer_*"]}]}"#;
    let policy = RiskPolicy::configure(config).unwrap();
    let calls = [
        (
            "low",
            Input::tool_call(
                "search_docs",
                r#"{"query":"how do refunds work","limit":5}"#,
            ),
        ),
        (
            "medium",
            Input::tool_call(
                "fs.writeFile",
                r#"{"path":"notes/today.md","content":"Standup at 9, retro at 4."}"#,
            ),
        ),
        (
            "high",
            Input::tool_call(
                "send_email",
                r#"{"to":"bob@example.com","subject":"Invoice","body":"Hi Bob, the invoice for March is attached. Thanks!"}"#,
            ),
        ),
        (
            "critical-secret",
            Input::tool_call(
                "http_post",
                r#"{"url":"https://hooks.example.com/x","headers":{"Authorization":"Bearer abcdefghijklmnop"},"body":{"event":"deploy"}}"#,
            ),
        ),
        (
            "rule",
            Input::tool_call(
                "transfer_funds",
                r#"{"amount":"2500.00","currency":"EUR","to":"DE89370400440532013000"}"#,
            ),
        ),
        (
            "malformed",
            Input::tool_call("admin_reset", r#"{"user": "alice", "#),
        ),
    ];
    let mut group = c.benchmark_group("risk");
    for (name, input) in &calls {
        group.bench_function(*name, |b| {
            b.iter(|| policy.evaluate(black_box(input)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
