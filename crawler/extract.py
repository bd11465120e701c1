"""Decoded page -> :class:`Extracted` (title, text, date, author, canonical URL): trafilatura plus Korean rules.

The order of work, one parse and one trafilatura run per page:

1. guard: empty text -> ``ExtractError("empty")``, a PDF/image body decoded as text -> ``"not_html"``; very large
   pages are cut to :data:`MAX_HTML_CHARS` before parsing.
2. metadata from the page's own declarations (JSON-LD ``NewsArticle``, ``article:published_time``, ``og:*``,
   ``itemprop``), then Korean date lines ("입력 2026.11.20 14:05", "기사입력 2026-11-20 오후 2:05"), then
   htmldate.  Naive times are Korean time; every date is returned aware, in UTC.
3. Korean boilerplate containers are pruned from the tree (:func:`crawler.boilerplate.prune_tree`).
4. the body: the schema.org ``articleBody`` the page declares (``itemprop`` microdata, or JSON-LD) when it
   reads as prose — most Korean outlets mark it, and it is exact where trafilatura's heuristics stumble on
   ``text<br><br>text`` bodies; otherwise trafilatura on the pruned tree, with <br> runs turned into paragraphs
   and its minimum-size fallbacks lowered (:data:`MIN_EXTRACTED_SIZE`: short items such as a 4-sentence video
   teaser otherwise make it swap the article for a headline list).  Client-rendered pages (Next.js, Arc XP)
   whose markup holds no article fall back to the article inside their inline scripts.
5. line-level cleanup (:func:`crawler.boilerplate.clean_lines`): captions, credits, bylines, footers, widgets.

``deduplicate`` stays off: trafilatura's duplicate cache is process-global and would eat repeated paragraphs
across pages in a long-running crawler.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from html import unescape
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import use_config

from crawler.boilerplate import clean_lines, looks_like_sentence, prune_tree, reporter_in

log = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")
MAX_HTML_CHARS = 2_000_000   # parse at most this much of a page: article text sits far before that on real pages,
                             # and lxml + trafilatura time grows with the tree (a 20 MB page would take seconds)
MIN_TEXT_CHARS = 80          # shorter cleaned output is not an article (a paywall, an error page, a photo page)
MIN_EXTRACTED_SIZE = 60      # trafilatura's own default is 250 chars: below that it swaps a short article for a
                             # page dump; 60 keeps 3-4 sentence items (tuned on ../shared/korean-data with
                             # bench/extraction.py)
DECLARED_BODY_MIN_HANGUL = 40  # a declared articleBody with fewer syllables is a teaser, not the article
RESCUE_COVERAGE = 0.6        # use the declared articleBody when trafilatura's text holds less than this share of it
DECLARED_PROSE_SHARE = 0.6   # a declared articleBody is used as is when this share of its characters is in lines
                             # that end like sentences (0.72-1.0 on the real pages; a link list or a page-wide
                             # wrapper scores lower and goes through trafilatura instead)
ARTICLE_PROSE_SHARE = 0.8    # the page's one <article>, cleaned, is used as is (trafilatura skipped, a third of the
                             # page's analysis) when this share of its characters is in sentences: an <article> is
                             # a looser mark than articleBody, so the bar is higher
FAST_PATH_MIN_CHARS = 500    # trafilatura's fast mode is trusted when its cleaned text is at least this long and
                             # reads as prose; otherwise it runs again with its fallbacks (bench/extraction.py:
                             # identical figures to always running them)
SCRIPT_FALLBACK_BELOW = 300  # below this many characters, look for the article inside inline scripts too
POOR_PROSE_SHARE = 0.3       # ... and also when less than this share of the text reads as sentences (a headline
                             # list where an Arc XP/Next.js page renders its article client-side)

_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_SIZE))

_HANGUL = re.compile("[\uac00-\ud7a3]")


@dataclass(frozen=True, slots=True)
class Extracted:
    title: str | None
    text: str                    # cleaned article body, paragraphs separated by "\n"
    published: datetime | None   # aware, UTC
    author: str | None
    canonical_url: str | None    # absolute, from <link rel=canonical> or og:url
    language: str | None = None  # left to crawler.language
    site_name: str | None = None  # og:site_name / JSON-LD publisher, when the page says


class ExtractError(Exception):
    """The page could not be made into an article; ``reason`` is a short machine word for crawl statistics:
    ``empty`` (no page or no markup to parse), ``not_html`` (a PDF, an image, plain binary), ``too_short``."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def extract(html: str, url: str | None = None, *, fallback_title: str | None = None,
            fallback_published: datetime | None = None) -> Extracted:
    """Extract one article from a decoded HTML page (see the module docstring for the steps).

    ``fallback_title`` / ``fallback_published`` come from the feed or sitemap entry and are used only when the
    page itself declares nothing.  Raises :class:`ExtractError` with a reason when there is no article.
    """
    tree = parse_html(html)
    meta = page_metadata(tree, url)
    published = meta.published
    if published is None:
        published = korean_date_line(_visible_head_text(tree)) or _htmldate(tree, url)
    if published is not None and _is_midnight_kst(published):
        published = time_on_same_day(html, published) or published
    scripts = inline_scripts(tree)
    prune_tree(tree)
    title = clean_title(meta.title, meta.site_name) if meta.title else None
    drop = (title, meta.title, meta.site_name)
    lines, raw_lines = body_lines(tree, meta, scripts, drop, url)
    text = "\n".join(lines)
    if len(text) < MIN_TEXT_CHARS:
        raise ExtractError("too_short", f"본문 {len(text)}자")
    if title is None and fallback_title:
        title = clean_title(fallback_title, meta.site_name)
    author = _person(meta.author, meta.site_name) or reporter_in(raw_lines[:3] + raw_lines[-12:])
    return Extracted(title=title, text=text, published=published or _aware(fallback_published),
                     author=_clean_author(author), canonical_url=meta.canonical, site_name=meta.site_name)


