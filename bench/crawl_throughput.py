"""Whole-pipeline crawl speed: `chipwatch crawl` versus a bare Scrapy spider on the same local mirror.

A generated mirror of Korean article pages is served from memory on several loopback hosts (127.0.0.2, …: Scrapy
throttles per host name, not per port), each behind its own sitemap and feed (RSS 2.0 or Atom).  In one run the
benchmark measures
1. a bare Scrapy spider that only downloads every page (the ceiling for any Scrapy-based crawler), and
2. `chipwatch crawl` end to end (fetch, decode, extract, judge, dedup, store) with crawl.delay = 0,
both with the same concurrency, and prints pages/min, the ratio, and chipwatch's peak RSS (process + children).

    python bench/crawl_throughput.py [--pages 3000] [--hosts 8] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SENTENCES = [
    "미국 상무부가 엔비디아 H20 칩의 중국 수출에 대한 허가 요건을 강화했다.",
    "업계는 이번 조치로 중국 내 데이터센터 투자 계획이 지연될 것으로 본다.",
    "중국 외교부는 미국의 수출통제 남용에 단호히 반대한다고 밝혔다.",
    "국내 메모리 업체들은 고대역폭메모리 수출 물량을 다시 점검하고 있다.",
    "화웨이는 어센드 칩 생산량을 늘려 공백을 메우겠다는 계획을 내놨다.",
    "싱가포르를 거친 우회 수출 사례가 잇따라 적발되면서 단속이 강화됐다.",
    "전문가들은 규제의 실효성을 두고 엇갈린 평가를 내놓고 있다.",
    "정부는 관계 부처 회의를 열고 국내 기업 영향을 점검하기로 했다.",
    "반도체 장비 업체들의 중국 매출 비중은 지난해보다 크게 줄었다.",
    "시장에서는 추가 규제 가능성에 대비해야 한다는 목소리가 나온다.",
    "삼성전자와 SK하이닉스는 중국 공장 운영에 필요한 장비 반입 허가를 신청했다.",
    "딥시크 등 중국 인공지능 기업들은 자국산 칩으로 모델 학습을 시험하고 있다.",
]


GENERAL = [
    "서울 아파트값 상승폭이 3주 연속 줄었다고 한국부동산원이 밝혔다.",
    "주말 동안 전국에 비가 내리고 기온이 크게 떨어질 것으로 예보됐다.",
    "프로야구 정규리그 우승팀이 가려지면서 포스트시즌 일정이 확정됐다.",
    "정부는 내년도 예산안을 국회에 제출하고 복지 예산을 늘렸다고 설명했다.",
    "한국은행은 기준금리를 동결하고 물가 흐름을 지켜보겠다고 밝혔다.",
    "지방자치단체들이 관광객 유치를 위한 축제를 잇따라 열고 있다.",
    "자동차 업계는 전기차 보조금 개편안에 대한 의견을 정부에 전달했다.",
    "교육부는 대학 입시 제도 개편 시안을 발표하고 의견 수렴에 나섰다.",
    "식품업계가 원재료 가격 상승을 이유로 일부 제품 가격을 올렸다.",
    "보건당국은 독감 유행주의보를 발령하고 예방접종을 당부했다.",
    "유통업계는 연말 할인 행사를 앞두고 물량 확보에 나섰다.",
    "국회는 본회의를 열고 민생 법안 수십 건을 처리했다.",
]
GENERAL_HEADLINES = [
    "서울 아파트값 상승폭 3주 연속 둔화", "주말 전국에 비…기온 뚝 떨어진다", "프로야구 포스트시즌 일정 확정",
    "내년 예산안 국회 제출…복지 예산 늘어", "한은, 기준금리 동결…물가 흐름 주시", "지자체 관광객 유치 축제 잇따라",
    "전기차 보조금 개편안에 업계 의견 전달", "교육부, 대입 제도 개편 시안 발표", "식품업계 일부 제품 가격 인상",
    "독감 유행주의보 발령…예방접종 당부", "유통업계 연말 할인 행사 물량 확보", "국회 본회의서 민생 법안 처리",
]
SEOUL = timezone(timedelta(hours=9))
RELEVANT_SHARE = 0.15   # a real crawl is mostly pages that are not about the topic


SYLLABLES = ("가 간 강 개 거 건 경 고 공 관 교 구 국 권 규 금 기 김 나 남 내 노 농 다 단 대 도 동 두 등 라 로 리 마 "
             "만 매 면 명 모 무 문 미 민 박 반 발 방 배 법 변 보 본 부 북 사 산 상 서 선 성 세 소 수 시 신 실 심 안 "
             "양 어 업 여 연 영 예 오 외 용 우 운 원 위 유 은 의 이 인 일 자 장 재 전 정 제 조 주 중 지 진 차 청 체 "
             "초 최 추 출 치 통 투 판 평 표 품 하 학 한 합 해 행 향 현 협 형 화 확 환 회 효 후").split()
ENDINGS = ("했다", "밝혔다", "전했다", "설명했다", "나타났다", "예정이다", "것으로 보인다", "계획이다")


def filler(rng: random.Random) -> str:
    """A sentence of random two- and three-syllable words: Korean script, but unique to its page.

    Without it the pages, built from a dozen stock sentences, are near-duplicates of each other, and the
    benchmark would measure a crawl where every page collides with hundreds of others in the LSH index."""
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))) for _ in range(rng.randint(6, 10))]
    particles = ("은", "는", "이", "가", "을", "를", "의", "에", "에서", "과")
    return " ".join(w + rng.choice(particles) if i % 2 == 0 else w for i, w in enumerate(words)) + " " + \
        rng.choice(ENDINGS) + "."


def published(page_no: int) -> str:
    """Today, yesterday or the day before (Seoul time), so the pages stay within the crawl's window whenever
    the benchmark runs (fixed dates fall out of it and the on-topic pages would be dropped as too old)."""
    day = datetime.now(SEOUL).date() - timedelta(days=page_no % 3)
    return f"{day.isoformat()}T09:00:00+09:00"


def make_page(host_no: int, page_no: int, rng: random.Random) -> tuple[str, bytes]:
    """(headline, HTML) of one generated article: on-topic or general news, each headline its own as on a real
    site (off-topic pages do not carry the topic's words in their headlines)."""
    paras = []
    on_topic = rng.random() < RELEVANT_SHARE
    pool = SENTENCES if on_topic else GENERAL
    headline = (f"美 수출통제 동향 {host_no}-{page_no}" if on_topic
                else f"{rng.choice(GENERAL_HEADLINES)} {host_no}-{page_no}")
    for _ in range(8):
        picked = rng.sample(pool, 2)
        # filler sentences and numbers make each page a distinct article, as in a real crawl
        paras.append(" ".join([picked[0], filler(rng), picked[1], filler(rng)])
                     + f" 관계자는 {rng.randint(10, 99999)}건의 사례를 검토했다고 말했다.")
    body = "".join(f"<p>{p}</p>" for p in paras)
    nav = "".join(f'<li><a href="/news/{i}.html">관련 기사 {i}</a></li>' for i in range(40))
    html = (f'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{headline} - 미러일보'
            f'</title><meta property="article:published_time" content="{published(page_no)}">'
            f'<style>{"body{margin:0}" * 200}</style></head><body><ul class="gnb">{nav}</ul><article>'
            f"<h1>{headline}</h1>{body}<p>홍길동 기자 hong@example.com</p></article>"
            f'<div class="related_news"><ul>{nav}</ul></div><footer>무단전재 및 재배포 금지</footer></body></html>')
    return headline, html.encode("utf-8")


def sitemap_xml(base: str, pages: range) -> bytes:
    locs = "".join(f"<url><loc>{base}/news/{p}.html</loc><lastmod>{published(p)}</lastmod></url>" for p in pages)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{locs}</urlset>").encode("utf-8")


def rss_date(page_no: int) -> str:
    return datetime.fromisoformat(published(page_no)).strftime("%a, %d %b %Y %H:%M:%S +0900")


def rss_xml(base: str, titles: list[str], pages: range) -> bytes:
    items = "".join(f"<item><title>{titles[p]}</title><link>{base}/news/{p}.html</link>"
                    f"<pubDate>{rss_date(p)}</pubDate><description>기사 {p} 요약</description></item>"
                    for p in reversed(pages))
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>미러 뉴스</title>'
            f"<link>{base}/</link><description>벤치마크 미러</description>{items}</channel></rss>").encode("utf-8")


