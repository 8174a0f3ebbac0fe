//! Durable state of `warden serve` under load, driven as a user would: the
//! real binary on a loopback port, the fake provider, the admin API.
//!
//! - SIGKILL in the middle of a load of chat requests (each one records spend)
//!   and approval filings and decisions; a restart on the same data directory
//!   still has every acknowledged result, none twice.
//! - Concurrent requests against a small tenant budget never spend more than
//!   the documented bound: the limit, plus what actual costs exceed their
//!   estimates for the requests in flight together.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::gateway::{LAX, TIMEOUT, config};
use crate::gateway_support::*;

const ADMIN: &str = "admin-durability-test-token";
const RISKY: &str = "sk-durable-risky";

/// These tests are not about policy time limits: a loaded 2-core machine must
/// not turn a slow evaluation into a `policy_fault`.
const GENEROUS: &str = "[defaults]\ntimeout_ms = 5000\n";

/// The shared gateway config with an admin token (in `dir`), generous policy
/// limits and `extra` sections.
fn admin_config(up: &Upstream, dir: &Path, extra: &str) -> String {
    let tok = dir.join("admin-token");
    std::fs::write(&tok, format!("{ADMIN}\n")).unwrap();
    let server = format!("{TIMEOUT}\nadmin_token_file = {:?}", tok.to_str().unwrap());
    format!("{}\n{GENEROUS}\n{extra}\n", config(up, &server))
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// `GET path` on the admin API: 200 and its JSON.
async fn admin_get(addr: SocketAddr, path: &str) -> Value {
    let auth = format!("Bearer {ADMIN}");
    let r = send(
        addr,
        "GET",
        path,
        Default::default(),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.status, 200, "GET {path}: {}", r.text());
    r.json()
}

/// The ledger of `tenant` as `GET /admin/ledger` lists it.
async fn ledger(addr: SocketAddr, tenant: &str) -> Vec<Value> {
    let v = admin_get(addr, &format!("/admin/ledger?tenant={tenant}")).await;
    assert_eq!(v["store"], true, "{v}");
    v["records"].as_array().unwrap().clone()
}

/// `tenant`'s entry in `GET /admin/spend`.
async fn spend(addr: SocketAddr, tenant: &str) -> Value {
    let v = admin_get(addr, "/admin/spend").await;
    v["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tenant"] == tenant)
        .unwrap_or_else(|| panic!("no tenant {tenant} in {v}"))
        .clone()
}

fn decimal(v: &Value) -> Decimal {
    d(v.as_str()
        .unwrap_or_else(|| panic!("not a decimal string: {v}")))
}

/// A chat request of tenant `lax` under request id `id`.
async fn chat_as(addr: SocketAddr, id: &str, max_tokens: u64) -> Result<Reply, String> {
    let body = json!({"model": "gpt-test", "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": "hello"}]});
    try_send(
        addr,
        "POST",
        "/v1/chat/completions",
        body.to_string().into(),
        &[
            ("authorization", &format!("Bearer {LAX}")),
            ("x-request-id", id),
        ],
    )
    .await
}

