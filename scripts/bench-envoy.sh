#!/usr/bin/env bash
# Benchmark: requests/s, p50 and p99 through Envoy with no filter, with Warden's
# four proxy-wasm filters (examples/envoy/envoy.yaml), with the chain filter
# (examples/envoy/envoy-chain.yaml), and through `warden serve` with the same
# chain, against one fast fake upstream (host/examples/fake_upstream.rs), driven
# by the release load generator (host/examples/loadgen.rs), on the ~2 KB chat
# request in tests/fixtures/chat-2k.json. Several rounds; prints medians, the
# proxy's CPU per request, and the ratios against the 75% target.
# Client, Envoy and upstream share the machine: note the load average printed.
# Knobs (environment): WARDEN_BENCH_ROUNDS (3), WARDEN_BENCH_CONNECTIONS (16),
# WARDEN_BENCH_SECS (8), WARDEN_BENCH_CONCURRENCY (Envoy --concurrency and
# warden's tokio workers, 1), WARDEN_BENCH_SINGLE=injection,pii,router,risk,keyword,allow
# (also each filter alone), WARDEN_BENCH_FILTER_DIR=<dir> (the four modules from
# another build), WARDEN_BENCH_STRICT=1 (fail when the chain filter misses 75%).
# Exploration (side by side in one run): WARDEN_BENCH_CHAIN_FILTER=<wasm> (the
# chain module from another build), WARDEN_BENCH_CHAIN_MODULES='label=<wasm>;…',
# WARDEN_BENCH_FOUR_DIRS='label=<dir>;…', WARDEN_BENCH_CHAIN_CONFIGS='label=<json>;…'
# (the chain filter with other plugin configs; a label `continue…` runs in
# continue mode), WARDEN_BENCH_SKIP=four,serve, WARDEN_BENCH_PERF=<dir> (perf
# record Envoy per setup). tests/e2e/envoy/guest-bench.js times a module's guest
# code alone in V8 (Node), without Envoy.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/envoy-venv.sh >/dev/null
cargo build --release -p warden --bin warden --example loadgen --example fake_upstream
export WARDEN_ENVOY="$root/.venv-envoy/bin/envoy"
export WARDEN_BENCH_BIN_DIR="$root/target/release"
cargo test -p warden --test e2e envoy::bench -- --ignored --nocapture --test-threads 1