def body_lines(tree, meta: PageMeta, scripts: list[str], drop: tuple, url: str | None) -> tuple[list[str], list[str]]:
    """(cleaned lines, raw lines) of the article body, from the best of: the declared articleBody, trafilatura,
    the article inside inline scripts.  The tree must already be pruned."""
    declared = declared_body(tree, meta.article_body)
    marked = None if declared else article_element_lines(tree)
    if declared and _prose_share(declared) >= DECLARED_PROSE_SHARE:
        lines, raw = clean_lines(declared, drop=drop), declared
    elif marked and _prose_share(cleaned := clean_lines(marked, drop=drop)) >= ARTICLE_PROSE_SHARE \
            and _length(cleaned) >= FAST_PATH_MIN_CHARS:
        lines, raw = cleaned, marked
    else:
        paragraphize(tree)
        raw = _trafilatura_lines(tree, url, fast=True)
        lines = clean_lines(raw, drop=drop)
        if _length(lines) < FAST_PATH_MIN_CHARS or _prose_share(lines) < DECLARED_PROSE_SHARE:
            # trafilatura's own comparison with readability and jusText, only where its main extractor looks
            # weak: it costs about a tenth of the page's analysis and changes nothing on a clear article
            raw = _trafilatura_lines(tree, url, fast=False)
            lines = clean_lines(raw, drop=drop)
        if declared and _coverage(declared, lines) < RESCUE_COVERAGE:
            log.debug("%s: trafilatura missed the declared articleBody; using it", url)
            lines, raw = clean_lines(declared, drop=drop), declared
    if _length(lines) < SCRIPT_FALLBACK_BELOW or _prose_share(lines) < POOR_PROSE_SHARE:
        # Client-rendered pages: the markup holds a shell or a headline list, the article sits in a script.
        for candidate in script_candidates(scripts):
            cleaned = clean_lines(candidate, drop=drop)
            if _prose_length(cleaned) > max(_prose_length(lines), MIN_TEXT_CHARS):
                lines, raw = cleaned, candidate
    return lines, raw


