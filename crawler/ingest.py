"""Analysis -> stored article: canonical URL, near-duplicates, story, final verdict.  Runs in the crawl's main
process, one article after another, because each decision depends on what was stored just before; the crawl
hands over articles in batches (:func:`ingest_batch`), each batch one transaction."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

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
    candidates = {row.id: row for row in store.lsh_candidates(analysis.band_keys)}
    candidates.update({row.id: row for row in store.seed_fingerprints()})
    rows = list(candidates.values())
    found = dedup.closest_duplicate(new, [dedup.Fingerprint(r.signature, r.shingles, r.scheme) for r in rows])
    if found is None:
        return None
    row = rows[found[0]]
    return row.kind, row.ref, row.article_id


class StoryIndex:
    """The relevant articles a new report may join, parsed once per crawl, with an inverted token index.

    Loading and parsing every candidate from the database for every new article was quadratic in the crawl's
    size; here each stored article is parsed once, and only articles sharing MIN_SHARED tokens are scored.  The
    score is :func:`crawler.stories.story_score`, computed from the shared weights gathered while walking the
    postings and the weight sums kept per article, so no set of an earlier article is walked again.
    """

    MIN_SHARED = 2          # reports sharing fewer content tokens are not compared (see stories.MIN_SCORE)
    MIN_AGREEING = 0.5      # a report joins a story only if it matches at least this share of the story's reports
                            # it can be compared with (published within stories.MAX_GAP).  Joining on one matching
                            # report let a single close pair pull a whole neighbouring event in: on
                            # bench/data/stories_holdout.jsonl, Samsung Xi'an and SK hynix Wuxi became one story
                            # (grouped precision 0.769 -> 1.000; the tuning set unchanged at 1.000 / 0.907)

    def __init__(self, store: Store, since: datetime, until: datetime):
        self.since, self.until = since, until
        self.reload(store)

    def reload(self, store: Store) -> None:
        """(Re)read the window's articles from the store."""
        self.items: dict[int, _Indexed] = {}
        self.members: dict[int, list[int]] = {}            # story -> its articles in the index
        self.postings: dict[str, list[int]] = {}           # lead token -> articles
        self.title_postings: dict[str, list[int]] = {}     # title token -> articles
        for cand in store.story_candidates(self.since, self.until):
            features = stories.StoryFeatures.from_json(cand.features)
            self.add(cand.article_id, cand.story_id, features, features.published or self.since)

    def add(self, article_id: int, story_id: int, features: stories.StoryFeatures, when: datetime) -> None:
        self.items[article_id] = _Indexed(story_id, features, when, stories.weight_sum(features.lead),
                                          stories.weight_sum(features.title))
        self.members.setdefault(story_id, []).append(article_id)
        for token in features.lead:
            self.postings.setdefault(token, []).append(article_id)
        for token in features.title:
            self.title_postings.setdefault(token, []).append(article_id)

    def best_story(self, mine: stories.StoryFeatures, when: datetime) -> int | None:
        matches = self.matching_stories(mine, when)
        return matches[0] if matches else None

    @staticmethod
    def _shared(tokens: frozenset[str], postings: dict[str, list[int]]) -> tuple[Counter, Counter]:
        """(article id -> shared tokens, article id -> shared specific tokens), counted in C by Counter.update:
        walking long posting lists in Python was most of the crawl's story cost."""
        every, specific = Counter(), Counter()
        for token in tokens:
            ids = postings.get(token)
            if ids:
                every.update(ids)
                if stories.token_weight(token) != 1.0:
                    specific.update(ids)
        return every, specific

    def matching_stories(self, mine: stories.StoryFeatures, when: datetime) -> list[int]:
        """Every story whose reports are one story with ``mine`` (stories.decide) often enough (MIN_AGREEING of
        those it can be compared with), best single score first."""
        extra = stories.SPECIFIC_WEIGHT - 1.0        # a token weighs 1, a specific one 1 + extra
        lead_all, lead_specific = self._shared(mine.lead, self.postings)
        title_all, title_specific = self._shared(mine.title, self.title_postings)
        mine_lead, mine_title = stories.weight_sum(mine.lead), stories.weight_sum(mine.title)
        best: dict[int, float] = {}
        agreeing: Counter = Counter()               # story -> its reports that match
        for aid, n in lead_all.items():
            if n < self.MIN_SHARED:
                continue
            other = self.items[aid]
            if abs(other.when - when) > STORY_WINDOW:
                continue
            factor = stories.pair_gap(mine, other.features)
            if factor == 0.0:
                continue
            lead_cos = (n + extra * lead_specific[aid]) / (mine_lead * other.lead_weight) ** 0.5
            title_cos = 0.0
            shared_title = title_all[aid]
            if shared_title:
                title_cos = (shared_title + extra * title_specific[aid]) / (mine_title * other.title_weight) ** 0.5
            score = factor * (stories.LEAD_SHARE * lead_cos + (1 - stories.LEAD_SHARE) * title_cos)
            if stories.decide(mine, other.features, lead_cos, title_cos, score):
                agreeing[other.story_id] += 1
                if score > best.get(other.story_id, 0.0):
                    best[other.story_id] = score
        joinable = [sid for sid in best if agreeing[sid] >= self.MIN_AGREEING * self._comparable(sid, mine, when)]
        return sorted(joinable, key=lambda sid: (-best[sid], sid))

    def _comparable(self, story_id: int, mine: stories.StoryFeatures, when: datetime) -> int:
        """How many of a story's reports could match ``mine`` at all (inside the window and MAX_GAP)."""
        count = 0
        for aid in self.members.get(story_id, ()):
            item = self.items[aid]
            if abs(item.when - when) <= STORY_WINDOW and stories.pair_gap(mine, item.features):
                count += 1
        return count


