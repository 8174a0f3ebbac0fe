#!/usr/bin/env bash
# Create .venv-sdk/ with the official OpenAI and Anthropic Python SDKs (pinned)
# and pytest, for tests/python (`warden serve` driven by real provider clients).
# Idempotent: an existing venv with the right pins is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-sdk
PINS=(openai==3.57.0 anthropic==2.13.0 pytest==9.2.0)
STAMP="$VENV/.pins"

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "${PINS[*]}" ]]; then
    exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "${PINS[@]}"
echo "${PINS[*]}" > "$STAMP"
echo "python SDK venv ready in $VENV (${PINS[*]})"
