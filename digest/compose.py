"""Pending stories in the store -> a :class:`digest.records.Digest`, ready to render.

A story is pending while it has not been mailed, is not a seed story readers already know, and has at least one
``kept`` article published inside the window (``crawl.max_age_days``).  The digest id is derived from the set
of story ids, so composing the same pending set twice (a retry after a failure or a crash) gives the same id and
therefore the same Message-ID.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta

from crawler.configuration import Config
from crawler.store import (Store, StoryArticle, from_db_time, last_digest, pending_story_articles,
                           verdict_counts_since)
from digest.records import ArticleRef, Digest, DigestCounts, DigestStory, rank_stories
from digest.summarize import summarize


def digest_id_for(story_ids: list[int], period_end: datetime, tz: str) -> str:
    """Stable id: the same pending stories give the same id; an empty digest is one per local day."""
    if not story_ids:
        from zoneinfo import ZoneInfo

        return "cw-empty-" + period_end.astimezone(ZoneInfo(tz)).strftime("%Y%m%d")
    digest = hashlib.sha256(",".join(map(str, sorted(story_ids))).encode()).hexdigest()[:16]
    return f"cw-{digest}"


def _when(a: StoryArticle) -> datetime:
    return a.published or a.fetched_at


def _ref(a: StoryArticle) -> ArticleRef:
    return ArticleRef(url=a.url, outlet=a.source, title=a.title or "(제목 없음)", published=a.published)


def build_story(story_id: int, items: list[StoryArticle]) -> DigestStory:
    kept = [a for a in items if a.verdict == "kept"]
    # The lead: the most relevant kept report, earliest first among equals (the outlet that broke it).
    lead = max(kept, key=lambda a: (round(a.relevance, 2), -_when(a).timestamp()))
    others: list[ArticleRef] = []
    extras: list[ArticleRef] = []
    seen_outlets = {lead.source}
    for a in sorted(items, key=_when):
        if a.article_id == lead.article_id or a.verdict == "too_old":
            continue
        if a.source not in seen_outlets:
            seen_outlets.add(a.source)
            others.append(_ref(a))
        elif a.verdict == "kept":
            # A second new report of one outlet (not a copy: copies are duplicates): a follow-up, or a look-alike
            # event that story matching put here.  Listing it keeps it in the mail either way.
            extras.append(replace(_ref(a), extra=True))
    others.extend(extras)
    matched = tuple(dict.fromkeys([*lead.matched, *(t for a in kept for t in a.matched)]))
    return DigestStory(story_id=story_id, lead=_ref(lead), summary=summarize(lead.text, title=lead.title),
                       matched_terms=matched,
                       others=tuple(others), relevance=max(a.relevance for a in kept))


def compose(store: Store, config: Config, *, now: datetime) -> Digest:
    """The digest that would be sent now (nothing is marked)."""
    window_start = now - timedelta(days=config.crawl.max_age_days)
    grouped: dict[int, list[StoryArticle]] = defaultdict(list)
    for a in pending_story_articles(store):
        grouped[a.story_id].append(a)
    candidates = []
    for story_id, items in grouped.items():
        if any(a.verdict == "kept" and _when(a) >= window_start for a in items):
            candidates.append(build_story(story_id, items))
    ranked = rank_stories(candidates)[: config.digest.max_stories]
    previous = last_digest(store)
    kept_dates = [_when(a) for s in ranked for a in grouped[s.story_id] if a.verdict == "kept"]
    period_start = from_db_time(previous.created_at) if previous is not None else None
    if period_start is None:
        period_start = max(min(kept_dates), window_start) if kept_dates else window_start
    counts_since = verdict_counts_since(store, from_db_time(previous.created_at) if previous is not None else None)
    outlets = {s.lead.outlet for s in ranked} | {o.outlet for s in ranked for o in s.others}
    articles_in = sum(1 + len(s.others) for s in ranked)
    counts = DigestCounts(new_stories=len(ranked), articles=articles_in, outlets=len(outlets),
                          duplicates_suppressed=counts_since.get("duplicate:article", 0),
                          seed_copies_suppressed=counts_since.get("duplicate:seed", 0))
    return Digest(digest_id=digest_id_for([s.story_id for s in ranked], now, config.digest.timezone),
                  topic=topic_label(config), period_start=min(period_start, now), period_end=now,
                  created_at=now, stories=tuple(ranked), counts=counts, timezone=config.digest.timezone)


def topic_label(config: Config) -> str:
    from crawler.topic import load_topic

    topic = load_topic(config.topic.path)
    return getattr(topic, "label", None) or topic.name
