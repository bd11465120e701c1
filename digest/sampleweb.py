"""A small web of fictional Korean news outlets on 127.0.0.1, for ``chipwatch demo`` and the crawl tests.

The content lives in ``demo_web/site.toml`` (articles written for this project); this module renders it through
four outlet layouts (an old ND-Soft-like CMS, a JSON-LD ``<article>`` site, an EUC-KR table layout declared only
in ``<meta>``, and a portal full of boxes), with the outlets' entry points: RSS 2.0, Atom, a Google News
sitemap, and a sitemap index.  Dates are relative to the ``now`` given, so tests never rot.  Also served:
robots.txt (disallowing /private/), a 404 link, a 503-then-200 page, a tracking-parameter link with
rel=canonical, and a few hostile routes for the reliability tests (see ``HOSTILE``).
"""

from __future__ import annotations

import gzip
import html
import json
import re
import threading
import time
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

DEFAULT_ROOT = Path(__file__).resolve().parent / "demo_web"
SEOUL = ZoneInfo("Asia/Seoul")
SEED_COPY_SHARE = 0.75       # the syndicated copy keeps the first three quarters of the seed's paragraphs


@dataclass(frozen=True, slots=True)
class SampleArticle:
    id: str
    outlet: str
    outlet_name: str
    layout: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    reporter: str
    expect: str
    story: str | None
    path: str                       # path (and query) of the page, as linked from the clean URL
    link_path: str                  # what the feed/sitemap links to (may carry tracking parameters)
    language: str = "ko"
    flaky: bool = False
    missing: bool = False


@dataclass
class _State:
    hits: dict[str, int] = field(default_factory=dict)
    times: dict[str, list] = field(default_factory=dict)    # monotonic arrival times per path
    lock: threading.Lock = field(default_factory=threading.Lock)


def _seed_paragraphs(name: str) -> list[str]:
    from crawler.configuration import builtin_dir

    text = (builtin_dir() / "seeds" / name).read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if len(ln.strip()) > 60]
    # the body: long lines after the last caption; drop photo captions and the reporter line
    body = [ln for ln in lines if "사진=" not in ln and "기자 " not in ln[-40:] and "이미지 확대" not in ln]
    keep = max(3, int(len(body) * SEED_COPY_SHARE))
    return body[:keep]


def load_articles(root: Path, now: datetime) -> list[SampleArticle]:
    data = tomllib.loads((root / "site.toml").read_text(encoding="utf-8"))
    outlets = {o["id"]: o for o in data["outlets"]}
    raw = {a["id"]: a for a in data["articles"]}
    out = []
    counters: dict[str, int] = {}
    for a in data["articles"]:
        outlet = outlets[a["outlet"]]
        n = counters[outlet["id"]] = counters.get(outlet["id"], 1000) + 1
        paragraphs = list(a.get("paragraphs", []))
        if a.get("seed"):
            paragraphs = _seed_paragraphs(a["seed"])
        if a.get("copy_of"):
            source = list(raw[a["copy_of"]]["paragraphs"])[:5]
            source[1], source[2] = source[2], source[1]
            paragraphs = source
        published = (now - timedelta(days=float(a["days"]))).replace(microsecond=0)
        path = a.get("path") or _article_path(outlet, a["id"], n, published)
        link = path + ("&" if "?" in path else "?") + "utm_source=sitemap&utm_medium=feed" if a.get("tracking") else path
        out.append(SampleArticle(
            id=a["id"], outlet=outlet["id"], outlet_name=outlet["name"], layout=outlet["layout"], title=a["title"],
            paragraphs=tuple(paragraphs), published=published, reporter=a.get("reporter", ""),
            expect=a["expect"], story=a.get("story"), path=path, link_path=link, language=a.get("language", "ko"),
            flaky=a.get("flaky", False), missing=a.get("missing", False)))
    return out


def _article_path(outlet: dict, article_id: str, n: int, published: datetime) -> str:
    oid = outlet["id"]
    layout = outlet["layout"]
    if layout == "ndsoft":
        return f"/{oid}/news/articleView.html?idxno={n}"
    if layout == "jsonld":
        return f"/{oid}/article/{article_id}.html"
    if layout == "legacy_euckr":
        return f"/{oid}/view.php?no={n}"
    local = published.astimezone(SEOUL)
    return f"/{oid}/{local:%Y/%m/%d}/{article_id}.html"


