"""Is an article about the topic?  Position- and density-weighted term groups (see config/topic.toml's comments).

A hit in the title weighs TITLE_POINTS, in the lead (first LEAD_CHARS of the body) LEAD_POINTS, elsewhere 1;
each group is capped, required groups must appear, ``min_points`` keeps one passing mention from counting, and
negative terms (trade statistics, earnings, share prices, launches) subtract.  When the rules say no, the topic's
learned model (crawler.classifier) may still say yes, if the article has (nearly) every required group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crawler.topic import ContextRule, Term, TermGroup, Topic

TITLE_POINTS = 3.0
LEAD_POINTS = 2.0
LEAD_CHARS = 300


@dataclass(frozen=True, slots=True)
class Relevance:
    relevant: bool
    score: float
    matched: tuple[str, ...]     # terms found, most frequent first (shown in the digest)
    probability: float | None = None   # the topic model's, when it was asked (see crawler.classifier)


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _key(term: str) -> str:
    return _SPACES.sub("", term).casefold()


def _points(terms: tuple[Term, ...], title: str, lead: str, rest: str, found: dict[str, int],
            compact: str) -> float:
    """Weighted hits of ``terms``.  Where terms overlap in the text ("최종 사용자" inside "검증된 최종사용자",
    "반도체" inside "반도체 장비"), only the longest counts: one mention is one hit.

    ``compact`` is the whole text without whitespace, case-folded: a term whose letters do not occur there in a
    row cannot match (its pattern only lets whitespace in between), so its regex scans are skipped; most terms
    are absent from most pages."""
    present = [term for term in terms if _key(term.text) in compact]
    if not present:
        return 0.0
    total = 0.0
    for part, points in ((title, TITLE_POINTS), (lead, LEAD_POINTS), (rest, 1.0)):
        spans = [(m.start(), -m.end(), term.text) for term in present for m in term.pattern.finditer(part)]
        end = -1
        for start, neg_end, text in sorted(spans):
            if start < end:
                continue                      # inside (or across) a longer mention already counted
            end = -neg_end
            found[text] = found.get(text, 0) + 1
            total += points
    return total


_SENTENCE_BREAK = re.compile(r"(?<=[.!?。])\s+|\n+")


def _context_points(rule: ContextRule, group: TermGroup, title: str, text: str, found: dict[str, int],
                    compact: str) -> float:
    """One point per sentence (the title is one) holding a context term that is not part of one of ``group``'s
    own terms, together with a term of every list of ``rule.together_with``; at most ``rule.max_points``.
    "중국 스타트업이 말레이시아에서 엔비디아 GPU를 빌려 쓴다" scores; "GPU 임대 스타트업이 투자를 받았다" does not."""
    words = [term for term in rule.terms if _key(term.text) in compact]
    if not words:
        return 0.0
    companions = [[term for term in terms if _key(term.text) in compact] for terms in rule.together_with]
    if not all(companions):
        return 0.0
    own = [term for term in group.compiled if _key(term.text) in compact]
    points = 0.0
    for sentence in [title, *_SENTENCE_BREAK.split(text)]:
        if points >= rule.max_points:
            break
        if not all(any(t.pattern.search(sentence) for t in terms) for terms in companions):
            continue
        taken = [m.span() for t in own for m in t.pattern.finditer(sentence)]
        for term in words:
            if any(not any(a <= m.start() < b for a, b in taken) for m in term.pattern.finditer(sentence)):
                found[term.text] = found.get(term.text, 0) + 1
                points += 1.0
                break
    return points


def judge(title: str, text: str, topic: Topic) -> Relevance:
    lead, rest = text[:LEAD_CHARS], text[LEAD_CHARS:]
    compact = _SPACES.sub("", f"{title}{text}").casefold()
    matched: list[str] = []
    score = 0.0
    ok = True
    missing = 0                          # required groups without a point: decides whether the model is asked
    for group in topic.groups:
        found: dict[str, int] = {}
        points = _points(group.compiled, title, lead, rest, found, compact)
        if topic.context is not None and topic.context.group == group.name:
            points += _context_points(topic.context, group, title, text, found, compact)
        points = min(points, group.max_points)
        matched.extend(t for t, _ in sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))
        if group.required and points == 0:
            ok = False
            missing += 1
        if points < group.min_points:
            ok = False
        score += group.weight * points
    negative = min(_points(topic.negatives, title, lead, rest, {}, compact) * topic.negative_points, topic.negative_max)
    score -= negative
    relevant = ok and score >= topic.threshold
    probability = None
    model = topic.model
    if not relevant and model is not None:
        needed = model.threshold if missing == 0 else model.threshold_one_missing if missing == 1 else None
        if needed is not None:
            probability = round(model.probability(title, text), 4)
            relevant = probability >= needed
    # matched: the topic's groups in file order (control terms before chips before places), frequent first
    return Relevance(relevant=relevant, score=round(score, 2), matched=tuple(matched[:12]),
                     probability=probability)