def _trafilatura_lines(tree, url: str | None, *, fast: bool) -> list[str]:
    """trafilatura's text lines for a (pruned) tree; it works on its own copy of the tree."""
    doc = trafilatura.bare_extraction(tree, url=url, include_comments=False, include_images=False,
                                      include_links=False, include_tables=False, deduplicate=False,
                                      with_metadata=False, config=_CONFIG, fast=fast)
    # include_tables=False: legacy Korean CMSs lay the whole page out in <table>s; with tables "on",
    # trafilatura renders the article cell as one "| … |" row glued to the menu and footer cells.
    return ((getattr(doc, "text", None) or "") if doc is not None else "").splitlines()


# ---------------------------------------------------------------- input guard and parsing

_BINARY_MARKERS = ("%PDF-", "\x89PNG", "GIF87a", "GIF89a", "\xff\xd8\xff", "PK\x03\x04", "RIFF", "\x00\x00\x01\x00",
                   "OggS", "\x1f\x8b")
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_MARKUP = re.compile(r"<\s*(?:html|head|body|div|p|article|meta|title|span|table|section|main|br)\b", re.I)
_PARSER = lxml_html.HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True, default_doctype=False)


def parse_html(html: str):
    """A decoded page -> lxml tree, or :class:`ExtractError` ("empty", "not_html")."""
    if not html or not html.strip():
        raise ExtractError("empty", "빈 페이지")
    head = html[:2048]
    if head.lstrip().startswith(_BINARY_MARKERS) or _control_share(head) > 0.05:
        raise ExtractError("not_html", "HTML이 아닌 내용 (PDF·이미지 등)")
    if not _MARKUP.search(html[:200_000]):
        raise ExtractError("not_html", "HTML 태그가 없는 내용")
    # Huge pages: cut before parsing (see MAX_HTML_CHARS); lxml closes the open elements itself.
    # A stray control character or lone surrogate makes lxml drop the rest of the document: remove them.
    html = _XML_DECLARATION.sub("", _NOT_XML_CHARS.sub("", html[:MAX_HTML_CHARS]), count=1)
    try:
        tree = lxml_html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError("empty", f"HTML 해석 실패: {exc}") from None
    body = tree.find(".//body") if tree is not None else None
    if body is None or not any(piece.strip() for piece in body.itertext()):
        raise ExtractError("empty", "본문 요소가 없음")
    return tree


_CONTROL_OR_REPLACEMENT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _control_share(text: str) -> float:
    """Share of control characters (other than whitespace) and U+FFFD: binary content decoded as text."""
    return len(_CONTROL_OR_REPLACEMENT.findall(text)) / max(len(text), 1)


# ---------------------------------------------------------------- metadata


@dataclass(frozen=True, slots=True)
class PageMeta:
    title: str | None
    published: datetime | None
    author: str | None
    canonical: str | None
    site_name: str | None
    article_body: str | None        # JSON-LD articleBody, when declared


_ARTICLE_TYPES = ("Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                  "Report", "OpinionNewsArticle")
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "og:published_time", "datepublished",
                   "article.published", "publishdate", "publish_date", "publish-date", "pubdate", "date",
                   "dc.date.issued", "dc.date", "dcterms.date", "sailthru.date", "parsely-pub-date",
                   "nv:news:date", "article:published", "dable:published_time")
_AUTHOR_META = ("author", "article:author", "dable:author", "byl", "dc.creator", "parsely-author")
_TITLE_META = ("og:title", "twitter:title", "title", "dc.title")