# ---------------------------------------------------------------- page layouts

def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _kst(dt: datetime, fmt: str = "%Y.%m.%d %H:%M") -> str:
    return dt.astimezone(SEOUL).strftime(fmt)


def _email(a: SampleArticle) -> str:
    return f"reporter{abs(hash(a.reporter)) % 1000}@{a.outlet}.example"


def render_ndsoft(a: SampleArticle, base: str) -> str:
    body = "".join(f"<p>{_esc(p)}</p>\n" for p in a.paragraphs)
    return f"""<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{_esc(a.title)} - {_esc(a.outlet_name)}</title>
<meta property="og:title" content="{_esc(a.title)}"><meta property="article:published_time" content="{a.published.astimezone(SEOUL).isoformat()}">
<link rel="canonical" href="{base}{_esc(a.path)}"></head><body>
<div id="header"><ul class="gnb"><li>정치</li><li>경제</li><li>산업</li><li>국제</li><li>IT·과학</li></ul></div>
<div class="article-head-title"><h3 class="heading">{_esc(a.title)}</h3>
<ul class="infomation"><li>{_esc(a.reporter)} 기자</li><li>기사입력 {_kst(a.published)}</li></ul></div>
<div class="share-btns">페이스북 트위터 카카오톡 URL복사 글자크기</div>
<article id="article-view-content-div">
{body}<p>{_esc(a.reporter)} 기자 {_email(a)}</p>
</article>
<div class="relation-news"><h4>관련기사</h4><ul><li><a href="/{a.outlet}/news/articleView.html?idxno=1">반도체 업황 점검 시리즈 1편</a></li>
<li><a href="/{a.outlet}/news/articleView.html?idxno=2">메모리 가격 동향 주간 정리</a></li></ul></div>
<div id="footer"><p>저작권자 © {_esc(a.outlet_name)} 무단전재 및 재배포 금지</p><p>서울시 중구 예제로 1 | 대표전화 02-000-0000</p></div>
</body></html>"""


def render_jsonld(a: SampleArticle, base: str) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
          "datePublished": a.published.astimezone(SEOUL).isoformat(),
          "author": {"@type": "Person", "name": f"{a.reporter} 기자" if a.language == "ko" else a.reporter},
          "publisher": {"@type": "Organization", "name": a.outlet_name}}
    paras = list(a.paragraphs)
    figure = ""
    if a.language == "ko" and paras:
        figure = (f'<figure class="photo"><img src="/img/{a.id}.jpg" alt=""><figcaption>{_esc(a.title[:20])} 관련 '
                  f'자료 사진. /사진=테크데일리 DB</figcaption></figure>')
    body = "".join(f"<p>{_esc(p)}</p>" + (figure if i == 0 else "") for i, p in enumerate(paras))
    return f"""<!DOCTYPE html><html lang="{a.language}"><head><meta charset="utf-8"><title>{_esc(a.title)} | {_esc(a.outlet_name)}</title>
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<link rel="canonical" href="{base}{_esc(a.path)}"></head><body>
<nav class="menu"><a href="/">홈</a> <a href="/it">IT</a> <a href="/biz">비즈</a></nav>
<main><article class="news-article"><h1>{_esc(a.title)}</h1>
<div class="byline">{_esc(a.reporter)} 기자 · 입력 {_kst(a.published, "%Y-%m-%d %H:%M")}</div>
<div class="article-body">{body}</div>
<div class="sns-share"><button>공유하기</button><button>스크랩</button></div>
</article></main>
<aside class="popular"><h3>많이 본 뉴스</h3><ol><li>주간 증시 전망</li><li>신형 스마트폰 공개</li></ol></aside>
<footer>Copyright © {_esc(a.outlet_name)}. All rights reserved.</footer></body></html>"""


def render_legacy(a: SampleArticle, base: str) -> str:
    local = a.published.astimezone(SEOUL)
    ampm = "오전" if local.hour < 12 else "오후"
    hour = local.hour % 12 or 12
    body = "<br><br>\n".join(_esc(p) for p in a.paragraphs)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">
