//! `warden serve` with `[resilience]`: retries on 5xx, the circuit breaker
//! opens after the configured failures, and the fallback upstream answers.

use crate::gateway::{LAX, PATHS, TIMEOUT, call, chat, config};
use crate::gateway_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_upstream_is_retried_then_its_breaker_opens_and_the_fallback_answers() {
    let up = Upstream::start().await;
    let cfg = format!(
        "{}\n[resilience]\nmax_retries = 1\nbackoff_base_ms = 10\nbackoff_max_ms = 20\n\
         breaker_failures = 2\nbreaker_recovery_secs = 60\n\
         fallback_upstreams = {{ openai = \"mock\" }}\n",
        config(&up, TIMEOUT)
    );
    let s = Server::start(&cfg);
    let path = PATHS[0];
    up.set(|s| s.mode = "status:500".into());
    // First call: 500, retried once (500 again): two failures open the breaker.
    let r = call(&s, path, LAX, &chat(path, "hello", false)).await;
    assert_eq!(r.status, 500, "{}", r.text());
    assert_eq!(up.received().len(), 2, "one retry");
    // Breaker open: the fallback (`mock`) answers; the failing upstream is not called.
    let r = call(&s, path, LAX, &chat(path, "hello", false)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(up.received().len(), 2);
    let m = s.metrics().await;
    assert!(
        m.contains("warden_breaker_state{upstream=\"openai\"} 2"),
        "{m}"
    );
    assert!(
        m.contains("warden_upstream_retries_total{upstream=\"openai\"} 1"),
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_breaker_without_fallback_is_503_upstream_unavailable() {
    let up = Upstream::start().await;
    let cfg = format!(
        "{}\n[resilience]\nmax_retries = 0\nbreaker_failures = 1\n",
        config(&up, TIMEOUT)
    );
    let s = Server::start(&cfg);
    let path = PATHS[0];
    up.set(|s| s.mode = "status:503".into());
    let r = call(&s, path, LAX, &chat(path, "hello", false)).await;
    assert_eq!(r.status, 503, "{}", r.text());
    up.set(|s| s.mode = String::new());
    let r = call(&s, path, LAX, &chat(path, "hello", false)).await;
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(
        r.json()["error"]["type"],
        "upstream_unavailable",
        "{}",
        r.text()
    );
    assert_eq!(up.received().len(), 1);
}
