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

/// Policies in the tests below are not about time limits: generous ones, so a
/// loaded machine cannot turn a slow evaluation into a `policy_fault`.
const GENEROUS: &str = "[defaults]\ntimeout_ms = 5000\n";

/// A `lax` chain that tags the message with `tag` (the mock model echoes what
/// it saw, so the tag shows which chain served a request).
fn tag_chain(tag: &str) -> Value {
    json!({"request": [{"policy": "tag", "config": {"mode": "tag", "tag": tag}}]})
}

/// What the mock model saw for one `hello` of tenant `lax`; `Err` for a
/// transport error or anything but a 200 with the mock's answer.
async fn mock_saw(addr: std::net::SocketAddr) -> Result<String, String> {
    let body = json!({"model": "mock", "messages": [{"role": "user", "content": "hello"}]});
    let auth = bearer(LAX);
    let r = try_send(
        addr,
        "POST",
        "/v1/chat/completions",
        body.to_string().into(),
        &[("authorization", &auth)],
    )
    .await?;
    if r.status != 200 {
        return Err(format!("HTTP {}: {}", r.status, r.text()));
    }
    let v: Value = serde_json::from_slice(&r.body).map_err(|e| format!("{e}: {}", r.text()))?;
    v["mock"]["model_saw"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("no mock.model_saw in {v}"))
}

/// Client tasks send requests continuously while the admin API replaces the
/// tenant's chain 21 times, alternating two chains: every request is answered
/// 200 by one whole chain or the other, and the last chain stays in force.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_hot_swaps_under_load_drop_no_request() {
    const CLIENTS: usize = 4;
    let up = Upstream::start().await;
    let s = Server::start(&format!("{}\n{GENEROUS}", admin_config(&up)));
    let r = put_chain(&s, "lax", &tag_chain("A")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(mock_saw(s.addr).await.as_deref(), Ok("hello [A]"));

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (addr, stop) = (s.addr, stop.clone());
        clients.push(tokio::spawn(async move {
            let (mut seen, mut failures) = (Vec::new(), Vec::new());
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                match mock_saw(addr).await {
                    Ok(saw) if saw == "hello [A]" || saw == "hello [B]" => seen.push(saw),
                    Ok(saw) => failures.push(format!("mixed or unknown chain: {saw}")),
                    Err(e) => failures.push(e),
                }
            }
            (seen, failures)
        }));
    }
    let mut last = (String::new(), 0);
    for i in 1..=21 {
        let tag = if i % 2 == 1 { "B" } else { "A" };
        let r = put_chain(&s, "lax", &tag_chain(tag)).await;
        assert_eq!(r.status, 200, "swap {i}: {}", r.text());
        let version = r.json()["version"].as_u64().expect("version");
        assert!(
            version > last.1,
            "versions increase: {version} after {}",
            last.1
        );
        last = (tag.to_string(), version);
        // The swap is in force as soon as it is acknowledged.
        assert_eq!(
            mock_saw(s.addr).await,
            Ok(format!("hello [{tag}]")),
            "after swap {i}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut answered, mut tags) = (0, std::collections::BTreeSet::new());
    for c in clients {
        let (seen, failures) = c.await.expect("client task");
        assert!(
            failures.is_empty(),
            "requests failed during swaps: {failures:?}"
        );
        answered += seen.len();
        tags.extend(seen);
    }
    assert!(answered >= 40, "only {answered} requests during the swaps");
    assert_eq!(tags.len(), 2, "clients saw only {tags:?}");

    // The final chain (B) is in force, at the version the last swap returned.
    for _ in 0..5 {
        assert_eq!(mock_saw(s.addr).await.as_deref(), Ok("hello [B]"));
    }
    let ok = bearer(ADMIN);
    let v = s
        .get("/admin/tenants", &[("authorization", &ok)])
        .await
        .json();
    let lax = v["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tenant"] == "lax")
        .unwrap()
        .clone();
    assert_eq!(last.0, "B");
    assert_eq!(lax["version"].as_u64(), Some(last.1), "{lax}");
    assert_eq!(lax["chain"]["request"], json!(["tag"]), "{lax}");
}

/// Poll `check` every 50 ms for up to 20 s.
async fn eventually<F, Fut>(what: &str, s: &Server, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}; log:\n{}",
            s.logs()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// SIGHUP re-reads the config file like `POST /admin/reload`; a config that
