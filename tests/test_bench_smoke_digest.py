"""bench/digest_render.py runs on a small digest and prints its figures and command line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "digest_render.py"


def test_digest_render_bench_runs_small():
    proc = subprocess.run([sys.executable, str(BENCH), "--stories", "20", "--repeat", "1"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "stories:              20" in proc.stdout
    assert re.search(r"render_digest:\s+first [\d.]+ ms", proc.stdout)
    assert re.search(r"^command: python .*digest_render\.py --stories 20 --repeat 1$", proc.stdout, re.M)
