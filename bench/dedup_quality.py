"""Duplicate and story quality on labelled pairs: duplicate F1, story pairwise precision and recall.

Tuning sets (the thresholds in crawler/dedup.py and crawler/stories.py were tuned on them).  Duplicate pairs: each
seed (seeds/) against its syndicated copies (full, last 20 % and 30 % cut, paragraphs swapped, new title, outlet
boilerplate added) — positives; every seed against every other seed and every pair of independently written
same-event reports of the sample web — negatives.  Story pairs: every pair of the sample web's on-topic reports
(digest/demo_web/site.toml), same event or not.

Second set: bench/data/pairs_independent.jsonl (independent for duplicates; the story rules were tuned on it
on 2026-11-25), reports written for this benchmark —
several events on the topic, each written up separately by 2–4 fictional outlets, plus events that share most of
their vocabulary with another one (same agency, same companies, days apart) — see bench/data/README.md.

* duplicates, written reports: every report against its syndicated copies (exact; at least the last 20 % and 30 %
  of paragraphs cut; two paragraphs swapped; a new headline line; other outlets' header and footer lines, none of
  them from the tuning set's BOILER_HEAD/BOILER_TAIL; all of it at once) — positives; every other pair of reports,
  same event or not — negatives.
* duplicates, real pages: the same copies of the gold body text of the real Korean pages in
  ../shared/korean-data (read in place, never copied; skipped when the folder is absent) — positives; every pair
  of different pages — negatives, except two versions of one article (SAME_ARTICLE), a positive.
* stories: every pair of reports, same event or not, through story_features/same_story as the crawl calls them
  (story_score is 0 for reports more than stories.MAX_GAP apart, so that rule applies here too).

Copies are fingerprinted as they are (boilerplate included), as in the tuning set: the crawl would strip most of
it first, so this is the harder case.  A second figure per set shows the same pairs after clean_text.

    python bench/dedup_quality.py [--korean-data ../shared/korean-data]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler import dedup  # noqa: E402
from crawler.analyse import topic_terms  # noqa: E402
from crawler.boilerplate import clean_text  # noqa: E402
from crawler.seeds import seed_text  # noqa: E402
from crawler.stories import MAX_GAP, same_story, story_features, story_score  # noqa: E402
from crawler.topic import Topic, load_topic  # noqa: E402
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


# ---------------------------------------------------------------- independent set

INDEPENDENT = ROOT / "bench" / "data" / "pairs_independent.jsonl"
HOLDOUT = ROOT / "bench" / "data" / "stories_holdout.jsonl"     # written after the story rules were tuned
HOLDOUT2 = ROOT / "bench" / "data" / "stories_holdout2.jsonl"   # a second blind set, with seven hard pairs
HOLDOUT3 = ROOT / "bench" / "data" / "stories_holdout3.jsonl"   # a third, after the subject rule
HOLDOUT4 = ROOT / "bench" / "data" / "stories_holdout4.jsonl"   # a fourth, after the figures rule
HOLDOUT5 = ROOT / "bench" / "data" / "stories_holdout5.jsonl"   # a fifth, after figures by value and company shapes
HOLDOUT6 = ROOT / "bench" / "data" / "stories_holdout6.jsonl"   # a sixth, after product codes and more minerals
HOLDOUT7 = ROOT / "bench" / "data" / "stories_holdout7.jsonl"   # a seventh, after the "X도" actor rule
HOLDOUT8 = ROOT / "bench" / "data" / "stories_holdout8.jsonl"   # an eighth, after the headline-subject rule
HOLDOUT9 = ROOT / "bench" / "data" / "stories_holdout9.jsonl"   # a ninth, written with the eighth, kept for last
HOLDOUT10 = ROOT / "bench" / "data" / "stories_holdout10.jsonl"  # a tenth, after cities and the headline rules
HOLDOUT11 = ROOT / "bench" / "data" / "stories_holdout11.jsonl"  # an eleventh, written with the tenth
HOLDOUT12 = ROOT / "bench" / "data" / "stories_holdout12.jsonl"  # two more, written after the rules were final
HOLDOUT13 = ROOT / "bench" / "data" / "stories_holdout13.jsonl"
HOLDOUT14 = ROOT / "bench" / "data" / "stories_holdout14.jsonl"  # three more, after the story model (1d7e56f)
HOLDOUT15 = ROOT / "bench" / "data" / "stories_holdout15.jsonl"
HOLDOUT16 = ROOT / "bench" / "data" / "stories_holdout16.jsonl"  # look-alikes on one day, follow-ups days later
HOLDOUT17 = ROOT / "bench" / "data" / "stories_holdout17.jsonl"  # two more, blind for the model of 65a5eeb
HOLDOUT18 = ROOT / "bench" / "data" / "stories_holdout18.jsonl"
HOLDOUT19 = ROOT / "bench" / "data" / "stories_holdout19.jsonl"  # two more, blind for the same model (a573498)
HOLDOUT20 = ROOT / "bench" / "data" / "stories_holdout20.jsonl"
# Whether a story rule was chosen with a set in view (docs/benchmarks.md tells which rule and when).
HOLDOUT_STATUS = {1: "never tuned on; trained on", 2: "seen", 3: "seen", 4: "seen", 5: "seen", 6: "seen",
                  7: "seen", 8: "seen", 9: "seen", 10: "seen", 11: "measured blind once, then trained on",
                  12: "measured blind once, then trained on", 13: "measured blind once, then trained on",
                  14: "measured blind once, then trained on", 15: "measured blind once, then trained on",
                  16: "measured blind once, then trained on", 17: "measured blind once, never trained on",
                  18: "measured blind once, never trained on", 19: "measured blind once, never trained on",
                  20: "measured blind once, never trained on"}
# Every labelled story set, by name: the tuning set and the holdouts in the order they were written.
STORY_SETS: tuple[tuple[str, Path], ...] = (
    ("independent", INDEPENDENT), ("holdout-1", HOLDOUT), ("holdout-2", HOLDOUT2), ("holdout-3", HOLDOUT3),
    ("holdout-4", HOLDOUT4), ("holdout-5", HOLDOUT5), ("holdout-6", HOLDOUT6), ("holdout-7", HOLDOUT7),
    ("holdout-8", HOLDOUT8), ("holdout-9", HOLDOUT9), ("holdout-10", HOLDOUT10), ("holdout-11", HOLDOUT11),
    ("holdout-12", HOLDOUT12), ("holdout-13", HOLDOUT13), ("holdout-14", HOLDOUT14), ("holdout-15", HOLDOUT15),
    ("holdout-16", HOLDOUT16), ("holdout-17", HOLDOUT17), ("holdout-18", HOLDOUT18),
    ("holdout-19", HOLDOUT19), ("holdout-20", HOLDOUT20))
KOREAN_DATA = ROOT.parent / "shared" / "korean-data"
MIN_GOLD_CHARS = 50     # as bench/extraction.py: a shorter gold text is a label ("◀ 앵커 ▶"), not an article
MIN_UNITS = 5           # a gold text with fewer lines (scrapers that glue paragraphs) is cut at sentence ends
_SENTENCE_END = re.compile(r"(?<=[가-힣][.!?])\s*|(?<=[.!?][\"'”’])\s*")
# Real pages that are two versions of one article, so a duplicate pair, not a negative (read and checked): SBS
# published the state-visit announcement twice; 15 of the shorter version's 16 lines are in the longer one.
SAME_ARTICLE = {frozenset({"news.sbs.co.kr/news/endPage.do?news_id=N1007161610",
                           "news.sbs.co.kr/news/endPage.do?news_id=N1007161664"})}

# Header and footer lines of other outlets (portal, wire, broadcaster): none of them is in BOILER_HEAD/BOILER_TAIL.
OTHER_BOILER = (
    (["홈 > 산업 > IT·과학", "기사입력 2026.11.20. 오전 9:12  최종수정 2026.11.20. 오전 10:03",
      "본문 듣기 | 공유 | 스크랩"],
     ["박세린 기자 serin@hannuri.example", "ⓒ 한누리경제, 무단 전재-재배포, AI 학습 및 활용 금지",
      "이 기사를 추천합니다", "[관련기사] 美, 첨단 반도체 규제 추가 검토", "☞ 한누리경제 뉴스레터 구독하기"]),
    (["(워싱턴=누리통신) 이정훈 특파원 ="],
     ["jhlee@nuri.example", "<저작권자(c) 누리통신, 무단 전재-재배포 금지>", "2026/11/20 09:12 송고"]),
    (["서해방송 뉴스 | 경제 | 2026-11-20 19:30", "[앵커 멘트]"],
     ["영상취재: 김도현 / 영상편집: 최유리", "▶ 제보하기 : 카카오톡 '서해방송' 검색",
      "Copyright ⓒ 서해방송. All rights reserved.", "많이 본 뉴스", "1. 수도권 첫 한파주의보",
      "2. 주간 부동산 시장 동향"]),
)


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    event: str
    outlet: str
    published: datetime
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    duplicate: bool
    label: str
    variant: str = ""       # the kind of copy, for positives


def load_reports(path: Path = INDEPENDENT) -> list[Report]:
    reports = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        published = datetime.fromisoformat(d["published"])
        if published.tzinfo is None:
            raise ValueError(f"{path}:{n}: published has no offset: {d['published']}")
        reports.append(Report(d["id"], d["event"], d["outlet"], published, d["title"], tuple(d["paragraphs"])))
    return reports


def _swap(paras: list[str]) -> list[str]:
    out = paras[:]
    i = 1 if len(out) > 2 else 0
    if len(out) > 1:
        out[i], out[i + 1] = out[i + 1], out[i]
    return out


def syndicated(paras: list[str], boiler: tuple[list[str], list[str]]) -> dict[str, str]:
    """The copies a syndicating outlet makes, by name.  A cut keeps int(n × share) paragraphs (at least 2), as in
    the tuning set, so at least the stated share goes: 2 of 4 paragraphs for "cut30".  The new headline
    paraphrases the lead."""
    def cut(share: float) -> list[str]:
        return paras[: max(2, int(len(paras) * share))]

    head, tail = boiler
    title = f"[종합] {paras[0][:32].rstrip()}…"
    return {
        "copy": "\n".join(paras),
        "cut20": "\n".join(cut(0.8)),
        "cut30": "\n".join(cut(0.7)),
        "swap": "\n".join(_swap(paras)),
        "title": "\n".join([title] + paras),
        "boiler": "\n".join(head + paras + tail),
        "cut30+swap+title+boiler": "\n".join(head + [title] + _swap(cut(0.7)) + tail),
    }


def real_gold_texts(data: Path) -> list[tuple[str, list[str]]]:
    """(url or file, paragraphs) of the korean-data pages with a usable gold body (the rules of bench/extraction.py),
    cleaned as the crawl cleans a page."""
    out = []
    for line in (data / "index.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        kind = row.get("gold_type") or ""
        if not row.get("gold") or kind.startswith(("UNUSABLE", "none", "date only")):
            continue
        gold_path, _, key = row["gold"].partition("#")
        path = data / gold_path
        if not path.exists():
            continue
        text = _gold_body(json.loads(path.read_text(encoding="utf-8")), key) if path.suffix == ".json" \
            else path.read_text(encoding="utf-8")
        if not text or len("".join(text.split())) < MIN_GOLD_CHARS:
            continue
        paras = clean_text(text).splitlines()
        if len(paras) < MIN_UNITS:
            paras = [s for p in paras for s in _SENTENCE_END.split(p) if s.strip()]
        out.append(((row.get("url") or row["html"]).split("://", 1)[-1], paras))
    return out


def _gold_body(obj, key: str) -> str | None:
    obj = obj.get(key) if key else obj
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("body"), dict):                                   # fundus
        body = obj["body"]
        parts = list(body.get("summary") or [])
        for section in body.get("sections") or []:
            parts += (section.get("headline") or []) + (section.get("paragraphs") or [])
        return "\n".join(p for p in parts if isinstance(p, str))
    if "articleBody" in obj:                                                 # scrapinghub
        return obj["articleBody"]
    if isinstance(obj.get("expected"), dict):                                # goose3
        return obj["expected"].get("cleaned_text")
    return None


def duplicate_pairs(docs: list[tuple[str, list[str]]]) -> list[Pair]:
    """Each document against its syndicated copies (positives) and against every other document (negatives,
    except the SAME_ARTICLE versions)."""
    pairs = []
    for i, (name, paras) in enumerate(docs):
        for variant, text in syndicated(paras, OTHER_BOILER[i % len(OTHER_BOILER)]).items():
            pairs.append(Pair("\n".join(paras), text, True, f"{name} {variant}", variant))
    for (a, pa), (b, pb) in itertools.combinations(docs, 2):
        same = frozenset({a, b}) in SAME_ARTICLE
        pairs.append(Pair("\n".join(pa), "\n".join(pb), same, f"{a} / {b}", "other version" if same else ""))
    return pairs


def score_duplicates(pairs: list[Pair], clean: bool = False
                     ) -> tuple[tuple[float, float, float], list[str], dict[str, list[int]]]:
    """(precision, recall, F1), the errors, and per kind of copy [found, all].  ``clean``: both texts go through
    the crawl's line cleaning first (a crawl stores a page only after it)."""
    cache: dict[str, dedup.Fingerprint] = {}     # an original appears in many pairs: fingerprint it once

    def fingerprint(text: str) -> dedup.Fingerprint:
        if text not in cache:
            cache[text] = dedup.fingerprint(clean_text(text) if clean else text)
        return cache[text]

    tp = fp = fn = 0
    errors: list[str] = []
    by_variant: dict[str, list[int]] = {}
    for pair in pairs:
        fa, fb = fingerprint(pair.a), fingerprint(pair.b)
        got = dedup.is_near_duplicate(fa, fb)
        tp += got and pair.duplicate
        fp += got and not pair.duplicate
        fn += pair.duplicate and not got
        if pair.duplicate:
            counts = by_variant.setdefault(pair.variant, [0, 0])
            counts[0] += got
            counts[1] += 1
        if got != pair.duplicate:
            errors.append(f"{'missed' if pair.duplicate else 'false hit'} {pair.label} (Jaccard "
                          f"{dedup.similarity(fa, fb):.2f}, containment {dedup.containment(fa, fb):.2f}, "
                          f"shingles {fa.shingles}/{fb.shingles})")
    return prf(tp, fp, fn), errors, by_variant


