"""One crawl, start to end, in the current process: the entry point behind ``chipwatch crawl``.

Scrapy's reactor cannot be restarted, so a process runs one crawl; the daemon runs each crawl as a child process
(see digest.daemon).  The crawl holds an exclusive lock on the database, syncs the seed fingerprints, fetches
every source through one spider, analyses pages in a process pool and stores them in batches in a writer process
(crawler.writer), then records the per-source counts in the ``crawls`` tables.  A source that fails is recorded
and does not fail the crawl; a worker or the writer that dies is started again (CrawlContext.restart_pool,
restart_writer).
"""

from __future__ import annotations

import logging
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, ClassVar

from crawler import stories, story_model
from crawler.configuration import Config, SourceConfig
from crawler.errors import ConfigError
from crawler.lock import exclusive
from crawler.pool import start_pool
from crawler.seeds import sync_seeds
from crawler.stats import CrawlStats
from crawler.store import SourceCounts, Store
from crawler.topic import Topic, load_topic, topic_terms
from crawler.writer import start_writer

log = logging.getLogger(__name__)

IMPLEMENTED_KINDS = ("rss", "sitemap", "naver_news")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class CrawlContext:
    """What the spider and the pipeline share during one crawl."""

    config: Config
    sources: tuple[SourceConfig, ...]
    store: Store
    stats: CrawlStats
    topic: Topic
    now: datetime
    crawl_id: int
    pool: ProcessPoolExecutor | None = None
    clock: Callable[[], datetime] = field(default=utc_now)
    story_index: object | None = None     # crawler.ingest.StoryIndex, built on the first stored article
    writer: ProcessPoolExecutor | None = None   # the writer process (crawler.writer), when the crawl has workers
    pool_restarts: int = 0
    writer_restarts: int = 0

    MAX_POOL_RESTARTS: ClassVar[int] = 5

    def restart_pool(self, broken: ProcessPoolExecutor) -> bool:
        """Replace a broken worker pool (once, however many pages saw it break); False when the crawl has used up
        its restarts and the pages must be dropped instead."""
        if self.pool is not broken:
            return self.pool is not None                   # another page already replaced it
        broken.shutdown(wait=False, cancel_futures=True)
        if self.pool_restarts >= self.MAX_POOL_RESTARTS:
            log.warning("분석 작업 프로세스가 %d번 중단되어 남은 기사는 건너뜁니다 (worker_crashed)",
                        self.pool_restarts + 1)
            self.pool = None
            return False
        self.pool_restarts += 1
        log.warning("분석 작업 프로세스가 중단되어 다시 시작합니다 (%d번째)", self.pool_restarts)
        self.pool = start_pool(worker_count(self.config), self.config.topic.path)
        return True

    def restart_writer(self, broken: ProcessPoolExecutor) -> None:
        """Replace a broken writer process once; a second failure leaves storing to a thread of the main process."""
        if self.writer is not broken:
            return
        broken.shutdown(wait=False, cancel_futures=True)
        if self.writer_restarts >= 1:
            log.warning("저장 프로세스가 다시 중단되어 이 수집의 나머지는 주 프로세스에서 저장합니다")
            self.writer = None
            return
        self.writer_restarts += 1
        log.warning("저장 프로세스가 중단되어 다시 시작합니다; 저장 중이던 기사들은 다시 저장합니다")
        self.writer = start_writer(self.config.storage.url)


@dataclass(frozen=True, slots=True)
class CrawlResult:
    crawl_id: int
    started_at: datetime
    finished_at: datetime
    status: str                      # done | interrupted
    counts: tuple[SourceCounts, ...]

    @property
    def failed_sources(self) -> tuple[str, ...]:
        return tuple(c.source for c in self.counts if c.error)


