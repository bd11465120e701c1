"""Hostile and broken sources served on 127.0.0.1: the crawl ends in bounded time, records each failure by reason,
stores no mojibake, and still crawls the good sources."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import chipwatch, write_config


@pytest.fixture(scope="module")
def hostile_crawl(sample_web, tmp_path_factory):
    home = tmp_path_factory.mktemp("hostile")
    sources = [("적대적 피드", "rss", sample_web.url("/hostile/feed.xml")),
               ("XML 아닌 피드", "rss", sample_web.url("/hostile/not-xml.xml")),
               ("없는 피드", "rss", sample_web.url("/hostile/no-such-feed.xml")),
               ("엔티티 폭탄 피드", "rss", sample_web.url("/hostile/laughs.xml")),
               ("잘린 피드", "rss", sample_web.url("/hostile/truncated.xml")),
               ("엔티티 폭탄 사이트맵", "sitemap", sample_web.url("/hostile/laughs-sitemap.xml")),
               ("한빛일보", "rss", sample_web.url("/hanbit/rss.xml"))]
    config = write_config(home / "c.toml", sources=sources)
    text = config.read_text(encoding="utf-8").replace("timeout = 10", "timeout = 4\nmax_page_bytes = 5000000")
    config.write_text(text.replace("retries = 2", "retries = 1"), encoding="utf-8")
    start = time.monotonic()
    proc = chipwatch("--config", str(config), "crawl", cwd=home, timeout=300)
    elapsed = time.monotonic() - start
    rows = [json.loads(x) for x in chipwatch("--config", str(config), "export", "--format", "jsonl", cwd=home,
                                             check=True).stdout.splitlines()]
    lines = {line.split("\t")[0]: line for line in proc.stdout.splitlines()}
    return {"proc": proc, "elapsed": elapsed, "rows": rows, "lines": lines}


def test_crawl_finishes_in_bounded_time_and_succeeds(hostile_crawl):
    assert hostile_crawl["proc"].returncode == 0, hostile_crawl["proc"].stderr[-2000:]
    assert hostile_crawl["elapsed"] < 150


def test_good_source_is_crawled_despite_the_others(hostile_crawl):
    assert "\t정상" in hostile_crawl["lines"]["한빛일보"]
    assert any("/hanbit/" in r["url"] for r in hostile_crawl["rows"])


def test_broken_feeds_are_source_failures_with_reasons(hostile_crawl):
    assert "실패" in hostile_crawl["lines"]["XML 아닌 피드"]
    assert "HTTP 404" in hostile_crawl["lines"]["없는 피드"]


def test_a_truncated_feed_still_yields_its_complete_items(hostile_crawl):
    """The feed is cut mid-item: the complete item is crawled, the cut one is not, and its date in 2099 is not
    believed (the article's own date is stored)."""
    line = hostile_crawl["lines"]["잘린 피드"].split("\t")
    assert line[1:4] == ["1", "0", "1"] and line[-1] == "정상", line       # seen, known, fetched; state
    rows = [r for r in hostile_crawl["rows"] if r["source"] == "잘린 피드"]
    assert len(rows) == 1 and rows[0]["published"] and not rows[0]["published"].startswith("2099")
    assert not any("/hostile/nev" in r["url"] for r in hostile_crawl["rows"])


def test_billion_laughs_feeds_and_sitemaps_are_refused_not_expanded(hostile_crawl):
    for name in ("엔티티 폭탄 피드", "엔티티 폭탄 사이트맵"):
        line = hostile_crawl["lines"][name]
        assert "출처:엔티티공격 1" in line and "실패" in line and "엔티티" in line.split("실패", 1)[1], line
    assert not any("lol" in r["title"] or "lol" in r["url"] for r in hostile_crawl["rows"])


def test_each_hostile_page_is_dropped_with_its_reason(hostile_crawl):
    line = hostile_crawl["lines"]["적대적 피드"]
    for label in ("시간초과", "너무큼", "리다이렉트", "HTML아님 2"):   # HTML아님: the PDF and the PNG
        assert label in line, (label, line)


def test_no_mojibake_and_no_unsafe_links_stored(hostile_crawl):
    for row in hostile_crawl["rows"]:
        assert "\ufffd" not in row["text"]
        assert row["url"].startswith("http://127.0.0.1")
    mislabelled = [r for r in hostile_crawl["rows"] if r["url"].endswith("/hostile/mislabelled.html")]
    # header says UTF-8, bytes are EUC-KR (declared in <meta>): decoded right, so the Korean text is intact
    assert mislabelled, "the mislabelled page was not stored"
    assert "산업안보국" in mislabelled[0]["text"] and "\ufffd" not in mislabelled[0]["title"]


def test_429_with_retry_after_backs_off_then_succeeds(sample_web, tmp_path):
    config = write_config(tmp_path / "c.toml", sources=[("제한", "rss", sample_web.url("/hostile/ratelimit-feed.xml"))])
    chipwatch("--config", str(config), "crawl", cwd=tmp_path, check=True)
    times = sample_web.request_times("/hostile/ratelimited.html")
    assert len(times) == 3                       # two 429s, then the page
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert all(gap >= 1.8 for gap in gaps), gaps   # Retry-After: 2 honoured between attempts
    rows = [json.loads(x) for x in chipwatch("--config", str(config), "export", "--format", "jsonl", cwd=tmp_path,
                                             check=True).stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["source"] == "제한"   # stored under its (same-site) rel=canonical URL