<title>{_esc(a.outlet_name)} :: {_esc(a.title)}</title></head><body>
<table width="960"><tr><td class="top_menu">홈 | 뉴스 | 반도체 | 장비 | 소재 | 오피니언</td></tr>
<tr><td><table><tr><td class="view_title"><b>{_esc(a.title)}</b></td></tr>
<tr><td class="view_date">등록 {local:%Y-%m-%d} {ampm} {hour}:{local:%M} | {_esc(a.reporter)} 기자</td></tr>
<tr><td class="view_text">{body}<br><br>
{_esc(a.reporter)} 기자 {_email(a)}<br>
&lt;저작권자 ⓒ {_esc(a.outlet_name)}, 무단 전재 및 재배포 금지&gt;</td></tr></table></td></tr>
<tr><td class="copyright">Copyright ⓒ {_esc(a.outlet_name)} All rights reserved.</td></tr></table></body></html>"""


def render_portal(a: SampleArticle, base: str) -> str:
    body = "".join(f"<p>{_esc(p)}</p>" for p in a.paragraphs)
    return f"""<!DOCTYPE html><html lang="ko"><head><meta charset="UTF-8"><title>{_esc(a.title)} - {_esc(a.outlet_name)}</title>
<meta name="description" content="{_esc(a.paragraphs[0][:80] if a.paragraphs else '')}">
<meta property="og:url" content="{base}{_esc(a.path)}"><link rel="canonical" href="{base}{_esc(a.path)}">
<meta name="article:published_time" content="{a.published.isoformat()}"></head><body>
<header><div class="top-banner">지금 구독하면 첫 달 무료! 프리미엄 뉴스레터</div>
<ul class="nav"><li>경제</li><li>산업</li><li>글로벌</li><li>증권</li><li>부동산</li><li>오피니언</li></ul></header>
<div class="content"><div class="article-view">
<h2 class="title">{_esc(a.title)}</h2><div class="info">입력 {_kst(a.published)} | 수정 {_kst(a.published)}</div>
<div class="font-size">가 가 가</div>
<div id="articleBody">
<div class="img_caption">글로벌비즈투데이 자료사진 [사진=게티이미지]</div>
{body}
<p>{_esc(a.reporter)} 기자 {_email(a)}</p>
<p>&lt;ⓒ 글로벌비즈투데이 (www.globalbiz.example) 무단전재·재배포 금지&gt;</p>
</div>
<div class="related_news"><strong>관련기사</strong><ul><li>▶ 반도체 대전망 2027</li><li>▶ 글로벌 공급망 재편 어디로</li></ul></div>
<div class="ad_wrap">광고</div></div>
<div class="sidebar"><div class="ranking"><h4>많이 본 뉴스</h4><ol><li>부동산 규제 완화 발표</li>
<li>금리 인하 기대 커져</li><li>신차 출시 경쟁</li></ol></div></div></div>
<footer><p>글로벌비즈투데이 | 등록번호 서울 아00000 | 발행인 홍길동</p></footer></body></html>"""


LAYOUTS = {"ndsoft": render_ndsoft, "jsonld": render_jsonld, "legacy_euckr": render_legacy, "portal": render_portal}


# ---------------------------------------------------------------- entry points

def rss_feed(outlet: str, articles: list[SampleArticle], base: str) -> str:
    items = []
    for a in articles:
        desc = f"<description><![CDATA[{a.paragraphs[0] if a.paragraphs else ''}]]></description>" if a.paragraphs else ""
        items.append(f"<item><title><![CDATA[{a.title}]]></title><link>{base}{_esc(a.link_path)}</link>{desc}"
                     f"<pubDate>{format_datetime(a.published.astimezone(SEOUL))}</pubDate></item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{outlet}</title>'
            f"<link>{base}/</link><description>예제 피드</description>{''.join(items)}</channel></rss>")


def atom_feed(outlet: str, articles: list[SampleArticle], base: str) -> str:
    entries = "".join(
        f'<entry><title>{_esc(a.title)}</title><link rel="alternate" href="{base}{_esc(a.link_path)}"/>'
        f"<id>{base}{_esc(a.path)}</id><updated>{a.published.isoformat()}</updated></entry>" for a in articles)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{outlet}</title>'
            f'<id>{base}/{outlet}/</id><updated>{datetime.now(timezone.utc).isoformat()}</updated>{entries}</feed>')


def news_sitemap(articles: list[SampleArticle], base: str) -> str:
    urls = "".join(
        f"<url><loc>{base}{_esc(a.link_path)}</loc><news:news><news:publication><news:name>{_esc(a.outlet_name)}"
        f"</news:name><news:language>ko</news:language></news:publication><news:publication_date>"
        f"{a.published.isoformat()}</news:publication_date><news:title>{_esc(a.title)}</news:title></news:news></url>"
        for a in articles)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')


def plain_sitemap(articles: list[SampleArticle], base: str) -> str:
    urls = "".join(f"<url><loc>{base}{_esc(a.link_path)}</loc><lastmod>{a.published.isoformat()}</lastmod></url>"
                   for a in articles)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


ENTRY_PATHS = {"rss": "/{id}/rss.xml", "atom": "/{id}/atom.xml", "news_sitemap": "/{id}/news-sitemap.xml",
               "sitemap_index": "/{id}/sitemap-index.xml"}
ENTRY_KINDS = {"rss": "rss", "atom": "rss", "news_sitemap": "sitemap", "sitemap_index": "sitemap"}
ROBOTS = "User-agent: *\nDisallow: /private/\n"

# Hostile routes for the reliability tests: path -> behaviour (see _hostile)
HOSTILE = ("/hostile/redirect-loop", "/hostile/redirect-chain/0", "/hostile/silent", "/hostile/trickle",
           "/hostile/huge.html", "/hostile/gzip-bomb.html", "/hostile/pdf.html", "/hostile/image.html",
           "/hostile/not-xml.xml", "/hostile/mislabelled.html")


class SampleWeb:
    """Serve the sample web; a context manager.  ``hits`` counts requests per path (with query)."""

    def __init__(self, root: Path = DEFAULT_ROOT, *, now: datetime, host: str = "127.0.0.1", port: int = 0):
        self.root = root
        self.now = now
        self.data = tomllib.loads((root / "site.toml").read_text(encoding="utf-8"))
        self.articles = load_articles(root, now)
        self._state = _State()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- public
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def hits(self) -> dict[str, int]:
        with self._state.lock:
            return dict(self._state.hits)

    def request_times(self, path: str) -> list[float]:
        with self._state.lock:
            return list(self._state.times.get(path, []))

    def url(self, path: str) -> str:
        return self.base_url + path

    def sources(self) -> list[tuple[str, str, str]]:
        """(name, kind, url) of every outlet's entry point, for a config's [[sources]]."""
        out = []
        for o in self.data["outlets"]:
            out.append((o["name"], ENTRY_KINDS[o["entry"]], self.url(ENTRY_PATHS[o["entry"]].format(id=o["id"]))))
        return out

    def start(self) -> SampleWeb:
        self._thread = threading.Thread(target=self._server.serve_forever, name="sampleweb", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SampleWeb:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- serving
    def _outlet_articles(self, outlet: str) -> list[SampleArticle]:
        return [a for a in self.articles if a.outlet == outlet]

    def respond(self, path_qs: str) -> tuple[int, dict[str, str], bytes]:
        base = self.base_url
        path = urlsplit(path_qs).path
        with self._state.lock:
            count = self._state.hits[path_qs] = self._state.hits.get(path_qs, 0) + 1
            self._state.times.setdefault(path_qs, []).append(time.monotonic())
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, ROBOTS.encode()
        for o in self.data["outlets"]:
            entry = ENTRY_PATHS[o["entry"]].format(id=o["id"])
            arts = self._outlet_articles(o["id"])
            if path == entry:
                if o["entry"] == "rss":
                    body = rss_feed(o["name"], arts, base)
                elif o["entry"] == "atom":
                    body = atom_feed(o["name"], arts, base)
                elif o["entry"] == "news_sitemap":
                    body = news_sitemap(arts, base)
                else:
                    body = (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/'
                            f'schemas/sitemap/0.9"><sitemap><loc>{base}/{o["id"]}/sitemap-articles.xml</loc>'
                            f"</sitemap></sitemapindex>")
                return 200, {"Content-Type": "application/xml; charset=utf-8"}, body.encode("utf-8")
            if path == f"/{o['id']}/sitemap-articles.xml":
                return 200, {"Content-Type": "application/xml"}, plain_sitemap(arts, base).encode("utf-8")
        clean = re.sub(r"[?&]utm_[^&]*", "", path_qs).replace("?&", "?").rstrip("?")
        for a in self.articles:
            if clean == a.path:
                if a.missing:
                    break
                if a.flaky and count == 1:
                    return 503, {"Content-Type": "text/plain", "Retry-After": "0"}, b"busy"
                page = LAYOUTS[a.layout](a, base)
                if a.layout == "legacy_euckr":
                    return 200, {"Content-Type": "text/html"}, page.encode("cp949")
                return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode("utf-8")
        if path.startswith("/hostile/"):
            return self._hostile(path)
        return 404, {"Content-Type": "text/html; charset=utf-8"}, "<h1>404 페이지를 찾을 수 없습니다</h1>".encode()

    def _hostile(self, path: str) -> tuple[int, dict[str, str], bytes]:
        if path == "/hostile/feed.xml":
            links = [p for p in HOSTILE if p != "/hostile/not-xml.xml"]
            items = "".join(f"<item><title>hostile {i}</title><link>{self.base_url}{p}</link></item>"
                            for i, p in enumerate(links))
            items += ("<item><title>js</title><link>javascript:alert(1)</link></item>"
                      "<item><title>file</title><link>file:///etc/passwd</link></item>")
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>hostile</title>{items}</channel></rss>'
            return 200, {"Content-Type": "application/rss+xml"}, body.encode()
        if path == "/hostile/ratelimit-feed.xml":
            body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>rate</title><item><title>r</title>'
                    f"<link>{self.base_url}/hostile/ratelimited.html</link></item></channel></rss>")
            return 200, {"Content-Type": "application/rss+xml"}, body.encode()
        if path == "/hostile/ratelimited.html":
            with self._state.lock:
                count = self._state.hits.get(path, 0)
            if count <= 2:
                return 429, {"Content-Type": "text/plain", "Retry-After": "2"}, b"slow down"
            return 200, {"Content-Type": "text/html; charset=utf-8"}, render_ndsoft(self.articles[0], self.base_url).encode()
        if path == "/hostile/redirect-loop":
            return 302, {"Location": "/hostile/redirect-loop"}, b""
        if path.startswith("/hostile/redirect-chain/"):
            n = int(path.rsplit("/", 1)[1])
            return 302, {"Location": f"/hostile/redirect-chain/{n + 1}"}, b""
        if path == "/hostile/huge.html":
            return 200, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>" + b"<p>" + b"x" * 60_000_000
        if path == "/hostile/gzip-bomb.html":
            bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)
            return 200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb
        if path == "/hostile/pdf.html":
            return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
        if path == "/hostile/image.html":   # a PNG served as text/html under an .html name
            png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + bytes(200)
            return 200, {"Content-Type": "text/html; charset=utf-8"}, png
        if path == "/hostile/not-xml.xml":
            return 200, {"Content-Type": "application/rss+xml"}, "이것은 XML이 아닙니다 <<<".encode()
        if path == "/hostile/truncated.xml":
            # the connection drops mid-item: the complete item before it is still usable
            body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>cut</title><item><title>온전한 항목</title>'
                    f"<link>{self.base_url}/hostile/truncated-item.html</link><pubDate>Mon, 23 Nov 2099 09:30:00 +0900"
                    f"</pubDate></item><item><title>잘린 항목</title><link>{self.base_url}/hostile/nev")
            return 200, {"Content-Type": "application/rss+xml"}, body.encode()
        if path == "/hostile/truncated-item.html":
            return 200, {"Content-Type": "text/html; charset=utf-8"}, render_ndsoft(self.articles[1], self.base_url).encode()
        if path in ("/hostile/laughs.xml", "/hostile/laughs-sitemap.xml"):
            # billion laughs: lol9 would expand to 10^9 copies of "lol"
            lols = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
            head = f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{lols}]>'
            if path.endswith("sitemap.xml"):
                body = (head + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
                        f"<loc>{self.base_url}/hostile/&lol9;</loc></url></urlset>")
            else:
                body = (head + '<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
                        f"<link>{self.base_url}/hostile/pdf.html</link></item></channel></rss>")
            return 200, {"Content-Type": "application/xml"}, body.encode()
        if path == "/hostile/mislabelled.html":
            page = render_legacy(self.articles[0], self.base_url)
            return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode("cp949")
        return 404, {}, b""

    def _handler_class(self):
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                path = self.path
                if path == "/hostile/silent":
                    time.sleep(30)
                    return
                if path == "/hostile/trickle":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    try:
                        for _ in range(60):
                            self.wfile.write(b"<")
                            self.wfile.flush()
                            time.sleep(1)
                    except OSError:
                        pass
                    return
                status, headers, body = web.respond(path)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args):  # quiet: tests and the demo print their own account
                pass

        return Handler
