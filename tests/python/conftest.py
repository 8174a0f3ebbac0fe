"""Fixtures: a real `warden serve` (target/debug/warden) on a free port, using
the built-in mock model and the banned-topics example policy as the deny policy.

Build first: `cargo build -p warden`. Set WARDEN_BIN to test another binary.
"""

import glob
import os
import pathlib
import re
import subprocess
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("WARDEN_BIN", ROOT / "target" / "debug" / "warden"))


def banned_topics_wasm() -> str:
    """The banned-topics component that `cargo build -p warden` builds (newest build dir)."""
    pattern = str(ROOT / "target/debug/build/warden-artifacts-*/out/guests/wasm32-wasip2/guest/banned_topics.wasm")
    found = sorted(glob.glob(pattern), key=os.path.getmtime)
    if not found:
        pytest.fail(f"no {pattern}: run `cargo build -p warden` first")
    return found[-1]


CONFIG = """
[server]
upstream_timeout_ms = 10000

# The built-in mock model, and no default upstream: other models are 404.
[upstreams.mock]
[models.mock]
upstream = "mock"

[policies.topics]
source = "{wasm}"
config = {{ topics = ["crypto"] }}

[tenants.default.chain]
request = ["topics"]
response = ["topics"]
"""


@pytest.fixture(scope="session")
def gateway():
    """Base URL of a running gateway (no API keys configured: any key is tenant `default`)."""
    if not BIN.exists():
        pytest.fail(f"{BIN} is missing: run `cargo build -p warden` first")
    with tempfile.TemporaryDirectory() as tmp:
        cfg = pathlib.Path(tmp) / "warden.toml"
        cfg.write_text(CONFIG.format(wasm=banned_topics_wasm()))
        log = open(pathlib.Path(tmp) / "stderr.log", "w+")
        proc = subprocess.Popen(
            [str(BIN), "serve", "--config", str(cfg), "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            base = None
            for line in proc.stdout:
                m = re.search(r"listening on (http://\S+)", line)
                if m:
                    base = m.group(1)
                    break
            if base is None:
                log.seek(0)
                pytest.fail(f"warden serve did not start: {log.read()}")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
