"""Typed records of a digest: what ``digest.compose`` builds and ``render`` / ``mail`` consume.

Texts in these records come from the web (titles, outlet names, summaries, URLs) and are hostile until
``digest.render`` has cleaned and escaped them; datetimes are aware and in UTC (shown in ``Digest.timezone``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True, slots=True)
class ArticleRef:
    url: str
    outlet: str
    title: str
    published: datetime | None       # aware UTC; None when the page gave no date
    extra: bool = False              # another new report by an outlet already listed in the story


@dataclass(frozen=True, slots=True)
class DigestStory:
    story_id: int
    lead: ArticleRef                 # the report the title links to
    summary: str                     # 2–3 Korean sentences drawn from the lead (digest.summarize)
    matched_terms: tuple[str, ...]   # topic terms found, shown as labels
    others: tuple[ArticleRef, ...]   # other outlets that carried the story, earliest first; then every further
                                     # new report of an outlet already listed (a follow-up, or a look-alike
                                     # event the story rules joined to it), so no new report is left out
    relevance: float                 # crawler.relevance score of the most relevant report

    @property
    def outlets(self) -> int:
        """How many outlets carried the story: the lead's plus the distinct other ones."""
        return 1 + len({o.outlet for o in self.others if o.outlet != self.lead.outlet})


@dataclass(frozen=True, slots=True)
class DigestCounts:
    new_stories: int
    articles: int                    # reports of those stories (leads and others)
    outlets: int                     # distinct outlets among them
    duplicates_suppressed: int       # copies of other articles found since the last digest, not mailed
    seed_copies_suppressed: int      # copies of seed articles (readers already know them), not mailed


@dataclass(frozen=True, slots=True)
class Digest:
    digest_id: str                   # stable for the same set of stories: the Message-ID derives from it
    topic: str
    period_start: datetime
    period_end: datetime
    created_at: datetime
    stories: tuple[DigestStory, ...]  # most important first (rank_stories)
    counts: DigestCounts
    timezone: str = "Asia/Seoul"


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _timestamp(value: datetime | None) -> float:
    if value is None:
        return _EPOCH.timestamp()
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp()


def rank_stories(stories: Iterable[DigestStory]) -> tuple[DigestStory, ...]:
    """Most important first: how many outlets carried it, then relevance, then recency (then id, for stability).

    Relevance is compared in whole points: scores that differ by a fraction differ only by term density, and
    between two such stories the newer one matters more to a weekly reader.
    """
    return tuple(sorted(stories, key=lambda s: (-s.outlets, -round(s.relevance), -_timestamp(s.lead.published),
                                                s.story_id)))