def select_sources(config: Config, names: list[str] | None) -> tuple[SourceConfig, ...]:
    sources = [s for s in config.sources if s.enabled]
    if names:
        by_name = {s.name: s for s in config.sources}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise ConfigError(f"{config.label}: 설정에 없는 출처: {', '.join(missing)} "
                              f"(가능한 이름: {', '.join(by_name)})")
        sources = [by_name[n] for n in names]
    for s in sources:
        if s.kind not in IMPLEMENTED_KINDS:
            raise ConfigError(f"{config.label}: 출처 '{s.name}'의 kind = \"{s.kind}\"는 아직 지원하지 않습니다 "
                              f"(지원: {', '.join(IMPLEMENTED_KINDS)})")
    return tuple(sources)


def worker_count(config: Config) -> int:
    return config.crawl.workers or max(1, os.cpu_count() or 1)


def run_crawl(config: Config, *, source_names: list[str] | None = None, now: datetime | None = None,
              progress: bool | None = None, log_level: str = "WARNING") -> CrawlResult:
    """Run one crawl to the end and return its per-source counts (also stored in the database)."""
    sources = select_sources(config, source_names)
    topic = load_topic(config.topic.path)
    story_model.shipped(stories.PAIR_FEATURES)       # a broken install fails here, in one line, not mid-crawl
    store = Store(config.storage.url)
    started = now or utc_now()
    with exclusive(config.storage.url, "crawl"):
        pool = start_pool(worker_count(config), config.topic.path) if sources else None
        writer = start_writer(config.storage.url) if pool is not None else None
        try:
            from scrapy.crawler import AsyncCrawlerProcess

            from crawler.progress import ProgressReporter
            from crawler.settings import scrapy_settings
            from crawler.spiders.news import NewsSpider

            sync_seeds(store, config.seeds.path, started)
            if sources:
                from crawler.ingest import refresh_story_features
                from crawler.writer import story_window

                refresh_story_features(store, topic_terms(topic), topic.subjects,
                                       *story_window(started, config.crawl.max_age_days))
            crawl_id = store.start_crawl(started, os.getpid())
        except BaseException:
            for executor in (pool, writer):
                if executor is not None:
                    executor.shutdown(wait=False, cancel_futures=True)
            raise
        stats = CrawlStats([s.name for s in sources])
        ctx = CrawlContext(config=config, sources=sources, store=store, stats=stats, topic=topic,
                           now=started, crawl_id=crawl_id, pool=pool, writer=writer)
        reporter = ProgressReporter(stats, live=sys.stderr.isatty() if progress is None else progress)
        status = "done"
        try:
            with reporter:
                if sources:
                    settings = scrapy_settings(config.crawl, log_level=log_level)
                    settings["LOG_INSTALL_ROOT_HANDLER"] = False     # our handler (digest.cli) prints the lines
                    _quiet_scrapy(log_level)
                    process = AsyncCrawlerProcess(settings)
                    _quiet_scrapy(log_level)     # Scrapy resets levels while it starts
                    crawler = process.create_crawler(NewsSpider)
                    process.crawl(crawler, ctx=ctx)
                    process.start()
                    reason = getattr(crawler.stats, "get_value", lambda *_: None)("finish_reason")
                    if reason and reason not in ("finished",):
                        status = "interrupted"
        finally:
            # the writer finishes the batch in hand before the crawl is closed; a pool restarted during the crawl
            # is the context's, the first ones were shut down when they broke
            for executor in (ctx.pool, ctx.writer):
                if executor is not None:
                    executor.shutdown(wait=True, cancel_futures=True)
            finished = utc_now()
            counts = tuple(stats.counts())
            store.finish_crawl(crawl_id, finished, status, counts)
            store.close()
    return CrawlResult(crawl_id, started, finished, status, counts)


def _quiet_scrapy(log_level: str) -> None:
    for name in ("scrapy", "twisted", "py.warnings", "scrapy.utils.log", "scrapy.crawler", "scrapy.middleware",
                 "scrapy.core.engine", "scrapy.extensions.telnet", "scrapy.addons"):
        logging.getLogger(name).setLevel(log_level)
    if log_level != "DEBUG":
        # A host that cannot be reached fails its source in the summary table; Scrapy would also print a traceback
        # for each retry and for each robots.txt it could not fetch.
        logging.getLogger("scrapy.downloadermiddlewares.retry").setLevel(logging.CRITICAL)
        logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
