"""Feed and sitemap parsing: text in, typed entries out (no network, no Scrapy).

Feeds go through feedparser on the *decoded* text (an EUC-KR feed with CP949-only syllables given as bytes makes
feedparser fall back to windows-1252; Scrapy's ``response.text`` is already cp949-decoded).  Sitemaps are read
with lxml with entity resolution and network access off, including Google News sitemaps, whose ``news:title``
and ``news:publication_date`` Scrapy's own sitemap reader drops.
"""

from __future__ import annotations

import gzip
import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin
from xml.parsers import expat
from zoneinfo import ZoneInfo

import feedparser
from lxml import etree

from crawler.urls import is_web_url

log = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")
MAX_SITEMAP_BYTES = 50_000_000  # the sitemap protocol's own limit for one file, uncompressed
FUTURE_SLACK_DAYS = 2           # a feed date further in the future than this is treated as unknown


class FeedError(ValueError):
    """A feed or sitemap that cannot be read; ``reason`` is a drop reason such as ``not_a_feed``."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One article link announced by a feed or sitemap."""

    url: str
    title: str | None = None
    published: datetime | None = None   # aware UTC
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A parsed sitemap: either an index (``children``) or a URL set (``entries``)."""

    children: tuple[str, ...]
    entries: tuple[FeedEntry, ...]


_ISO = re.compile(r"^\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$")


def parse_date(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """RFC 822, ISO 8601/W3C or ``2026-08-11 07:00:00`` -> aware UTC.  Times without a zone are Korean time.

    A date more than FUTURE_SLACK_DAYS after ``now`` is nonsense from a broken feed and becomes None.
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    parsed: datetime | None = None
    match = _ISO.match(value)
    if match:
        y, mo, d, h, mi, s, tz = match.groups()
        try:
            parsed = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        except ValueError:
            return None
        if tz in (None, ""):
            parsed = parsed.replace(tzinfo=SEOUL)
        elif tz == "Z":
            parsed = parsed.replace(tzinfo=timezone.utc)
        else:
            tz = tz.replace(":", "")
            sign = 1 if tz[0] == "+" else -1
            from datetime import timedelta
            parsed = parsed.replace(tzinfo=timezone(sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5]))))
    else:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if parsed is None:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=SEOUL)
    try:
        result = parsed.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None
    if now is not None and (result - now).days > FUTURE_SLACK_DAYS:
        return None
    if result.year < 1990:
        return None
    return result


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


PROLOG_SCAN_CHARS = 65_536     # a DOCTYPE sits before the root element, in the first bytes of any real feed
_ENTITY_DETAIL = "XML 엔티티 선언(DOCTYPE)이 있어 읽지 않습니다 (엔티티 확장 공격 방지)"


class _EntityDeclared(Exception):
    """Raised from expat's handler at the first entity declaration, before anything could be expanded."""


class _RootReached(Exception):
    """Raised from expat's handler when the root element starts: the prolog is over."""


def _scan_prolog(data: bytes) -> tuple[str, int]:
    """Run expat over the start of a UTF-8 document until its root element starts; parse nothing else.

    Returns ``("entity", 0)`` at the first entity declaration, ``("root", offset of the root element)``,
    ``("error", 0)`` when the prolog is not well-formed XML and ``("open", 0)`` when ``data`` ended inside the
    prolog.  expat knows comments, processing instructions and quoted literals, so ``<!-- <x -->`` or
    ``SYSTEM "a>b"`` in front of the declarations cannot hide them, and it fetches no external DTD."""
    parser = expat.ParserCreate(encoding="UTF-8")   # the bytes are UTF-8 whatever <?xml encoding=?> says
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def on_entity(*_args: object) -> None:
        raise _EntityDeclared

    def on_root(*_args: object) -> None:
        raise _RootReached

    parser.EntityDeclHandler = on_entity
    parser.UnparsedEntityDeclHandler = on_entity
    parser.StartElementHandler = on_root
    try:
        parser.Parse(data, False)
    except _EntityDeclared:
        return "entity", 0
    except _RootReached:
        return "root", parser.CurrentByteIndex
    except expat.ExpatError:
        return "error", 0
    return "open", 0