def page_metadata(tree, url: str | None) -> PageMeta:
    """Title, publication date, author, canonical URL, site name and JSON-LD articleBody from the page head."""
    title = published = author = canonical = site = body = None
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        for obj in _jsonld_objects(script.text or ""):
            kinds = obj.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if not any(isinstance(k, str) and k in _ARTICLE_TYPES for k in kinds):
                continue
            title = title or _str(obj.get("headline"))
            published = published or parse_any_date(_str(obj.get("datePublished")))
            author = author or _jsonld_author(obj.get("author"))
            publisher = obj.get("publisher")
            if isinstance(publisher, dict):
                site = site or _str(publisher.get("name"))
            text = _str(obj.get("articleBody"))
            if text and (body is None or len(text) > len(body)):
                body = text
    metas: dict[str, str] = {}
    for el in tree.iterfind(".//meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in metas:
            metas[key] = value
        if key == "author" and value and _looks_like_person(value):
            metas["author"] = value      # several author tags: the outlet first, then the reporter
    title = next((metas[k] for k in _TITLE_META if k in metas), None) or title
    if published is None:
        for key in _PUBLISHED_META:
            if key in metas and (published := parse_any_date(metas[key])):
                break
    if published is None:
        for el in tree.xpath("//*[@itemprop='datePublished'][not(self::meta)]|//time[@datetime]"):
            if published := parse_any_date(el.get("content") or el.get("datetime") or el.text_content()):
                break
    if author is None:
        author = next((metas[k] for k in _AUTHOR_META if k in metas and "http" not in metas[k]), None)
    site = metas.get("og:site_name") or site
    if title is None:
        el = tree.find(".//title")
        title = el.text_content().strip() if el is not None and el.text_content().strip() else None
    canonical = next(iter(tree.xpath("//link[@rel='canonical']/@href")), None) or metas.get("og:url")
    canonical = _absolute(canonical, url)
    return PageMeta(title=_squeeze(unescape(title)) if title else None, published=published,
                    author=author, canonical=canonical, site_name=site, article_body=body)


def _jsonld_objects(text: str):
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError, ValueError):
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


def _jsonld_author(value) -> str | None:
    if isinstance(value, list):
        names = [_jsonld_author(v) for v in value]
        names = [n for n in names if n]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        return _str(value.get("name"))
    return _str(value)


def _looks_like_person(value: str) -> bool:
    return bool(re.search(r"(?:기자|특파원|위원|PD)\b|^[가-힣]{2,4}$", value))


def _str(value) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _absolute(link: str | None, url: str | None) -> str | None:
    if not link:
        return None
    link = link.strip()
    if url:
        link = urljoin(url, link)
    return link if link.startswith(("http://", "https://")) else None


# ---------------------------------------------------------------- dates

_DATE_RE = re.compile(r"(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*일?\.?"
                      r"(?:\s*\(?[월화수목금토일]?\)?\s*(?:(오전|오후|AM|PM)\s*)?(\d{1,2})\s*[:시]\s*(\d{1,2})"
                      r"(?:\s*[:분]\s*(\d{1,2}))?(?:\s*(오전|오후|AM|PM))?)?", re.I)
_ISO_RE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}|$)")
_COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?\s*$")


def parse_any_date(value: str | None) -> datetime | None:
    """ISO 8601 (with or without zone), "2026.11.20 14:05", "2026년 11월 20일 오후 2:05", "20261120143000"
    -> aware UTC.  A time without a zone is Korean time (Asia/Seoul)."""
    if not value:
        return None
    value = value.strip()
    if _ISO_RE.match(value):
        try:
            parsed = datetime.fromisoformat(re.sub(r"Z$", "+00:00", value).replace(" ", "T", 1))
        except ValueError:
            parsed = None
        if parsed is not None:
            return _aware(parsed) if 1990 <= parsed.year <= 2100 else None
    compact = _COMPACT_RE.match(value)
    if compact:
        y, mo, d, h, mi, s = (int(x) if x else 0 for x in compact.groups())
        return _local(y, mo, d, h, mi, s)
    match = _DATE_RE.search(value)
    if not match:
        return None
    y, mo, d, ampm, h, mi, s, ampm_after = match.groups()
    hour = int(h) if h else 0
    ampm = (ampm or ampm_after or "").upper()
    if ampm in ("오후", "PM") and hour < 12:
        hour += 12
    elif ampm in ("오전", "AM") and hour == 12:
        hour = 0
    return _local(int(y), int(mo), int(d), hour, int(mi or 0), int(s or 0))


