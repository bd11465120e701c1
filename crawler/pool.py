"""The crawl's analysis workers: a process pool, one worker per core, that turns fetched pages into analyses.

This module is light on purpose.  The crawl's main process imports it to start the pool and to name the task it
submits; trafilatura and the extraction rules are imported by the workers only, so the main process, which runs
Scrapy's reactor, does not pay for them (tests/test_crawl_e2e.py checks it).  Articles are stored by the writer
process of :mod:`crawler.writer`.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from crawler.records import Analysis, Page


def start_pool(workers: int, topic_path: Path) -> ProcessPoolExecutor:
    """The workers, started now: each imports its modules and loads the topic while the main process syncs the
    seeds and starts Scrapy, instead of after the first page has arrived (about a second of a crawl on two cores,
    bench/crawl_throughput.py)."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(str(topic_path),))
    for _ in range(workers):        # the pool starts a worker per waiting task, up to max_workers
        pool.submit(ready)
    return pool


def analyse_page(page: Page) -> Analysis:
    """The task: :func:`crawler.analyse.analyse_in_worker`, imported in the worker."""
    from crawler.analyse import analyse_in_worker

    return analyse_in_worker(page)


def ready() -> None:
    """A task that does nothing: submitting it makes a pool start a process (the workers here, and the writer)."""


def _init_worker(topic_path: str) -> None:
    # Workers ignore Ctrl-C: the parent decides when the crawl stops and shuts the pool down.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from crawler.analyse import init_worker

    init_worker(topic_path)