/// A tool call `builtin:risk` rates high: files a pending approval; its id.
async fn file_approval(addr: SocketAddr) -> Result<String, String> {
    let body = json!({"tool_call": {"name": "send_email", "arguments": {"to": "a@b.example"}}});
    let r = try_send(
        addr,
        "POST",
        "/v1/guard/evaluate",
        body.to_string().into(),
        &[("authorization", &format!("Bearer {RISKY}"))],
    )
    .await?;
    if r.status != 200 {
        return Err(format!("HTTP {}: {}", r.status, r.text()));
    }
    let v = r.json();
    v["approval_id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("no approval_id in {v}"))
}

/// `POST /admin/approvals/{id}/{verb}` as `approver`.
async fn decide(addr: SocketAddr, id: &str, verb: &str, approver: &str) -> Result<Reply, String> {
    try_send(
        addr,
        "POST",
        &format!("/admin/approvals/{id}/{verb}"),
        json!({"approver": approver, "reason": "checked"})
            .to_string()
            .into(),
        &[("authorization", &format!("Bearer {ADMIN}"))],
    )
    .await
}

/// Everything the clients saw before and during the kill.
#[derive(Default)]
struct Seen {
    /// Chat request ids answered 200 (spend recorded, client told).
    chats_acked: BTreeSet<String>,
    /// Chat request ids whose reply never arrived (in flight at the kill).
    chats_cut: BTreeSet<String>,
    /// Approval ids filed and returned to the client.
    filed: Vec<String>,
    /// Filings whose reply never arrived.
    filings_cut: usize,
    /// Decisions answered 200: id → (verb, approver).
    decided: BTreeMap<String, (String, String)>,
    /// Approval ids whose decision's reply never arrived.
    decisions_cut: BTreeSet<String>,
    /// Any complete reply that was not the expected 200.
    unexpected: Vec<String>,
}

const CHAT_CLIENTS: usize = 6;
const DECIDERS: usize = 2;

/// Start the load against `addr`: chat clients, one filer, deciders. Each
/// stops at its first transport error (the kill) or when `stop` is set.
fn load(
    addr: SocketAddr,
    seen: &Arc<Mutex<Seen>>,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    for c in 0..CHAT_CLIENTS {
        let (seen, stop) = (seen.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let id = format!("dur-{c}-{i}");
                match chat_as(addr, &id, 10).await {
                    Ok(r) if r.status == 200 => {
                        seen.lock().unwrap().chats_acked.insert(id);
                    }
                    Ok(r) => seen.lock().unwrap().unexpected.push(format!(
                        "chat {id}: HTTP {} {}",
                        r.status,
                        r.text()
                    )),
                    Err(_) => {
                        seen.lock().unwrap().chats_cut.insert(id);
                        break;
                    }
                }
            }
        }));
    }
    // The filer keeps a queue of pending approvals for the deciders.
    let queue: Arc<Mutex<Vec<String>>> = Arc::default();
    {
        let (seen, stop, queue) = (seen.clone(), stop.clone(), queue.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                match file_approval(addr).await {
                    Ok(id) => {
                        seen.lock().unwrap().filed.push(id.clone());
                        queue.lock().unwrap().push(id);
                    }
                    Err(e) if e.starts_with("HTTP") || e.starts_with("no approval_id") => {
                        seen.lock().unwrap().unexpected.push(format!("filing: {e}"));
                    }
                    Err(_) => {
                        seen.lock().unwrap().filings_cut += 1;
                        break;
                    }
                }
            }
        }));
    }
    for k in 0..DECIDERS {
        let (seen, stop, queue) = (seen.clone(), stop.clone(), queue.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let next = queue.lock().unwrap().pop();
                let Some(id) = next else {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    continue;
                };
                n += 1;
                let verb = if n.is_multiple_of(3) {
                    "reject"
                } else {
                    "approve"
                };
                let approver = format!("operator-{k}");
                match decide(addr, &id, verb, &approver).await {
                    Ok(r) if r.status == 200 => {
                        seen.lock()
                            .unwrap()
                            .decided
                            .insert(id, (verb.to_string(), approver));
                    }
                    Ok(r) => seen.lock().unwrap().unexpected.push(format!(
                        "{verb} {id}: HTTP {} {}",
                        r.status,
                        r.text()
                    )),
                    Err(_) => {
                        seen.lock().unwrap().decisions_cut.insert(id);
                        break;
                    }
                }
            }
        }));
    }
    tasks
}

fn durable_config(up: &Upstream, dir: &Path) -> String {
    let risky = warden::config::hash_api_key(RISKY);
    admin_config(
        up,
        dir,
        &format!(
            r#"
[policies.risk]
source = "builtin:risk"
[tenants.risky]
api_keys = ["sha256:{risky}"]
[tenants.risky.chain]
tool-call = ["risk"]

[approvals]
timeout_secs = 600

[prices."gpt-test"]
input = "1"
output = "1"
[budgets.tenants.lax]
tenant = {{ limit_usd = "1000", period = "none" }}

[store]
data_dir = {data:?}
"#,
            data = dir.join("data").to_str().unwrap()
        ),
    )
}

