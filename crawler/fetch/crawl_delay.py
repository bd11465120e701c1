"""Honour a robots.txt ``Crawl-delay`` larger than ``crawl.delay`` (Scrapy reads robots.txt but ignores the delay).

The robots.txt response passes through the downloader middlewares; we read its Crawl-delay for our user agent
and raise the delay of that host's download slot before the host's next request.
"""

from __future__ import annotations

import logging

from protego import Protego

log = logging.getLogger(__name__)

MAX_CRAWL_DELAY = 120.0  # seconds; a site asking for more is honoured at this cap so a crawl still ends


def robots_crawl_delay(robots_txt: str, agent: str) -> float | None:
    """The Crawl-delay robots.txt asks of ``agent`` (or of ``*``), or None."""
    try:
        delay = Protego.parse(robots_txt).crawl_delay(agent)
    except Exception:  # noqa: BLE001 - a broken robots.txt asks for nothing
        return None
    return float(delay) if delay else None


class CrawlDelayMiddleware:
    def __init__(self, agent: str, base_delay: float):
        self.agent = agent
        self.base_delay = base_delay
        self.delays: dict[str, float] = {}
        self.crawler = None

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler.settings.get("ROBOTSTXT_USER_AGENT") or "chipwatch",
                 crawler.settings.getfloat("DOWNLOAD_DELAY"))
        mw.crawler = crawler
        return mw

    def process_request(self, request):
        key = self._slot_key(request)
        wanted = self.delays.get(key)
        if wanted and self.crawler is not None and self.crawler.engine is not None:
            slot = self.crawler.engine.downloader.slots.get(key)
            if slot is not None and slot.delay < wanted:
                slot.delay = wanted
                slot.jitter = 0.0       # exactly the delay robots.txt asks for, no random variation
        return None

    def process_response(self, request, response):
        if request.url.endswith("/robots.txt") and response.status == 200 and hasattr(response, "text"):
            try:
                delay = robots_crawl_delay(response.text, self.agent)
            except (AttributeError, ValueError):
                delay = None
            if delay and delay > self.base_delay:
                key = self._slot_key(request)
                self.delays[key] = min(delay, MAX_CRAWL_DELAY)
                log.info("robots.txt Crawl-delay %.1fs honoured for %s", self.delays[key], key)
        return response

    def _slot_key(self, request) -> str:
        if self.crawler is not None and self.crawler.engine is not None:
            return self.crawler.engine.downloader.get_slot_key(request)
        from urllib.parse import urlsplit
        return urlsplit(request.url).hostname or ""
