"""Decoded page -> :class:`Extracted` (title, text, date, author, canonical URL): trafilatura plus Korean rules.

One trafilatura run per page on a tree already pruned of Korean boilerplate containers
(:func:`crawler.boilerplate.prune_tree`), then line-level cleanup.  Metadata comes from the page's own
declarations first (JSON-LD, ``article:published_time``, ``itemprop``), then Korean date lines ("입력
2026.11.20 14:05", "기사입력 2026-11-20 오후 2:05"), then trafilatura/htmldate.  Naive times are Korean time.
``deduplicate`` stays off: trafilatura's cache is process-global and would eat repeated paragraphs across pages.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import trafilatura
from lxml import html as lxml_html

from crawler.boilerplate import clean_text, prune_tree, reporter_in

log = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")
MAX_HTML_CHARS = 2_000_000   # parse at most this much of a page: article text sits far before that on real sites
MIN_TEXT_CHARS = 80          # shorter output is not an article (a paywall, an error page, a photo page)
SCRIPT_FALLBACK_BELOW = 300  # below this, look for the article in inline JSON too


@dataclass(frozen=True, slots=True)
class Extracted:
    title: str | None
    text: str
    published: datetime | None
    author: str | None
    canonical_url: str | None
    language: str | None = None


class ExtractError(Exception):
    """The page could not be made into an article; ``reason`` is a short machine word."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


_BINARY_MARKERS = ("%PDF-", "\x89PNG", "GIF8", "\xff\xd8\xff", "PK\x03\x04", "\x00\x00\x00")


def _looks_binary(text: str) -> bool:
    head = text[:1024]
    if head.lstrip().startswith(_BINARY_MARKERS) or "\x00" in head:
        return True
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\r\n\t")
    return controls > 30


def extract(html: str, url: str | None = None, *, fallback_title: str | None = None,
            fallback_published: datetime | None = None) -> Extracted:
    if not html or not html.strip():
        raise ExtractError("empty", "빈 페이지")
    if _looks_binary(html):
        raise ExtractError("not_html", "HTML이 아닌 내용 (PDF·이미지 등)")
    html = html[:MAX_HTML_CHARS]
    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise ExtractError("empty", str(exc)) from None
    meta = page_metadata(tree, url)
    prune_tree(tree)
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, include_images=False, include_links=False,
                                      deduplicate=False)
    raw_text = (getattr(doc, "text", None) or "") if doc is not None else ""
    text = clean_text(raw_text)
    if len(text) < SCRIPT_FALLBACK_BELOW:
        # Client-rendered pages (Next.js, Arc XP…) carry the article in inline JSON, not in the markup.
        embedded = script_article_text(html)
        if embedded and len(embedded) > len(text):
            text = embedded
    if len(text) < MIN_TEXT_CHARS:
        raise ExtractError("too_short", f"본문 {len(text)}자")
    title = meta.title or (getattr(doc, "title", None) if doc is not None else None) or fallback_title
    title = clean_title(title) if title else None
    published = meta.published or korean_date_line(raw_text[:400]) or _doc_date(doc) or fallback_published
    author = (meta.author or (getattr(doc, "author", None) if doc is not None else None)
              or reporter_in(raw_text.splitlines()))
    return Extracted(title=title, text=_drop_title_line(text, title), published=published,
                     author=_clean_author(author), canonical_url=meta.canonical)


# ---------------------------------------------------------------- inline JSON fallback

_JSON_TEXT_FIELD = re.compile(r'"(?:contentHtml|content_html|articleBody|article_body|content|body|text|html)"'
                              r'\s*:\s*"((?:[^"\\]|\\.){300,})"')


def script_article_text(html: str) -> str | None:
    """The longest Korean article-like string in inline JSON fields (HTML inside is reduced to text)."""
    best, best_hangul = None, 0
    for match in _JSON_TEXT_FIELD.finditer(html):
        try:
            value = json.loads(f'"{match.group(1)}"')
        except json.JSONDecodeError:
            continue
        hangul = len(_HANGUL.findall(value))
        if hangul > best_hangul and hangul > 150:
            best, best_hangul = value, hangul
    if best is None:
        return None
    if "<" in best:
        fragment = lxml_html.fragment_fromstring(best, create_parent="div")
        for br in fragment.iter("br"):
            br.tail = "\n" + (br.tail or "")
        for block in fragment.iter("p", "div", "h2", "h3", "li"):
            block.tail = "\n" + (block.tail or "")
        prune_tree(fragment)
        best = fragment.text_content()
    return clean_text(best)


_HANGUL = re.compile("[\uac00-\ud7a3]")


# ---------------------------------------------------------------- metadata


@dataclass(frozen=True, slots=True)
class PageMeta:
    title: str | None
    published: datetime | None
    author: str | None
    canonical: str | None


_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "publishdate",
                   "pubdate", "date", "dc.date.issued", "dc.date", "sailthru.date", "parsely-pub-date",
                   "article.published", "publish-date", "nv:news:date")


