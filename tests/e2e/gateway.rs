//! `warden serve` end to end, non-streamed: the real binary between a client
//! and a fake provider, for both API shapes.

use serde_json::{Value, json};

use crate::gateway_support::*;

pub const STRICT: &str = "sk-strict-test";
pub const LAX: &str = "sk-lax-test";
pub const NARROW: &str = "sk-narrow-test";
pub const GUARDED: &str = "sk-guarded-test";

/// Three tenants over the fake provider: `strict` (banned topics + tags, all
/// tool calls denied), `lax` (allow everything), `narrow` (one model only),
/// `guarded` (banned topics on the answer).
pub fn config(up: &Upstream, server: &str) -> String {
    let (m, b) = (misbehave_src(), banned_topics_src());
    let h = |k: &str| warden::config::hash_api_key(k);
    format!(
        r#"
[server]
{server}

[upstreams.openai]
base_url = "{url}/v1"
[upstreams.anthropic]
base_url = "{url}"
[upstreams.mock]

[models."gpt-test"]
upstream = "openai"
[models."claude-test"]
upstream = "anthropic"
[models.mock]
upstream = "mock"

[policies.topics]
source = {b}
config = {{ topics = ["crypto"] }}
[policies.tag]
source = {m}
config = {{ mode = "tag", tag = "req" }}
[policies.rtag]
source = {m}
config = {{ mode = "tag", tag = "resp" }}
[policies.nope]
source = {m}
config = {{ mode = "deny" }}
[policies.ok]
source = {m}
config = {{ mode = "allow" }}

[tenants.strict]
api_keys = ["sha256:{strict}"]
[tenants.strict.chain]
request = ["topics", "tag"]
response = ["rtag"]
tool-call = ["nope"]

[tenants.lax]
api_keys = ["sha256:{lax}"]
[tenants.lax.chain]
request = ["ok"]
tool-call = ["ok"]

[tenants.guarded]
api_keys = ["sha256:{guarded}"]
[tenants.guarded.chain]
request = ["ok"]
response = ["topics"]

[tenants.narrow]
api_keys = ["sha256:{narrow}"]
models = ["gpt-test"]
[tenants.narrow.chain]
request = ["ok"]
"#,
        url = up.url(),
        strict = h(STRICT),
        lax = h(LAX),
        narrow = h(NARROW),
        guarded = h(GUARDED),
    )
}

/// Auth header for `key` in `path`'s API.
pub fn auth(path: &str, key: &'static str) -> Vec<(&'static str, String)> {
    if path == "/v1/messages" {
        vec![
            ("x-api-key", key.to_string()),
            ("anthropic-version", "2023-06-01".into()),
        ]
    } else {
        vec![("authorization", format!("Bearer {key}"))]
    }
}

/// A chat body for `path` with one user message.
pub fn chat(path: &str, text: &str, stream: bool) -> Value {
    if path == "/v1/messages" {
        json!({"model": "claude-test", "max_tokens": 100, "stream": stream, "messages": [{"role": "user", "content": text}]})
    } else {
        json!({"model": "gpt-test", "stream": stream, "messages": [{"role": "user", "content": text}]})
    }
}

pub async fn call(s: &Server, path: &str, key: &'static str, body: &Value) -> Reply {
    let h = auth(path, key);
    let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.post(path, body.to_string(), &h).await
}

/// The error `type` in either provider's error shape.
pub fn error_type(path: &str, v: &Value) -> String {
    if path == "/v1/messages" {
        assert_eq!(v["type"], "error", "{v}");
    }
    v["error"]["type"].as_str().unwrap_or_default().to_string()
}

/// `[server]` line for a test: short enough for hang tests, long enough for slow CI.
pub const TIMEOUT: &str = "upstream_timeout_ms = 3000";