def _local(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime | None:
    try:
        local = datetime(y, mo, d, h, mi, s, tzinfo=SEOUL)
    except ValueError:
        return None
    return local.astimezone(timezone.utc) if 1990 <= local.year <= 2100 else None


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=SEOUL)
    return value.astimezone(timezone.utc)


_DATE_LINE = re.compile(r"(?:기사\s*입력|입력|등록|송고|게재|발행|작성|승인|기사\s*승인|최초\s*입력|입력\s*일시|입력일)"
                        r"\s*(?:일시|시간)?\s*[:：]?\s*[\[(]?\s*(\d{4}\s*[.\-/년][^\n]{3,30})")


def korean_date_line(text: str) -> datetime | None:
    """The publication time from a Korean date line ("입력 2026.11.20 14:05", "기사입력 : 2026-11-20 오후 2:05")."""
    match = _DATE_LINE.search(text)
    return parse_any_date(match.group(1)) if match else None


def _visible_head_text(tree) -> str:
    """The first few thousand characters of visible text, where Korean pages print "입력 …"."""
    body = tree.find(".//body")
    if body is None:
        return ""
    parts, size = [], 0
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript"):
            continue
        for piece in (el.text, el.tail):
            if piece and piece.strip():
                parts.append(piece.strip())
                size += len(piece)
        if size > 20_000:
            break
    return "\n".join(parts)


_DATETIME_IN_PAGE = re.compile(r"(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*일?\.?\s*(?:\([월화수목금토일]\)\s*)?"
                               r"(?:T|(오전|오후)\s*)?(\d{1,2}):(\d{2})")


def _is_midnight_kst(value: datetime) -> bool:
    local = value.astimezone(SEOUL)
    return (local.hour, local.minute, local.second) == (0, 0, 0)


def time_on_same_day(html: str, day: datetime) -> datetime | None:
    """A declaration that gave only a day ("2026-01-29") is completed with the first time the page prints for
    that same day ("2026.01.29 18:40" in a byline or a data attribute): the first one is the publication, later
    ones are updates."""
    local_day = day.astimezone(SEOUL).date()
    for match in _DATETIME_IN_PAGE.finditer(html, 0, MAX_HTML_CHARS):
        y, mo, d, ampm, h, mi = match.groups()
        try:
            if (int(y), int(mo), int(d)) != (local_day.year, local_day.month, local_day.day):
                continue
        except ValueError:
            continue
        hour = int(h) + (12 if ampm == "오후" and int(h) < 12 else 0) - (12 if ampm == "오전" and int(h) == 12 else 0)
        if hour < 24 and int(mi) < 60:
            return _local(int(y), int(mo), int(d), hour, int(mi))
    return None


def _htmldate(tree, url: str | None) -> datetime | None:
    """htmldate as the last resort (the page declared no date and printed no Korean date line)."""
    from htmldate import find_date

    try:
        found = find_date(tree, original_date=True, extensive_search=False, url=url,
                          outputformat="%Y-%m-%dT%H:%M:%S", max_date="2100-01-01")
    except Exception as exc:  # noqa: BLE001 - htmldate raises assorted errors on odd pages
        log.debug("%s: htmldate failed: %s", url, exc)
        return None
    return parse_any_date(found) if found else None


# ---------------------------------------------------------------- declared and embedded bodies

