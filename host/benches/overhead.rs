//! Per-call costs of the host itself, with the smallest possible policy:
//! - `empty_policy/warm`: bare per-call overhead with the default (warm) strategy
//!   (target: median <= 5 µs);
//! - `empty_policy/fresh`: a fresh instance (+ configure) per call;
//! - `hot_swap/cached_to_first_call`: replacing a tenant's chain with an already
//!   compiled policy, up to its first served call (target: median <= 2 ms).
//!
//! Run with `cargo bench -p warden --bench overhead`.

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use warden::Warden;
use warden::chain::StateBag;
use warden::config::Config;
use warden_sdk::{Input, Phase};

fn config(instances: &str, tag: &str) -> Config {
    let toml = format!(
        "[policies.empty]\nsource = {:?}\ninstances = {instances:?}\nconfig = {{ mode = \"allow\", tag = {tag:?} }}\n\
         [tenants.t.chain]\nrequest = [\"empty\"]\n",
        warden_artifacts::TEST_MISBEHAVE
    );
    Config::from_toml(&toml, Path::new("/")).unwrap()
}

fn empty_policy(c: &mut Criterion) {
    let mut g = c.benchmark_group("empty_policy");
    for strategy in ["warm", "fresh"] {
        let w = Warden::start(config(strategy, "")).unwrap();
        let policy = w.chain("t").unwrap().policies(Phase::Request)[0].clone();
        let input = Input::request("What is the capital of France?");
        g.bench_function(strategy, |b| b.iter(|| policy.evaluate(&input).unwrap()));
    }
    g.finish();
}

fn chain_of_one(c: &mut Criterion) {
    let w = Warden::start(config("warm", "")).unwrap();
    let input = Input::request("What is the capital of France?");
    c.bench_function("empty_chain_of_one/warm", |b| {
        b.iter(|| {
            w.evaluate("t", Phase::Request, input.clone(), &mut StateBag::new())
                .unwrap()
        })
    });
}

fn hot_swap(c: &mut Criterion) {
    let w = Warden::start(config("warm", "a")).unwrap();
    let input = Input::request("hi");
    let mut n = 0u64;
    c.bench_function("hot_swap/cached_to_first_call", |b| {
        b.iter(|| {
            // A new config each time, so nothing configured is reused; the
            // module itself is compiled once and cached, as in production.
            n += 1;
            let next = config("warm", &n.to_string());
            w.swap_tenant("t", &next.tenants["t"]).unwrap();
            w.evaluate("t", Phase::Request, input.clone(), &mut StateBag::new())
                .unwrap()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = empty_policy, chain_of_one, hot_swap
}
criterion_main!(benches);
