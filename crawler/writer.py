"""The crawl's writer: one process that stores the analysed articles, batch by batch, in order.

Storing is the main process's largest cost after Scrapy's own download path (the duplicate lookup, story matching
and SQL statements of every article: about a quarter of its CPU time on bench/crawl_throughput.py).  Run in a
thread, it held the GIL the reactor needs; in a process of its own it runs beside the reactor on the other core.
One writer keeps the decisions in order: each batch sees every article stored before it, and the in-memory story
index lives in that one process.

Like :mod:`crawler.pool`, this module is light: the main process imports it to start the writer and to name the
task; the store and the ingest rules are imported in the writer.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta

from crawler.pool import ready
from crawler.records import Analysis

_STATE: dict[str, object] = {}
# The writer logs what the main process would log: its crawler.* loggers at the levels the main process set.
_LOGGERS = ("crawler", "crawler.ingest", "crawler.store", "crawler.stories", "crawler.dedup")


def start_writer(storage_url: str) -> ProcessPoolExecutor:
    """The writer process, started now so that its imports overlap the seed sync and Scrapy's start-up."""
    levels = {name: logging.getLogger(name).getEffectiveLevel() for name in _LOGGERS}
    writer = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_init_writer, initargs=(storage_url, levels))
    writer.submit(ready)
    return writer


def store_batch(batch: list[Analysis], now: datetime, max_age_days: int, crawl_id: int | None,
                since: datetime, until: datetime):
    """The task: ingest ``batch`` in one transaction (crawler.ingest.ingest_batch) and return its results.

    The story index covers ``since``..``until``; it is read from the store on the first batch, after the seeds
    were synced and the crawl started, and kept for the crawl."""
    from crawler.ingest import StoryIndex, ingest_batch

    store = _STATE["store"]
    index = _STATE.get("index")
    if index is None:
        index = _STATE["index"] = StoryIndex(store, since, until)
    return ingest_batch(store, batch, now=now, max_age_days=max_age_days, crawl_id=crawl_id, story_index=index)


def story_window(now: datetime, max_age_days: int) -> tuple[datetime, datetime]:
    """The stored articles a crawl's new reports may join: the mail window plus the story window, both ways."""
    from crawler.ingest import STORY_WINDOW

    return now - timedelta(days=max_age_days) - STORY_WINDOW, now + STORY_WINDOW


def _init_writer(storage_url: str, levels: dict[str, int]) -> None:
    # The writer ignores Ctrl-C: the main process stops the crawl and then waits for the batch in hand.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    from crawler.store import Store

    _STATE["store"] = Store(storage_url)
