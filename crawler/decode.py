"""Bytes of a Korean web page -> text without mojibake.

Order of evidence: byte-order mark, the HTTP header charset, the ``<meta>`` (or XML) declaration, then detection.
EUC-KR labels (``euc-kr``, ``ks_c_5601-1987``, ``x-windows-949``…) map to CP949, its superset, so the
CP949-only syllables (똠, 햏, 펲…) that real "EUC-KR" pages contain decode.  A declaration is only believed when
the bytes decode under it without error: a header saying UTF-8 over EUC-KR bytes declared EUC-KR in ``<meta>``
(shared/notes/stack-facts.md §1) fails strict UTF-8 decoding, so the ``<meta>`` charset is tried next.  Two
labels that never fail are checked against the bytes instead: a western single-byte label (latin-1, cp1252)
over bytes that are valid CP949 Korean, and a CP949 label over bytes that are valid UTF-8 Korean, are both
overruled.  Only the very last resort replaces undecodable bytes (with U+FFFD).
"""

from __future__ import annotations

import codecs
import gzip
import logging
import re
from pathlib import Path

log = logging.getLogger(__name__)

MAX_SAVED_PAGE_BYTES = 20_000_000   # `chipwatch extract` refuses larger files (a gzip bomb among them)
DECLARATION_WINDOW = 4096           # the <meta charset> must sit in the first bytes (the HTML standard says 1024;
                                    # Korean portals put scripts first, 4 KB covers the pages in korean-data)

_KOREAN_ALIASES = {"euc-kr": "cp949", "euckr": "cp949", "euc_kr": "cp949", "ks_c_5601-1987": "cp949",
                   "ks_c_5601": "cp949", "ksc5601": "cp949", "ksc_5601": "cp949", "ks_x_1001": "cp949",
                   "x-windows-949": "cp949", "windows-949": "cp949", "uhc": "cp949", "ms949": "cp949",
                   "korean": "cp949", "csksc56011987": "cp949", "iso-ir-149": "cp949", "iso-2022-kr": "iso2022_kr"}
_WESTERN = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)
_HANGUL = re.compile("[\uac00-\ud7a3]")
_LATIN1_SUPPLEMENT = re.compile("[\u0080-\u00ff]")


def normalize_charset(label: str | None) -> str | None:
    """A Python codec name for a declared charset label (EUC-KR family -> cp949), or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _KOREAN_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("euc_kr", "cp949"):
        return "cp949"
    if name in _WESTERN:
        return "cp1252"          # what browsers do with these labels
    return name


def header_charset(content_type: str | None) -> str | None:
    """The charset of a Content-Type header value, normalised."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return normalize_charset(match.group(1)) if match else None


def declared_charset(body: bytes) -> str | None:
    """The charset a page declares near its start (``<meta charset>``, http-equiv, or the XML declaration)."""
    head = body[:DECLARATION_WINDOW]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return normalize_charset(match.group(1).decode("ascii", "ignore")) if match else None


def decode_html(body: bytes, content_type: str | None = None, declared_text: str | None = None) -> str:
    """Decode an HTML (or XML) page; see the module docstring for the order of evidence.

    ``declared_text`` is what Scrapy's ``response.text`` gave: it is returned as is when it is clean (no U+FFFD,
    no western mojibake) and the bytes really are in the charset the page leads with, which spares a decode.
    """
    bom = _bom(body)
    if bom:
        return body.decode(bom, errors="replace")
    candidates: list[str] = []
    for enc in (header_charset(content_type), declared_charset(body)):
        if enc and enc not in candidates:
            candidates.append(enc)
    if declared_text is not None and candidates and _looks_clean(declared_text):
        if _fits(body, candidates[0]):
            return declared_text
    for enc in candidates:
        if not _fits(body, enc):
            log.debug("declared charset %s does not fit the bytes; trying the next candidate", enc)
            continue
        return body.decode(enc)
    return detect(body)


def _fits(body: bytes, enc: str) -> bool:
    """The bytes decode strictly under ``enc`` and, for labels that never fail, are not Korean in disguise."""
    if enc == "cp1252":
        return _strict(body, enc) is not None and not _is_korean(body, "cp949") and not _is_korean(body, "utf-8")
    if enc == "cp949" and _is_korean(body, "utf-8"):
        return False             # valid UTF-8 Korean is never accidental: the label is wrong
    return _strict(body, enc) is not None


def _is_korean(body: bytes, enc: str) -> bool:
    text = _strict(body, enc)
    return text is not None and len(_HANGUL.findall(text[:50_000])) >= 10


def _looks_clean(text: str) -> bool:
    if "\ufffd" in text:
        return False
    sample = text[:50_000]
    # EUC-KR bytes read as latin-1 look like "Ã¤Â°": many U+0080–U+00FF characters and no Hangul.
    return bool(_HANGUL.search(sample)) or len(_LATIN1_SUPPLEMENT.findall(sample)) < 20


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _bom(body: bytes) -> str | None:
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return enc
    return None


def detect(body: bytes) -> str:
    """Undeclared (or wrongly declared) bytes: UTF-8, then CP949 (most Korean legacy pages), then
    charset-normalizer; CP949 with replacement characters as the last resort."""
    for enc in ("utf-8", "cp949"):
        text = _strict(body, enc)
        if text is not None:
            return text
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        if best is not None and best.encoding:
            text = _strict(body, best.encoding)
            if text is not None:
                return text
    except Exception as exc:  # noqa: BLE001 - detection is a best effort
        log.debug("charset detection failed: %s", exc)
    # Mostly-Korean bytes with a few broken sequences (a truncated download): keep the Korean readable.
    utf8 = body.decode("utf-8", errors="replace")
    cp949 = body.decode("cp949", errors="replace")
    return utf8 if utf8.count("\ufffd") < cp949.count("\ufffd") else cp949


def read_saved_page(path: Path) -> str:
    """A saved page (.html, .htm, .gz — gzip is recognised by its magic bytes — in any Korean encoding) -> text.
    Raises ValueError (Korean message) for files over :data:`MAX_SAVED_PAGE_BYTES`, compressed or not, and for
    a damaged gzip file."""
    path = Path(path)
    if path.stat().st_size > MAX_SAVED_PAGE_BYTES:
        raise ValueError(f"파일이 {MAX_SAVED_PAGE_BYTES // 1_000_000} MB를 넘습니다: {path.name}")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as fh:
                raw = fh.read(MAX_SAVED_PAGE_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise ValueError(f"gzip 파일이 손상되었습니다: {path.name} ({exc})") from None
        if len(raw) > MAX_SAVED_PAGE_BYTES:
            raise ValueError(f"압축을 푼 크기가 {MAX_SAVED_PAGE_BYTES // 1_000_000} MB를 넘습니다: {path.name}")
    return decode_html(raw)