/// The fake provider reports 7 + 5 tokens: 0.012 USD at 1 USD per 1k tokens.
const CALL_COST: &str = "0.012";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_spend_approvals_and_audit_survive_sigkill_exactly_once() {
    let up = Upstream::start().await;
    let dir = TempDir::new();
    let toml = durable_config(&up, &dir.0);
    let mut s = Server::start_in(&dir.0, &toml);

    let seen: Arc<Mutex<Seen>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let tasks = load(s.addr, &seen, &stop);
    // Kill in the middle: once every kind of write has been acknowledged a
    // few times, while the clients keep sending.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let progress = {
            let g = seen.lock().unwrap();
            (g.chats_acked.len(), g.filed.len(), g.decided.len())
        };
        if progress.0 >= 40 && progress.1 >= 12 && progress.2 >= 8 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "too little progress before the kill (chats, filings, decisions): {progress:?}\n{}",
            s.logs()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = s.kill();
    assert_eq!(status.signal(), Some(9), "killed by SIGKILL: {status:?}");
    // Requests in flight now fail; nothing new is started.
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.expect("load task");
    }
    let seen = Arc::try_unwrap(seen).ok().unwrap().into_inner().unwrap();
    assert!(seen.unexpected.is_empty(), "{:?}", seen.unexpected);
    assert!(
        seen.chats_cut.len() <= CHAT_CLIENTS && seen.decisions_cut.len() <= DECIDERS,
        "each client has at most one request in flight"
    );

    // Restart on the same data directory.
    let s2 = Server::start_in(&dir.0, &toml);
    let addr = s2.addr;

    // Spend: every acknowledged request id once; nothing else but requests
    // cut off by the kill (recorded before their reply could be sent).
    let records = ledger(addr, "lax").await;
    let ids: Vec<String> = records
        .iter()
        .map(|r| r["request_id"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(unique.len(), ids.len(), "a request id recorded twice");
    let lost: Vec<&String> = seen.chats_acked.difference(&unique).collect();
    assert!(lost.is_empty(), "acknowledged spend lost: {lost:?}");
    let extra: BTreeSet<&String> = unique.difference(&seen.chats_acked).collect();
    assert!(
        extra.iter().all(|id| seen.chats_cut.contains(*id)),
        "recorded but never sent or answered otherwise: {extra:?}"
    );
    for r in &records {
        assert_eq!(decimal(&r["cost_usd"]), d(CALL_COST), "{r}");
        assert_eq!(
            (r["input_tokens"].as_u64(), r["output_tokens"].as_u64()),
            (Some(7), Some(5)),
            "{r}"
        );
    }
    let total: Decimal = records.iter().map(|r| decimal(&r["cost_usd"])).sum();
    let t = spend(addr, "lax").await;
    assert_eq!(decimal(&t["spent_usd"]), total, "{t}");
    // Budget usage is recomputed from the ledger at start, not reset.
    assert_eq!(
        decimal(&t["budget"]["remaining_usd"]),
        d("1000") - total,
        "{t}"
    );
    assert!(
        total >= d(CALL_COST) * Decimal::from(seen.chats_acked.len())
            && total <= d(CALL_COST) * Decimal::from(seen.chats_acked.len() + seen.chats_cut.len()),
        "total {total} for {} acknowledged and {} cut requests",
        seen.chats_acked.len(),
        seen.chats_cut.len()
    );

    // Approvals: every acknowledged filing and decision, as acknowledged.
    let risky_auth = format!("Bearer {RISKY}");
    for id in &seen.filed {
        let r = s2
            .get(
                &format!("/v1/approvals/{id}"),
                &[("authorization", &risky_auth)],
            )
            .await;
        assert_eq!(
            r.status,
            200,
            "acknowledged approval {id} lost: {}",
            r.text()
        );
        let a = r.json();
        match seen.decided.get(id) {
            Some((verb, approver)) if verb == "approve" => {
                assert_eq!(a["status"], "approved", "{a}");
                assert_eq!(a["approvals"][0]["approver"], approver.as_str(), "{a}");
                assert_eq!(a["approvals"].as_array().unwrap().len(), 1, "{a}");
            }
            Some((_, approver)) => {
                assert_eq!(a["status"], "rejected", "{a}");
                assert_eq!(a["rejection"]["approver"], approver.as_str(), "{a}");
            }
            None if seen.decisions_cut.contains(id) => {
                assert!(
                    ["pending", "approved", "rejected"].contains(&a["status"].as_str().unwrap()),
                    "{a}"
                );
            }
            None => assert_eq!(a["status"], "pending", "never decided: {a}"),
        }
    }

    // Audit: one `created` per filing, one final entry per decision, by the
    // acknowledged approver; nothing decided twice.
    let audit = admin_get(addr, "/admin/audit?tenant=risky").await;
    let entries = audit["audit"].as_array().unwrap().clone();
    let mut by_subject: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for e in &entries {
        assert_eq!(e["tenant"], "risky", "{e}");
        by_subject
            .entry(e["subject"].as_str().unwrap().to_string())
            .or_default()
            .push((
                e["action"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
            ));
    }
    let filed: BTreeSet<&String> = seen.filed.iter().collect();
    let created_extra = by_subject.keys().filter(|k| !filed.contains(k)).count();
    assert!(
        created_extra <= seen.filings_cut,
        "{created_extra} approvals nobody was told about, {} filings cut",
        seen.filings_cut
    );
    for (subject, actions) in &by_subject {
        let created = actions.iter().filter(|(a, _)| a == "created").count();
        assert_eq!(created, 1, "{subject}: {actions:?}");
        assert_eq!(actions[0].0, "created", "{subject}: {actions:?}");
        let finals: Vec<&(String, String)> = actions
            .iter()
            .filter(|(a, _)| a == "approved" || a == "rejected")
            .collect();
        assert!(finals.len() <= 1, "{subject} decided twice: {actions:?}");
        match seen.decided.get(subject) {
            Some((verb, approver)) => {
                let want = if verb == "approve" {
                    "approved"
                } else {
                    "rejected"
                };
                assert_eq!(
                    finals,
                    [&(want.to_string(), approver.clone())],
                    "{subject}: {actions:?}"
                );
            }
            None => assert!(
                finals.is_empty() || seen.decisions_cut.contains(subject),
                "{subject} decided but nobody decided it: {actions:?}"
            ),
        }
        assert_eq!(actions.len(), 1 + finals.len(), "{subject}: {actions:?}");
    }

    // A decided approval stays decided after the restart, with no new entry.
    let (id, (verb, _)) = seen.decided.iter().next().unwrap();
    let r = decide(addr, id, verb, "someone-else").await.expect("reply");
    assert_eq!(r.status, 409, "{}", r.text());
    let after = admin_get(addr, "/admin/audit?tenant=risky").await;
    assert_eq!(after["audit"].as_array().unwrap().len(), entries.len());

    // A replayed request id is a new upstream call: charged once more, under
    // its own ledger id; the original record is untouched.
    let replayed = seen.chats_acked.iter().next().unwrap().clone();
    let r = chat_as(addr, &replayed, 10).await.expect("reply");
    assert_eq!(r.status, 200, "{}", r.text());
    let now = ledger(addr, "lax").await;
    assert_eq!(now.len(), records.len() + 1);
    assert_eq!(
        &now[..records.len()],
        &records[..],
        "recorded spend changed"
    );
    let new_id = now[records.len()]["request_id"].as_str().unwrap();
    assert!(new_id.starts_with(&format!("{replayed}#")), "{new_id}");

    // And the restarted gateway keeps recording.
    let r = chat_as(addr, "after-restart", 10).await.expect("reply");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        decimal(&spend(addr, "lax").await["spent_usd"]),
        total + d(CALL_COST) * Decimal::from(2)
    );
}

/// A budget config for the concurrency tests: `lax` may spend 0.10 USD ever.
fn budget_config(up: &Upstream, dir: &Path) -> String {
    admin_config(
        up,
        dir,
        &format!(
            r#"
[prices."gpt-test"]
input = "1"
output = "1"
[budgets.tenants.lax]
tenant = {{ limit_usd = "0.10", period = "none" }}
[store]
data_dir = {data:?}
"#,
            data = dir.join("data").to_str().unwrap()
        ),
    )
}

/// Outcome of a burst: (request id, status, body) per request.
async fn burst(
    addr: SocketAddr,
    clients: usize,
    each: usize,
    max_tokens: u64,
) -> Vec<(String, u16, Value)> {
    let mut tasks = Vec::new();
    for c in 0..clients {
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for i in 0..each {
                let id = format!("burst-{c}-{i}");
                let r = chat_as(addr, &id, max_tokens).await.expect("a reply");
                out.push((id, r.status, r.json()));
            }
            out
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("client task"));
    }
    all
}

