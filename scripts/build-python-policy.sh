#!/usr/bin/env bash
# Build examples/python-policy into target/python-policy/py_keywords.wasm with
# componentize-py from PyPI (pinned), in a project-local virtual environment.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-py"
out="$root/target/python-policy"
if [ ! -x "$venv/bin/componentize-py" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check componentize-py==0.25.1
fi
mkdir -p "$out"
if [ "$out/py_keywords.wasm" -nt "$root/examples/python-policy/app.py" ] \
   && [ "$out/py_keywords.wasm" -nt "$root/wit/types.wit" ]; then
  exit 0
fi
cd "$root/examples/python-policy"
# --stub-wasi: the component imports only the world's own interfaces, so nothing
# can reach a filesystem or socket even by accident.
"$venv/bin/componentize-py" -d "$root/wit" -w policy componentize --stub-wasi app -o "$out/py_keywords.wasm"
echo "built $out/py_keywords.wasm"
