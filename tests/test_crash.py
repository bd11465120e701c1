"""The crawl process killed with SIGKILL at random moments (20 runs): the database opens cleanly afterwards, a
re-run completes the work, no article is stored twice, and no story is lost."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from tests.conftest import chipwatch, write_config

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
