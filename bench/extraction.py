"""Extraction quality and speed on real Korean pages: chipwatch (crawler.extract) vs trafilatura 2.3.1 defaults.

Data: ../shared/korean-data (index.jsonl + MANIFEST.md), read in place, never copied.  A page counts for text F1
when its gold text is usable: rows marked UNUSABLE, "none" or "date only" are skipped, and so is gold with fewer
than MIN_GOLD_CHARS non-space characters (one scraper gold is only the label "◀ 앵커 ▶").  Gold formats:

* ``*.gold.txt`` (scraper output of the source repository, see MANIFEST.md), title/date from the ``.meta.json``;
* fundus JSON (``file.json#V1``): body = summary lines + section headlines + paragraphs, plus title and date;
* scrapinghub ``ground-truth`` JSON: ``articleBody`` (human-annotated); goose3 JSON: ``expected.cleaned_text``;
* htmldate ``gold-dates`` JSON: a publication date only (counted in date accuracy, not in F1).

Token F1 is the F1 of the two bags of tokens, computed three ways and all printed:

* ``ws``: whitespace tokens, as they are;
* ``ws+j`` (headline figure): whitespace tokens after splitting words that a sentence end glues together
  ("입장입니다.김수연" -> "입장입니다." "김수연").  Several gold files (KBS, donga, Yonhap TV) were made with
  text_content() and join their paragraphs without a space, so a perfect extraction scores ~0.6 on them under
  plain ``ws``; the split is applied to both sides alike.
* ``words``: runs of word characters (``\\w+``), punctuation ignored.

Title accuracy: equal after HTML unescaping and dropping everything but letters and digits (four Yonhap TV gold
titles end in the share-button label "공유하기", so they cannot match a clean title).  Date accuracy:
``day`` = same calendar day in Korean time; ``min`` = same minute (only where the gold has a time).
trafilatura's text, title and date come from one ``bare_extraction(with_metadata=True)`` call with defaults
(its date is a day).  Timing covers only the extraction call on the decoded text.

    python bench/extraction.py [--data ../shared/korean-data] [--limit N] [--worst K]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.decode import read_saved_page  # noqa: E402
from crawler.extract import ExtractError, extract, parse_any_date  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "korean-data"
MIN_GOLD_CHARS = 50
SEOUL = ZoneInfo("Asia/Seoul")
_GLUED = re.compile(r"([.?!。”\"’'\]])(?=[가-힣A-Za-z\[“‘(㈜])")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Case:
    html: Path
    url: str | None
    publisher: str
    gold_text: str | None
    gold_title: str | None
    gold_date: str | None


# ---------------------------------------------------------------- gold loading


def load_cases(data: Path) -> list[Case]:
    """Every page of index.jsonl with some usable gold (text, title or date)."""
    cases = []
    for line in (data / "index.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        kind = row.get("gold_type") or ""
        if not row.get("gold") or kind.startswith(("UNUSABLE", "none")):
            continue
        gold_path, _, key = row["gold"].partition("#")
        path = data / gold_path
        if not path.exists() or not (data / row["html"]).exists():
            continue
        text = title = date = None
        if path.suffix == ".json":
            obj = json.loads(path.read_text(encoding="utf-8"))
            if key:
                obj = obj[key]
            text, title, date = _from_json(obj)
        else:
            text = path.read_text(encoding="utf-8")
        if row.get("meta") and (data / row["meta"]).exists():
            meta = json.loads((data / row["meta"]).read_text(encoding="utf-8"))
            title = title or meta.get("title")
            date = date or meta.get("published_at")
        if text is not None and len("".join(text.split())) < MIN_GOLD_CHARS:
            text = None
        if text or date:
            cases.append(Case(html=data / row["html"], url=row.get("url") or None, publisher=row.get("publisher", ""),
                              gold_text=text, gold_title=html.unescape(title) if title else None, gold_date=date))
    return cases


def _from_json(obj) -> tuple[str | None, str | None, str | None]:
    """(text, title, date) from the gold JSON shapes in korean-data (see the module docstring)."""
    if not isinstance(obj, dict):
        return None, None, None
    if isinstance(obj.get("body"), dict):                                   # fundus
        body = obj["body"]
        parts = list(body.get("summary") or [])
        for section in body.get("sections") or []:
            parts += (section.get("headline") or []) + (section.get("paragraphs") or [])
        return "\n".join(p for p in parts if isinstance(p, str)), obj.get("title"), obj.get("publishing_date")
    if "articleBody" in obj:                                                 # scrapinghub
        return obj["articleBody"], obj.get("headline"), obj.get("datePublished")
    if isinstance(obj.get("expected"), dict):                                # goose3
        expected = obj["expected"]
        return expected.get("cleaned_text"), expected.get("title"), expected.get("publish_date")
    if "date" in obj:                                                        # htmldate
        return None, None, obj["date"]
    return None, None, None


# ---------------------------------------------------------------- metrics


def f1(pred: list[str], gold: list[str]) -> float:
    p, g = Counter(pred), Counter(gold)
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


TOKENIZERS = {
    "ws": str.split,
    "ws+j": lambda text: _GLUED.sub(r"\1 ", text).split(),
    "words": lambda text: _WORD.findall(text.lower()),
}


def same_title(pred: str | None, gold: str) -> bool:
    norm = lambda s: re.sub(r"\W+", "", unicodedata.normalize("NFKC", html.unescape(s))).lower()  # noqa: E731
    return bool(pred) and norm(pred) == norm(gold)


def date_hits(pred: datetime | str | None, gold: str) -> tuple[bool, bool | None]:
    """(same Korean day, same minute or None when the gold has no time)."""
    gold_dt = parse_any_date(gold)
    if gold_dt is None or pred is None:
        return False, None if len(gold.strip()) <= 10 else False
    if isinstance(pred, str):
        return pred[:10] == gold_dt.astimezone(SEOUL).date().isoformat(), None
    day = pred.astimezone(SEOUL).date() == gold_dt.astimezone(SEOUL).date()
    if len(gold.strip()) <= 10:
        return day, None
    return day, abs((pred - gold_dt).total_seconds()) < 60


# ---------------------------------------------------------------- run


@dataclass
class Scores:
    f1: dict
    title: list
    day: list
    minute: list
    seconds: float = 0.0

    @classmethod
    def empty(cls) -> "Scores":
        return cls(f1={name: [] for name in TOKENIZERS}, title=[], day=[], minute=[])


def run(data: Path, limit: int | None = None) -> dict:
    import trafilatura

    cases = load_cases(data)[:limit] if limit else load_cases(data)
    ours, base = Scores.empty(), Scores.empty()
    per_page = []
    for case in cases:
        page = read_saved_page(case.html)
        start = time.perf_counter()
        try:
            ex = extract(page, case.url)
            text, title, published = ex.text, ex.title, ex.published
        except ExtractError:
            text, title, published = "", None, None
        ours.seconds += time.perf_counter() - start
        start = time.perf_counter()
        doc = trafilatura.bare_extraction(page, url=case.url, with_metadata=True)
        base.seconds += time.perf_counter() - start
        b_text = (doc.text or "") if doc is not None else ""
        b_title, b_date = (doc.title, doc.date) if doc is not None else (None, None)
        for scores, (t, ti, d) in ((ours, (text, title, published)), (base, (b_text, b_title, b_date))):
            if case.gold_text:
                for name, tokenize in TOKENIZERS.items():
                    scores.f1[name].append(f1(tokenize(t), tokenize(case.gold_text)))
            if case.gold_title:
                scores.title.append(same_title(ti, case.gold_title))
            if case.gold_date:
                day, minute = date_hits(d, case.gold_date)
                scores.day.append(day)
                if minute is not None:
                    scores.minute.append(minute)
        if case.gold_text:
            per_page.append((ours.f1["ws+j"][-1], base.f1["ws+j"][-1], case.publisher, case.html.name))
    return {"cases": len(cases), "text_pages": len(ours.f1["ws"]), "ours": ours, "base": base,
            "per_page": sorted(per_page)}


def _mean(values: list) -> float | None:
    return statistics.mean(values) if values else None


def summary(result: dict) -> dict:
    """Plain numbers for tests and for the table."""
    out = {"text_pages": result["text_pages"], "cases": result["cases"]}
    for who in ("ours", "base"):
        scores: Scores = result[who]
        for name, values in scores.f1.items():
            out[f"{who}_f1_{name}_mean"] = _mean(values)
            out[f"{who}_f1_{name}_median"] = statistics.median(values) if values else None
        out[f"{who}_title_acc"], out[f"{who}_title_n"] = _mean(scores.title), len(scores.title)
        out[f"{who}_day_acc"], out[f"{who}_day_n"] = _mean(scores.day), len(scores.day)
        out[f"{who}_minute_acc"], out[f"{who}_minute_n"] = _mean(scores.minute), len(scores.minute)
        out[f"{who}_ms"] = 1000 * scores.seconds / result["cases"] if result["cases"] else 0.0
    return out


def print_table(result: dict, worst: int) -> None:
    s = summary(result)
    fmt = lambda v: "   -  " if v is None else f"{v:6.3f}"  # noqa: E731
    print(f"pages: {s['cases']} with gold; {s['text_pages']} with usable gold text; "
          f"{s['ours_title_n']} with a gold title; {s['ours_day_n']} with a gold date "
          f"({s['ours_minute_n']} with a time)")
    head = ("F1 ws+j", "median", "F1 ws", "F1 words", "title", "day", "minute", "ms/page")
    print(f"{'':24}" + "".join(f"{h:>9}" for h in head))
    for who, label in (("ours", "chipwatch"), ("base", "trafilatura 2.3.1 dflt")):
        cells = [fmt(s[f"{who}_{key}"]) for key in ("f1_ws+j_mean", "f1_ws+j_median", "f1_ws_mean", "f1_words_mean",
                                                       "title_acc", "day_acc", "minute_acc")]
        print(f"{label:24}" + "".join(f"{c:>9}" for c in cells) + f"{s[f'{who}_ms']:9.1f}")
    if worst:
        print(f"lowest {worst} pages (F1 ws+j, chipwatch / trafilatura):")
        for ours, base, publisher, name in result["per_page"][:worst]:
            print(f"  {ours:.3f} / {base:.3f}  {publisher}  {name[:70]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="korean-data folder (index.jsonl)")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--worst", type=int, default=8, help="list the K lowest-scoring pages")
    args = parser.parse_args(argv)
    shown = sys.argv[1:] if argv is None else argv
    print("command: python bench/extraction.py" + "".join(f" {a}" for a in shown))
    if not (args.data / "index.jsonl").exists():
        print(f"데이터 없음: {args.data}/index.jsonl — 측정할 페이지가 없습니다")
        return 0
    print_table(run(args.data, args.limit), args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
