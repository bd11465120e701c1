"""Typed records that travel down the crawl: a fetched page, and what the analysis made of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crawler.feeds import FeedEntry


@dataclass(frozen=True, slots=True)
class Page:
    """An article page as fetched: decoded HTML and where it came from."""

    source: str
    requested_url: str          # the link the feed or sitemap gave
    url: str                    # after redirects
    html: str                   # decoded text (never raw bytes: see crawler.decode)
    content_type: str
    entry: FeedEntry
    fetched_at: datetime        # aware UTC


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything decided about a page without the database: extraction and the content verdicts."""

    page: Page
    failed: str | None          # drop reason when the page could not be made into an article
    title: str | None = None
    text: str = ""
    published: datetime | None = None
    author: str | None = None
    canonical_url: str | None = None
    language: str = "und"
    relevant: bool = False
    relevance: float = 0.0
    matched: tuple[str, ...] = ()
    signature: bytes = b""
    shingles: int = 0
    scheme: str = ""
    band_keys: tuple[tuple[int, int], ...] = ()
    features: str | None = None  # StoryFeatures as JSON
