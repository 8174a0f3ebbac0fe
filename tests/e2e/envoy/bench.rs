//! Throughput and latency through Envoy with no filter, through Envoy with the
//! four Warden filters (the example config), and through `warden serve` with
//! the same chain, all against the same fake upstream, on the canonical ~2 KB
//! chat request (`tests/fixtures/chat-2k.json`). One run, one table.
//!
//! Run with `scripts/bench-envoy.sh` (an ignored test: timings never run in CI).
//! Target (issue #7): the filters keep at least 75% of Envoy's no-filter rps.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;

use crate::gateway_support::Server;
use crate::support::envoy::{self, Envoy, Upstream, rt};

/// Concurrent keep-alive connections (closed loop).
const CONNECTIONS: usize = 4;
/// Measured time per setup, after a warm-up.
const MEASURE: Duration = Duration::from_secs(8);
const WARM_UP: Duration = Duration::from_secs(2);

struct Figures {
    rps: f64,
    p50: Duration,
    p99: Duration,
    errors: usize,
}

/// Closed-loop load: `CONNECTIONS` clients POST `body` for `d`; latencies of 200s.
fn load(addr: SocketAddr, headers: &[(&str, String)], body: &Bytes, d: Duration) -> Figures {
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (headers, body): (Vec<(String, String)>, Bytes) = (
                headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
                body.clone(),
            );
            rt().spawn(async move {
                let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
                let (mut tx, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                    .await
                    .unwrap();
                tokio::spawn(conn);
                let (mut lat, mut errors) = (Vec::new(), 0);
                let end = Instant::now() + d;
                while Instant::now() < end {
                    let mut req = Request::post("/v1/chat/completions")
                        .header("host", "bench")
                        .header("content-type", "application/json");
                    for (k, v) in &headers {
                        req = req.header(k, v);
                    }
                    let t = Instant::now();
                    let resp = tx
                        .send_request(req.body(Full::new(body.clone())).unwrap())
                        .await;
                    let Ok(resp) = resp else {
                        return (lat, errors + 1);
                    };
                    let ok = resp.status() == 200;
                    let _ = resp.into_body().collect().await;
                    if ok {
                        lat.push(t.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let (mut all, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (lat, e) = rt().block_on(t).unwrap();
        all.extend(lat);
        errors += e;
    }
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Figures {
        rps: all.len() as f64 / d.as_secs_f64(),
        p50: pct(0.50),
        p99: pct(0.99),
        errors,
    }
}

fn measure(name: &str, addr: SocketAddr, headers: &[(&str, String)], body: &Bytes) -> Figures {
    load(addr, headers, body, WARM_UP);
    let f = load(addr, headers, body, MEASURE);
    println!(
        "{name:<28} {:>8.0} rps   p50 {:>7.0} µs   p99 {:>7.0} µs   errors {}",
        f.rps,
        f.p50.as_secs_f64() * 1e6,
        f.p99.as_secs_f64() * 1e6,
        f.errors
    );
    f
}

/// `warden serve` with the chain of the example Envoy config, in front of `up`.
fn serve_config(up: &Upstream) -> String {
    let url = format!("http://{}", up.addr);
    let key = warden::config::hash_api_key("sk-bench");
    format!(
        r#"
[upstreams.openai]
base_url = "{url}/v1"
[upstreams.small-models]
kind = "openai"
base_url = "{url}/v1"
[models."gpt-4o-mini"]
upstream = "openai"
[models."gpt-4o"]
upstream = "openai"
[models.o1]
upstream = "openai"

[policies.injection]
source = "builtin:injection"
config = {{ threshold = 0.5 }}
[policies.pii]
source = "builtin:pii"
[policies.router]
source = "builtin:router"
config = {{ tiers = [
  {{ name = "small", model = "gpt-4o-mini", max_score = 0.35, upstream = "small-models" }},
  {{ name = "medium", model = "gpt-4o", max_score = 0.7 }},
  {{ name = "large", model = "o1", max_score = 1.0 }},
] }}
[policies.risk]
source = "builtin:risk"

[tenants.bench]
api_keys = ["sha256:{key}"]
[tenants.bench.chain]
request = ["injection", "pii", "router"]
response = ["pii"]
tool-call = ["risk"]
"#
    )
}

#[test]
#[ignore = "benchmark: run with scripts/bench-envoy.sh"]
fn bench_envoy_filters_and_warden_serve() {
    let bin = envoy::binary().expect("set WARDEN_ENVOY (scripts/envoy-venv.sh)");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/chat-2k.json");
    let body = Bytes::from(std::fs::read(fixture).unwrap());
    let up = Upstream::start_quiet();
    println!(
        "{} B chat request, {CONNECTIONS} connections, {MEASURE:?} per setup, Envoy --concurrency 1",
        body.len()
    );

    if let Ok(only) = std::env::var("WARDEN_BENCH_SINGLE") {
        // Exploration: each filter alone (hold mode), to see where the cost is.
        for (name, module) in [
            ("injection", warden_artifacts::INJECTION_FILTER),
            ("pii", warden_artifacts::PII_FILTER),
            ("router", warden_artifacts::ROUTER_FILTER),
            ("risk", warden_artifacts::RISK_FILTER),
            ("keyword", warden_artifacts::KEYWORD_FILTER),
            ("allow", warden_artifacts::TEST_MISBEHAVE_FILTER),
        ] {
            if !only.is_empty() && !only.contains(name) {
                continue;
            }
            let config = match name {
                "keyword" => r#"["zzz"]"#,
                "allow" => r#"{"mode":"allow"}"#,
                _ => "{}",
            };
            let f = envoy::Filter::new(name, module, config);
            let e = Envoy::start(&bin, &envoy::config(&[f], up.port()));
            measure(&format!("envoy + {name}"), e.addr, &[], &body);
        }
    }
    let plain = Envoy::start(&bin, &envoy::config(&[], up.port()));
    let base = measure("envoy, no filter", plain.addr, &[], &body);
    drop(plain);

    let mut yaml = envoy::example_config(up.port(), up.port());
    if let Ok(dir) = std::env::var("WARDEN_BENCH_FILTER_DIR") {
        // Exploration: the same filters built differently (e.g. another opt-level).
        let built = Path::new(warden_artifacts::INJECTION_FILTER)
            .parent()
            .unwrap();
        yaml = yaml.replace(built.to_str().unwrap(), &dir);
    }
    let guarded = Envoy::start(&bin, &yaml);
    let filters = measure("envoy + 4 warden filters", guarded.addr, &[], &body);
    drop(guarded);

    let serve = Server::start(&serve_config(&up));
    let auth = [("authorization", "Bearer sk-bench".to_string())];
    let gateway = measure("warden serve (same chain)", serve.addr, &auth, &body);
    drop(serve);

    let ratio = filters.rps / base.rps;
    println!(
        "filters keep {:.0}% of Envoy's no-filter throughput (target >= 75%); warden serve: {:.0}%",
        ratio * 100.0,
        gateway.rps / base.rps * 100.0
    );
    assert_eq!(
        base.errors + filters.errors + gateway.errors,
        0,
        "every request should succeed"
    );
    assert!(
        ratio >= 0.75,
        "the four filters cost more than 25% of Envoy's throughput"
    );
}
