"""The crawl-throughput benchmark still runs on a tiny mirror (2 loopback hosts, 40 pages)."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "crawl_throughput.py"


def test_crawl_throughput_benchmark_runs_small():
    proc = subprocess.run([sys.executable, str(BENCH), "--pages", "40", "--hosts", "2", "--port", "18760"],
                          capture_output=True, text=True, timeout=300, cwd=BENCH.parents[1])
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "command: python" in proc.stdout and "ratio chipwatch / bare:" in proc.stdout
    assert "chipwatch crawl:       40 pages" in proc.stdout
