"""Typed records that travel down the crawl: a fetched page, and what the analysis made of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crawler.feeds import FeedEntry


@dataclass(frozen=True, slots=True)
class Page:
    """An article page as fetched, and where it came from.

    The crawl hands over the raw ``body``; the worker process decodes it (:func:`Page.text`), which keeps that
    work off the crawl's main process.  Callers that already hold decoded HTML pass ``html`` instead."""

    source: str
    requested_url: str          # the link the feed or sitemap gave
    url: str                    # after redirects
    html: str                   # decoded text, or "" when only ``body`` is given
    content_type: str
    entry: FeedEntry
    fetched_at: datetime        # aware UTC
    body: bytes = b""           # the bytes as downloaded (decompressed), decoded by crawler.decode

    def text(self) -> str:
        """The page as text without mojibake (see crawler.decode for the order of evidence)."""
        if self.html or not self.body:
            return self.html
        from crawler.decode import decode_html

        return decode_html(self.body, self.content_type or None)


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
