"""The command line as a user meets it: help, one-line errors with non-zero exits, `extract`, source selection,
the crawl lock, and a naver_news source against a fake API on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import chipwatch, send_body, write_config


def test_help_lists_every_command_with_examples(tmp_path):
    proc = chipwatch("--help", cwd=tmp_path, check=True)
    for command in ("crawl", "digest", "run", "export", "status", "extract", "demo"):
        assert command in proc.stdout
    assert "예:" in proc.stdout
    assert "예:" in chipwatch("crawl", "--help", cwd=tmp_path, check=True).stdout


@pytest.mark.parametrize("config_text, needle", [
    ("[crawl]\ndelay = \"fast\"\n", "crawl.delay"),
    ("[stroage]\nurl = \"x\"\n", "stroage"),
    ("[[sources]]\nname = \"g\"\nkind = \"google_news\"\nquery = \"엔비디아\"\n", "google_news"),
])
def test_bad_config_gives_one_line_and_nonzero_exit(tmp_path, config_text, needle):
    config = tmp_path / "bad.toml"
    config.write_text(config_text, encoding="utf-8")
    proc = chipwatch("--config", str(config), "crawl", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and lines[0].startswith("chipwatch: 오류:")


def test_unknown_source_name(tmp_path, sample_web):
    config = write_config(tmp_path / "c.toml", sample_web)
    proc = chipwatch("--config", str(config), "crawl", "--source", "없는출처", cwd=tmp_path)
    assert proc.returncode == 1 and "없는출처" in proc.stderr and "한빛일보" in proc.stderr


def test_unusable_database_is_a_one_line_error(tmp_path):
    (tmp_path / "db-is-a-folder").mkdir()          # unusable even for root
    config = tmp_path / "c.toml"
    config.write_text('[storage]\nurl = "sqlite:///db-is-a-folder"\n[[sources]]\nname = "a"\nkind = "rss"\n'
                      'url = "http://127.0.0.1:9/x"\n', encoding="utf-8")
    for command in (["status"], ["crawl"], ["export", "--format", "csv"]):
        proc = chipwatch("--config", str(config), *command, cwd=tmp_path)
        assert proc.returncode == 1, command
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "데이터베이스" in lines[0] and "db-is-a-folder" in lines[0], proc.stderr


def test_extract_prints_json_lines_for_saved_pages(tmp_path):
    body = "".join(f"<p>미국 상무부가 엔비디아 H20 칩의 중국 수출을 다시 제한했다. 문단 {i}은 똠양꿍 이야기다.</p>"
                   for i in range(6))
    page = (f'<html><head><meta charset="euc-kr"><title>美, H20 수출 제한</title></head>'
            f"<body><article><h1>美, H20 수출 제한</h1>{body}</article></body></html>")
    (tmp_path / "a.html").write_bytes(page.encode("cp949"))
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(page.encode("utf-8")))
    proc = chipwatch("extract", "a.html", "b.html.gz", cwd=tmp_path, check=True)
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["file"] for r in records] == ["a.html", "b.html.gz"]
    for r in records:
        assert set(r) == {"file", "title", "published", "author", "language", "text"}
        assert r["language"] == "ko" and "똠양꿍" in r["text"] and r["title"] == "美, H20 수출 제한"


def test_extract_missing_file_is_reported_and_others_still_printed(tmp_path):
    (tmp_path / "ok.html").write_text("<html><body>" + "<p>한국어 기사 본문 문장입니다.</p>" * 20 + "</body></html>",
                                      encoding="utf-8")
    proc = chipwatch("extract", "ok.html", "nope.html", cwd=tmp_path)
    assert proc.returncode == 1 and "nope.html" in proc.stderr
    assert json.loads(proc.stdout.splitlines()[0])["file"] == "ok.html"


def test_two_crawls_never_overlap(tmp_path):
    from crawler.errors import CrawlLockedError
    from crawler.lock import exclusive

    url = f"sqlite:///{tmp_path / 'x.db'}"
    with exclusive(url, "crawl"):
        with pytest.raises(CrawlLockedError):
            with exclusive(url, "crawl"):
                pass
        config = tmp_path / "c.toml"
        config.write_text(f'[storage]\nurl = "{url}"\n[[sources]]\nname = "a"\nkind = "rss"\n'
                          'url = "http://127.0.0.1:9/x"\n', encoding="utf-8")
        proc = chipwatch("--config", str(config), "crawl", cwd=tmp_path)
        assert proc.returncode == 1 and "이미 실행 중" in proc.stderr
    with exclusive(url, "crawl"):      # released after use
        pass


class NaverApi(BaseHTTPRequestHandler):
    articles: dict = {}

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/v1/search/news.json"):
            if self.headers.get("X-Naver-Client-Id") != "id-1" or self.headers.get("X-Naver-Client-Secret") != "sec-2":
                self.send_response(401)
                self.end_headers()
                return
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            items = [{"title": "<b>엔비디아</b> H20 &quot;통관&quot; 강화", "originallink": f"{base}/a/1",
                      "link": "https://n.news.naver.com/x", "description": "중국 세관이 <b>H20</b>...",
                      "pubDate": "Mon, 23 Nov 2026 09:30:00 +0900"}]
            body = json.dumps({"items": items}).encode()
            ctype = "application/json"
        elif self.path == "/a/1":
            body = ("<html><head><meta charset='utf-8'><title>중국, 엔비디아 H20 통관 강화</title></head><body><article>"
                    + "<p>중국 세관이 엔비디아 H20 칩에 대한 통관 검사를 강화했다. 미국의 수출통제에 맞선 조치로 "
                      "풀이된다. 중국 당국은 기업들에 구매 자제를 권고했다.</p>" * 4 + "</article></body></html>").encode()
            ctype = "text/html; charset=utf-8"
        else:
            body, ctype = b"", "text/plain"
        send_body(self, body, ctype)

    def log_message(self, *args):
        pass


def test_naver_news_source_with_keys_from_the_environment(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), NaverApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        api = f"http://127.0.0.1:{server.server_address[1]}/v1/search/news.json"
        config = write_config(tmp_path / "c.toml", sources=[])
        config.write_text(config.read_text(encoding="utf-8")
                          + f'[[sources]]\nname = "네이버"\nkind = "naver_news"\nquery = "엔비디아 수출통제"\nurl = "{api}"\n',
                          encoding="utf-8")
        no_keys = chipwatch("--config", str(config), "crawl", cwd=tmp_path, check=True)
        assert "NAVER_CLIENT_ID" in no_keys.stdout
        env = {"NAVER_CLIENT_ID": "id-1", "NAVER_CLIENT_SECRET": "sec-2"}
        proc = chipwatch("--config", str(config), "crawl", cwd=tmp_path, env=env, check=True)
        assert "sec-2" not in proc.stdout + proc.stderr
        rows = [json.loads(x) for x in chipwatch("--config", str(config), "export", "--format", "jsonl",
                                                 cwd=tmp_path, check=True).stdout.splitlines()]
        assert len(rows) == 1 and rows[0]["url"].endswith("/a/1") and rows[0]["relevant"]
    finally:
        server.shutdown()


def test_unreachable_sources_fail_in_the_summary_without_tracebacks(tmp_path):
    """A host that refuses connections: its robots.txt and its feed fail, the summary says so in one line, and
    stderr holds no Python traceback or Scrapy start-up warning for the analyst to wade through."""
    import socket

    with socket.socket() as s:                    # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = write_config(tmp_path / "chipwatch.toml", sources=[
        ("닫힌 피드", "rss", f"http://127.0.0.1:{port}/rss.xml"),
        ("닫힌 사이트맵", "sitemap", f"http://127.0.0.1:{port}/sitemap.xml")])
    proc = chipwatch("--config", str(config), "crawl", "--no-progress", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "닫힌 피드" in proc.stdout and "실패" in proc.stdout
    assert "Traceback" not in proc.stderr and "RefererMiddleware" not in proc.stderr, proc.stderr[-2000:]
