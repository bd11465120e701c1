"""Relevance quality: precision, recall and the list of errors, per source of labels.

Sets: tests/data/relevance_cases.jsonl (hand-written; "tuning" cases and a "holdout" written after the rules were
frozen), the sample web's pages (digest/demo_web/site.toml, labelled there), the real Korean pages in
../shared/korean-data (general news, none about chip export controls: all negatives), when present, and two sets
in bench/data/: the 49 on-topic reports of pairs_independent.jsonl (written for the story benchmark; used to tune
the terms on 2026-11-25, so "reports/tuning") and relevance_holdout.jsonl (written afterwards by someone who never
saw the rules: the independent check), relevance_holdout3.jsonl (the same, later) and relevance_holdout4.jsonl.

Every set is judged twice: by the rules of config/topic.toml alone, and by the rules with the topic's model
(config/relevance_model.json, which bench/train_relevance_model.py trains on every set here except the real pages
and the sets in HELD_OUT).  A set marked "trained on" is not evidence of how the model does on new articles.

    python bench/relevance.py
"""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.relevance import judge  # noqa: E402
from crawler.topic import load_topic  # noqa: E402
from digest.sampleweb import DEFAULT_ROOT, load_articles  # noqa: E402

DATA = ROOT.parent / "shared" / "korean-data"
HELD_OUT = {"holdout-4", "holdout-5", "holdout-6"}          # never trained on (bench/train_relevance_model.py): the blind check


def cases() -> list[tuple[str, str, str, bool, str]]:
    """(set, id, title, text, relevant)"""
    out = []
    for line in (ROOT / "tests" / "data" / "relevance_cases.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            c = json.loads(line)
            out.append((f"written/{c.get('split', 'tuning')}", c["id"], c["title"], c["text"], c["relevant"]))
    for a in load_articles(DEFAULT_ROOT, datetime.now(timezone.utc)):
        if a.paragraphs and a.language == "ko" and a.expect not in ("robots", "http_error"):
            out.append(("sample-web", a.id, a.title, "\n".join(a.paragraphs), a.expect != "irrelevant"))
    for line in (ROOT / "bench" / "data" / "pairs_independent.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.append(("reports/tuning", r["id"], r["title"], "\n".join(r["paragraphs"]), True))
    for name, file in (("holdout-2", "relevance_holdout.jsonl"), ("holdout-3", "relevance_holdout3.jsonl"),
                       ("holdout-4", "relevance_holdout4.jsonl"), ("holdout-5", "relevance_holdout5.jsonl"),
                       ("holdout-6", "relevance_holdout6.jsonl"),
                       ("train-5", "relevance_train5.jsonl"), ("train-6", "relevance_train6a.jsonl"),
                       ("train-6", "relevance_train6b.jsonl")):
        path = ROOT / "bench" / "data" / file
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    c = json.loads(line)
                    out.append((name, c["id"], c["title"], c["text"], c["relevant"]))
    if (DATA / "index.jsonl").exists():
        from crawler.decode import read_saved_page
        from crawler.extract import ExtractError, extract

        for line in (DATA / "index.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            try:
                ex = extract(read_saved_page(DATA / row["html"]), row.get("url"))
            except (ExtractError, ValueError):
                continue
            out.append(("real-pages", row["html"].rsplit("/", 1)[-1][:40], ex.title or "", ex.text, False))
    return out


def _line(subset: list[tuple[str, str, str, str, bool]], topic) -> str:
    tp = fp = fn = 0
    errors = []
    for _, cid, title, text, want in subset:
        v = judge(title, text, topic)
        tp += v.relevant and want
        fp += v.relevant and not want
        fn += want and not v.relevant
        if v.relevant != want:
            detail = f"score {v.score}" + (f", model {v.probability:.2f}" if v.probability is not None else "")
            errors.append(f"{cid} ({'false positive' if v.relevant else 'missed'}, {detail})")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return f"precision {p:.3f}, recall {r:.3f}" + (f"; errors: {', '.join(errors)}" if errors else "")


def main() -> int:
    topic = load_topic(ROOT / "config" / "topic.toml")
    rules_only = dataclasses.replace(topic, model=None)
    rows = cases()
    print(f"command: python {' '.join(sys.argv)}")
    for name in sorted({r[0] for r in rows}) + ["ALL"]:
        subset = [r for r in rows if name == "ALL" or r[0] == name]
        negatives = sum(1 for x in subset if not x[4])
        seen = "" if name in ("ALL", "real-pages") or name in HELD_OUT else " [model trained on it]"
        print(f"{name:16} {len(subset):4} articles ({negatives} negatives){seen}")
        print(f"{'':16}   rules:         {_line(subset, rules_only)}")
        if topic.model is not None:
            print(f"{'':16}   rules + model: {_line(subset, topic)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
