"""bench/extraction.py runs on a tiny data set built here from the project's own fixture pages (the same layout
as ../shared/korean-data: index.jsonl, .gold.txt + .meta.json, fundus-style JSON, a date-only gold) and prints
its table and command line; and it says so when there is no data."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "extraction.py"
PAGES = Path(__file__).parent / "fixtures" / "pages"

DECLARED_GOLD = """미국 상무부 산업안보국(BIS)이 인공지능(AI) 가속기의 대중국 수출을 막는 성능 기준을 한층 낮춘 새 규정을 내놨다.
새 규정은 총처리성능이 일정 수준을 넘는 칩뿐 아니라 메모리 대역폭이 큰 칩도 허가 대상에 넣었다. 엔비디아가 중국 시장을 겨냥해 내놓은 H20급 제품도 이번에는 규제를 피하기 어렵게 됐다.
업계에서는 사진 장비나 계측 장비처럼 반도체 공정에 쓰이는 도구까지 범위가 넓어질 수 있다는 관측도 나온다. 한 증권사 기자 간담회에서 나온 질문도 대부분 이 부분에 쏠렸다.
중국 상무부는 "시장 질서를 해치는 일방적 조치"라며 대응 조치를 검토하겠다고 밝혔다."""


def tiny_dataset(root: Path) -> Path:
    (root / "pages").mkdir(parents=True)
    (root / "pages" / "declared.html").write_bytes((PAGES / "declared_body.html").read_bytes())
    (root / "pages" / "declared.gold.txt").write_text(DECLARED_GOLD, encoding="utf-8")
    (root / "pages" / "declared.meta.json").write_text(json.dumps(
        {"title": "美, AI 가속기 수출통제 문턱 낮춰…H20급도 허가 대상", "published_at": "2026-11-20 14:05:00"},
        ensure_ascii=False), encoding="utf-8")
    (root / "pages" / "teaser.html.gz").write_bytes(gzip.compress((PAGES / "short_teaser.html").read_bytes()))
    fundus = {"V1": {"title": "[영상] 美 의회, AI 칩 추적법 통과", "publishing_date": "2026-11-21 09:10:00+09:00",
                     "body": {"summary": ['"칩이 어디로 가는지 끝까지 확인하겠다"'], "sections": [{"headline": [], "paragraphs": [
                         "미국 하원이 첨단 AI 칩에 위치 확인 기능을 넣도록 하는 법안을 통과시켰습니다.",
                         "수출된 칩이 중국으로 흘러가는 것을 막기 위한 조치입니다.",
                         "자세한 내용은 영상으로 확인하시죠."]}]}}}
    (root / "pages" / "teaser.json").write_text(json.dumps(fundus, ensure_ascii=False), encoding="utf-8")
    (root / "pages" / "dates.json").write_text(json.dumps({"twice.html": {"date": "2026-11-16"}}), encoding="utf-8")
    (root / "pages" / "twice.html").write_bytes((PAGES / "printed_twice.html").read_bytes())
    rows = [
        {"html": "pages/declared.html", "gold": "pages/declared.gold.txt", "meta": "pages/declared.meta.json",
         "url": "https://news.hanbit-tech.example/article/2026/11/20/A1", "publisher": "fixture",
         "gold_type": "scraper-output"},
        {"html": "pages/teaser.html.gz", "gold": "pages/teaser.json#V1", "url": "", "publisher": "fixture",
         "gold_type": "structured json"},
        {"html": "pages/twice.html", "gold": "pages/dates.json#twice.html", "url": "", "publisher": "fixture",
         "gold_type": "date only"},
        {"html": "pages/twice.html", "gold": "pages/declared.gold.txt", "url": "", "publisher": "fixture",
         "gold_type": "UNUSABLE: placeholder"},
    ]
    (root / "index.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return root


def test_extraction_benchmark_runs_on_a_tiny_dataset(tmp_path):
    data = tiny_dataset(tmp_path / "data")
    proc = subprocess.run([sys.executable, str(BENCH), "--data", str(data), "--worst", "2"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert re.search(rf"^command: python bench/extraction.py --data {re.escape(str(data))} --worst 2$", out, re.M)
    assert "pages: 3 with gold; 2 with usable gold text; 2 with a gold title; 3 with a gold date" in out
    ours = re.search(r"^chipwatch\s+([\d.]+)\s+([\d.]+)", out, re.M)
    assert ours and float(ours.group(1)) > 0.97, out          # our own pages, our own gold: near perfect
    assert re.search(r"^trafilatura 2\.3\.1 dflt\s+[\d.]+", out, re.M)


def test_extraction_benchmark_without_data_says_so(tmp_path):
    proc = subprocess.run([sys.executable, str(BENCH), "--data", str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and "데이터 없음" in proc.stdout
