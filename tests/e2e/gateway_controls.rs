//! `warden serve` with `[rate_limits]`, `[budgets]` and the admin API: the
//! real binary between a client and the fake provider.

use serde_json::{Value, json};

use crate::gateway::{LAX, PATHS, STRICT, TIMEOUT, call, chat, config, error_type};
use crate::gateway_support::*;

/// The shared test config plus extra sections.
fn with(up: &Upstream, extra: &str) -> String {
    format!("{}\n{extra}\n", config(up, TIMEOUT))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_refuses_the_third_request_with_retry_after() {
    let up = Upstream::start().await;
    let s = Server::start(&with(&up, "[rate_limits]\ntenant = { rpm = 2 }\n"));
    let path = PATHS[0];
    for i in 0..2 {
        let r = call(&s, path, LAX, &chat(path, "hello", false)).await;
        assert_eq!(r.status, 200, "request {i}: {}", r.text());
    }
    let r = call(&s, path, LAX, &chat(path, "hello", false)).await;
    assert_eq!(r.status, 429, "{}", r.text());
    let secs: u64 = r
        .header("retry-after")
        .expect("Retry-After header")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&secs), "{secs}");
    let v = r.json();
    assert_eq!(error_type(path, &v), "rate_limit_exceeded", "{v}");
    assert_eq!(v["error"]["code"], "rate_limit_exceeded");
    // Anthropic shape for the same tenant (its bucket is still empty).
    let a = PATHS[1];
    let r = call(&s, a, LAX, &chat(a, "hello", false)).await;
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.header("retry-after").is_some());
    assert_eq!(error_type(a, &r.json()), "rate_limit_error");
    // Another tenant is not affected.
    let r = call(&s, path, STRICT, &chat(path, "hello", false)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(up.received().len(), 3);
    let m = s.metrics().await;
    assert!(
        m.contains("warden_rate_limited_total{tenant=\"lax\"} 2"),
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_budget_allows_two_calls_then_refuses() {
    let up = Upstream::start().await;
    // The fake provider reports 7 + 5 tokens: 0.012 USD at 1 USD per 1k tokens.
    // The estimate is 2 input + 10 output tokens: 0.012 USD. Limit 0.03: two fit.
    let s = Server::start(&with(
        &up,
        r#"
[prices."gpt-test"]
input = "1"
output = "1"
[budgets.tenants.lax]
tenant = { limit_usd = "0.03", period = "monthly" }
"#,
    ));
    let path = PATHS[0];
    let body = json!({"model": "gpt-test", "max_tokens": 10, "messages": [{"role": "user", "content": "hello"}]});
    for i in 0..2 {
        let r = call(&s, path, LAX, &body).await;
        assert_eq!(r.status, 200, "call {i}: {}", r.text());
    }
    let r = call(&s, path, LAX, &body).await;
    assert_eq!(r.status, 429, "{}", r.text());
    let v = r.json();
    assert_eq!(v["error"]["type"], "budget_exceeded", "{v}");
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("tenant `lax` monthly budget of 0.03 USD"),
        "{msg}"
    );
    assert_eq!(
        up.received().len(),
        2,
        "the refused call never reached the upstream"
    );
    // Tenants without a budget are not limited.
    let r = call(&s, path, STRICT, &body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let m = s.metrics().await;
    assert!(
        m.contains("warden_cost_usd_total{model=\"gpt-test\",tenant=\"lax\"} 0.024"),
        "{m}"
    );
    assert!(
        m.contains("warden_budget_utilisation_ratio{scope=\"tenant\",tenant=\"lax\"} 0.8"),
        "{m}"
    );
}

/// The model the fake provider got for an `auto` request under a tenant budget.
async fn routed_model(limit: &str) -> String {
    let up = Upstream::start().await;
    let cfg = format!(
        r#"
[server]
{TIMEOUT}
default_upstream = "openai"
[upstreams.openai]
base_url = "{url}/v1"
[policies.router]
source = "builtin:router"
[tenants.default.chain]
request = ["router"]
[budgets.default]
tenant = {{ limit_usd = "{limit}" }}
"#,
        url = up.url()
    );
    let s = Server::start(&cfg);
    let hard = "Prove rigorously, step by step, that the algorithm below is correct, analyze its complexity \
                and refactor it:\n```rust\nfn f(v: &mut Vec<i32>) { v.sort(); v.dedup(); }\n```";
    let body =
        json!({"model": "auto", "max_tokens": 50, "messages": [{"role": "user", "content": hard}]});
    let r = s.post("/v1/chat/completions", body.to_string(), &[]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let got = up.received();
    got[0].body["model"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_router_picks_a_cheaper_model_when_the_budget_is_low() {
    let rich = routed_model("100.00").await;
    let poor = routed_model("0.50").await;
    assert_ne!(rich, poor, "a low budget steps the router down");
    let prices = warden::budget::PriceTable::default();
    let usage = warden::budget::Usage {
        input_tokens: 1000,
        output_tokens: 1000,
    };
    assert!(
        prices.cost(&poor, usage).unwrap() < prices.cost(&rich, usage).unwrap(),
        "{poor} is cheaper than {rich}"
    );
}

const ADMIN: &str = "admin-secret-test-token";

fn admin_config(up: &Upstream) -> String {
    let tok = std::env::temp_dir().join(format!("warden-admin-token-{}", std::process::id()));
    std::fs::write(&tok, format!("{ADMIN}\n")).unwrap();
    config(
        up,
        &format!("{TIMEOUT}\nadmin_token_file = {:?}", tok.to_str().unwrap()),
    )
}

fn bearer(t: &str) -> String {
    format!("Bearer {t}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_api_needs_the_admin_token() {
    let up = Upstream::start().await;
    // Off without a token: 404.
    let s = Server::start(&config(&up, TIMEOUT));
    assert_eq!(s.get("/admin/tenants", &[]).await.status, 404);
    drop(s);

    let s = Server::start(&admin_config(&up));
    assert_eq!(s.get("/admin/tenants", &[]).await.status, 401);
    let wrong = bearer("nope");
    assert_eq!(
        s.get("/admin/tenants", &[("authorization", &wrong)])
            .await
            .status,
        401
    );
    // A tenant's API key never reaches the admin API.
    let tenant = bearer(LAX);
    let r = s.get("/admin/tenants", &[("authorization", &tenant)]).await;
    assert_eq!(r.status, 401, "{}", r.text());
    let ok = bearer(ADMIN);
    let r = s.get("/admin/tenants", &[("authorization", &ok)]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let strict = v["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tenant"] == "strict")
        .unwrap();
    assert_eq!(strict["chain"]["request"], json!(["topics", "tag"]));
    assert_eq!(strict["chain"]["tool-call"], json!(["nope"]));
    assert!(strict["version"].as_u64().is_some());
    let r = s.get("/admin/spend", &[("authorization", &ok)]).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

async fn put_chain(s: &Server, tenant: &str, body: &Value) -> Reply {
    let ok = bearer(ADMIN);
    send(
        s.addr,
        "PUT",
        &format!("/admin/tenants/{tenant}/chain"),
        body.to_string().into(),
        &[("authorization", &ok)],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_chain_swap_changes_behaviour_and_a_bad_one_changes_nothing() {
    let up = Upstream::start().await;
    let s = Server::start(&admin_config(&up));
    let path = PATHS[0];
    let crypto = chat(path, "Tell me about crypto coins", false);
    assert_eq!(call(&s, path, LAX, &crypto).await.status, 200);

    // Unknown policy: 400 with the reason; the old chain keeps serving.
    let r = put_chain(&s, "lax", &json!({"request": ["ok", "no-such-policy"]})).await;
    assert_eq!(r.status, 400, "{}", r.text());
    let msg = r.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(msg.contains("no-such-policy"), "{msg}");
    let r = put_chain(
        &s,
        "lax",
        &json!({"request": [{"policy": "ok", "bogus": 1}]}),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(call(&s, path, LAX, &crypto).await.status, 200);
    assert_eq!(put_chain(&s, "ghost", &json!({})).await.status, 404);

    // A good swap: banned topics now deny for `lax`.
    let r = put_chain(
        &s,
        "lax",
        &json!({"request": ["topics"], "tool-call": [{"policy": "ok", "failure_mode": "allow"}]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["version"].as_u64().is_some());
    let r = call(&s, path, LAX, &crypto).await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(
        call(&s, path, LAX, &chat(path, "hello", false))
            .await
            .status,
        200
    );

    // Reload restores the file's chains.
    let ok = bearer(ADMIN);
    let r = s.post("/admin/reload", "", &[("authorization", &ok)]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(call(&s, path, LAX, &crypto).await.status, 200);
}

#[test]
fn a_bad_data_dir_fails_serve_at_start() {
    let dir = std::env::temp_dir().join(format!("warden-bad-data-{}", std::process::id()));
    std::fs::write(&dir, "a file, not a directory").unwrap();
    let cfg = dir.with_extension("toml");
    std::fs::write(
        &cfg,
        format!(
            "[store]\ndata_dir = {:?}\n[tenants.default.chain]\nrequest = []\n",
            dir.join("sub").to_str().unwrap()
        ),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warden"))
        .args([
            "serve",
            "--config",
            cfg.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&dir);
    let _ = std::fs::remove_file(&cfg);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("data directory"), "{err}");
}
