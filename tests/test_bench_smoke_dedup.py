"""The dedup-at-scale benchmark still runs on a small history, so it cannot rot."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "dedup_scale.py"


def test_dedup_scale_benchmark_runs_small():
    proc = subprocess.run([sys.executable, str(BENCH), "--n", "2000", "--queries", "20"], capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "command: python" in proc.stdout and "edited copies found: 10/10" in proc.stdout
    assert "false hit: 0/10" in proc.stdout


def test_dedup_quality_benchmark_prints_its_figures():
    bench = Path(__file__).resolve().parents[1] / "bench" / "dedup_quality.py"
    proc = subprocess.run([sys.executable, str(bench)], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "duplicates:" in proc.stdout and "F1" in proc.stdout and "pairwise precision" in proc.stdout