def page_metadata(tree, url: str | None) -> PageMeta:
    title = published = author = canonical = None
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        for obj in _jsonld_objects(script.text_content()):
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(str(k).endswith(("Article", "NewsArticle", "Report", "BlogPosting")) for k in kinds):
                continue
            title = title or _str(obj.get("headline"))
            published = published or parse_any_date(_str(obj.get("datePublished")))
            auth = obj.get("author")
            if isinstance(auth, list) and auth:
                auth = auth[0]
            if isinstance(auth, dict):
                auth = auth.get("name")
            author = author or _str(auth)
    for el in tree.xpath("//meta[@property or @name or @itemprop]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if not value:
            continue
        if key in _PUBLISHED_META and published is None:
            published = parse_any_date(value)
        elif key in ("og:title", "twitter:title") and title is None:
            title = value
        elif key in ("author", "article:author", "dable:author", "byl") and author is None and "http" not in value:
            author = value
        elif key == "og:url" and canonical is None:
            canonical = value
    if published is None:
        for el in tree.xpath("//*[@itemprop='datePublished']|//time[@datetime]"):
            published = parse_any_date(el.get("content") or el.get("datetime") or el.text_content())
            if published:
                break
    link = tree.xpath("//link[@rel='canonical']/@href")
    if link:
        canonical = link[0].strip()
    if canonical and url:
        canonical = urljoin(url, canonical)
    if canonical and not canonical.startswith(("http://", "https://")):
        canonical = None
    return PageMeta(title=title, published=published, author=author, canonical=canonical)


def _jsonld_objects(text: str):
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "@graph" in item:
                stack.append(item["@graph"])
            yield item


def _str(value) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


_DATE_RE = re.compile(r"(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*일?\.?"
                      r"(?:\s*\(?[월화수목금토일]?\)?\s*(?:(오전|오후|AM|PM)\s*)?(\d{1,2})\s*[:시]\s*(\d{2})"
                      r"(?:\s*[:분]\s*(\d{2}))?)?", re.I)
_ISO_RE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def parse_any_date(value: str | None) -> datetime | None:
    """ISO 8601 (with or without zone), "2026.11.20 14:05", "2026년 11월 20일 오후 2:05" -> aware UTC."""
    if not value:
        return None
    value = value.strip()
    if _ISO_RE.match(value):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=SEOUL)
            return parsed.astimezone(timezone.utc)
    match = _DATE_RE.search(value)
    if not match:
        return None
    y, mo, d, ampm, h, mi, s = match.groups()
    hour = int(h) if h else 0
    if ampm and ampm.upper() in ("오후", "PM") and hour < 12:
        hour += 12
    if ampm and ampm.upper() in ("오전", "AM") and hour == 12:
        hour = 0
    try:
        local = datetime(int(y), int(mo), int(d), hour, int(mi or 0), int(s or 0), tzinfo=SEOUL)
    except ValueError:
        return None
    if not 1990 <= local.year <= 2100:
        return None
    return local.astimezone(timezone.utc)


_DATE_LINE = re.compile(r"(?:입력|기사입력|등록|송고|게재|발행)\s*[:：]?\s*(\d{4}[.\-/년][^\n]{3,30})")


def korean_date_line(text: str) -> datetime | None:
    match = _DATE_LINE.search(text)
    return parse_any_date(match.group(1)) if match else None


def _doc_date(doc) -> datetime | None:
    value = getattr(doc, "date", None) if doc is not None else None
    return parse_any_date(value) if value else None


_TITLE_SUFFIX = re.compile(r"\s*(?:[|｜:\-–—<]\s*[^|｜:\-–—<]{1,25}(?:일보|신문|뉴스|경제|타임스|미디어|방송|"
                           r"닷컴|News|Times|Daily|\.com|\.co\.kr|\.kr)\s*>?)+\s*$", re.I)


_TITLE_SEPARATORS = re.compile(r"\s+(?:::|\||｜|-|–|—|:)\s+")


def clean_title(title: str) -> str:
    """Drop the site name around a headline: "매체 :: 제목", "제목 | 매체", "제목 - 매체"."""
    title = re.sub(r"\s+", " ", title).strip()
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        longest = max(parts, key=len)
        if all(len(p) <= 20 for p in parts if p is not longest) and len(longest) >= 8:
            title = longest
    stripped = _TITLE_SUFFIX.sub("", title)
    return stripped if len(stripped) >= 8 else title


def _drop_title_line(text: str, title: str | None) -> str:
    if not title:
        return text
    lines = text.split("\n")
    if lines and lines[0].strip() == title.strip():
        return "\n".join(lines[1:])
    return text


def _clean_author(author: str | None) -> str | None:
    if not author:
        return None
    author = re.sub(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", "", author)
    author = re.sub(r"\s+", " ", author).strip(" ,;|")
    return author[:80] or None
