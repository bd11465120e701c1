"""Back off from a host that says so: honour ``Retry-After`` on 429 and 503 responses.

Scrapy's RetryMiddleware retries 429/503 but ignores Retry-After, so a rate-limited host would be hammered at the
normal pace.  Seeing such a response first (higher priority number = earlier in process_response), this
middleware raises the delay of that host's download slot to the Retry-After value (seconds or an HTTP date,
capped at MAX_BACKOFF), or doubles it when the header is missing; the retry then waits accordingly.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

log = logging.getLogger(__name__)

BACKOFF_STATUSES = (429, 503)
MAX_BACKOFF = 120.0   # seconds; a host asking for more is retried at this pace, within the crawl's retries
MIN_BACKOFF = 1.0


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class BackoffMiddleware:
    def __init__(self, crawler=None):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        if response.status not in BACKOFF_STATUSES or self.crawler is None or self.crawler.engine is None:
            return response
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return response
        header = response.headers.get(b"Retry-After")
        asked = retry_after_seconds(header.decode("latin-1") if header else None)
        wanted = asked if asked is not None else max(MIN_BACKOFF, slot.delay * 2)
        wanted = min(max(wanted, MIN_BACKOFF), MAX_BACKOFF)
        if wanted > slot.delay:
            slot.delay = wanted
            slot.jitter = 0.0               # exactly the delay asked for, no random variation
            log.info("%s answered %d: backing off to %.1f s between requests", key, response.status, wanted)
        return response
