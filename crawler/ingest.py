"""Analysis -> stored article: canonical URL, near-duplicates, story, final verdict.  Runs in the crawl's main
process, one article at a time, because each decision depends on what was stored just before."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler import dedup, stories
from crawler.records import Analysis
from crawler.store import NewArticle, Store
from crawler.urls import canonicalize, same_site

log = logging.getLogger(__name__)

STORY_WINDOW = timedelta(days=4)   # reports of one event appear within a few days of each other


@dataclass(frozen=True, slots=True)
class Ingested:
    article_id: int | None     # None: the URL was already stored (another form of a known article)
    verdict: str
    duplicate_of: str | None
    story_id: int | None


def final_url(analysis: Analysis) -> str:
    """The canonical URL: rel=canonical when it stays on the same site, else the fetched URL, canonicalised."""
    page = analysis.page
    if analysis.canonical_url and same_site(analysis.canonical_url, page.url):
        return canonicalize(analysis.canonical_url)
    return canonicalize(page.url)


def find_duplicate(store: Store, analysis: Analysis) -> tuple[str, str, int | None] | None:
    """(kind, ref, article_id) of the closest earlier near-duplicate (seed or article), or None."""
    new = dedup.Fingerprint(analysis.signature, analysis.shingles, analysis.scheme)
    best = None
    best_score = 0.0
    candidates = {row.id: row for row in store.lsh_candidates(analysis.band_keys)}
    candidates.update({row.id: row for row in store.seed_fingerprints()})
    for row in candidates.values():
        old = dedup.Fingerprint(row.signature, row.shingles, row.scheme)
        if old.scheme != new.scheme:
            continue
        if dedup.is_near_duplicate(new, old):
            score = dedup.containment(new, old)
            if score > best_score:
                best, best_score = (row.kind, row.ref, row.article_id), score
    return best


def find_story(store: Store, analysis: Analysis, now: datetime) -> int | None:
    """The story of the most similar relevant article within STORY_WINDOW, if it is the same event."""
    if not analysis.features:
        return None
    when = analysis.published or analysis.page.fetched_at
    mine = stories.StoryFeatures.from_json(analysis.features)
    best, best_score = None, 0.0
    for cand in store.story_candidates(when - STORY_WINDOW, when + STORY_WINDOW):
        other = stories.StoryFeatures.from_json(cand.features)
        if stories.same_story(mine, other):
            score = stories.story_score(mine, other)
            if score > best_score:
                best, best_score = cand.story_id, score
    return best


def decide_verdict(analysis: Analysis, duplicate_kind: str | None, now: datetime, max_age_days: int) -> str:
    """One verdict per article, most telling first."""
    if analysis.language != "ko":
        return "not_korean"
    if not analysis.relevant:
        return "irrelevant"
    if duplicate_kind == "seed":
        return "duplicate:seed"
    if duplicate_kind == "article":
        return "duplicate:article"
    if analysis.published is not None and analysis.published < now - timedelta(days=max_age_days):
        return "too_old"
    return "kept"


def ingest(store: Store, analysis: Analysis, *, now: datetime, max_age_days: int, crawl_id: int | None) -> Ingested:
    page = analysis.page
    url = final_url(analysis)
    aliases = tuple(dict.fromkeys(u for u in (page.requested_url, canonicalize(page.requested_url), page.url,
                                              canonicalize(page.url)) if u != url))
    if store.known_urls([url]):
        return Ingested(None, "known", None, None)
    dup = find_duplicate(store, analysis)
    duplicate_kind = dup[0] if dup else None
    duplicate_of = dup[1] if dup else None
    verdict = decide_verdict(analysis, duplicate_kind, now, max_age_days)
    story_id = None
    if analysis.relevant and analysis.language == "ko":
        if dup and dup[0] == "seed":
            story_id = store.seed_story(dup[1])
        elif dup and dup[2] is not None:
            story_id = store.article_story(dup[2])
        if story_id is None:
            story_id = find_story(store, analysis, now)
    item = NewArticle(
        url=url, aliases=aliases, source=page.source, title=analysis.title, published=analysis.published,
        author=analysis.author, language=analysis.language, text=analysis.text, relevant=analysis.relevant,
        relevance=analysis.relevance, matched=analysis.matched, verdict=verdict, duplicate_of=duplicate_of,
        story_id=story_id, fetched_at=page.fetched_at, crawl_id=crawl_id,
        features=analysis.features if analysis.relevant else None, signature=analysis.signature,
        shingles=analysis.shingles, scheme=analysis.scheme, band_keys=analysis.band_keys,
    )
    article_id = store.add_article(item)
    if article_id is None:
        return Ingested(None, "known", duplicate_of, story_id)
    log.info("%s: stored %s as %s%s", page.source, url, verdict, f" (dup of {duplicate_of})" if duplicate_of else "")
    return Ingested(article_id, verdict, duplicate_of, story_id)