def refuse_entity_declarations(head: str) -> None:
    """Raise FeedError("entity_expansion") when the document's prolog declares XML entities.

    A DOCTYPE with an internal subset that declares entities is how a billion-laughs bomb (entities defined by
    ten copies of the previous one, a few hundred bytes that expand to gigabytes) or an external-entity read
    starts.  No news feed or sitemap needs one, so the whole document is refused before any parser sees it.  A
    plain ``<!DOCTYPE rss>`` or an external DTD reference (RSS 0.91) is fine: it declares nothing here and is
    never fetched.  Only the prolog, found by expat on the first PROLOG_SCAN_CHARS characters, is looked at:
    "&lt;!ENTITY" in an article's text does not count.  Besides expat's own report, a literal ``<!ENTITY`` in
    the prolog counts too (expat skips declarations that follow an undefined ``%pe;`` reference; other parsers
    may not).  Refused as well: a prolog still open after PROLOG_SCAN_CHARS (no feed has one), and a prolog
    expat cannot read that contains ``<!ENTITY`` anywhere in the scanned text."""
    data = head[:PROLOG_SCAN_CHARS].lstrip("\ufeff \t\r\n").encode("utf-8", "replace")
    state, root_at = _scan_prolog(data)
    if state == "entity":
        raise FeedError("entity_expansion", _ENTITY_DETAIL)
    if state == "root":
        if b"<!ENTITY" in data[:root_at]:
            raise FeedError("entity_expansion", _ENTITY_DETAIL)
        return
    if state == "open" and len(head) >= PROLOG_SCAN_CHARS:
        raise FeedError("entity_expansion", f"XML 머리말(prolog)이 {PROLOG_SCAN_CHARS // 1024}KB를 넘어 "
                                            "읽지 않습니다 (엔티티 확장 공격 방지)")
    if b"<!ENTITY" in data:           # not XML a parser could read strictly, but lxml's recover mode might
        raise FeedError("entity_expansion", _ENTITY_DETAIL)


def _prolog_text(data: bytes) -> str:
    """The first bytes of an XML document as text, enough to find its markup: UTF-16/32 by their byte-order
    mark or, without one, by where the NUL bytes around the first ASCII character sit (the XML spec's
    autodetection); anything else (UTF-8, EUC-KR: the markup is ASCII in both) byte for byte."""
    head = data[:PROLOG_SCAN_CHARS * 4]
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, "replace")
    if len(head) >= 4 and 0 in head[:4]:
        first = head[:4]
        codec = ("utf-32-le" if first[1:] == b"\0\0\0" else "utf-32-be" if first[:3] == b"\0\0\0"
                 else "utf-16-le" if first[1] == 0 else "utf-16-be")
        return head.decode(codec, "replace")
    return head[:PROLOG_SCAN_CHARS].decode("latin-1").removeprefix("\xef\xbb\xbf")


_XML_DECL_ENCODING = re.compile(r"""(<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""", re.I)


def parse_feed(text: str, base_url: str, *, now: datetime | None = None) -> list[FeedEntry]:
    """RSS 2.0 / RSS 1.0 / Atom text -> entries with absolute http(s) links.

    Links that are not http(s) (``javascript:``, ``file:``…) are dropped here.  A document with no entries that
    feedparser could not parse raises FeedError.
    """
    refuse_entity_declarations(text.lstrip("\ufeff"))
    # Re-encode the already decoded text as UTF-8 and say so, so feedparser never re-guesses the charset from
    # an <?xml encoding="euc-kr"?> declaration that no longer matches the bytes.
    data = _XML_DECL_ENCODING.sub(r"\1", text.lstrip("\ufeff"), count=1).encode("utf-8")
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False,
                              response_headers={"content-type": "application/xml; charset=utf-8"})
    if not parsed.entries:
        if parsed.get("bozo") and not parsed.get("feed"):
            raise FeedError("not_a_feed", f"피드를 읽을 수 없습니다: {parsed.get('bozo_exception')!s:.120}")
        if not parsed.get("version"):
            raise FeedError("not_a_feed", "RSS/Atom 피드가 아닙니다")
    entries = []
    for item in parsed.entries:
        link = item.get("link") or ""
        if not link:
            for alt in item.get("links", []):
                if alt.get("rel", "alternate") == "alternate" and alt.get("href"):
                    link = alt["href"]
                    break
        if not link and str(item.get("id", "")).startswith("http"):
            link = item["id"]
        link = urljoin(base_url, link.strip()) if link else ""
        if not is_web_url(link):
            continue
        raw_date = item.get("published") or item.get("updated") or item.get("dc_date") or item.get("created")
        entries.append(FeedEntry(
            url=link,
            title=_clean(item.get("title")),
            published=parse_date(raw_date, now=now),
            summary=_clean(item.get("summary")),
        ))
    return entries


