"""Digest -> subject, HTML and plain text (Jinja2, autoescape on).

Everything taken from the web is treated as hostile: control characters, bidi overrides and zero-width
characters are removed, only http(s) URLs become links, and the subject can never carry a line break.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape

from digest.records import Digest

WEEKDAYS = "월화수목금토일"
_UNSAFE_CHARS = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e"
                           "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    subject: str
    html: str
    text: str


def clean_web_text(value: object) -> str:
    """Harmless display text: no control, bidi-override or zero-width characters; whitespace collapsed."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = _UNSAFE_CHARS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def safe_url(value: object) -> str | None:
    """The URL if it is plain http(s) with a host, else None (javascript:, data:, file: … never become links)."""
    url = clean_web_text(value).replace(" ", "%20")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c in url for c in '"<>\\'):
        return None
    return url


def korean_datetime(value: datetime | None, tz: str) -> str:
    if value is None:
        return "날짜 미상"
    local = value.astimezone(ZoneInfo(tz))
    return f"{local.year}년 {local.month}월 {local.day}일 ({WEEKDAYS[local.weekday()]}) {local:%H:%M}"


def korean_date(value: datetime, tz: str) -> str:
    local = value.astimezone(ZoneInfo(tz))
    return f"{local.year}년 {local.month}월 {local.day}일"


def make_subject(digest: Digest) -> str:
    end = korean_date(digest.period_end, digest.timezone)
    n = len(digest.stories)
    topic = clean_web_text(digest.topic)[:40]
    subject = f"[chipwatch] {topic} 주간 다이제스트 ({end}) — 새 소식 {n}건" if n else \
        f"[chipwatch] {topic} 주간 다이제스트 ({end}) — 이번 주 새 기사 없음"
    return subject.replace("\r", " ").replace("\n", " ")


_env = Environment(loader=PackageLoader("digest", "templates"), autoescape=select_autoescape(["html", "j2"]),
                   trim_blocks=True, lstrip_blocks=True)
_text_env = Environment(loader=PackageLoader("digest", "templates"), autoescape=False, trim_blocks=True,
                        lstrip_blocks=True)
for env in (_env, _text_env):
    env.filters["clean"] = clean_web_text
    env.filters["safe_url"] = safe_url


def render_digest(digest: Digest) -> RenderedDigest:
    context = {
        "d": digest,
        "subject": make_subject(digest),
        "period": f"{korean_date(digest.period_start, digest.timezone)} ~ {korean_date(digest.period_end, digest.timezone)}",
        "when": lambda dt: korean_datetime(dt, digest.timezone),
    }
    html = _env.get_template("digest.html.j2").render(**context)
    text = _text_env.get_template("digest.txt.j2").render(**context)
    return RenderedDigest(subject=context["subject"], html=html, text=text)
