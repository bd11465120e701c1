"""Scrapy settings for a chipwatch crawl, declared once, built from the validated ``[crawl]`` config."""

from __future__ import annotations

from crawler import __version__
from crawler.configuration import CrawlConfig

RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]   # 404 and other 4xx are final
REDIRECT_MAX_TIMES = 5            # a longer chain (or a loop) is dropped as http_error:redirect
ROBOTSTXT_TIMEOUT_NOTE = "robots.txt is fetched with the normal DOWNLOAD_TIMEOUT"


def user_agent(contact: str) -> str:
    """An honest User-Agent naming the tool and a contact address."""
    return f"chipwatch/{__version__} (Korean news monitor; +mailto:{contact})"


def scrapy_settings(crawl: CrawlConfig, *, log_level: str = "WARNING") -> dict:
    per_host = 1 if crawl.delay > 0 else crawl.concurrency
    return {
        "BOT_NAME": "chipwatch",
        "USER_AGENT": user_agent(crawl.contact),
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "chipwatch",
        "DOWNLOAD_DELAY": crawl.delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if crawl.delay > 0 else 0,   # ±50 % around the delay
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
        # A response yields at most one Page; Scrapy would otherwise start CONCURRENT_ITEMS (100) asyncio tasks
        # per response to drain that output, which cost a third of the main process's time in bench/.
        "CONCURRENT_ITEMS": 1,
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,       # also caps the decompressed size of gzip bodies
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": crawl.retries,                    # retries after the first attempt
        "RETRY_HTTP_CODES": RETRY_HTTP_CODES,
        "REDIRECT_MAX_TIMES": REDIRECT_MAX_TIMES,
        "METAREFRESH_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "LOG_ENABLED": True,
        "LOGSTATS_INTERVAL": 0,
        "STATS_DUMP": False,
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml;q=0.9,*/*;q=0.5",
            "Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5",
        },
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.fetch.crawl_delay.CrawlDelayMiddleware": 110,   # right after RobotsTxtMiddleware (100)
            "crawler.fetch.backoff.BackoffMiddleware": 560,          # sees 429/503 before RetryMiddleware (550)
            "crawler.fetch.ssrf.SsrfGuardMiddleware": 120,           # before any byte goes to a resolved address
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
        },
        # Parts of Scrapy a crawl of feeds and sitemaps does not use, each paid on every request or response in
        # the reactor's process (bench/crawl_throughput.py): URL length and depth bookkeeping (the spider counts
        # sitemap depth itself), offsite filtering (no allowed_domains), HTTP auth, per-request download stats
        # (CrawlStats counts what matters), and the remote-control extension, which also imports a web stack at
        # start.  RefererMiddleware stays: RedirectMiddleware warns at every start without it.
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
        },
        "EXTENSIONS": {"scrapy.extensions.remote_control.RemoteControl": None},
        "ITEM_PIPELINES": {"crawler.pipelines.ArticlePipeline": 300},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "DNS_TIMEOUT": min(crawl.timeout, 20),
    }
