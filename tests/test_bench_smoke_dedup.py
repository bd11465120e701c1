"""The dedup benchmarks still run (at scale on a small history; quality with its independent set), so they
cannot rot."""

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "dedup_scale.py"


def test_dedup_scale_benchmark_runs_small():
    proc = subprocess.run([sys.executable, str(BENCH), "--n", "2000", "--queries", "20"], capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "command: python" in proc.stdout and "edited copies found: 10/10" in proc.stdout
    assert "false hit: 0/10" in proc.stdout


QUALITY = Path(__file__).resolve().parents[1] / "bench" / "dedup_quality.py"
INDEPENDENT = Path(__file__).resolve().parents[1] / "bench" / "data" / "pairs_independent.jsonl"
KOREAN_DATA = Path(__file__).resolve().parents[2] / "shared" / "korean-data"


def test_dedup_quality_benchmark_prints_its_figures():
    proc = subprocess.run([sys.executable, str(QUALITY)], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "duplicates:" in proc.stdout and "F1" in proc.stdout and "pairwise precision" in proc.stdout
    assert "independent duplicates, written reports:" in proc.stdout
    assert "independent stories: 49 reports of 19 events, 1176 pairs" in proc.stdout
    if (KOREAN_DATA / "index.jsonl").exists():
        assert "independent duplicates, real pages (" in proc.stdout


def test_dedup_quality_benchmark_skips_missing_real_pages(tmp_path):
    proc = subprocess.run([sys.executable, str(QUALITY), "--korean-data", str(tmp_path / "absent")],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "independent duplicates, real pages: skipped" in proc.stdout
    assert "independent stories:" in proc.stdout


def test_independent_set_is_well_formed():
    """Several outlets per event, each report a whole article with a Korean-time date."""
    reports = [json.loads(line) for line in INDEPENDENT.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in reports}) == len(reports)
    events: dict[str, list[str]] = {}
    for r in reports:
        assert set(r) == {"id", "event", "outlet", "published", "title", "paragraphs"}, r["id"]
        assert datetime.fromisoformat(r["published"]).utcoffset() == timedelta(hours=9), r["id"]
        assert r["title"] and 4 <= len(r["paragraphs"]) <= 8, r["id"]
        events.setdefault(r["event"], []).append(r["outlet"])
    assert len(events) >= 12
    for event, outlets in events.items():
        assert 2 <= len(outlets) <= 4 and len(set(outlets)) == len(outlets), event
