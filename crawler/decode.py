"""Bytes of a Korean web page -> text without mojibake.

Order of evidence: byte-order mark, the HTTP header charset, the ``<meta>`` (or XML) declaration, then
detection.  EUC-KR labels map to CP949, its superset, so the CP949-only syllables (똠, 햏, 펲…) that real
"EUC-KR" pages contain decode.  A declaration that does not fit the bytes (a header saying UTF-8 over EUC-KR
bytes declared EUC-KR in ``<meta>``, see shared/notes/stack-facts.md §1) is detected by strict decoding and the
next candidate is tried; only the last resort replaces undecodable bytes.
"""

from __future__ import annotations

import codecs
import gzip
import re
from pathlib import Path

MAX_SAVED_PAGE_BYTES = 20_000_000   # `chipwatch extract` refuses larger files (a gzip bomb among them)

_KOREAN_ALIASES = {"euc-kr": "cp949", "euckr": "cp949", "euc_kr": "cp949", "ks_c_5601-1987": "cp949",
                   "ks_c_5601": "cp949", "ksc5601": "cp949", "x-windows-949": "cp949", "windows-949": "cp949",
                   "uhc": "cp949", "ms949": "cp949", "korean": "cp949", "iso-2022-kr": "iso2022_kr"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)


def normalize_charset(label: str | None) -> str | None:
    """A Python codec name for a declared charset label, or None if unknown."""
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
    if name in ("ascii", "latin-1", "iso8859-1", "cp1252"):   # browsers treat these as windows-1252
        return "cp1252"
    return name


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return normalize_charset(match.group(1)) if match else None


def declared_charset(body: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (``<meta charset>``, http-equiv, or the XML declaration)."""
    head = body[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return normalize_charset(match.group(1).decode("ascii", "ignore")) if match else None


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


_HANGUL = re.compile("[\uac00-\ud7a3]")


def _looks_cp949(body: bytes) -> bool:
    text = _strict(body, "cp949")
    return text is not None and len(_HANGUL.findall(text[:20000])) >= 20


def detect(body: bytes) -> str:
    """Best-guess decoding of undeclared bytes: UTF-8, then CP949 (most Korean legacy pages), then detection."""
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
    except Exception:  # noqa: BLE001 - detection is a best effort
        pass
    # Last resort: CP949 with replacement keeps the Korean parts readable.
    return body.decode("cp949", errors="replace")


def decode_html(body: bytes, content_type: str | None = None, declared_text: str | None = None) -> str:
    """Decode an HTML (or XML) page; see the module docstring for the order of evidence.

    ``declared_text`` is Scrapy's ``response.text`` when available: it is used when it holds no replacement
    characters and agrees with the page's own declaration, which spares a second decode.
    """
    bom = _bom(body)
    if bom:
        return body.decode(bom, errors="replace")
    candidates = []
    for enc in (header_charset(content_type), declared_charset(body)):
        if enc and enc not in candidates:
            candidates.append(enc)
    if declared_text is not None and "\ufffd" not in declared_text and candidates:
        # Scrapy followed the header first; trust it only when the bytes really are in that charset.
        if _strict(body, candidates[0]) is not None:
            return declared_text
    for enc in candidates:
        if enc == "cp1252" and _looks_cp949(body):
            return body.decode("cp949")          # Korean bytes under a wrong western label
        text = _strict(body, enc)
        if text is not None:
            return text
    if candidates and candidates[0] == "utf-8":
        # A wrong UTF-8 claim over Korean legacy bytes: CP949 first.
        text = _strict(body, "cp949")
        if text is not None:
            return text
    return detect(body)


def read_saved_page(path: Path) -> str:
    """A saved page (.html, .htm, .gz in any Korean encoding) -> text."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as fh:
            raw = fh.read(MAX_SAVED_PAGE_BYTES + 1)
        if len(raw) > MAX_SAVED_PAGE_BYTES:
            raise ValueError(f"압축을 푼 크기가 {MAX_SAVED_PAGE_BYTES // 1_000_000} MB를 넘습니다")
    elif len(raw) > MAX_SAVED_PAGE_BYTES:
        raise ValueError(f"파일이 {MAX_SAVED_PAGE_BYTES // 1_000_000} MB를 넘습니다")
    return decode_html(raw)
