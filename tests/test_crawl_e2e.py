"""`chipwatch crawl` run as a child process against the sample web on 127.0.0.1, then checked through `export`.

The sample web (digest/demo_web/site.toml) declares what each page should become; this test holds the whole
pipeline to it: feeds of four kinds, robots.txt, a 404, a 503-then-200 page, an EUC-KR page declared only in
<meta>, a tracking-parameter link with rel=canonical, a syndicated copy of a seed, a syndicated copy of another
article, hard negatives, an English article, an old article, and stories across outlets.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

import pytest

from tests.conftest import chipwatch, write_config

COLUMNS = ["url", "source", "title", "published", "language", "text", "relevant", "relevance", "duplicate_of",
           "story", "digest"]


@pytest.fixture(scope="module")
def crawled(sample_web, tmp_path_factory):
    home = tmp_path_factory.mktemp("crawl")
    config = write_config(home / "chipwatch.toml", sample_web)
    first = chipwatch("--config", str(config), "crawl", cwd=home, check=True)
    hits_after_first = sample_web.hits
    second = chipwatch("--config", str(config), "crawl", cwd=home, check=True)
    hits_after_second = sample_web.hits
    export = chipwatch("--config", str(config), "export", "--format", "jsonl", cwd=home, check=True)
    rows = [json.loads(line) for line in export.stdout.splitlines()]
    return {"home": home, "config": config, "first": first, "second": second, "rows": rows,
            "hits1": hits_after_first, "hits2": hits_after_second}


def by_path(sample_web, rows):
    """Map each sample article id to its exported row (by its clean URL)."""
    index = {r["url"]: r for r in rows}
    return {a.id: index.get(sample_web.url(a.path)) for a in sample_web.articles}


def test_a_crawl_prints_no_python_warnings_or_tracebacks(crawled):
    """The sample web has a 503 and a 429 host, so the back-off path runs; what the analyst sees on stderr is
    chipwatch's own lines, not library deprecation warnings."""
    for run in (crawled["first"], crawled["second"]):
        assert "Warning:" not in run.stderr and "Traceback" not in run.stderr, run.stderr[-2000:]


def test_every_page_gets_its_expected_verdict(sample_web, crawled):
    rows = by_path(sample_web, crawled["rows"])
    copy_pair = {"e1-hanbit", "e1-syndicated"}   # which one is the copy depends on crawl order: tested below
    for a in sample_web.articles:
        row = rows[a.id]
        if a.id in copy_pair:
            assert row is not None and row["relevant"]
            continue
        if a.expect in ("robots", "http_error"):
            assert row is None, f"{a.id} should not be stored"
            continue
        assert row is not None, f"{a.id} ({a.path}) was not stored"
        if a.expect == "kept":
            assert row["relevant"] and row["language"] == "ko" and row["duplicate_of"] in (None, ""), a.id
        elif a.expect == "irrelevant":
            assert not row["relevant"], f"{a.id} judged relevant ({row['relevance']})"
        elif a.expect == "not_korean":
            assert row["language"] == "en"
        elif a.expect == "duplicate:seed":
            assert row["duplicate_of"] == "003_bd09c61a83aa3438.txt"
        elif a.expect == "too_old":
            assert row["relevant"] and row["published"] < rows["e1-hanbit"]["published"]


def test_syndicated_copy_is_a_duplicate_of_its_original_whichever_came_first(sample_web, crawled):
    rows = by_path(sample_web, crawled["rows"])
    original, copy = rows["e1-hanbit"], rows["e1-syndicated"]
    pair = {original["duplicate_of"], copy["duplicate_of"]}
    assert pair - {None} in ({original["url"]}, {copy["url"]})
    assert original["story"] == copy["story"]


def test_stories_group_outlets_reporting_one_event_and_separate_events(sample_web, crawled):
    rows = by_path(sample_web, crawled["rows"])
    groups = defaultdict(set)
    for a in sample_web.articles:
        if a.expect == "kept":
            groups[a.story].add(rows[a.id]["story"])
    for story, ids in groups.items():
        assert len(ids) == 1 and None not in ids, f"reports of {story} split into stories {ids}"
    all_ids = [next(iter(ids)) for ids in groups.values()]
    assert len(set(all_ids)) == len(all_ids), "different events merged into one story"


