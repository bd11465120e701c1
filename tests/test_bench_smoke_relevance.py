"""The relevance benchmark still runs and prints per-set precision and recall."""

import subprocess
import sys
from pathlib import Path


def test_relevance_benchmark_prints_figures():
    bench = Path(__file__).resolve().parents[1] / "bench" / "relevance.py"
    proc = subprocess.run([sys.executable, str(bench)], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "written/holdout" in proc.stdout and "precision" in proc.stdout and "ALL" in proc.stdout
