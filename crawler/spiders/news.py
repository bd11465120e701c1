"""The one spider of a crawl: reads every configured feed and sitemap, then fetches the article pages they announce.

One spider (not one per source) so that one downloader applies the global concurrency and the per-host delay to
all sources alike.  Feeds and sitemaps are parsed by :mod:`crawler.feeds`; article pages become :class:`Page`
items for :mod:`crawler.pipelines`.  Every link that is not fetched, and every failed fetch, is counted per source
with its reason.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (ConnectError, ConnectionRefusedError, DNSLookupError, TCPTimedOutError,
                                    TimeoutError as TwistedTimeoutError)

from crawler.feeds import FeedEntry, FeedError, looks_like_sitemap, parse_feed, parse_naver_news, parse_sitemap
from crawler.records import Page
from crawler.urls import canonicalize, is_web_url

log = logging.getLogger(__name__)

MAX_SITEMAP_DEPTH = 3        # index -> index -> urlset is the deepest real news sites go
MAX_CHILD_SITEMAPS = 20      # newest-first; a daily-archive index can list thousands
HTML_TYPES = ("text/html", "application/xhtml+xml")
NAVER_NEWS_API = "https://openapi.naver.com/v1/search/news.json"
NAVER_PAGE_SIZE = 100        # the API's maximum per call


def is_private_host(url: str) -> bool:
    """True for loopback, private, link-local or reserved address literals and for localhost names."""
    return _is_private_name((urlsplit(url).hostname or "").lower())


@functools.lru_cache(maxsize=4096)
def _is_private_name(host: str) -> bool:
    """Per host name, cached: a crawl asks it for every link of a handful of hosts."""
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified


def failure_reason(failure) -> str:
    """A drop reason for a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return "http_error"
    if isinstance(exc, IgnoreRequest):
        text = str(exc).lower()
        if "unsafe_url" in text:
            return "unsafe_url"
        if "robots" in text:
            return "robots"
        if "redirect" in text:
            return "redirect_loop"
        return "http_error" if "max" in text else "robots"
    if isinstance(exc, (TwistedTimeoutError, TCPTimedOutError)) or "timeout" in type(exc).__name__.lower():
        return "timeout"
    text = str(exc).lower()
    if "maxsize" in text or "larger than" in text or "exceeds" in text:
        return "too_large"
    return "network_error"


def failure_message(failure) -> str:
    exc = failure.value
    name = type(exc).__name__
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}"
    if isinstance(exc, DNSLookupError) or "Resolve" in name or "DNS" in name:
        host = urlsplit(failure.request.url).hostname if getattr(failure, "request", None) else ""
        return f"DNS 조회 실패: {host} (네트워크 연결 또는 주소를 확인하세요)"
    if isinstance(exc, ConnectionRefusedError):
        return "연결 거부"
    if isinstance(exc, (TwistedTimeoutError, TCPTimedOutError)):
        return "시간 초과"
    if isinstance(exc, IgnoreRequest):
        return f"요청 무시: {exc}"
    return f"{type(exc).__name__}: {str(exc)[:120]}"


