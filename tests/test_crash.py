"""The crawl process killed with SIGKILL at random moments (20 runs): the database opens cleanly afterwards, a
re-run completes the work, no article is stored twice, and no story is lost.  And the crawl's own worker and writer
processes killed while it runs: it restarts them and stores every article."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.conftest import chipwatch, send_body, write_config

RUNS = 20


def test_sigkill_during_crawls_loses_nothing_and_duplicates_nothing(sample_web, tmp_path):
    config = write_config(tmp_path / "c.toml", sample_web)
    env = {k: v for k, v in os.environ.items() if k != "CHIPWATCH_CONFIG"}
    rng = random.Random(20261124)
    killed_mid_crawl = 0
    for _ in range(RUNS):
        proc = subprocess.Popen([sys.executable, "-m", "digest.cli", "--config", str(config), "crawl",
                                 "--no-progress"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.3, 3.5))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)      # the crawl and its extraction workers, no cleanup at all
            killed_mid_crawl += 1
        proc.wait(timeout=30)
        db = tmp_path / "chipwatch.db"
        if db.exists():
            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert killed_mid_crawl >= 5, "the kills should land while crawls are running"

    final = chipwatch("--config", str(config), "crawl", cwd=tmp_path, check=True)
    assert "합계" in final.stdout
    rows = [json.loads(x) for x in chipwatch("--config", str(config), "export", "--format", "jsonl",
                                             cwd=tmp_path, check=True).stdout.splitlines()]
    urls = [r["url"] for r in rows]
    assert len(urls) == len(set(urls))
    expected = {sample_web.url(a.path) for a in sample_web.articles if a.expect not in ("robots", "http_error")}
    assert set(urls) == expected
    with sqlite3.connect(tmp_path / "chipwatch.db") as conn:
        fp_refs = [r[0] for r in conn.execute("SELECT ref FROM fingerprints WHERE kind = 'article'")]
        assert len(fp_refs) == len(set(fp_refs)) == len(rows)
        orphans = conn.execute("SELECT COUNT(*) FROM articles WHERE relevant = 1 AND language = 'ko' "
                               "AND story_id IS NULL").fetchone()[0]
        assert orphans == 0
    by_id = {a.id: a for a in sample_web.articles}
    stories_of = {}
    for r in rows:
        article = next(a for a in by_id.values() if sample_web.url(a.path) == r["url"])
        if article.expect == "kept" and article.story:
            stories_of.setdefault(article.story, set()).add(r["story"])
    assert len(stories_of) == 4 and all(len(ids) == 1 and None not in ids for ids in stories_of.values())
    preview = chipwatch("--config", str(config), "digest", "preview", "-o", str(tmp_path / "p.html"),
                        cwd=tmp_path, check=True)
    assert "이야기 4건" in preview.stdout


# ---------------------------------------------------------------- processes that die during a crawl


class _HeldSite:
    """A feed of 20 Korean articles and one more whose response is held until the test releases it."""

    ARTICLES = 20

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.held = threading.Event()          # the held page was requested
        self.release = threading.Event()
        self.served = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                send_body(self, *site.page(self.path))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, path: str) -> tuple[bytes, str]:
        now = datetime.now(timezone.utc)
        if path == "/feed.xml":
            items = "".join(f"<item><title>기사 {i}</title><link>{self.base}/a/{i}.html</link>"
                            f"<pubDate>{format_datetime(now)}</pubDate></item>" for i in range(self.ARTICLES + 1))
            return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
                    f"{items}</channel></rss>").encode(), "application/xml"
        if path.startswith("/a/"):
            number = int(path[3:].split(".")[0])
            if number == self.ARTICLES:
                self.held.set()
                self.release.wait(8)           # under the crawl's 10 s timeout
            self.served += 1
            paragraphs = "".join(f"<p>{number}번 기사의 {k}번째 문단입니다. 지역 도서관 {number * 7 + k}곳이 겨울 방학 "
                                 f"독서 프로그램을 열고 주민 {number * 13 + k}명이 신청했다고 밝혔다.</p>"
                                 for k in range(6))
            html = (f'<html lang="ko"><head><meta charset="utf-8"><title>도서관 소식 {number}</title></head><body>'
                    f"<article><h1>도서관 소식 {number}</h1>{paragraphs}</article></body></html>")
            return html.encode(), "text/html; charset=utf-8"
        return b"", "text/plain"

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def _spawned_children(pid: int) -> list[int]:
    """The crawl's worker and writer processes (multiprocessing's spawn children), not its resource tracker."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid and b"spawn_main" in cmdline:
            found.append(int(entry))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the crawl's processes")
