"""An exclusive, crash-safe lock so two crawls never run against one database at the same time.

``fcntl.flock`` on a file beside the SQLite database (or in the temp folder for a server URL): the kernel drops
the lock when the holder dies, even by SIGKILL, so a crashed crawl never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from crawler.errors import CrawlLockedError


def lock_path(storage_url: str, name: str) -> Path:
    prefix = "sqlite:///"
    if storage_url.startswith(prefix) and ":memory:" not in storage_url:
        db = Path(storage_url[len(prefix):])
        return db.with_name(db.name + f".{name}.lock")
    digest = hashlib.sha256(storage_url.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"chipwatch-{digest}.{name}.lock"


@contextlib.contextmanager
def exclusive(storage_url: str, name: str = "crawl", *, wait: bool = False,
              on_wait: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the lock ``name`` for the block.  Busy: raise CrawlLockedError, or with ``wait`` block until it is
    free, first telling ``on_wait`` who holds it ("PID 1234") so a person at a terminal knows why nothing moves."""
    path = lock_path(storage_url, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            who = f" (PID {holder})" if holder else ""
            if not wait:
                raise CrawlLockedError(
                    f"다른 {'수집' if name == 'crawl' else '작업'}이 이미 실행 중입니다{who}: {path}") from None
            if on_wait is not None:
                on_wait(who.strip(" ()"))
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield path
    finally:
        os.close(fd)