/// Every refusal is the provider-shaped budget error naming the budget.
fn check_refusals(results: &[(String, u16, Value)]) -> usize {
    let mut in_flight_seen = 0;
    for (id, status, v) in results.iter().filter(|(_, s, _)| *s != 200) {
        assert_eq!(*status, 429, "{id}: {v}");
        assert_eq!(v["error"]["type"], "budget_exceeded", "{id}: {v}");
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(
            msg.contains("tenant `lax` all-time budget of 0.10 USD"),
            "{id}: {msg}"
        );
        let reserved = msg
            .split("reserved ")
            .nth(1)
            .and_then(|r| r.split(',').next())
            .unwrap_or_else(|| panic!("{id}: no reserved amount in {msg}"));
        if d(reserved) > Decimal::ZERO {
            in_flight_seen += 1;
        }
    }
    in_flight_seen
}

/// Estimate equals actual cost (2 + 10 tokens estimated, 7 + 5 reported):
/// 40 concurrent requests against 0.10 USD admit exactly 8 (8 × 0.012 =
/// 0.096), and the ledger holds exactly those.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_never_overspend_a_tenant_budget() {
    let up = Upstream::start().await;
    // Admitted requests stay in flight while the others are checked.
    up.set(|s| s.delay = Duration::from_millis(300));
    let dir = TempDir::new();
    let s = Server::start_in(&dir.0, &budget_config(&up, &dir.0));
    let results = burst(s.addr, 40, 1, 10).await;
    let ok: BTreeSet<&String> = results
        .iter()
        .filter(|r| r.1 == 200)
        .map(|r| &r.0)
        .collect();
    assert_eq!(ok.len(), 8, "{results:?}");
    let in_flight = check_refusals(&results);
    assert!(
        in_flight > 0,
        "no refusal counted in-flight reservations: the burst was not concurrent"
    );
    assert_eq!(
        up.received().len(),
        8,
        "refused requests never reach the upstream"
    );
    let records = ledger(s.addr, "lax").await;
    let recorded: BTreeSet<&str> = records
        .iter()
        .map(|r| r["request_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        recorded,
        ok.iter().map(|s| s.as_str()).collect(),
        "the ledger holds exactly the answered requests"
    );
    let t = spend(s.addr, "lax").await;
    assert_eq!(decimal(&t["spent_usd"]), d("0.096"), "{t}");
    assert_eq!(decimal(&t["budget"]["remaining_usd"]), d("0.004"), "{t}");
}