class NewsSpider(scrapy.Spider):
    name = "chipwatch"

    def __init__(self, ctx, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ctx = ctx                         # crawler.run.CrawlContext: sources, store, stats, now, config
        self.scheduled: set[str] = set()       # canonical URLs requested in this crawl

    async def start(self):
        for source in self.ctx.sources:
            meta = {"source": source.name, "depth": 0, "handle_httpstatus_list": []}
            if source.kind == "naver_news":
                request = self.naver_request(source, meta)
                if request is not None:
                    yield request
            elif source.kind == "sitemap":
                yield scrapy.Request(source.url, callback=self.parse_sitemap, errback=self.source_failed,
                                     meta=meta, dont_filter=True, priority=10)
            else:
                yield scrapy.Request(source.url, callback=self.parse_feed, errback=self.source_failed,
                                     meta=meta, dont_filter=True, priority=10)

    # ---------------------------------------------------------------- entry points

    def naver_request(self, source, meta):
        """The Naver Search API call for a naver_news source; keys come from the environment only."""
        import os
        from urllib.parse import urlencode

        cfg = self.ctx.config
        client_id = os.environ.get(cfg.naver_client_id_env, "")
        secret = os.environ.get(cfg.naver_client_secret_env, "")
        if not client_id or not secret:
            self.ctx.stats[source.name].error = (f"네이버 API 키가 없습니다: 환경 변수 {cfg.naver_client_id_env}, "
                                                 f"{cfg.naver_client_secret_env}를 설정하세요")
            self.ctx.stats.drop(source.name, "source:no_api_key")
            return None
        query = urlencode({"query": source.query, "display": NAVER_PAGE_SIZE, "start": 1, "sort": "date"})
        url = f"{source.url or NAVER_NEWS_API}?{query}"
        meta = dict(meta, dont_obey_robotstxt=True)   # an API endpoint, used under its own terms
        return scrapy.Request(url, callback=self.parse_naver, errback=self.source_failed, meta=meta,
                              headers={"X-Naver-Client-Id": client_id, "X-Naver-Client-Secret": secret},
                              dont_filter=True, priority=10)

    def parse_naver(self, response: Response):
        source = response.meta["source"]
        stats = self.ctx.stats[source]
        try:
            entries = parse_naver_news(response.text, now=self.ctx.now)
        except (FeedError, AttributeError) as exc:
            stats.error = f"네이버 API 응답 오류: {exc}"
            self.ctx.stats.drop(source, f"source:{getattr(exc, 'reason', 'not_a_feed')}")
            return
        yield from self.follow_entries(source, entries, response.url)
        stats.done = True
        self.ctx.stats.changed()

    def parse_feed(self, response: Response):
        source = response.meta["source"]
        stats = self.ctx.stats[source]
        if looks_like_sitemap(response.body):
            yield from self.parse_sitemap(response)
            return
        try:
            text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
            entries = parse_feed(text, response.url, now=self.ctx.now)
        except FeedError as exc:
            stats.error = f"피드 오류: {exc}"
            self.ctx.stats.drop(source, f"source:{exc.reason}")
            log.warning("%s: feed %s unreadable: %s", source, response.url, exc)
            return
        yield from self.follow_entries(source, entries, response.url)
        stats.done = True
        self.ctx.stats.changed()

    def parse_sitemap(self, response: Response):
        source = response.meta["source"]
        stats = self.ctx.stats[source]
        try:
            sitemap = parse_sitemap(response.body, response.url, now=self.ctx.now)
        except FeedError as exc:
            if response.meta.get("depth", 0) == 0:
                stats.error = f"사이트맵 오류: {exc}"
            self.ctx.stats.drop(source, f"source:{exc.reason}")
            log.warning("%s: sitemap %s unreadable: %s", source, response.url, exc)
            return
        if sitemap.children:
            depth = response.meta.get("depth", 0) + 1
            if depth > MAX_SITEMAP_DEPTH:
                self.ctx.stats.drop(source, "source:sitemap_too_deep")
                return
            # Newest child sitemaps usually come last in daily archives and first in "latest" indexes;
            # keep the order given but cap the count.
            for child in sitemap.children[:MAX_CHILD_SITEMAPS]:
                yield scrapy.Request(child, callback=self.parse_sitemap, errback=self.source_failed,
                                     meta={"source": source, "depth": depth}, priority=5)
        yield from self.follow_entries(source, list(sitemap.entries), response.url)
        if not sitemap.children:
            stats.done = True
        self.ctx.stats.changed()

    def source_failed(self, failure):
        request = failure.request
        source = request.meta["source"]
        stats = self.ctx.stats[source]
        reason = failure_reason(failure)
        message = failure_message(failure)
        if request.meta.get("depth", 0) == 0:
            stats.error = message if request.url in message or "DNS" in message else f"{message} ({request.url})"
        self.ctx.stats.drop(source, f"source:{reason}")
        log.info("%s: source %s failed: %s", source, request.url, message)

    # ---------------------------------------------------------------- articles

    def follow_entries(self, source: str, entries: list[FeedEntry], feed_url: str):
        stats = self.ctx.stats[source]
        cap = self.ctx.config.crawl.max_items_per_source
        dated = sorted(entries, key=lambda e: e.published or datetime.min.replace(tzinfo=timezone.utc),
                       reverse=True)
        remaining = max(0, cap - stats.seen)
        chosen = dated[:remaining]
        stats.seen += len(chosen)
        forms = {e.url: canonicalize(e.url) for e in chosen}
        known = self.ctx.store.known_urls(list(forms) + list(forms.values()))
        private_source = is_private_host(feed_url)
        for entry in chosen:
            canonical = forms[entry.url]
            if entry.url in known or canonical in known:
                stats.known += 1
                continue
            if not is_web_url(entry.url) or (is_private_host(entry.url) and not private_source):
                self.ctx.stats.drop(source, "unsafe_url")
                log.warning("%s: link to a private address not followed: %s", source, entry.url)
                continue
            if canonical in self.scheduled:
                self.ctx.stats.drop(source, "duplicate:url")
                continue
            self.scheduled.add(canonical)
            yield scrapy.Request(entry.url, callback=self.parse_article, errback=self.article_failed,
                                 meta={"source": source, "entry": entry, "private_ok": private_source})
        self.ctx.stats.changed()

    def parse_article(self, response: Response):
        source = response.meta["source"]
        stats = self.ctx.stats[source]
        stats.fetched += 1
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if is_private_host(response.url) and not response.meta.get("private_ok"):
            self.ctx.stats.drop(source, "unsafe_url")
            return
        if content_type and not content_type.startswith(HTML_TYPES):
            self.ctx.stats.drop(source, "not_html")
            return
        # Decoding happens in the worker process (Page.text), off the reactor.
        yield Page(source=source, requested_url=response.meta["entry"].url, url=response.url, html="",
                   body=response.body, content_type=content_type, entry=response.meta["entry"],
                   fetched_at=self.ctx.clock())

    def article_failed(self, failure):
        source = failure.request.meta["source"]
        reason = failure_reason(failure)
        self.ctx.stats.drop(source, reason)
        log.info("%s: %s dropped (%s): %s", source, failure.request.url, reason, failure_message(failure))