def parse_naver_news(text: str, *, now: datetime | None = None) -> list[FeedEntry]:
    """Naver Search API (news) JSON -> entries pointing at the publisher's own URL (``originallink``).

    Titles and descriptions carry ``<b>`` highlights and HTML entities; both are cleaned.
    """
    import html
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError("not_a_feed", f"네이버 API 응답이 JSON이 아닙니다: {exc}") from None
    if not isinstance(data, dict):
        raise FeedError("not_a_feed", "네이버 API 응답 형식이 아닙니다")
    if "errorCode" in data or "errorMessage" in data:
        raise FeedError("api_error", f"네이버 API 오류 {data.get('errorCode', '')}: {data.get('errorMessage', '')}")
    entries = []
    for item in data.get("items") or []:
        if not isinstance(item, dict):
            continue
        url = (item.get("originallink") or item.get("link") or "").strip()
        if not is_web_url(url):
            continue
        title = _clean(html.unescape(str(item.get("title") or "")))
        summary = _clean(html.unescape(str(item.get("description") or "")))
        entries.append(FeedEntry(url=url, title=title, published=parse_date(item.get("pubDate"), now=now),
                                 summary=summary))
    return entries


def _ungzip(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
        data = fh.read(MAX_SITEMAP_BYTES + 1)
    if len(data) > MAX_SITEMAP_BYTES:
        raise FeedError("too_large", "압축을 푼 사이트맵이 너무 큽니다")
    return data


def parse_sitemap(body: bytes, base_url: str, *, now: datetime | None = None) -> Sitemap:
    """A sitemap, sitemap index or Google News sitemap (optionally gzipped) -> children or entries."""
    try:
        data = _ungzip(body)
    except (OSError, EOFError) as exc:
        raise FeedError("not_a_sitemap", f"gzip 사이트맵을 풀 수 없습니다: {exc}") from None
    refuse_entity_declarations(_prolog_text(data))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False,
                             remove_comments=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError("not_a_sitemap", f"사이트맵 XML 오류: {exc}") from None
    if root is None:
        raise FeedError("not_a_sitemap", "사이트맵이 비어 있거나 XML이 아닙니다")
    tag = etree.QName(root).localname
    if tag == "sitemapindex":
        children = []
        for loc in root.iter("{*}loc"):
            url = urljoin(base_url, (loc.text or "").strip())
            if is_web_url(url):
                children.append(url)
        return Sitemap(children=tuple(children), entries=())
    if tag != "urlset":
        raise FeedError("not_a_sitemap", f"사이트맵이 아닙니다 (최상위 요소: {tag})")
    entries = []
    for node in root.iter("{*}url"):
        loc = _child_text(node, "loc")
        if not loc:
            continue
        url = urljoin(base_url, loc.strip())
        if not is_web_url(url):
            continue
        news = next((c for c in node if etree.QName(c).localname == "news"), None)
        title = published = None
        if news is not None:
            title = _clean(_child_text(news, "title"))
            published = parse_date(_child_text(news, "publication_date"), now=now)
        if published is None:
            published = parse_date(_child_text(node, "lastmod"), now=now)
        entries.append(FeedEntry(url=url, title=title, published=published))
    return Sitemap(children=(), entries=tuple(entries))


def _child_text(node: etree._Element, name: str) -> str | None:
    for child in node:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return child.text
    return None


def looks_like_sitemap(body: bytes) -> bool:
    head = body[:2048].lower()
    return b"<urlset" in head or b"<sitemapindex" in head or body[:2] == b"\x1f\x8b"
