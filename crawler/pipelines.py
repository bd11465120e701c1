"""Thin Scrapy adapter: Page items -> analysis in the worker pool -> ingest into the store."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from crawler.analyse import analyse
from crawler.ingest import ingest
from crawler.records import Page

log = logging.getLogger(__name__)


class ArticlePipeline:
    def __init__(self, crawler=None):
        self.crawler = crawler
        self.lock = asyncio.Lock()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item, spider=None):
        if not isinstance(item, Page):
            return item
        ctx = (spider or self.crawler.spider).ctx
        stats = ctx.stats[item.source]
        if ctx.pool is not None:
            from crawler.analyse import analyse_in_worker
            analysis = await asyncio.wrap_future(ctx.pool.submit(analyse_in_worker, item))
        else:
            analysis = analyse(item, ctx.topic)
        if analysis.failed:
            ctx.stats.drop(item.source, analysis.failed)
            return None
        async with self.lock:   # each dedup/story decision sees everything stored before it
            if ctx.story_index is None:
                from crawler.ingest import STORY_WINDOW, StoryIndex

                horizon = timedelta(days=ctx.config.crawl.max_age_days) + STORY_WINDOW
                ctx.story_index = StoryIndex(ctx.store, ctx.now - horizon, ctx.now + STORY_WINDOW)
            # Database work in a thread: SQLite releases the GIL while it writes, so the reactor keeps
            # downloading; the lock still serialises the dedup/story decisions.
            result = await asyncio.to_thread(
                ingest, ctx.store, analysis, now=ctx.now, max_age_days=ctx.config.crawl.max_age_days,
                crawl_id=ctx.crawl_id, story_index=ctx.story_index)
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
