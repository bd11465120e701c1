"""Train the relevance model (config/relevance_model.json) on the project's own labelled articles, and say how
much it adds on articles it did not see.

Training data, all written for this project (no publisher text): tests/data/relevance_cases.jsonl, the sample
web (digest/demo_web/site.toml with the seed articles), the reports of bench/data/pairs_independent.jsonl, the
former holdouts bench/data/relevance_holdout.jsonl and relevance_holdout3.jsonl, and relevance_train5.jsonl,
relevance_train6a.jsonl and relevance_train6b.jsonl (270 articles written to train on).  Sets named in HELD_OUT are never trained on: they are what bench/relevance.py
measures blind.

First a leave-one-set-out check: for each labelled set with negatives, a model trained on all the other sets
judges it together with the rules, next to the rules alone.  Then the model on everything is written.

    python bench/train_relevance_model.py            # check, then write config/relevance_model.json
    python bench/train_relevance_model.py --check    # the leave-one-set-out check only
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawler.classifier import Model, save_model, train  # noqa: E402
from crawler.relevance import judge  # noqa: E402
from crawler.topic import load_topic  # noqa: E402
from relevance import HELD_OUT, cases  # noqa: E402

TOPIC = ROOT / "config" / "topic.toml"
MODEL = ROOT / "config" / "relevance_model.json"
SOURCES = ["tests/data/relevance_cases.jsonl", "digest/demo_web/site.toml", "bench/data/pairs_independent.jsonl",
           "bench/data/relevance_holdout.jsonl", "bench/data/relevance_holdout3.jsonl",
           "bench/data/relevance_train5.jsonl", "bench/data/relevance_train6a.jsonl", "bench/data/relevance_train6b.jsonl",
           *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "seeds").glob("*"))]


def training_rows() -> list[tuple[str, str, str, str, bool]]:
    """(set, id, title, text, relevant) of every set the model may learn from."""
    return [row for row in cases() if row[0] != "real-pages" and row[0] not in HELD_OUT]


def _model_table() -> dict:
    return tomllib.loads(TOPIC.read_text(encoding="utf-8")).get("model", {})


def model_threshold() -> float:
    """topic.toml's [model] threshold (saved with the weights too)."""
    return float(_model_table().get("threshold", 0.5))


def with_topic_thresholds(model: Model) -> Model:
    one_missing = _model_table().get("threshold_one_missing")
    return dataclasses.replace(model, threshold_one_missing=None if one_missing is None else float(one_missing))


def fingerprints() -> dict[str, str]:
    return {name: hashlib.sha256((ROOT / name).read_bytes()).hexdigest() for name in SOURCES}


def _counts(pairs: list[tuple[bool, bool]]) -> str:
    tp = sum(got and want for got, want in pairs)
    fp = sum(got and not want for got, want in pairs)
    fn = sum(want and not got for got, want in pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})"


def check(rows: list[tuple[str, str, str, str, bool]]) -> None:
    rules_only = load_topic(TOPIC, with_model=False)
    for name in sorted({r[0] for r in rows}):
        held = [r for r in rows if r[0] == name]
        if all(r[4] for r in held):
            continue                     # only positives: says nothing about precision
        model = with_topic_thresholds(train([(t, x, y) for s, _, t, x, y in rows if s != name],
                                            threshold=model_threshold()))
        with_model = dataclasses.replace(rules_only, model=model)
        rules = [(judge(t, x, rules_only).relevant, y) for _, _, t, x, y in held]
        both = [(judge(t, x, with_model).relevant, y) for _, _, t, x, y in held]
        print(f"left out {name:16} {len(held):3} articles  rules: {_counts(rules)}")
        print(f"{'':26}  rules + model: {_counts(both)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="leave-one-set-out check only; write nothing")
    args = parser.parse_args()
    print(f"command: python {' '.join(sys.argv)}")
    rows = training_rows()
    print(f"training articles: {len(rows)} ({sum(r[4] for r in rows)} relevant) from "
          f"{', '.join(sorted({r[0] for r in rows}))}")
    check(rows)
    if args.check:
        return 0
    model = train([(t, x, y) for _, _, t, x, y in rows], threshold=model_threshold())
    save_model(model, MODEL, fingerprints())
    print(f"wrote {MODEL.relative_to(ROOT)}: {len(model.weights)} pieces, bias {model.bias:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
