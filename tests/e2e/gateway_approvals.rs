//! `warden serve` with `[approvals]`: `builtin:risk` on the tool-call phase
//! files approvals through `/v1/guard/evaluate`; humans decide them through
//! the admin API; agents read them through `/v1/approvals/{id}`.

use serde_json::{Value, json};

use crate::gateway::{LAX, PATHS, TIMEOUT, call, chat, config};
use crate::gateway_support::*;

const ADMIN: &str = "admin-approvals-test-token";
const RISKY: &str = "sk-risky-test";
const QUICK: &str = "sk-quick-test";

fn approvals_config(up: &Upstream, dir: &TempDir) -> String {
    let tok = dir.0.join("admin-token");
    std::fs::write(&tok, format!("{ADMIN}\n")).unwrap();
    let h = |k: &str| warden::config::hash_api_key(k);
    format!(
        r#"{base}
[policies.risk]
source = "builtin:risk"

[tenants.risky]
api_keys = ["sha256:{risky}"]
[tenants.risky.chain]
tool-call = ["risk"]

[tenants.quick]
api_keys = ["sha256:{quick}"]
[tenants.quick.chain]
tool-call = ["risk"]

[approvals]
timeout_secs = 600
tenants = {{ quick = {{ timeout_secs = 1 }} }}

[store]
data_dir = {data:?}
"#,
        base = config(
            up,
            &format!("{TIMEOUT}\nadmin_token_file = {:?}", tok.to_str().unwrap())
        ),
        risky = h(RISKY),
        quick = h(QUICK),
        data = dir.0.join("data").to_str().unwrap(),
    )
}