/// does not parse, or names an unknown policy, is logged with the reason and
/// the old chains keep serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads_the_config_and_a_bad_one_keeps_the_old_state() {
    let up = Upstream::start().await;
    let a = format!("{}\n{GENEROUS}", config(&up, TIMEOUT));
    let lax_chain = "[tenants.lax.chain]\nrequest = [\"ok\"]";
    assert!(a.contains(lax_chain));
    let b = a.replace(lax_chain, "[tenants.lax.chain]\nrequest = [\"topics\"]");
    let s = Server::start(&a);
    let path = PATHS[0];
    let crypto = chat(path, "Tell me about crypto coins", false);
    let hello = chat(path, "hello", false);
    // A served request: the server is in its accept loop, SIGHUP handled.
    assert_eq!(call(&s, path, LAX, &crypto).await.status, 200);

    std::fs::write(&s.config, &b).unwrap();
    s.signal("HUP");
    eventually("the reloaded chain to deny", &s, || async {
        call(&s, path, LAX, &crypto).await.status == 403
    })
    .await;
    assert_eq!(call(&s, path, LAX, &hello).await.status, 200);
    assert!(s.logs().contains("config reloaded"), "{}", s.logs());

    // Bad files: not TOML at all, then valid TOML naming an unknown policy.
    let refused = |s: &Server| s.logs().matches("SIGHUP: config not reloaded").count();
    let bad = [
        (
            format!("{b}\n[tenants.lax.chain\nnot toml"),
            "invalid table header",
        ),
        (
            b.replace(
                "request = [\"topics\"]",
                "request = [\"topics\", \"no-such-policy\"]",
            ),
            "no-such-policy",
        ),
    ];
    for (n, (text, reason)) in bad.iter().enumerate() {
        std::fs::write(&s.config, text).unwrap();
        s.signal("HUP");
        eventually("the bad config to be refused", &s, || async {
            refused(&s) > n
        })
        .await;
        let line = s
            .logs()
            .lines()
            .filter(|l| l.contains("SIGHUP: config not reloaded"))
            .nth(n)
            .unwrap()
            .to_string();
        assert!(line.contains(reason), "the reason is logged: {line}");
        assert!(
            line.contains(s.config.to_str().unwrap()),
            "the file is named: {line}"
        );
        // The old (B) chain keeps serving.
        let r = call(&s, path, LAX, &crypto).await;
        assert_eq!(r.status, 403, "{}", r.text());
        assert_eq!(call(&s, path, LAX, &hello).await.status, 200);
    }

    // A good file again is picked up on the next SIGHUP.
    std::fs::write(&s.config, &a).unwrap();
    s.signal("HUP");
    eventually("config A to be back", &s, || async {
        call(&s, path, LAX, &crypto).await.status == 200
    })
    .await;
}

/// Start `warden serve` on a config whose `[store] data_dir` is `data`;
/// expect it to fail at start; its stderr.
fn serve_fails(data: &std::path::Path) -> String {
    let cfg = std::env::temp_dir().join(format!(
        "warden-bad-data-{}-{}.toml",
        std::process::id(),
        data.file_name().unwrap().to_str().unwrap()
    ));
    std::fs::write(
        &cfg,
        format!(
            "[store]\ndata_dir = {:?}\n[tenants.default.chain]\nrequest = []\n",
            data.to_str().unwrap()
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
    let _ = std::fs::remove_file(&cfg);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "started on {data:?}: {err}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("listening on"),
        "served on {data:?}"
    );
    err
}

/// A data directory that is a file, a database file full of garbage, and a
/// read-only directory: each stops `warden serve` at start with the path and
/// the reason, and the garbage is left as it was (never silently replaced).
#[test]
fn a_bad_data_dir_fails_serve_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new();

    let file = dir.0.join("a-file");
    std::fs::write(&file, "a file, not a directory").unwrap();
    let err = serve_fails(&file.join("sub"));
    assert!(err.contains("data directory"), "{err}");

    let corrupt = dir.0.join("corrupt");
    std::fs::create_dir_all(&corrupt).unwrap();
    let db = corrupt.join("warden.db");
    let garbage: Vec<u8> = (0..16_384u32).map(|i| (i * 7 + 13) as u8).collect();
    std::fs::write(&db, &garbage).unwrap();
    let err = serve_fails(&corrupt);
    assert!(err.contains("corrupt"), "{err}");
    assert!(err.contains(db.to_str().unwrap()), "names the file: {err}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        garbage,
        "the damaged file is left for the operator"
    );

    let readonly = dir.0.join("readonly");
    std::fs::create_dir_all(&readonly).unwrap();
    std::fs::set_permissions(&readonly, std::fs::Permissions::from_mode(0o555)).unwrap();
    let err = serve_fails(&readonly);
    std::fs::set_permissions(&readonly, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(err.contains("not writable"), "{err}");
    assert!(
        err.contains(readonly.to_str().unwrap()),
        "names the directory: {err}"
    );
}
