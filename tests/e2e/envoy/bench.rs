//! Throughput and latency through Envoy with no filter, with the four Warden
//! filters (`examples/envoy/envoy.yaml`), with the chain filter
//! (`examples/envoy/envoy-chain.yaml`), and through `warden serve` with the
//! same chain, all against the same fake upstream, on the canonical ~2 KB chat
//! request (`tests/fixtures/chat-2k.json`).
//!
//! Client and upstream are the release-built `loadgen` and `fake_upstream`
//! examples (the gateway benchmark's), each its own process, so neither caps
//! Envoy's no-filter rate; the machine is shared by client, upstream and proxy.
//! Every round measures every setup once, in the same order; the table shows
//! the median over the rounds, and ratios are taken within each round.
//! Envoy's CPU per request (from /proc) is reported too: it is what the filters
//! cost, and it is steadier than rps on a busy machine.
//!
//! Run with `scripts/bench-envoy.sh` (an ignored test: timings never run in CI).
//! Target (issue #7): the filters keep at least 75% of Envoy's no-filter rps.
//!
//! Knobs: `WARDEN_BENCH_ROUNDS` (3), `WARDEN_BENCH_CONNECTIONS` (16),
//! `WARDEN_BENCH_SECS` (8 measured, after 2 of warm-up), `WARDEN_BENCH_CONCURRENCY`
//! (Envoy `--concurrency`, 1), `WARDEN_BENCH_SINGLE` (also each filter alone),
//! `WARDEN_BENCH_FILTER_DIR` (the four modules from another build),
//! `WARDEN_BENCH_CHAIN_FILTER` (the chain module from another build),
//! `WARDEN_BENCH_CHAIN_MODULES` (`label=path;…`: more chain builds side by side),
//! `WARDEN_BENCH_FOUR_DIRS` (`label=dir;…`: more builds of the four filters),
//! `WARDEN_BENCH_CHAIN_CONFIGS` (`label=json;…`: the chain filter with other
//! plugin configurations), `WARDEN_BENCH_SKIP` (`four`, `serve`: leave out).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::support::envoy::{self, Envoy, Filter};

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A child process killed on drop.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `cmd` and wait for `http://127.0.0.1:PORT` on its stdout.
fn spawn_listening(mut cmd: Command) -> (Proc, u16) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start");
    let out = child.stdout.take().unwrap();
    let child = Proc(child);
    for line in BufReader::new(out).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
            return (child, port.parse().unwrap());
        }
    }
    panic!("no listening line");
}

/// CPU time (user + system) of `pid` so far, in seconds.
fn cpu_secs(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields 14 and 15 (utime, stime) are 12 and 13 after the command name.
    (ticks(11) + ticks(12)) / 100.0
}

#[derive(Debug, Clone, Copy, Default)]
struct Figures {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
    /// Proxy CPU per answered request, µs (warm-up included in both terms).
    cpu_us: f64,
}

struct Bench {
    loadgen: PathBuf,
    body: PathBuf,
    connections: u64,
    secs: u64,
}