@dataclass(frozen=True, slots=True)
class _Indexed:
    story_id: int
    features: stories.StoryFeatures
    when: datetime
    lead_weight: float
    title_weight: float


def find_story(store: Store, analysis: Analysis, index: StoryIndex | None = None) -> int | None:
    """The story this report joins among the relevant articles within STORY_WINDOW (StoryIndex.best_story)."""
    if not analysis.features:
        return None
    when = analysis.published or analysis.page.fetched_at
    if index is None:
        index = StoryIndex(store, when - STORY_WINDOW, when + STORY_WINDOW)
    return index.best_story(stories.StoryFeatures.from_json(analysis.features), when)


def refresh_story_features(store: Store, topic_terms: tuple[str, ...], subjects: tuple, since: datetime,
                           until: datetime) -> int:
    """Recompute the stored story features of the window's relevant articles that other rules or another topic
    computed (crawler.stories.features_key), from their stored title and text, and store them; the number done.

    A crawl calls this before it stores anything: an article stored before the story rules or topic.toml's
    subjects changed is then compared by the same rules as the new reports, not by the fields it happened to
    have."""
    key = stories.features_key(tuple(topic_terms), tuple(subjects))
    stale = [c.article_id for c in store.story_candidates(since, until) if stories.stored_key(c.features) != key]
    updated = [(aid, stories.story_features(title or "", text, published, topic_terms, subjects).to_json(key=key))
               for aid, title, text, published in store.feature_sources(stale)]
    store.update_features(updated)
    if updated:
        log.info("story features of %d stored articles recomputed with the current rules and topic", len(updated))
    return len(updated)


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


def ingest(store: Store, analysis: Analysis, *, now: datetime, max_age_days: int, crawl_id: int | None,
           story_index: StoryIndex | None = None) -> Ingested:
    page = analysis.page
    url = final_url(analysis)
    aliases = tuple(dict.fromkeys(u for u in (page.requested_url, canonicalize(page.requested_url), page.url,
                                              canonicalize(page.url)) if u != url))
    known = store.known_urls([url, *aliases])
    if url in known:
        return Ingested(None, "known", None, None)
    aliases = tuple(a for a in aliases if a not in known)      # another article's address already
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
            story_id = find_story(store, analysis, story_index)
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
    if story_id is None and item.relevant and item.language == "ko":
        story_id = store.article_story(article_id)      # a new story created with the article
    if story_index is not None and item.features and story_id is not None:
        features = stories.StoryFeatures.from_json(item.features)
        story_index.add(article_id, story_id, features, analysis.published or page.fetched_at)
    log.info("%s: stored %s as %s%s", page.source, url, verdict, f" (dup of {duplicate_of})" if duplicate_of else "")
    return Ingested(article_id, verdict, duplicate_of, story_id)


def ingest_batch(store: Store, batch: list[Analysis], *, now: datetime, max_age_days: int, crawl_id: int | None,
                 story_index: StoryIndex | None = None) -> list[Ingested]:
    """Ingest a batch in one transaction, in order: one commit for the lot, each decision seeing the ones before.

    If the batch fails on a constraint (another writer stored one of its URLs meanwhile), it is rolled back and
    the articles are stored one by one, each in its own transaction, so one conflict costs nothing else."""
    done: list[Ingested] = []
    try:
        with store.transaction():
            for analysis in batch:
                done.append(ingest(store, analysis, now=now, max_age_days=max_age_days, crawl_id=crawl_id,
                                   story_index=story_index))
        return done
    except sa.exc.IntegrityError as exc:
        log.warning("batch of %d articles rolled back (%s); storing them one by one", len(batch), exc.orig)
        if story_index is not None:
            story_index.reload(store)       # the batch's articles were rolled back
    return [ingest(store, analysis, now=now, max_age_days=max_age_days, crawl_id=crawl_id, story_index=story_index)
            for analysis in batch]