/// Actual cost above the estimate (2 + 4 tokens estimated = 0.006 USD, 12
/// reported = 0.012): 16 clients in parallel can all be admitted against
/// 0.10 USD (16 × 0.006 = 0.096) and so overshoot it, but by at most the sum
/// of their excesses over their estimates (16 × 0.006); once over, everything
/// is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_overspend_is_bounded_by_the_in_flight_estimates() {
    const CLIENTS: usize = 16;
    let up = Upstream::start().await;
    up.set(|s| s.delay = Duration::from_millis(100));
    let dir = TempDir::new();
    let s = Server::start_in(&dir.0, &budget_config(&up, &dir.0));
    let results = burst(s.addr, CLIENTS, 3, 4).await;
    check_refusals(&results);
    let ok = results.iter().filter(|r| r.1 == 200).count();
    let (estimate, actual) = (d("0.006"), d(CALL_COST));
    let limit = d("0.10");
    let total = decimal(&spend(s.addr, "lax").await["spent_usd"]);
    assert_eq!(
        total,
        actual * Decimal::from(ok),
        "every answered request is charged its actual cost"
    );
    assert_eq!(ledger(s.addr, "lax").await.len(), ok);
    assert!(
        total <= limit + Decimal::from(CLIENTS) * (actual - estimate),
        "{total} spent: more than the limit plus the in-flight estimate errors"
    );
    // Nothing was left unused either: the last refusal saw less than one
    // estimate of room, and no reservation leaked.
    assert!(total > limit - estimate, "{total} spent of {limit}");
    let r = chat_as(s.addr, "one-more", 4).await.expect("reply");
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(up.received().len(), ok);
}

/// A client that repeats one `x-request-id` pays for every call it causes:
/// the budget (2 calls of 0.012 in 0.03) refuses the third, and the ledger
/// keeps both calls under distinct ids.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_request_id_cannot_spend_past_the_budget() {
    let up = Upstream::start().await;
    let dir = TempDir::new();
    let s = Server::start_in(
        &dir.0,
        &budget_config(&up, &dir.0).replace("\"0.10\"", "\"0.03\""),
    );
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(chat_as(s.addr, "same-id", 10).await.expect("reply").status);
    }
    assert_eq!(statuses, [200, 200, 429, 429]);
    assert_eq!(up.received().len(), 2);
    let ids: Vec<String> = ledger(s.addr, "lax")
        .await
        .iter()
        .map(|r| r["request_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_eq!(ids[0], "same-id");
    assert!(ids[1].starts_with("same-id#"), "{ids:?}");
    assert_eq!(
        decimal(&spend(s.addr, "lax").await["spent_usd"]),
        d("0.024")
    );
}