impl Bench {
    /// Closed-loop load on `port`; the proxy's CPU is read from `pid`.
    fn load(&self, port: u16, pid: u32, auth: bool) -> Figures {
        let cpu0 = cpu_secs(pid);
        let mut cmd = Command::new(&self.loadgen);
        cmd.arg("--url")
            .arg(format!("http://127.0.0.1:{port}/v1/chat/completions"))
            .arg("--body")
            .arg(&self.body)
            .args(["--header", "content-type: application/json"])
            .args(["-c", &self.connections.to_string()])
            .args(["-d", &self.secs.to_string(), "--warmup", "2"]);
        if auth {
            cmd.args(["--header", "authorization: Bearer sk-bench"]);
        }
        let out = cmd.output().expect("run loadgen");
        let cpu = cpu_secs(pid) - cpu0;
        let r: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("loadgen: {}", String::from_utf8_lossy(&out.stderr)));
        let rps = r["rps"].as_f64().unwrap_or(0.0);
        let answered = rps * (self.secs + 2) as f64;
        Figures {
            rps,
            p50_ms: r["p50_ms"].as_f64().unwrap_or(0.0),
            p99_ms: r["p99_ms"].as_f64().unwrap_or(0.0),
            errors: r["errors"].as_u64().unwrap_or(0) + r["non_200"].as_u64().unwrap_or(0),
            cpu_us: if answered > 0.0 {
                cpu * 1e6 / answered
            } else {
                0.0
            },
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if v.is_empty() { 0.0 } else { v[v.len() / 2] }
}

/// `warden serve` with the chain of the example Envoy config, in front of `port`.
fn serve_config(port: u16) -> String {
    let url = format!("http://127.0.0.1:{port}");
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

/// One setup: how to start it (an Envoy config, or `warden serve`).
enum Setup {
    Envoy(String),
    Serve,
}

#[test]
#[ignore = "benchmark: run with scripts/bench-envoy.sh"]
fn bench_envoy_filters_and_warden_serve() {
    let bin = envoy::binary().expect("set WARDEN_ENVOY (scripts/envoy-venv.sh)");
    let bins = PathBuf::from(
        std::env::var("WARDEN_BENCH_BIN_DIR")
            .expect("set WARDEN_BENCH_BIN_DIR to target/release (scripts/bench-envoy.sh)"),
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let bench = Bench {
        loadgen: bins.join("examples/loadgen"),
        body: root.join("tests/fixtures/chat-2k.json"),
        connections: knob("WARDEN_BENCH_CONNECTIONS", 16),
        secs: knob("WARDEN_BENCH_SECS", 8),
    };
    let rounds = knob("WARDEN_BENCH_ROUNDS", 3) as usize;
    let concurrency = knob("WARDEN_BENCH_CONCURRENCY", 1);
    let mut up = Command::new(bins.join("examples/fake_upstream"));
    up.args(["0", "--workers", "1"]);
    let (_up, port) = spawn_listening(up);
    let body_len = std::fs::metadata(&bench.body).unwrap().len();
    let load = || std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "\n{body_len} B chat request, {} connections (closed loop, release loadgen), {} s per setup after 2 s warm-up, \
         {rounds} rounds, Envoy --concurrency {concurrency}, fake_upstream 1 worker, {} CPUs, loadavg before: {}",
        bench.connections,
        bench.secs,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load().trim()
    );

    let mut setups: Vec<(String, Setup)> = Vec::new();
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
            let f = Filter::new(name, module, config);
            setups.push((
                format!("envoy + {name} alone"),
                Setup::Envoy(envoy::config(&[f], port)),
            ));
        }
    }
    // The chain filter module: the built one, or another build (e.g. another
    // opt-level) named by `WARDEN_BENCH_CHAIN_FILTER`.
    let chain_module =
        std::env::var("WARDEN_BENCH_CHAIN_FILTER").unwrap_or(warden_artifacts::CHAIN_FILTER.into());
    if let Ok(variants) = std::env::var("WARDEN_BENCH_CHAIN_CONFIGS") {
        // Exploration: the chain filter with other plugin configurations
        // (`label=json;label=json`, hold mode unless the label starts with
        // `continue`), e.g. one policy at a time, to
        // split the plumbing from the policies' compute.
        for v in variants.split(';').filter(|v| !v.trim().is_empty()) {
            let (label, json) = v.split_once('=').expect("label=json");
            let mut f = Filter::new("chain", &chain_module, json.trim());
            if label.trim().starts_with("continue") {
                f = f.continue_mode("{}"); // a label `continue…` runs in continue mode
            }
            setups.push((
                format!("chain {}", label.trim()),
                Setup::Envoy(envoy::config(&[f], port)),
            ));
        }
    }
    setups.push((
        "envoy, no filter".into(),
        Setup::Envoy(envoy::config(&[], port)),
    ));
    let mut four = envoy::example_config(port, port);
    if let Ok(dir) = std::env::var("WARDEN_BENCH_FILTER_DIR") {
        // Exploration: the same filters built differently (e.g. another opt-level).
        let built = Path::new(warden_artifacts::INJECTION_FILTER)
            .parent()
            .unwrap();
        four = four.replace(built.to_str().unwrap(), &dir);
    }
    // `WARDEN_BENCH_SKIP=four,serve` leaves those setups out (exploration).
    let skip = std::env::var("WARDEN_BENCH_SKIP").unwrap_or_default();
    if !skip.contains("four") {
        setups.push(("envoy + 4 warden filters".into(), Setup::Envoy(four)));
    }
    if let Ok(dirs) = std::env::var("WARDEN_BENCH_FOUR_DIRS") {
        // Exploration: other builds of the four filters side by side (`label=dir;…`).
        let built = Path::new(warden_artifacts::INJECTION_FILTER)
            .parent()
            .unwrap();
        for d in dirs.split(';').filter(|d| !d.trim().is_empty()) {
            let (label, dir) = d.split_once('=').expect("label=dir");
            let yaml =
                envoy::example_config(port, port).replace(built.to_str().unwrap(), dir.trim());
            setups.push((format!("4 filters {}", label.trim()), Setup::Envoy(yaml)));
        }
    }
    let chain = envoy::example_chain_config(port, port)
        .replace(warden_artifacts::CHAIN_FILTER, &chain_module);
    setups.push(("envoy + chain filter".into(), Setup::Envoy(chain)));
    if let Ok(modules) = std::env::var("WARDEN_BENCH_CHAIN_MODULES") {
        // Exploration: other builds of the chain filter side by side
        // (`label=path;…`), with the example config.
        for m in modules.split(';').filter(|m| !m.trim().is_empty()) {
            let (label, path) = m.split_once('=').expect("label=path");
            let yaml = envoy::example_chain_config(port, port)
                .replace(warden_artifacts::CHAIN_FILTER, path.trim());
            setups.push((format!("chain {}", label.trim()), Setup::Envoy(yaml)));
        }
    }
    if !skip.contains("serve") {
        setups.push(("warden serve (same chain)".into(), Setup::Serve));
    }