def test_a_crawl_whose_worker_and_writer_are_killed_stores_every_article(tmp_path):
    """SIGKILL to the analysis worker and the writer in the middle of a crawl (what the kernel's out-of-memory
    killer does): both are started again, the articles they held are analysed and stored again, the crawl ends
    normally with every article stored, and the analyst sees one line per restart, no traceback."""
    site = _HeldSite()
    try:
        config = write_config(tmp_path / "chipwatch.toml", sources=[("도서관", "rss", f"{site.base}/feed.xml")])
        proc = subprocess.Popen([sys.executable, "-m", "digest.cli", "--config", str(config), "crawl",
                                 "--no-progress"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, stdin=subprocess.DEVNULL)
        assert site.held.wait(60), "the held page was never requested"
        deadline = time.monotonic() + 30
        while site.served < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        children = _spawned_children(proc.pid)
        assert len(children) == 2, children            # workers = 1, and the writer
        for child in children:
            os.kill(child, signal.SIGKILL)
        time.sleep(0.5)
        site.release.set()
        out, err = proc.communicate(timeout=120)
    finally:
        site.close()
    assert proc.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert "분석 작업 프로세스가 중단되어 다시 시작합니다" in err or "저장 프로세스가 중단되어 다시 시작합니다" in err
    export = chipwatch("--config", str(config), "export", "--format", "jsonl", cwd=tmp_path, check=True)
    urls = {json.loads(line)["url"] for line in export.stdout.splitlines()}
    assert urls == {f"{site.base}/a/{i}.html" for i in range(site.ARTICLES + 1)}


def test_workers_that_keep_dying_are_given_up_and_their_pages_counted(tmp_path, monkeypatch, caplog):
    """After MAX_POOL_RESTARTS the crawl stops starting workers: the remaining pages are dropped as worker_crashed
    (counted, with a Korean label in the summary), and the crawl itself goes on."""
    import asyncio
    import logging

    from crawler.pipelines import ArticlePipeline
    from crawler.pool import start_pool
    from crawler.run import CrawlContext
    from crawler.stats import CrawlStats
    from crawler.summary import reason_label
    from tests.test_compose import page_for, setup

    config, store, topic = setup(tmp_path)
    monkeypatch.setattr(CrawlContext, "MAX_POOL_RESTARTS", 1)
    caplog.set_level(logging.WARNING)
    first = start_pool(1, config.topic.path)
    ctx = CrawlContext(config=config, sources=(), store=store, stats=CrawlStats(["한빛일보"]), topic=topic,
                       now=datetime.now(timezone.utc), crawl_id=1, pool=first)
    assert ctx.restart_pool(first) and ctx.pool is not first and ctx.pool_restarts == 1
    assert ctx.restart_pool(first)                   # a page that saw the old pool break: already replaced
    second = ctx.pool
    assert not ctx.restart_pool(second) and ctx.pool is None
    analysis = asyncio.run(ArticlePipeline().analyse_in_pool(ctx, page_for("e1-hanbit")))
    assert analysis.failed == "worker_crashed" and reason_label("worker_crashed") == "분석중단"
    assert "다시 시작합니다" in caplog.text and "남은 기사는 건너뜁니다" in caplog.text