_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
                         "article", "tr", "table", "ul", "ol", "dd", "dt", "figure", "header", "pre", "hr"})


def node_lines(el) -> list[str]:
    """Text of an element as lines: block elements and <br> end a line (lxml's text_content() would glue
    paragraphs together)."""
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "noscript", "template"):
            if node.tail:
                parts.append(node.tail)
            return
        block = tag in _BLOCK_TAGS and (tag in ("br", "hr") or _has_text(node))
        if block:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    text = el.text or ""
    parts.append(text)
    for child in el:
        walk(child)
    return [line.strip() for line in "".join(parts).split("\n") if line.strip()]


_INLINE_TAGS = frozenset({"a", "b", "strong", "i", "em", "u", "span", "font", "sub", "sup", "small", "big", "mark",
                          "abbr", "cite", "q", "s", "strike", "del", "ins", "code", "time", "label", "img"})


def paragraphize(tree) -> None:
    """Turn text runs separated by <br> inside a container into <p> elements, in place.

    Many Korean CMSs print the whole article as ``<div>text<br><br>text<br><br>…</div>``; trafilatura handles
    such runs inconsistently (the first run is lost depending on unrelated siblings), while paragraphs it
    handles well.  Containers with fewer than two <br> followed by text are left alone.
    """
    for el in list(tree.iter("div", "td", "section", "article", "font", "span", "p")):
        runs = sum(1 for child in el if child.tag == "br" and (child.tail or "").strip())
        if runs + bool((el.text or "").strip()) < 2:
            continue
        if el.tag == "span" and el.getparent() is not None and el.getparent().tag == "p":
            continue
        _split_at_breaks(el)


def _split_at_breaks(el) -> None:
    """Rebuild ``el``'s content as <p> runs (text and inline children between <br>s) and its block children."""
    children = list(el)
    blocks: list = []
    paragraph = lxml_html.Element("p")
    paragraph.text = el.text
    el.text = None

    def flush() -> None:
        nonlocal paragraph
        if "".join(paragraph.itertext()).strip():
            blocks.append(paragraph)
        paragraph = lxml_html.Element("p")

    for child in children:
        el.remove(child)
        tail, child.tail = child.tail, None
        if child.tag == "br":
            flush()
        elif isinstance(child.tag, str) and child.tag in _INLINE_TAGS:
            paragraph.append(child)
        else:
            flush()
            blocks.append(child)
        if tail:
            if len(paragraph):
                paragraph[-1].tail = (paragraph[-1].tail or "") + tail
            else:
                paragraph.text = (paragraph.text or "") + tail
    flush()
    if el.tag == "p":
        el.tag = "div"          # <p> inside <p> is not HTML
    el.extend(blocks)


def _has_text(node) -> bool:
    """An element with visible text (an emptied ad slot inside a sentence must not break the line)."""
    return bool("".join(node.itertext()).strip())


def declared_body(tree, jsonld_body: str | None) -> list[str] | None:
    """The article text the page declares: schema.org ``itemprop="articleBody"`` (microdata) or the JSON-LD
    ``articleBody``; None when absent, ambiguous (several) or too short to be the article."""
    nodes = tree.xpath("//*[@itemprop='articleBody']")
    lines = None
    if len(nodes) == 1:
        lines = node_lines(nodes[0])
    elif jsonld_body:
        lines = [line.strip() for line in unescape(jsonld_body).splitlines() if line.strip()]
    if not lines or len(_HANGUL.findall(" ".join(lines))) < DECLARED_BODY_MIN_HANGUL:
        return None
    return lines


def article_element_lines(tree) -> list[str] | None:
    """The lines of the page's one ``<article>`` element, when it has exactly one and it holds an article's worth
    of Korean; None otherwise (none, several, or a teaser)."""
    nodes = tree.xpath("//article")
    if len(nodes) != 1:
        return None
    lines = [line.strip() for line in node_lines(nodes[0]) if line.strip()]
    if len(_HANGUL.findall(" ".join(lines))) < DECLARED_BODY_MIN_HANGUL:
        return None
    return lines