pub const PATHS: [&str; 2] = ["/v1/chat/completions", "/v1/messages"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_request_never_reaches_the_upstream() {
    let up = Upstream::start().await;
    let s = Server::start(&config(&up, TIMEOUT));
    for path in PATHS {
        for stream in [false, true] {
            let r = call(
                &s,
                path,
                STRICT,
                &chat(path, "Tell me everything about crypto coins", stream),
            )
            .await;
            assert_eq!(r.status, 403, "{path} stream={stream}: {}", r.text());
            let v = r.json();
            assert_eq!(error_type(path, &v), "policy_violation");
            assert_eq!(v["error"]["policy"], "topics");
            assert!(
                v["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("not allowed"),
                "{v}"
            );
            assert!(
                !r.text().contains("Tell me everything"),
                "the prompt is echoed: {v}"
            );
            if path == "/v1/chat/completions" {
                assert_eq!(v["error"]["code"], "policy_violation");
                assert!(v["error"]["param"].is_null());
            }
        }
    }
    assert!(
        up.received().is_empty(),
        "the upstream saw a denied request"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modify_edits_only_the_text_sent_upstream_and_the_answer() {
    let up = Upstream::start().await;
    let s = Server::start(&config(&up, TIMEOUT));
    let body = json!({"model": "gpt-test", "temperature": 0.25, "vendor_extension": {"x": [1, 2]},
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}],
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hello"}, {"type": "image_url", "image_url": {"url": "u"}}]},
                     {"role": "assistant", "content": "untouched"}]});
    let r = call(&s, PATHS[0], STRICT, &body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json()["choices"][0]["message"]["content"],
        "Hello from upstream [resp]"
    );
    let got = &up.received()[0];
    assert_eq!(got.path, "/v1/chat/completions");
    let mut expected = body.clone();
    expected["messages"][0]["content"][0]["text"] = json!("hello [req]");
    assert_eq!(got.body, expected, "only the edited text may change");

    let body = json!({"model": "claude-test", "max_tokens": 5, "metadata": {"user_id": "u1"},
        "system": [{"type": "text", "text": "be brief"}],
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]});
    let r = call(&s, PATHS[1], STRICT, &body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["content"][0]["text"], "Hello from upstream [resp]");
    let got = &up.received()[1];
    assert_eq!(got.path, "/v1/messages");
    let mut expected = body.clone();
    expected["system"][0]["text"] = json!("be brief [req]");
    assert_eq!(got.body, expected);
    assert_eq!(got.headers["anthropic-version"], "2023-06-01");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denied_tool_calls_are_removed_and_reported() {
    let up = Upstream::start().await;
    up.set(|s| s.tools = vec![("get_weather".into(), r#"{"city":"Paris"}"#.into())]);
    let s = Server::start(&config(&up, TIMEOUT));
    for path in PATHS {
        let r = call(&s, path, STRICT, &chat(path, "weather?", false)).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("x-warden-tool-calls-removed"), Some("1"));
        let v = r.json();
        let removed = &v["warden"]["tool_calls_removed"][0];
        assert_eq!(removed["name"], "get_weather");
        assert_eq!(
            (removed["action"].as_str(), removed["policy"].as_str()),
            (Some("deny"), Some("nope"))
        );
        assert_eq!(removed["reason"], "denied by test guest");
        if path == PATHS[0] {
            assert!(
                v["choices"][0]["message"].get("tool_calls").is_none(),
                "{v}"
            );
            assert_eq!(v["choices"][0]["finish_reason"], "stop");
            assert_eq!(removed["id"], "call_0");
        } else {
            assert!(
                v["content"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|b| b["type"] != "tool_use"),
                "{v}"
            );
            assert_eq!(v["stop_reason"], "end_turn");
            assert_eq!(removed["id"], "toolu_0");
        }
        // A tenant whose tool-call chain allows keeps the call as it was.
        let r = call(&s, path, LAX, &chat(path, "weather?", false)).await;
        assert_eq!(r.header("x-warden-tool-calls-removed"), None);
        let v = r.json();
        assert!(v.get("warden").is_none());
        if path == PATHS[0] {
            assert_eq!(
                v["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"],
                r#"{"city":"Paris"}"#
            );
        } else {
            assert_eq!(v["content"][1]["input"], json!({"city": "Paris"}));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_or_missing_keys_are_401_in_the_provider_shape() {
    let up = Upstream::start().await;
    let s = Server::start(&config(&up, TIMEOUT));
    for path in PATHS {
        let r = s
            .post(
                path,
                chat(path, "hi", false).to_string(),
                &[("authorization", "Bearer sk-wrong")],
            )
            .await;
        assert_eq!(r.status, 401, "{}", r.text());
        assert_eq!(error_type(path, &r.json()), "authentication_error");
        let r = s
            .post(
                path,
                chat(path, "hi", false).to_string(),
                &[("x-api-key", "sk-wrong")],
            )
            .await;
        assert_eq!(r.status, 401);
        let r = s.post(path, chat(path, "hi", false).to_string(), &[]).await;
        assert_eq!(r.status, 401);
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("missing API key")
        );
    }
    assert_eq!(
        s.get("/v1/models", &[("authorization", "Bearer nope")])
            .await
            .status,
        401
    );
    assert!(up.received().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn models_are_per_tenant_and_guard_evaluate_returns_the_verdict() {
    let up = Upstream::start().await;
    let s = Server::start(&config(&up, TIMEOUT));
    let all = s
        .get("/v1/models", &[("authorization", &format!("Bearer {LAX}"))])
        .await
        .json();
    let ids: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["claude-test", "gpt-test", "mock"]);
    assert_eq!(all["object"], "list");
    let narrow = s
        .get(
            "/v1/models",
            &[("authorization", &format!("Bearer {NARROW}"))],
        )
        .await
        .json();
    assert_eq!(narrow["data"].as_array().unwrap().len(), 1);
    let r = call(&s, PATHS[1], NARROW, &chat(PATHS[1], "hi", false)).await;
    assert_eq!(r.status, 404, "{}", r.text());
    assert_eq!(r.json()["error"]["type"], "not_found_error");

    let v = call(
        &s,
        "/v1/guard/evaluate",
        STRICT,
        &json!({"messages": [{"role": "user", "content": "crypto please"}]}),
    )
    .await
    .json();
    assert_eq!(
        (v["action"].as_str(), v["decided_by"].as_str()),
        (Some("deny"), Some("topics"))
    );
    assert_eq!(v["findings"][0]["policy"], "topics");
    assert!(v["timings"].as_array().is_some() && v["micros"].as_u64().is_some());
    let v = call(
        &s,
        "/v1/guard/evaluate",
        STRICT,
        &json!({"phase": "request", "messages": [{"role": "user", "content": "hi"}]}),
    )
    .await
    .json();
    assert_eq!(
        (v["action"].as_str(), v["messages"][0]["content"].as_str()),
        (Some("modify"), Some("hi [req]"))
    );
    let v = call(
        &s,
        "/v1/guard/evaluate",
        STRICT,
        &json!({"tool_call": {"name": "rm", "arguments": {"path": "/"}}}),
    )
    .await;
    assert_eq!(v.json()["action"], "deny");
    let bad = call(
        &s,
        "/v1/guard/evaluate",
        STRICT,
        &json!({"phase": "sideways", "messages": []}),
    )
    .await;
    assert_eq!(bad.status, 400, "{}", bad.text());
    assert!(up.received().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_logs_trace_context_and_upstream_keys() {
    let up = Upstream::start().await;
    let keydir = TempDir::new();
    let keyfile = keydir.0.join("openai.key");
    std::fs::write(&keyfile, "sk-upstream-secret\n").unwrap();
    let cfg = config(&up, TIMEOUT).replace(
        &format!("base_url = \"{}/v1\"", up.url()),
        &format!(
            "base_url = \"{}/v1\"\napi_key_file = {:?}",
            up.url(),
            keyfile.to_str().unwrap()
        ),
    );
    let s = Server::start(&cfg);
    let tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    let h = [
        ("authorization", "Bearer sk-lax-test"),
        ("traceparent", tp),
        ("x-request-id", "req-abc-123"),
    ];
    let r = s
        .post(
            PATHS[0],
            chat(PATHS[0], "my secret prompt text", false).to_string(),
            &h,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("x-request-id"), Some("req-abc-123"));
    let got = &up.received()[0];
    assert_eq!(got.headers["traceparent"], tp);
    assert_eq!(got.headers["x-request-id"], "req-abc-123");
    assert_eq!(
        got.headers["authorization"], "Bearer sk-upstream-secret",
        "the provider key, never the tenant's"
    );
    let denied = call(&s, PATHS[0], STRICT, &chat(PATHS[0], "crypto", false)).await;
    assert!(
        denied
            .header("x-request-id")
            .is_some_and(|id| !id.is_empty())
    );

    let m = s.metrics().await;
    for line in [
        r#"warden_requests_total{route="/v1/chat/completions",status="200",tenant="lax"} 1"#,
        r#"warden_requests_total{route="/v1/chat/completions",status="403",tenant="strict"} 1"#,
        r#"warden_policy_decisions_total{action="deny",policy="topics"} 1"#,
        r#"warden_tokens_total{direction="input",model="gpt-test",tenant="lax"} 7"#,
        r#"warden_tokens_total{direction="output",model="gpt-test",tenant="lax"} 5"#,
        r#"warden_upstream_duration_seconds_count{upstream="openai"} 1"#,
        r#"warden_policy_duration_seconds_count{phase="request",policy="ok"} 1"#,
        "warden_request_duration_seconds_count 2",
        "warden_active_requests 0",
    ] {
        assert!(m.contains(line), "missing `{line}` in\n{m}");
    }
    // One JSON line per request; no prompts, no keys.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let logs = s.logs();
    let access: Vec<Value> = logs
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["target"] == "warden::access")
        .collect();
    assert_eq!(access.len(), 2, "{logs}");
    assert_eq!(access[0]["request_id"], "req-abc-123");
    assert_eq!(
        (access[0]["tenant"].as_str(), access[0]["upstream"].as_str()),
        (Some("lax"), Some("openai"))
    );
    assert_eq!(
        (
            access[1]["decided_by"].as_str(),
            access[1]["status"].as_u64()
        ),
        (Some("topics"), Some(403))
    );
    assert!(
        !logs.contains("my secret prompt") && !logs.contains("sk-upstream-secret"),
        "{logs}"
    );
}
