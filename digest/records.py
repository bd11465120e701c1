"""Typed records of a digest: what compose builds and render/mail consume."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True, slots=True)
class ArticleRef:
    url: str
    outlet: str
    title: str
    published: datetime | None       # aware UTC


@dataclass(frozen=True, slots=True)
class DigestStory:
    story_id: int
    lead: ArticleRef
    summary: str
    matched_terms: tuple[str, ...]
    others: tuple[ArticleRef, ...]   # other outlets that carried the story
    relevance: float

    @property
    def outlets(self) -> int:
        return 1 + len({o.outlet for o in self.others if o.outlet != self.lead.outlet})


@dataclass(frozen=True, slots=True)
class DigestCounts:
    new_stories: int
    articles: int
    outlets: int
    duplicates_suppressed: int
    seed_copies_suppressed: int


@dataclass(frozen=True, slots=True)
class Digest:
    digest_id: str
    topic: str
    period_start: datetime
    period_end: datetime
    created_at: datetime
    stories: tuple[DigestStory, ...]
    counts: DigestCounts
    timezone: str = "Asia/Seoul"


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def rank_stories(stories: Iterable[DigestStory]) -> tuple[DigestStory, ...]:
    """Most important first: how many outlets carried it, then relevance, then recency."""
    return tuple(sorted(stories, key=lambda s: (-s.outlets, -round(s.relevance), -(s.lead.published or _EPOCH)
                                                .timestamp(), s.story_id)))