async fn evaluate(s: &Server, key: &str, tool: &str) -> Value {
    let auth = format!("Bearer {key}");
    let body = json!({"tool_call": {"name": tool, "arguments": {"x": 1}}});
    let r = s
        .post(
            "/v1/guard/evaluate",
            body.to_string(),
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
                ("x-warden-session", "sess-1"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

async fn read(s: &Server, key: &str, id: &str, wait: &str) -> Reply {
    let auth = format!("Bearer {key}");
    s.get(
        &format!("/v1/approvals/{id}?wait={wait}"),
        &[("authorization", &auth)],
    )
    .await
}

async fn decide(s: &Server, id: &str, verb: &str, approver: &str) -> Reply {
    let auth = format!("Bearer {ADMIN}");
    s.post(
        &format!("/admin/approvals/{id}/{verb}"),
        json!({"approver": approver, "reason": "looked at it"}).to_string(),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_are_filed_decided_escalated_and_tenant_scoped() {
    let up = Upstream::start().await;
    let dir = TempDir::new();
    let s = Server::start(&approvals_config(&up, &dir));

    // High risk: one approver.
    let v = evaluate(&s, RISKY, "send_email").await;
    assert_eq!(v["action"], "require-approval", "{v}");
    let email = v["approval_id"].as_str().expect("approval_id").to_string();
    assert_eq!(v["approval_url"], format!("/v1/approvals/{email}"));
    let r = read(&s, RISKY, &email, "1s").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let a = r.json();
    assert_eq!(a["status"], "pending", "{a}");
    assert_eq!(a["tool"], "send_email");
    assert_eq!(a["session"], "sess-1");
    assert_eq!(a["risk"], "high");
    // Another tenant cannot see it.
    assert_eq!(read(&s, LAX, &email, "0s").await.status, 404);
    assert_eq!(read(&s, QUICK, &email, "0s").await.status, 404);
    // Admin sees it pending.
    let admin = format!("Bearer {ADMIN}");
    let r = s
        .get("/admin/approvals", &[("authorization", &admin)])
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains(&email), "{}", r.text());
    // The tenant key cannot decide.
    let tenant_auth = format!("Bearer {RISKY}");
    let r = s
        .post(
            &format!("/admin/approvals/{email}/approve"),
            json!({"approver": "me"}).to_string(),
            &[("authorization", &tenant_auth)],
        )
        .await;
    assert_eq!(r.status, 401);
    let r = decide(&s, &email, "approve", "alice").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "approved");
    let a = read(&s, RISKY, &email, "1s").await.json();
    assert_eq!(a["status"], "approved", "{a}");
    assert_eq!(a["approvals"][0]["approver"], "alice");
    assert_eq!(decide(&s, &email, "reject", "bob").await.status, 409);

    // Critical: two distinct approvers.
    let v = evaluate(&s, RISKY, "grant_admin_role").await;
    let admin_role = v["approval_id"].as_str().expect("approval_id").to_string();
    let r = decide(&s, &admin_role, "approve", "alice").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "pending");
    let r = decide(&s, &admin_role, "approve", "alice").await;
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(
        read(&s, RISKY, &admin_role, "0s").await.json()["status"],
        "pending"
    );
    let r = decide(&s, &admin_role, "approve", "bob").await;
    assert_eq!(r.json()["status"], "approved", "{}", r.text());

    // Rejected.
    let v = evaluate(&s, RISKY, "send_email").await;
    let rejected = v["approval_id"].as_str().unwrap().to_string();
    let r = decide(&s, &rejected, "reject", "carol").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let a = read(&s, RISKY, &rejected, "0s").await.json();
    assert_eq!(a["status"], "rejected", "{a}");
    assert_eq!(a["rejection"]["approver"], "carol");

    // Timeout of 1 s: escalated (the long-poll returns at the timeout).
    let v = evaluate(&s, QUICK, "send_email").await;
    let late = v["approval_id"].as_str().unwrap().to_string();
    let r = read(&s, QUICK, &late, "5s").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let mut status = r.json()["status"].as_str().unwrap().to_string();
    for _ in 0..20 {
        if status == "escalated" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        status = read(&s, QUICK, &late, "0s").await.json()["status"]
            .as_str()
            .unwrap()
            .to_string();
    }
    assert_eq!(status, "escalated");
    // Unknown id: 404; the admin API too.
    assert_eq!(read(&s, RISKY, "nope", "0s").await.status, 404);
    assert_eq!(decide(&s, "nope", "approve", "alice").await.status, 404);

    let m = s.metrics().await;
    assert!(
        m.contains("warden_approvals_total{state=\"pending\"} 4"),
        "{m}"
    );
    assert!(
        m.contains("warden_approvals_total{state=\"approved\"} 2"),
        "{m}"
    );
    assert!(
        m.contains("warden_approvals_total{state=\"rejected\"} 1"),
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tool_call_held_for_approval_in_an_answer_carries_its_approval_id() {
    let up = Upstream::start().await;
    let dir = TempDir::new();
    let s = Server::start(&approvals_config(&up, &dir));
    up.set(|s| s.tools = vec![("send_email".into(), r#"{"to":"a@b.example"}"#.into())]);
    for path in PATHS {
        let r = call(&s, path, RISKY, &chat(path, "mail bob", false)).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        let removed = &v["warden"]["tool_calls_removed"][0];
        assert_eq!(removed["action"], "require-approval", "{v}");
        let id = removed["approval_id"].as_str().expect("approval_id");
        let a = read(&s, RISKY, id, "0s").await.json();
        assert_eq!(a["status"], "pending", "{a}");
        assert_eq!(a["tool"], "send_email");
        assert_eq!(a["session"], r.header("x-request-id").unwrap());
    }
}

/// A chat request held by the request chain: 403 `approval_required` with an
/// id; once approved, a retry of the same messages with `x-warden-approval`
/// goes through, and the same id does not release different messages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_request_is_released_only_for_the_same_messages() {
    const HELD: &str = "sk-held-test";
    let up = Upstream::start().await;
    let dir = TempDir::new();
    let toml = format!(
        "{}\n[policies.hold]\nsource = {}\nconfig = {{ mode = \"approve\" }}\n\
         [tenants.held]\napi_keys = [\"sha256:{}\"]\n[tenants.held.chain]\nrequest = [\"hold\"]\n",
        approvals_config(&up, &dir),
        misbehave_src(),
        warden::config::hash_api_key(HELD),
    );
    let s = Server::start(&toml);
    let path = "/v1/chat/completions";
    let body =
        |text: &str| json!({"model": "gpt-test", "messages": [{"role": "user", "content": text}]});
    let send = |text: &'static str, approval: Option<String>| {
        let s = &s;
        async move {
            let auth = format!("Bearer {HELD}");
            let mut h = vec![
                ("authorization", auth.as_str()),
                ("content-type", "application/json"),
            ];
            let id;
            if let Some(a) = approval {
                id = a;
                h.push(("x-warden-approval", id.as_str()));
            }
            s.post(path, body(text).to_string(), &h).await
        }
    };

    let r = send("deploy to production", None).await;
    assert_eq!(r.status, 403, "{}", r.text());
    let err = r.json();
    assert_eq!(err["error"]["type"], "approval_required", "{err}");
    let id = err["error"]["approval_id"]
        .as_str()
        .expect("approval_id")
        .to_string();
    assert!(
        up.received().is_empty(),
        "a held request never reaches the upstream"
    );

    // Not yet approved: still held.
    assert_eq!(
        send("deploy to production", Some(id.clone())).await.status,
        403
    );
    assert_eq!(decide(&s, &id, "approve", "alice").await.status, 200);
    let ok = send("deploy to production", Some(id.clone())).await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(up.received().len(), 1);
    // The approval is bound to the messages it was filed for.
    let other = send("drop the production database", Some(id)).await;
    assert_eq!(other.status, 403, "{}", other.text());
    assert_eq!(up.received().len(), 1);
}
