"""Digest -> subject, HTML and plain text (Jinja2 templates in ``digest/templates``, autoescape on).

Everything taken from the web is hostile.  Before it reaches a template every web string goes through
:func:`clean_web_text` (NFC; control characters, bidi overrides and zero-width characters removed; whitespace
collapsed; length capped) and every URL through :func:`safe_url` (only plain ``http``/``https`` URLs with a host
become links — ``javascript:``, ``data:``, ``file:`` and the like are shown as text, never linked).  The HTML
template escapes what it prints; the subject can never contain a line break, so a title cannot inject headers.

The HTML follows what Gmail, Outlook and Apple Mail all render: one centred table at most 640 px wide (a fixed
640 px table for Outlook's Word engine), inline styles only, no scripts, no external CSS, images or fonts, text
at least 15 px and links big enough to tap on a phone.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined

from digest.records import Digest, DigestStory

log = logging.getLogger(__name__)

WEEKDAYS = "월화수목금토일"
FULL_STORIES = 30        # stories shown whole in the HTML; later ones as one-line links (the text part keeps all
                         # whole): 50 full stories would pass the ~102 KB at which Gmail clips an HTML body
MAX_TERMS = 6            # topic labels shown per story
MAX_OTHERS = 12          # other outlets listed per story; the rest are counted ("외 3곳")
MAX_EXTRAS = 6           # further new reports of listed outlets, by headline; the rest are counted
MAX_EXTRA_TITLE_CHARS = 60
MAX_TITLE_CHARS = 200    # caps on web text, so one hostile page cannot bloat the mail
MAX_SUMMARY_CHARS = 600
MAX_OUTLET_CHARS = 40
MAX_TERM_CHARS = 30
MAX_URL_CHARS = 2000
MAX_SUBJECT_TOPIC_CHARS = 40

# C0/C1 controls, zero-width and invisible formatting characters, bidi embeddings/overrides/isolates, BOM and
# interlinear annotation characters: nothing a reader needs, and the bidi ones can disguise text and links.
_UNSAFE_CHARS = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160"
                           "\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
                           "\uffa0\ufff9-\ufffb]")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    subject: str
    html: str
    text: str


def clean_web_text(value: object, max_chars: int | None = None) -> str:
    """Harmless display text: no control, bidi-override or zero-width characters; whitespace collapsed to one
    line; at most ``max_chars`` characters (cut at a word boundary when one is near, with "…")."""
    text = unicodedata.normalize("NFC", str(value if value is not None else ""))
    text = _WHITESPACE.sub(" ", _UNSAFE_CHARS.sub("", text)).strip()
    if max_chars is not None and len(text) > max_chars:
        head = text[: max_chars - 1]
        if " " in head[max_chars // 2:]:
            head = head.rsplit(" ", 1)[0]
        text = head.rstrip() + "…"
    return text


def safe_url(value: object) -> str | None:
    """The URL if it is a plain http(s) URL with a host, else None (it is then shown as text, never linked).

    Refused: other schemes (javascript:, data:, file:, vbscript:, mailto:), scheme-relative ``//host``, URLs with
    user:password@ (they disguise the real host), whitespace, quotes, angle brackets, backslashes, and URLs longer
    than MAX_URL_CHARS.
    """
    if value is None:
        return None
    raw = unicodedata.normalize("NFC", str(value)).strip()
    url = _UNSAFE_CHARS.sub("", raw)
    if not url or len(url) > MAX_URL_CHARS or any(c.isspace() or c in "\"'<>\\`{}|^" for c in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or "@" in parts.netloc:
        return None
    return url


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def korean_datetime(value: datetime | None, tz: str) -> str:
    """"2026년 11월 20일 (목) 14:05" in ``tz``; naive datetimes are taken as UTC."""
    if value is None:
        return "날짜 미상"
    local = _aware(value).astimezone(ZoneInfo(tz))
    return f"{local.year}년 {local.month}월 {local.day}일 ({WEEKDAYS[local.weekday()]}) {local:%H:%M}"


def korean_date(value: datetime, tz: str, *, weekday: bool = False) -> str:
    """"2026년 11월 20일" (with " (목)" when ``weekday``) in ``tz``."""
    local = _aware(value).astimezone(ZoneInfo(tz))
    text = f"{local.year}년 {local.month}월 {local.day}일"
    return f"{text} ({WEEKDAYS[local.weekday()]})" if weekday else text


def period_label(digest: Digest) -> str:
    start = korean_date(digest.period_start, digest.timezone, weekday=True)
    end = korean_date(digest.period_end, digest.timezone, weekday=True)
    return start if start == end else f"{start} ~ {end}"


def make_subject(digest: Digest) -> str:
    """One line, whatever the topic or titles contain (no CR/LF can reach the Subject header)."""
    end = korean_date(digest.period_end, digest.timezone)
    n = len(digest.stories)
    topic = clean_web_text(digest.topic, MAX_SUBJECT_TOPIC_CHARS) or "chipwatch"
    tail = f"새 소식 {n}건" if n else "이번 주 새 기사 없음"
    subject = f"[chipwatch] {topic} 주간 다이제스트 ({end}) — {tail}"
    return clean_web_text(subject)


# ---------------------------------------------------------------- view records (clean strings only)


@dataclass(frozen=True, slots=True)
class LinkView:
    text: str
    url: str | None          # None: shown as text, not linked


@dataclass(frozen=True, slots=True)
class StoryView:
    number: int
    title: LinkView
    outlet: str
    when: str
    outlets: int
    summary: str
    terms: tuple[str, ...]
    others: tuple[LinkView, ...]
    others_more: int         # other outlets not listed (beyond MAX_OTHERS)
    extras: tuple[LinkView, ...] = ()   # further new reports of outlets already shown ("outlet: headline")
    extras_more: int = 0


def _story_view(number: int, story: DigestStory, tz: str) -> StoryView:
    lead = story.lead
    title = clean_web_text(lead.title, MAX_TITLE_CHARS) or "(제목 없음)"
    others: list[LinkView] = []
    extras: list[LinkView] = []
    seen = {clean_web_text(lead.outlet, MAX_OUTLET_CHARS)}
    for ref in story.others:
        outlet = clean_web_text(ref.outlet, MAX_OUTLET_CHARS) or "(언론사 미상)"
        if ref.extra:                    # the outlet's further new report: named by its own headline
            headline = clean_web_text(ref.title, MAX_EXTRA_TITLE_CHARS) or "(제목 없음)"
            extras.append(LinkView(f"{outlet}: {headline}", safe_url(ref.url)))
            continue
        if outlet in seen:
            continue
        seen.add(outlet)
        others.append(LinkView(outlet, safe_url(ref.url)))
    # A label never wraps inside itself: its spaces become no-break spaces.
    terms = tuple(dict.fromkeys(t.replace(" ", "\u00a0") for t in
                                (clean_web_text(x, MAX_TERM_CHARS) for x in story.matched_terms) if t))
    return StoryView(number=number, title=LinkView(title, safe_url(lead.url)),
                     outlet=clean_web_text(lead.outlet, MAX_OUTLET_CHARS) or "(언론사 미상)",
                     when=korean_datetime(lead.published, tz), outlets=story.outlets,
                     summary=clean_web_text(story.summary, MAX_SUMMARY_CHARS), terms=terms[:MAX_TERMS],
                     others=tuple(others[:MAX_OTHERS]), others_more=max(0, len(others) - MAX_OTHERS),
                     extras=tuple(extras[:MAX_EXTRAS]), extras_more=max(0, len(extras) - MAX_EXTRAS))


def _preheader(digest: Digest, stories: list[StoryView]) -> str:
    """The line mail clients show after the subject in the inbox list."""
    if not stories:
        return "지난 다이제스트 이후 새로 나온 기사가 없습니다."
    head = f"새 소식 {len(stories)}건: {stories[0].title.text}"
    return head if len(stories) == 1 else f"{head} 외 {len(stories) - 1}건"


# ---------------------------------------------------------------- rendering

_html_env = Environment(loader=PackageLoader("digest", "templates"), autoescape=True, undefined=StrictUndefined,
                        trim_blocks=True, lstrip_blocks=True)
_text_env = Environment(loader=PackageLoader("digest", "templates"), autoescape=False, undefined=StrictUndefined,
                        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_digest(digest: Digest) -> RenderedDigest:
    """Subject, HTML and plain text of ``digest``, stories in the order given (compose ranks them)."""
    stories = [_story_view(i, s, digest.timezone) for i, s in enumerate(digest.stories, start=1)]
    subject = make_subject(digest)
    context = {
        "subject": subject,
        "topic": clean_web_text(digest.topic, 80) or "chipwatch",
        "period": period_label(digest),
        "created": korean_datetime(digest.created_at, digest.timezone),
        "counts": digest.counts,
        "stories": stories,
        "digest_id": clean_web_text(digest.digest_id, 80),
        "preheader": _preheader(digest, stories),
    }
    html = _html_env.get_template("digest.html.j2").render(full=stories[:FULL_STORIES], brief=stories[FULL_STORIES:],
                                                            **context)
    text = _text_env.get_template("digest.txt.j2").render(**context)
    log.debug("rendered digest %s: %d stories, %d bytes of HTML", digest.digest_id, len(stories), len(html))
    return RenderedDigest(subject=subject, html=html, text=text)
