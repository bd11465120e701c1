"""Per-source crawl counters with drop reasons, shared by the spider and the pipeline."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from crawler.store import SourceCounts

# Drop reasons a page can get before or instead of being stored (STYLE: every dropped page has a reason).
DROP_REASONS = ("robots", "http_error", "timeout", "network_error", "too_large", "not_html", "extract_failed",
                "redirect_loop", "duplicate:url", "unsafe_url", "worker_crashed")
# Verdicts of stored articles (they are stored, and counted by verdict too).
VERDICTS = ("kept", "irrelevant", "not_korean", "too_old", "duplicate:seed", "duplicate:article")


@dataclass
class SourceStats:
    name: str
    seen: int = 0          # links announced by the feed/sitemap (after the per-source cap)
    known: int = 0         # already stored by an earlier crawl: not fetched again
    fetched: int = 0       # article pages downloaded
    stored: int = 0        # articles written (any verdict)
    kept: int = 0          # stored and relevant, new, recent: digest material
    drops: Counter = field(default_factory=Counter)
    error: str | None = None   # the source itself failed (feed unreachable, not a feed…)
    done: bool = False

    def to_counts(self) -> SourceCounts:
        return SourceCounts(self.name, self.seen, self.known, self.fetched, self.stored, self.kept,
                            tuple(sorted(self.drops.items())), self.error)


class CrawlStats:
    def __init__(self, names):
        self.sources = {n: SourceStats(n) for n in names}
        self.listeners = []

    def __getitem__(self, name: str) -> SourceStats:
        return self.sources[name]

    def changed(self) -> None:
        for fn in self.listeners:
            fn(self)

    def drop(self, source: str, reason: str) -> None:
        self.sources[source].drops[reason] += 1
        self.changed()

    def counts(self) -> list[SourceCounts]:
        return [s.to_counts() for s in self.sources.values()]