def atom_xml(base: str, titles: list[str], pages: range) -> bytes:
    entries = "".join(f'<entry><title>{titles[p]}</title><link href="{base}/news/{p}.html"/>'
                      f"<id>{base}/news/{p}.html</id><updated>{published(p)}</updated>"
                      f"<summary>기사 {p} 요약</summary></entry>" for p in reversed(pages))
    return ('<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>미러 뉴스</title>'
            f'<id>{base}/</id><updated>{published(0)}</updated>{entries}</feed>').encode("utf-8")


class Mirror:
    """One ThreadingHTTPServer per loopback host, pages served from memory.

    Each host announces its pages the two ways news sites do: an XML sitemap for the first half and a feed for the
    second half (RSS 2.0 on even hosts, Atom on odd ones).  A few pages are listed in both, as real sites list some
    articles in their sitemap and their feed; each crawler must fetch them once."""

    OVERLAP = 10   # pages per host listed in both the sitemap and the feed

    def __init__(self, pages: int, hosts: int, port: int):
        rng = random.Random(7)
        self.port = port
        self.hosts = [f"127.0.0.{i + 2}" for i in range(hosts)]
        per_host = pages // hosts
        self.pages: dict[tuple[str, str], bytes] = {}
        for h, host in enumerate(self.hosts):
            titles = []
            for p in range(per_host):
                title, self.pages[(host, f"/news/{p}.html")] = make_page(h, p, rng)
                titles.append(title)
            split = per_host // 2
            base = f"http://{host}:{port}"
            in_sitemap = range(0, min(per_host, split + self.OVERLAP))
            in_feed = range(split, per_host)
            self.pages[(host, "/sitemap.xml")] = sitemap_xml(base, in_sitemap)
            self.pages[(host, "/feed.xml")] = (rss_xml if h % 2 == 0 else atom_xml)(base, titles, in_feed)
            self.pages[(host, "/robots.txt")] = b"User-agent: *\nAllow: /\n"
        self.total = per_host * hosts
        self.servers = []

    def sources(self) -> list[tuple[str, str, str]]:
        """(name, kind, url) of every sitemap and feed, as chipwatch's config lists them."""
        found = []
        for i, host in enumerate(self.hosts):
            found.append((f"host{i}-sitemap", "sitemap", f"http://{host}:{self.port}/sitemap.xml"))
            found.append((f"host{i}-feed", "rss", f"http://{host}:{self.port}/feed.xml"))
        return found

    def start(self):
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                host = self.server.server_address[0]
                body = pages.get((host, self.path))
                self.send_response(200 if body else 404)
                ctype = "application/xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
                self.send_header("Content-Type", ctype if body else "text/plain")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        for host in self.hosts:
            server = ThreadingHTTPServer((host, self.port), Handler)
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)

    def stop(self):
        for s in self.servers:
            s.shutdown()
            s.server_close()