    let concurrency = concurrency.to_string();
    let mut results: Vec<Vec<Figures>> = vec![Vec::new(); setups.len()];
    for round in 0..rounds {
        for (i, (name, setup)) in setups.iter().enumerate() {
            let f = match setup {
                Setup::Envoy(yaml) => {
                    let e = Envoy::start_with(&bin, yaml, &concurrency);
                    // `WARDEN_BENCH_PERF=<dir>`: also `perf record` Envoy during
                    // the load (Envoy is stripped: split by DSO, e.g. V8's JIT code
                    // (the filters) against Envoy itself and the kernel).
                    let perf = std::env::var("WARDEN_BENCH_PERF").ok().map(|dir| {
                        let label: String = name
                            .chars()
                            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                            .collect();
                        Proc(
                            Command::new("perf")
                                .args(["record", "-q", "-F", "2000", "-o"])
                                .arg(format!("{dir}/{label}-r{round}.data"))
                                .args(["-p", &e.pid().to_string()])
                                .stdout(Stdio::null())
                                .stderr(Stdio::null())
                                .spawn()
                                .expect("start perf"),
                        )
                    });
                    let f = bench.load(e.addr.port(), e.pid(), false);
                    if let Some(mut p) = perf {
                        // SIGINT so perf writes its file.
                        let _ = Command::new("kill")
                            .args(["-INT", &p.0.id().to_string()])
                            .status();
                        let _ = p.0.wait();
                    }
                    f
                }
                Setup::Serve => {
                    let dir = envoy::TempDir::new();
                    let file = dir.0.join("warden.toml");
                    std::fs::write(&file, serve_config(port)).unwrap();
                    let mut cmd = Command::new(bins.join("warden"));
                    cmd.arg("serve")
                        .arg("--config")
                        .arg(&file)
                        .args(["--listen", "127.0.0.1:0"])
                        .env("TOKIO_WORKER_THREADS", &concurrency)
                        .env("WARDEN_LOG", "warn");
                    let (p, wport) = spawn_listening(cmd);
                    bench.load(wport, p.0.id(), true)
                }
            };
            println!(
                "round {round}: {name:<28} {:>7.0} rps  p50 {:>6.2} ms  p99 {:>6.2} ms  proxy CPU {:>5.0} µs/req  errors {}",
                f.rps, f.p50_ms, f.p99_ms, f.cpu_us, f.errors
            );
            results[i].push(f);
        }
    }

    let base = setups
        .iter()
        .position(|(n, _)| n == "envoy, no filter")
        .unwrap();
    println!("\nloadavg after: {}", load().trim());
    println!(
        "\n| setup | rps (median) | p50 ms | p99 ms | proxy CPU µs/req | rps vs no filter (median of per-round ratios) |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    let mut ratios = Vec::new();
    for (i, (name, _)) in setups.iter().enumerate() {
        let col = |g: fn(&Figures) -> f64| median(results[i].iter().map(g).collect());
        let ratio = median(
            results[i]
                .iter()
                .zip(&results[base])
                .map(|(f, b)| f.rps / b.rps)
                .collect(),
        );
        println!(
            "| {name} | {:.0} | {:.2} | {:.2} | {:.0} | {:.0}% |",
            col(|f| f.rps),
            col(|f| f.p50_ms),
            col(|f| f.p99_ms),
            col(|f| f.cpu_us),
            ratio * 100.0
        );
        ratios.push((name.clone(), ratio));
    }
    for (name, r) in &ratios {
        if name.starts_with("envoy + 4") || name.starts_with("envoy + chain") {
            let verdict = if *r >= 0.75 { "PASS" } else { "MISS" };
            println!(
                "{name}: keeps {:.0}% of Envoy's no-filter rps (target >= 75%): {verdict}",
                r * 100.0
            );
        }
    }
    let errors: u64 = results.iter().flatten().map(|f| f.errors).sum();
    assert_eq!(errors, 0, "every request should succeed");
    if std::env::var_os("WARDEN_BENCH_STRICT").is_some() {
        let chain = ratios
            .iter()
            .find(|(n, _)| n.starts_with("envoy + chain"))
            .unwrap()
            .1;
        assert!(
            chain >= 0.75,
            "the chain filter costs more than 25% of Envoy's throughput"
        );
    }
}
