"""Shared fixtures: the sample web on 127.0.0.1, temporary configs, and running the real `chipwatch` command."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from digest.sampleweb import SampleWeb

SHARED = Path(__file__).resolve().parents[2] / "shared"
KOREAN_DATA = SHARED / "korean-data"


def chipwatch(*args: str, cwd: Path, env: dict | None = None, timeout: float = 180,
              check: bool = False) -> subprocess.CompletedProcess:
    """Run the installed command as a user would (a child process, its own cwd, no terminal)."""
    full_env = dict(os.environ)
    full_env.pop("CHIPWATCH_CONFIG", None)
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "digest.cli", *args], cwd=cwd, env=full_env, text=True,
                          capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError(f"chipwatch {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc


def send_body(handler, body: bytes, content_type: str) -> None:
    """Answer a test server's request with ``body`` (404 when it is empty)."""
    handler.send_response(200 if body else 404)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def write_config(path: Path, web: SampleWeb | None = None, extra: str = "", sources: list | None = None) -> Path:
    lines = ['[storage]\nurl = "sqlite:///chipwatch.db"\n',
             '[crawl]\ndelay = 0\ncontact = "test@example.com"\ntimeout = 10\nretries = 2\nworkers = 1\n',
             '[digest]\noutbox = "outbox"\n', extra]
    for name, kind, url in (sources if sources is not None else (web.sources() if web else [])):
        lines.append(f'[[sources]]\nname = "{name}"\nkind = "{kind}"\nurl = "{url}"\n')
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample_web():
    with SampleWeb(now=datetime.now(timezone.utc)) as web:
        yield web


@pytest.fixture
def korean_data() -> Path:
    if not (KOREAN_DATA / "index.jsonl").exists():
        pytest.skip("../shared/korean-data is not present")
    return KOREAN_DATA