def print_duplicates(name: str, pairs: list[Pair]) -> None:
    (p, r, f1), errors, by_variant = score_duplicates(pairs)
    print(f"independent duplicates, {name}: {len(pairs)} labelled pairs ({sum(x.duplicate for x in pairs)} "
          f"duplicates): precision {p:.3f}, recall {r:.3f}, F1 {f1:.3f}; errors: {len(errors) or 'none'}")
    print("  found by kind of copy: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in by_variant.items()))
    for e in errors:
        print(f"  {e}")
    (p, r, f1), errors, _ = score_duplicates(pairs, clean=True)
    print(f"  the same pairs after the crawl's line cleaning (clean_text) of both texts: precision {p:.3f}, "
          f"recall {r:.3f}, F1 {f1:.3f}; errors: {len(errors) or 'none'}")
    for e in errors:
        print(f"    {e}")


def print_stories(reports: list[Report], topic: Topic, name: str = "independent"
                  ) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Print the pairwise and grouped figures of one story set; return its (true, false, missed) pairs, pairwise
    and as the crawl groups them."""
    feats = {r.id: story_features(r.title, "\n".join(r.paragraphs), r.published, topic_terms(topic), topic.subjects)
             for r in reports}
    tp = fp = fn = 0
    errors, same, near, far = [], [], [], 0
    for a, b in itertools.combinations(reports, 2):
        fa, fb = feats[a.id], feats[b.id]
        got, want, score = same_story(fa, fb), a.event == b.event, story_score(fa, fb)
        gap = abs(a.published - b.published)
        tp += got and want
        fp += got and not want
        fn += want and not got
        if want:
            same.append(score)
        elif gap > MAX_GAP:
            far += 1
        else:
            near.append(score)
        if got != want:
            errors.append(f"{'false merge' if got else 'missed'} {a.id} / {b.id} (score {score:.3f}, "
                          f"gap {gap.total_seconds() / 86400:.1f} d)")
    p, r, f1 = prf(tp, fp, fn)
    print(f"{name} stories: {len(reports)} reports of {len({x.event for x in reports})} events, "
          f"{len(same) + len(near) + far} pairs ({len(same)} same-event): pairwise precision {p:.3f}, recall {r:.3f}, "
          f"F1 {f1:.3f}; errors: {len(errors) or 'none'}")
    for e in errors:
        print(f"  {e}")
    print(f"  scores: same event {min(same):.3f}–{max(same):.3f} (median {statistics.median(same):.3f}); "
          f"different events within {MAX_GAP.days} days ({len(near)} pairs) up to {max(near, default=0.0):.3f}; "
          f"{far} different-event pairs further apart (0 by the gap rule)")
    return (tp, fp, fn), print_clustered(reports, feats, name)


def clustered(reports: list[Report], feats: dict) -> dict[str, int]:
    """Stories as the crawl forms them (crawler.ingest.StoryIndex): in order of publication each report joins the
    story of its best match or starts one.  -> id -> story."""
    from crawler.ingest import StoryIndex

    class _Empty:
        def story_candidates(self, since, until):
            return []

    times = [r.published for r in reports]
    index = StoryIndex(_Empty(), min(times) - MAX_GAP, max(times) + MAX_GAP)
    order = sorted(range(len(reports)), key=lambda i: reports[i].published)
    for n in order:
        f = feats[reports[n].id]
        story = index.best_story(f, f.published)
        index.add(n, n if story is None else story, f, f.published)
    return {reports[n].id: index.items[n].story_id for n in order}


def print_clustered(reports: list[Report], feats: dict, name: str) -> tuple[int, int, int]:
    story = clustered(reports, feats)
    tp = fp = fn = 0
    for a, b in itertools.combinations(reports, 2):
        got, want = story[a.id] == story[b.id], a.event == b.event
        tp += got and want
        fp += got and not want
        fn += want and not got
    p, r, f1 = prf(tp, fp, fn)
    groups: dict[int, list[str]] = {}
    for rep in reports:
        groups.setdefault(story[rep.id], []).append(rep.event)
    mixed = sorted({"+".join(sorted(set(g))) for g in groups.values() if len(set(g)) > 1})
    split = sorted(e for e in {r.event for r in reports}
                   if len({story[r.id] for r in reports if r.event == e}) > 1)
    print(f"{name} stories as the crawl groups them: {len(groups)} stories for {len({r.event for r in reports})} "
          f"events; pairwise precision {p:.3f}, recall {r:.3f}, F1 {f1:.3f}")
    print(f"  events merged into one story: {', '.join(mixed) or 'none'}; events split: {', '.join(split) or 'none'}")
    return tp, fp, fn


def independent(topic: Topic, korean_data: Path) -> None:
    reports = load_reports()
    print(f"second set (independent for duplicates, story tuning since 2026-11-25): {INDEPENDENT.relative_to(ROOT)}, "
          f"{len(reports)} reports of {len({r.event for r in reports})} events by {len({r.outlet for r in reports})} "
          "outlets")
    print_duplicates("written reports", duplicate_pairs([(r.id, list(r.paragraphs)) for r in reports]))
    if (korean_data / "index.jsonl").exists():
        gold = real_gold_texts(korean_data)
        print_duplicates(f"real pages ({len(gold)} gold texts in {korean_data})", duplicate_pairs(gold))
    else:
        print(f"independent duplicates, real pages: skipped ({korean_data / 'index.jsonl'} not found)")
    every = {"independent": print_stories(reports, topic)}
    for name, path in STORY_SETS[1:]:
        number = int(name.removeprefix("holdout-"))
        if path.exists():
            held = load_reports(path)
            print(f"story holdout-{number} ({HOLDOUT_STATUS[number]}): {path.relative_to(ROOT)}, {len(held)} "
                  f"reports of {len({r.event for r in held})} events by {len({r.outlet for r in held})} outlets")
            every[name] = print_stories(held, topic, name=name)
        else:
            print(f"story holdout-{number}: skipped ({path.relative_to(ROOT)} not found)")
    from train_story_model import HELD_BACK

    for label, names in (("every story set above", list(every)),
                         ("the sets the story model was not trained on (" + ", ".join(sorted(HELD_BACK)) + ")",
                          [n for n in every if n in HELD_BACK])):
        if not names:
            continue
        pairwise = [sum(every[n][0][i] for n in names) for i in range(3)]
        grouped = [sum(every[n][1][i] for n in names) for i in range(3)]
        p, r, f1 = prf(*pairwise)
        gp, gr, _ = prf(*grouped)
        print(f"{label}, pooled: {pairwise[0] + pairwise[2]} same-event pairs, pairwise precision {p:.3f}, "
              f"recall {r:.3f}, F1 {f1:.3f}; as the crawl groups them precision {gp:.3f}, recall {gr:.3f}")
    print("  (first-sight figures of each holdout and the leave-one-set-out figures: docs/benchmarks.md, "
          "python bench/train_story_model.py --check)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--korean-data", type=Path, default=KOREAN_DATA,
                        help="korean-data folder (index.jsonl); the real-page part is skipped when it is absent")
    args = parser.parse_args(argv)
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
    topic = load_topic(ROOT / "config" / "topic.toml")
    feats = {a.id: story_features(a.title, "\n".join(a.paragraphs), a.published, topic_terms(topic), topic.subjects)
             for a in reports}
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
    independent(topic, args.korean_data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