def _coverage(declared: list[str], lines: list[str]) -> float:
    """Share of the declared body's words that the extracted lines contain."""
    want = " ".join(declared).split()
    have = set(" ".join(lines).split())
    return sum(1 for w in want if w in have) / len(want) if want else 1.0


def _prose_share(lines: list[str]) -> float:
    total = sum(len(line) for line in lines)
    return sum(len(line) for line in lines if looks_like_sentence(line)) / total if total else 0.0


def _prose_length(lines: list[str]) -> int:
    return sum(len(line) for line in lines if looks_like_sentence(line))


def _length(lines: list[str]) -> int:
    return sum(len(line) for line in lines)


_JS_STRING = re.compile(r'"((?:[^"\\]|\\.){200,})"')
_ARTICLE_HTML = re.compile(r"<(?:p|br|div)\b", re.I)


def inline_scripts(tree) -> list[str]:
    """Inline scripts big and Korean enough to carry an article (kept aside before pruning removes scripts)."""
    found = []
    for script in tree.iterfind(".//script"):
        code = script.text or ""
        if script.get("src") or len(code) < 200 or (script.get("type") or "").lower() == "application/ld+json":
            continue
        if len(_HANGUL.findall(code[:200_000])) >= 150:
            found.append(code)
    return found


def script_candidates(scripts: list[str]) -> list[list[str]]:
    """Article candidates from inline scripts of client-rendered pages, as lines: the string holding the most
    Korean paragraph markup (Next.js flight data, Nuxt), and the sequence of sentence-like paragraph values
    (Arc XP/Fusion ``content_elements``, headless-CMS JSON).  JSON inside JS strings is unescaped twice."""
    best_html, best_score = None, 0
    paragraphs: list[str] = []
    seen: set[str] = set()
    for code in scripts:
        for value in _script_strings(code):
            score = len(_HANGUL.findall(value))
            if _ARTICLE_HTML.search(value) and score > best_score and score >= 150:
                best_html, best_score = value, score
        for value in _json_paragraphs(code):
            if value not in seen:
                seen.add(value)
                paragraphs.append(value)
    candidates = []
    if best_html is not None:
        try:
            fragment = lxml_html.fragment_fromstring(best_html, create_parent="div", parser=_PARSER)
        except (etree.ParserError, ValueError):
            fragment = None
        if fragment is not None:
            prune_tree(fragment)
            candidates.append(node_lines(fragment))
    if paragraphs:
        candidates.append(paragraphs)
    return candidates


_JSON_PARAGRAPH = re.compile(r'"(?:content|text|paragraph|body|value|html)"\s*:\s*"((?:[^"\\]|\\.){20,})"')


def _json_paragraphs(code: str, depth: int = 0) -> list[str]:
    """Sentence-like Korean values of paragraph-ish JSON keys, in page order (tags inside are dropped)."""
    found = []
    for match in _JSON_PARAGRAPH.finditer(code):
        try:
            value = json.loads(f'"{match.group(1)}"')
        except (json.JSONDecodeError, ValueError):
            continue
        if depth == 0 and '\\"' in match.group(1) and '":' in value:
            found.extend(_json_paragraphs(value, depth + 1))
            continue
        if _ARTICLE_HTML.search(value):
            continue                      # article markup: the HTML candidate covers it, with its paragraphs
        value = _squeeze(re.sub(r"<[^>]+>", " ", unescape(value)))
        if len(_HANGUL.findall(value)) >= 10 and looks_like_sentence(value):
            found.append(value)
    return found


