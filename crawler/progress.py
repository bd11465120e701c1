"""Live progress of a crawl: a rich table on a terminal, plain log lines otherwise (daemon, CI, pipes)."""

from __future__ import annotations

import logging
import time

from crawler.stats import CrawlStats
from crawler.summary import rich_table

log = logging.getLogger(__name__)

REFRESH_SECONDS = 0.5     # live table refresh on a terminal
LOG_EVERY_SECONDS = 30.0  # plain progress line interval when not on a terminal


class ProgressReporter:
    def __init__(self, stats: CrawlStats, *, live: bool):
        self.stats = stats
        self.live = live
        self._live = None
        self._last_log = 0.0
        self._reported_done: set[str] = set()

    def __enter__(self):
        if self.live:
            from rich.console import Console
            from rich.live import Live

            self._live = Live(self._render(), console=Console(stderr=True), refresh_per_second=1 / REFRESH_SECONDS,
                              transient=True)
            self._live.__enter__()
        self.stats.listeners.append(self._on_change)
        return self

    def __exit__(self, *exc):
        self.stats.listeners.remove(self._on_change)
        if self._live is not None:
            self._live.__exit__(*exc)
        return False

    def _render(self):
        return rich_table(self.stats.counts(), title="chipwatch 수집 중… (Ctrl-C: 멈춤)")

    def _on_change(self, stats: CrawlStats) -> None:
        if self._live is not None:
            self._live.update(self._render())
            return
        now = time.monotonic()
        if now - self._last_log >= LOG_EVERY_SECONDS:
            self._last_log = now
            fetched = sum(s.fetched for s in stats.sources.values())
            stored = sum(s.stored for s in stats.sources.values())
            log.info("progress: %d pages fetched, %d stored", fetched, stored)