BARE_SPIDER = textwrap.dedent('''
    # Downloads every page the sitemaps and feeds announce and does nothing else: links are read with XPath,
    # duplicates are dropped by Scrapy's own request filter.
    import sys, scrapy
    from scrapy.crawler import AsyncCrawlerProcess
    urls, conc = sys.argv[1].split(","), int(sys.argv[2])
    count = 0
    class Bare(scrapy.Spider):
        name = "bare"
        start_urls = urls
        def parse(self, response):
            response.selector.remove_namespaces()
            links = response.xpath("//url/loc/text() | //item/link/text() | //entry/link/@href").getall()
            for link in links:
                yield scrapy.Request(link.strip(), callback=self.page)
        def page(self, response):
            global count
            count += 1
    p = AsyncCrawlerProcess({"CONCURRENT_REQUESTS": conc, "CONCURRENT_REQUESTS_PER_DOMAIN": conc,
                             "DOWNLOAD_DELAY": 0, "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": True,
                             "TELNETCONSOLE_ENABLED": False})
    p.crawl(Bare); p.start()
    print("pages", count)
''')


def tree_rss_kb(pid: int) -> int:
    """RSS of a process and all its descendants, in KiB (from /proc)."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(p, []))
    return total


def timed_run(cmd: list[str], cwd: Path) -> tuple[float, int, subprocess.CompletedProcess]:
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.2)
    out, err = proc.communicate()
    return time.monotonic() - start, peak, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--port", type=int, default=18700)
    args = parser.parse_args()
    mirror = Mirror(args.pages, args.hosts, args.port)
    mirror.start()
    sources = mirror.sources()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            bare_path = work / "bare.py"
            bare_path.write_text(BARE_SPIDER, encoding="utf-8")
            bare_s, bare_rss, bare = timed_run([sys.executable, str(bare_path), ",".join(url for _, _, url in sources),
                                                str(args.concurrency)], work)
            bare_pages = int(bare.stdout.split()[-1]) if bare.returncode == 0 and bare.stdout else 0
            config = work / "c.toml"
            lines = [f'[storage]\nurl = "sqlite:///{work / "bench.db"}"\n',
                     f"[crawl]\ndelay = 0\nconcurrency = {args.concurrency}\ncontact = \"bench@example.com\"\n"
                     f"max_items_per_source = {args.pages}\n"]
            for name, kind, url in sources:
                lines.append(f'[[sources]]\nname = "{name}"\nkind = "{kind}"\nurl = "{url}"\n')
            config.write_text("\n".join(lines), encoding="utf-8")
            cw_s, cw_rss, cw = timed_run([sys.executable, "-m", "digest.cli", "--config", str(config), "crawl",
                                          "--no-progress"], ROOT)
            if cw.returncode != 0:
                print(cw.stderr[-3000:])
                return 1
            total_line = next(line for line in cw.stdout.splitlines() if line.startswith("합계"))
            cw_pages = int(total_line.split("\t")[3])
            cw_stored = int(total_line.split("\t")[4])
    finally:
        mirror.stop()
    bare_rate = bare_pages / bare_s * 60 if bare_s else 0.0
    cw_rate = cw_pages / cw_s * 60 if cw_s else 0.0
    print(f"command: python {' '.join(sys.argv)}")
    print(f"mirror: {mirror.total} pages on {args.hosts} hosts behind {len(sources)} sitemaps and feeds, "
          f"concurrency {args.concurrency}, {os.cpu_count()} cores")
    print(f"bare Scrapy download:  {bare_pages} pages in {bare_s:.1f} s = {bare_rate:,.0f} pages/min "
          f"(peak RSS {bare_rss / 1024:.0f} MB)")
    print(f"chipwatch crawl:       {cw_pages} pages ({cw_stored} stored) in {cw_s:.1f} s = {cw_rate:,.0f} pages/min "
          f"(peak RSS {cw_rss / 1024:.0f} MB, process + children)")
    print(f"ratio chipwatch / bare: {cw_rate / bare_rate:.2f}" if bare_rate else "ratio: n/a")
    return 0


if __name__ == "__main__":
    sys.exit(main())