def test_korean_text_is_intact_and_boilerplate_removed(sample_web, crawled):
    rows = by_path(sample_web, crawled["rows"])
    euckr = rows["e1-bandoche"]
    assert "똠방각하" in euckr["text"] and "햏갈리는" in euckr["text"]
    for row in crawled["rows"]:
        assert "\ufffd" not in row["text"] and "\ufffd" not in (row["title"] or "")
        for residue in ("무단전재", "무단 전재", "재배포 금지", "관련기사", "많이 본 뉴스", "@hanbit.example",
                        "사진=테크데일리", "구독하면"):
            assert residue not in row["text"], (row["url"], residue)
    assert euckr["title"].startswith("[분석] 美 HBM 규제")


def test_canonical_urls_and_rel_canonical(sample_web, crawled):
    urls = [r["url"] for r in crawled["rows"]]
    assert all("utm_" not in u for u in urls)
    assert sample_web.url(next(a.path for a in sample_web.articles if a.id == "tracking")) in urls
    assert len(urls) == len(set(urls))


def test_published_is_iso_with_offset(crawled):
    for row in crawled["rows"]:
        assert row["published"] and row["published"].endswith("+09:00")


def test_summary_reports_drops_by_reason(crawled):
    out = crawled["first"].stdout
    assert "robots 1" in out and "HTTP오류 1" in out and "중복:시드 1" in out and "무관" in out
    assert "비한국어 1" in out and "오래됨 1" in out


def test_rerun_fetches_no_stored_article_again(sample_web, crawled):
    stored_paths = {a.path for a in sample_web.articles if a.expect not in ("robots", "http_error")}
    for path in stored_paths:
        assert crawled["hits2"].get(path, 0) == crawled["hits1"].get(path, 0), f"{path} fetched again"
    assert "기존" in crawled["second"].stdout
    lines = crawled["second"].stdout.splitlines()
    total = next(line for line in lines if line.startswith("합계"))
    assert total.split("\t")[4] == "0"   # stored in the second crawl


def test_flaky_page_retried_and_404_not_retried(sample_web, crawled):
    flaky = next(a for a in sample_web.articles if a.flaky)
    missing = next(a for a in sample_web.articles if a.missing)
    assert crawled["hits1"][flaky.path] == 2
    assert crawled["hits1"][missing.path] == 1


def test_export_csv_has_exactly_the_spec_columns(crawled):
    proc = chipwatch("--config", str(crawled["config"]), "export", "--format", "csv", cwd=crawled["home"],
                     check=True)
    reader = csv.reader(io.StringIO(proc.stdout))
    header = next(reader)
    assert header == COLUMNS
    body = list(reader)
    assert len(body) == len(crawled["rows"])
    assert list(crawled["rows"][0].keys()) == COLUMNS


def test_status_shows_last_crawl_and_source_health(crawled):
    proc = chipwatch("--config", str(crawled["config"]), "status", cwd=crawled["home"], check=True)
    assert "마지막 수집" in proc.stdout and "한빛일보: 마지막 성공" in proc.stdout
    assert "발송 대기 중인 이야기" in proc.stdout


def test_the_crawl_s_main_process_does_not_load_the_extraction_stack():
    """trafilatura and the extraction rules are the workers' business: the process that runs Scrapy and stores the
    articles only starts the workers (bench/crawl_throughput.py: about a second of CPU and 30 MB saved)."""
    import subprocess
    import sys

    code = ("import sys, crawler.run, crawler.pipelines, crawler.seeds, crawler.ingest, crawler.pool, "
            "crawler.spiders.news; print([m for m in ('trafilatura', 'justext', 'crawler.extract', "
            "'crawler.analyse') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_verbose_crawl_shows_the_writer_process_s_lines(sample_web, tmp_path):
    """Articles are stored in the crawl's writer process (crawler.writer); with -v its lines still reach the
    analyst's terminal in the same format as the main process's, and without -v they stay quiet."""
    config = write_config(tmp_path / "chipwatch.toml", sample_web)
    loud = chipwatch("--config", str(config), "-v", "crawl", "--no-progress", cwd=tmp_path, check=True)
    stored = [line for line in loud.stderr.splitlines() if " INFO crawler.ingest: " in line and " stored " in line]
    assert len(stored) >= 10, loud.stderr[-2000:]
    assert any(line.endswith(" as kept") for line in stored)
    (tmp_path / "quiet").mkdir()
    config2 = write_config(tmp_path / "quiet" / "chipwatch.toml", sample_web)
    quiet = chipwatch("--config", str(config2), "crawl", "--no-progress", cwd=tmp_path / "quiet", check=True)
    assert "crawler.ingest" not in quiet.stderr
