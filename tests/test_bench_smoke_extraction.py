"""The extraction benchmark still runs (a few pages), so it cannot rot; CI does not run the full benchmark."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "extraction.py"


def test_extraction_benchmark_runs_on_a_few_pages(korean_data):
    proc = subprocess.run([sys.executable, str(BENCH), "--data", str(korean_data), "--limit", "3"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "command: python" in proc.stdout and "pages with gold text: 3" in proc.stdout
    assert "trafilatura 2.3.1" in proc.stdout


def test_extraction_benchmark_without_data_says_so(tmp_path):
    proc = subprocess.run([sys.executable, str(BENCH), "--data", str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and "no data" in proc.stdout
