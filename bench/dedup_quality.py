"""Duplicate and story quality on labelled pairs: duplicate F1, story pairwise precision and recall.

Duplicate pairs: each seed (seeds/) against its syndicated copies (full, last 20 % and 30 % cut, paragraphs
swapped, new title, outlet boilerplate added) — positives; every seed against every other seed and every pair of
independently written same-event reports of the sample web — negatives.  Story pairs: every pair of the sample
web's on-topic reports (digest/demo_web/site.toml), same event or not.

    python bench/dedup_quality.py
"""

from __future__ import annotations

import itertools
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler import dedup  # noqa: E402
from crawler.analyse import topic_terms  # noqa: E402
from crawler.boilerplate import clean_text  # noqa: E402
from crawler.seeds import seed_text  # noqa: E402
from crawler.stories import same_story, story_features  # noqa: E402
from crawler.topic import load_topic  # noqa: E402
from digest.sampleweb import DEFAULT_ROOT, load_articles  # noqa: E402

BOILER_HEAD = ["글로벌투데이 | 산업 | 2026.11.24", "글자크기 가 가 가"]
BOILER_TAIL = ["김전재 기자 copy@global.example", "<저작권자 ⓒ 글로벌투데이 무단전재 및 재배포 금지>", "▶ 관련기사"]


def variants(paras: list[str]) -> dict[str, str]:
    out = {}
    for keep in (1.0, 0.8, 0.7):
        body = paras[: max(2, int(len(paras) * keep))]
        swapped = body[:]
        if len(swapped) > 3:
            swapped[1], swapped[2] = swapped[2], swapped[1]
        out[f"keep{keep}"] = "\n".join(body)
        out[f"keep{keep}+swap+title+boiler"] = "\n".join(BOILER_HEAD + ["[전재] 새 제목"] + swapped + BOILER_TAIL)
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    now = datetime(2026, 11, 24, tzinfo=timezone.utc)
    sample = [a for a in load_articles(DEFAULT_ROOT, now) if a.paragraphs]
    pairs: list[tuple[str, str, bool, str]] = []
    for s in seeds:
        original = seed_text(s)[1]
        paras = [p for p in clean_text(s.read_text(encoding="utf-8")).splitlines() if len(p) > 40]
        for name, text in variants(paras).items():
            pairs.append((original, text, True, f"{s.name[:3]} {name}"))
    for a, b in itertools.combinations(seeds, 2):
        pairs.append((seed_text(a)[1], seed_text(b)[1], False, f"seeds {a.name[:3]}/{b.name[:3]}"))
    reports = [a for a in sample if a.expect == "kept" and a.story]
    for a, b in itertools.combinations(reports, 2):
        pairs.append(("\n".join(a.paragraphs), "\n".join(b.paragraphs), False, f"{a.id}/{b.id}"))
    tp = fp = fn = 0
    errors = []
    for x, y, dup, label in pairs:
        got = dedup.is_near_duplicate(dedup.fingerprint(x), dedup.fingerprint(y))
        tp += got and dup
        fp += got and not dup
        fn += dup and not got
        if got != dup:
            errors.append(label)
    dp, dr, df1 = prf(tp, fp, fn)
    terms = topic_terms(load_topic(ROOT / "config" / "topic.toml"))
    feats = {a.id: story_features(a.title, "\n".join(a.paragraphs), a.published, terms) for a in reports}
    stp = sfp = sfn = 0
    story_errors = []
    for a, b in itertools.combinations(reports, 2):
        got, want = same_story(feats[a.id], feats[b.id]), a.story == b.story
        stp += got and want
        sfp += got and not want
        sfn += want and not got
        if got != want:
            story_errors.append(f"{a.id}/{b.id}")
    sp, sr, _ = prf(stp, sfp, sfn)
    print(f"command: python {' '.join(sys.argv)}")
    print(f"duplicates: {len(pairs)} labelled pairs ({sum(p[2] for p in pairs)} duplicates): "
          f"precision {dp:.3f}, recall {dr:.3f}, F1 {df1:.3f}; errors: {errors or 'none'}")
    print(f"stories: {len(reports)} reports of {len({a.story for a in reports})} events, "
          f"{len(reports) * (len(reports) - 1) // 2} pairs: pairwise precision {sp:.3f}, recall {sr:.3f}; "
          f"errors: {story_errors or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
