"""Thin Scrapy adapter: Page items -> analysis in the worker pool -> ingest into the store, in batches.

Analysis (extraction, judging, fingerprints) runs in worker processes.  Storing runs in one writer task: it takes
every analysed article waiting at that moment (up to MAX_BATCH) and ingests them in one transaction, in the writer
process (crawler.writer) or, in a crawl without workers, in a thread; the reactor keeps downloading meanwhile, and
a commit is paid per batch, not per article.  Batches are not held back to fill up: under a light load each
article is stored as soon as it is analysed.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from crawler.ingest import Ingested, ingest_batch
from crawler.records import Analysis, Page

log = logging.getLogger(__name__)

MAX_BATCH = 64      # articles per transaction; a SIGKILL loses at most this many, which the next crawl refetches
POOL_ATTEMPTS = 3   # tries per page when worker processes die under it (see analyse_in_pool)


class ArticlePipeline:
    def __init__(self, crawler=None):
        self.crawler = crawler
        self.waiting: asyncio.Queue[tuple[Analysis, asyncio.Future[Ingested]]] | None = None
        self.writer: asyncio.Task | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item, spider=None):
        if not isinstance(item, Page):
            return item
        ctx = (spider or self.crawler.spider).ctx
        stats = ctx.stats[item.source]
        # crawler.analyse (trafilatura) is imported here, not at the top: with a pool, only the workers need it
        if ctx.pool is not None or ctx.pool_restarts:      # a crawl with workers, even once they gave up
            analysis = await self.analyse_in_pool(ctx, item)
        else:
            from crawler.analyse import analyse
            analysis = analyse(item, ctx.topic)
        if analysis.failed:
            ctx.stats.drop(item.source, analysis.failed)
            return None
        result = await self.store(ctx, analysis)
        if result.article_id is None:
            stats.known += 1
        else:
            stats.stored += 1
            if result.verdict == "kept":
                stats.kept += 1
            else:
                stats.drops[result.verdict] += 1
        ctx.stats.changed()
        return None

    async def analyse_in_pool(self, ctx, item: Page) -> Analysis:
        """The page analysed by a worker.  A worker that dies (killed, out of memory, a crash in a C library on a
        hostile page) breaks the whole pool and fails every page in it: the pool is started again and the page is
        tried again, up to POOL_ATTEMPTS times; a page that keeps breaking pools is dropped as worker_crashed."""
        from concurrent.futures.process import BrokenProcessPool

        from crawler.pool import analyse_page

        for _ in range(POOL_ATTEMPTS):
            pool = ctx.pool
            if pool is None:                        # the crawl ran out of restarts (CrawlContext.restart_pool)
                break
            try:
                analysis = await asyncio.wrap_future(pool.submit(analyse_page, item))
                return replace(analysis, page=item)       # the worker sent it back without its body
            except BrokenProcessPool:
                if not ctx.restart_pool(pool):
                    break
        return Analysis(page=item, failed="worker_crashed")

    async def store(self, ctx, analysis: Analysis) -> Ingested:
        """Queue the article for the writer and wait until it is committed."""
        if self.waiting is None:
            self.waiting = asyncio.Queue()
        if self.writer is None or self.writer.done():
            self.writer = asyncio.get_running_loop().create_task(self.write_loop(ctx))
        done: asyncio.Future[Ingested] = asyncio.get_running_loop().create_future()
        self.waiting.put_nowait((analysis, done))
        return await done

    async def write_loop(self, ctx) -> None:
        assert self.waiting is not None
        while True:
            batch = [await self.waiting.get()]
            while len(batch) < MAX_BATCH and not self.waiting.empty():
                batch.append(self.waiting.get_nowait())
            try:
                results = await self.ingest(ctx, [a for a, _ in batch])
            except Exception as exc:  # noqa: BLE001 - each waiting item gets the error, as if stored alone
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for (_, done), result in zip(batch, results):
                if not done.done():
                    done.set_result(result)

    async def ingest(self, ctx, batch: list[Analysis]) -> list[Ingested]:
        """Store one batch: in the writer process when the crawl has one (crawler.writer), else in a thread."""
        from concurrent.futures.process import BrokenProcessPool

        from crawler.writer import store_batch, story_window

        since, until = story_window(ctx.now, ctx.config.crawl.max_age_days)
        # the page's body and HTML stay here: storing needs neither, and they are most of its bytes
        light = [replace(a, page=replace(a.page, body=b"", html="")) for a in batch] if ctx.writer else []
        while ctx.writer is not None:
            writer = ctx.writer
            try:
                return await asyncio.wrap_future(writer.submit(
                    store_batch, light, ctx.now, ctx.config.crawl.max_age_days, ctx.crawl_id, since, until))
            except BrokenProcessPool:
                # The writer died; its open transaction was never committed, so the batch is stored again.  A new
                # writer is started once; after that the crawl stores in a thread of its own, as without workers.
                ctx.restart_writer(writer)
        if ctx.story_index is None:
            from crawler.ingest import StoryIndex

            ctx.story_index = await asyncio.to_thread(StoryIndex, ctx.store, since, until)
        # SQLite releases the GIL while it writes, so the reactor keeps downloading meanwhile.
        return await asyncio.to_thread(
            ingest_batch, ctx.store, batch, now=ctx.now, max_age_days=ctx.config.crawl.max_age_days,
            crawl_id=ctx.crawl_id, story_index=ctx.story_index)

    async def close_spider(self, spider=None):
        if self.writer is not None:
            self.writer.cancel()
            try:
                await self.writer
            except asyncio.CancelledError:
                pass
