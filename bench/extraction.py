"""Extraction quality on the real Korean pages with gold text in ../shared/korean-data: chipwatch vs trafilatura.

Token F1 is computed on bags of word tokens (``\\w+``): several gold files join paragraphs without a space, so
whitespace tokens would punish a correct extraction for the gold's formatting.  Pages whose gold is marked
UNUSABLE, date-only or absent are skipped.  Prints a table and the command that produced it.

    python bench/extraction.py [--data ../shared/korean-data] [--limit N] [--show-worst K]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.decode import read_saved_page  # noqa: E402
from crawler.extract import ExtractError, extract  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "korean-data"
TOKEN = re.compile(r"\w+")


def tokens(text: str) -> Counter:
    return Counter(TOKEN.findall(text.lower()))


def f1(pred: str, gold: str) -> float:
    p, g = tokens(pred), tokens(gold)
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _gold_from_json(obj) -> tuple[str | None, str | None, str | None]:
    """(text, title, date) from the several gold JSON shapes in korean-data."""
    if isinstance(obj, str):
        return obj, None, None
    text = title = date = None
    if isinstance(obj, dict):
        for key in ("articleBody", "cleaned_text", "text", "body", "content"):
            if isinstance(obj.get(key), str):
                text = obj[key]
                break
        if text is None and isinstance(obj.get("body"), dict):
            body = obj["body"]
            parts = []
            for key in ("summary",):
                parts += body.get(key) or []
            for section in body.get("sections") or []:
                parts += section.get("headline") or []
                parts += section.get("paragraphs") or []
            text = "\n".join(p for p in parts if isinstance(p, str)) or None
        title = obj.get("title") if isinstance(obj.get("title"), str) else None
        date = obj.get("publishing_date") or obj.get("date") or obj.get("publish_date")
    return text, title, date if isinstance(date, str) else None


def load_cases(data: Path) -> list[dict]:
    cases = []
    for line in (data / "index.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        kind = row.get("gold_type") or ""
        if not row.get("gold") or kind.startswith(("UNUSABLE", "none", "date only")):
            continue
        gold_path, _, key = row["gold"].partition("#")
        path = data / gold_path
        if not path.exists():
            continue
        raw = path.read_text(encoding="utf-8")
        title = date = None
        if path.suffix == ".json":
            obj = json.loads(raw)
            if key:
                for part in key.split("/"):
                    obj = obj[part] if not isinstance(obj, list) else obj[int(part)]
            text, title, date = _gold_from_json(obj)
        else:
            text = raw
        meta_path = data / row["meta"] if row.get("meta") else None
        if meta_path and meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            title = title or meta.get("title")
            date = date or meta.get("published") or meta.get("date")
        if text and len(text) >= 150:
            cases.append({"html": data / row["html"], "url": row.get("url"), "gold": text, "title": title,
                          "date": date, "publisher": row.get("publisher")})
    return cases


def run(data: Path, limit: int | None = None, show_worst: int = 0) -> dict:
    import trafilatura

    cases = load_cases(data)[:limit] if limit else load_cases(data)
    ours, base, title_ok, title_n, date_ok, date_n = [], [], 0, 0, 0, 0
    t_ours = t_base = 0.0
    worst = []
    for case in cases:
        html = read_saved_page(case["html"])
        start = time.perf_counter()
        try:
            ex = extract(html, case["url"])
            text = ex.text
        except ExtractError:
            ex, text = None, ""
        t_ours += time.perf_counter() - start
        start = time.perf_counter()
        baseline = trafilatura.extract(html, url=case["url"]) or ""
        t_base += time.perf_counter() - start
        ours.append(f1(text, case["gold"]))
        base.append(f1(baseline, case["gold"]))
        worst.append((ours[-1], case["html"].name, case["publisher"]))
        if case["title"]:
            title_n += 1
            title_ok += bool(ex and ex.title and _norm(ex.title) == _norm(case["title"]))
        if case["date"] and ex is not None:
            date_n += 1
            date_ok += bool(ex.published and case["date"][:10] in {ex.published.date().isoformat(),
                                                                   _kst_date(ex.published)})
    n = len(cases)
    result = {
        "pages": n,
        "chipwatch_f1_mean": statistics.mean(ours) if n else 0.0,
        "chipwatch_f1_median": statistics.median(ours) if n else 0.0,
        "trafilatura_f1_mean": statistics.mean(base) if n else 0.0,
        "trafilatura_f1_median": statistics.median(base) if n else 0.0,
        "title_accuracy": (title_ok / title_n) if title_n else None, "title_pages": title_n,
        "date_accuracy": (date_ok / date_n) if date_n else None, "date_pages": date_n,
        "chipwatch_ms_per_page": 1000 * t_ours / n if n else 0.0,
        "trafilatura_ms_per_page": 1000 * t_base / n if n else 0.0,
        "worst": sorted(worst)[:show_worst],
    }
    return result


def _norm(s: str) -> str:
    return re.sub(r"\W+", "", s).lower()


def _kst_date(dt) -> str:
    from zoneinfo import ZoneInfo

    return dt.astimezone(ZoneInfo("Asia/Seoul")).date().isoformat()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--show-worst", type=int, default=5)
    args = parser.parse_args()
    if not (args.data / "index.jsonl").exists():
        print(f"no data at {args.data}: nothing to measure")
        return 0
    r = run(args.data, args.limit, args.show_worst)
    print(f"command: python {' '.join(sys.argv)}")
    print(f"pages with gold text: {r['pages']}")
    print(f"{'':24}{'mean F1':>10}{'median F1':>12}{'ms/page':>10}")
    print(f"{'chipwatch':24}{r['chipwatch_f1_mean']:>10.4f}{r['chipwatch_f1_median']:>12.4f}"
          f"{r['chipwatch_ms_per_page']:>10.1f}")
    print(f"{'trafilatura 2.3.1 dflt':24}{r['trafilatura_f1_mean']:>10.4f}{r['trafilatura_f1_median']:>12.4f}"
          f"{r['trafilatura_ms_per_page']:>10.1f}")
    if r["title_accuracy"] is not None:
        print(f"title accuracy: {r['title_accuracy']:.3f} on {r['title_pages']} pages")
    if r["date_accuracy"] is not None:
        print(f"date accuracy: {r['date_accuracy']:.3f} on {r['date_pages']} pages")
    for score, name, publisher in r["worst"]:
        print(f"  worst: {score:.3f} {publisher} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