def _script_strings(code: str, depth: int = 0):
    for match in _JS_STRING.finditer(code):
        try:
            value = json.loads(f'"{match.group(1)}"')
        except (json.JSONDecodeError, ValueError):
            continue
        if len(_HANGUL.findall(value)) < 150:
            continue
        if depth == 0 and '\\"' in match.group(1) and '"' in value:
            yield from _script_strings(value, depth + 1)    # a JSON document inside a JS string
        yield value


# ---------------------------------------------------------------- title and author

_SECTIONS = (r"(?:정치|경제|사회|국제|세계|문화|연예|스포츠|IT|과학|산업|재계|생활|건강|전국|지역|오피니언|사설|칼럼|"
             r"증권|부동산|금융|테크|라이프|여행|포토|영상|종합|뉴스)")
_TAIL_SITE = re.compile(r"^(?P<head>.{8,}?)(?:\s*(?:\||｜|ㅣ|::)\s*|\s+(?:-|–|—|:)\s+)(?P<tail>[^|｜ㅣ\"“”?!]{1,20})$")
_HEAD_SITE = re.compile(r"^(?P<head>[^|｜ㅣ\"“”?!]{1,20})\s*(?:\||｜|ㅣ|::)\s*(?P<rest>.{8,})$")
_DESKS = r"(?:정치|경제|사회|국제|세계|문화|연예|스포츠|IT|과학|산업|생활|전국|지역|오피니언)"
_SECTION_PREFIX = re.compile(rf"^\[{_DESKS}\]\s*(?=\S)")   # "[사회][단독] …": the desk goes, "[단독]"/"[영상]" stay
_GLUED_SECTION = re.compile(rf"(?<=[가-힣\"'”’])[-–]{_SECTIONS}$")


def clean_title(title: str, site_name: str | None = None) -> str:
    """Drop the site (and section) name around a headline: "매체 :: 제목", "제목 | 매체", "제목 - 매체",
    "제목 : 뉴스 : 매체", "제목-정치ㅣ매체", "[사회]제목 | 매체".  Only a short name-like part at either end goes,
    and only when it is shorter than what remains (so "대전일보 모바일 :: 짧은 제목" keeps the headline)."""
    title = _squeeze(unescape(title))
    stripped = False
    if site_name and len(site_name) < len(title):
        site = re.escape(_squeeze(site_name))
        shorter = re.sub(rf"^{site}\s*(?:::|\||｜|ㅣ|-|–|—|:)\s*|\s*(?:::|\||｜|ㅣ|-|–|—|:)\s*{site}$", "", title)
        if shorter != title and len(shorter) >= 8:
            title, stripped = shorter, True
    for _ in range(3):
        match = _TAIL_SITE.match(title)
        if not match or len(match.group("tail")) >= len(match.group("head")):
            break
        title, stripped = match.group("head").strip(), True
    match = _HEAD_SITE.match(title)
    if match and len(match.group("head")) < len(match.group("rest")):
        title, stripped = match.group("rest").strip(), True
    if stripped:
        title = _GLUED_SECTION.sub("", title)
    without_section = _SECTION_PREFIX.sub("", title)
    return without_section if len(without_section) >= 8 else title


_OUTLET_NAME = re.compile(r"(?:일보|신문|뉴스|방송|미디어|경제|타임스|투데이|데일리|닷컴|통신|TV|News|Times|Daily)$", re.I)


def _person(author: str | None, site_name: str | None) -> str | None:
    """The declared author unless it is the outlet itself ("조선일보", the og:site_name)."""
    if not author:
        return None
    name = author.strip()
    if site_name and name.replace(" ", "") == site_name.replace(" ", ""):
        return None
    if _OUTLET_NAME.search(name) and not re.search(r"기자|특파원|위원|PD", name):
        return None
    return author


def _clean_author(author: str | None) -> str | None:
    if not author:
        return None
    author = re.sub(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", "", author)
    author = re.sub(r"\s+", " ", author).strip(" ,;|/()[]")
    return author[:80] or None

