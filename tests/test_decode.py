"""Korean decoding without a broken character: EUC-KR/CP949 declared only in <meta>, header-vs-meta conflicts,
saved pages (.html, .gz), and the real EUC-KR Naver pages in ../shared/korean-data (skipped when absent)."""

from __future__ import annotations

import gzip

import pytest

from crawler.decode import decode_html, normalize_charset, read_saved_page

# Written for these tests.  똠, 햏, 펲 exist in CP949 but not in strict EUC-KR (KS X 1001).
BODY = "<p>미국 상무부가 고대역폭메모리 수출통제를 강화했다. 똠양꿍 햏 펲 같은 CP949 전용 글자도 깨지면 안 된다.</p>" * 30


def euckr_page(meta: str | None = "euc-kr", filler: int = 12_000) -> bytes:
    """A page in CP949 bytes; ``meta`` is the charset label in <meta> (None: no declaration at all)."""
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    script = "<script>var x = '" + "a" * filler + "';</script>"      # a big ASCII head, as on real portals
    return f"<html><head>{head}{script}</head><body>{BODY}</body></html>".encode("cp949")


def test_the_fixture_really_needs_cp949():
    for syllable in "똠햏펲":
        with pytest.raises(UnicodeDecodeError):          # CP949 extension bytes are not EUC-KR
            syllable.encode("cp949").decode("euc-kr")


def test_euckr_declared_only_in_meta_with_cp949_only_syllables():
    text = decode_html(euckr_page(), "text/html")
    assert "똠양꿍 햏 펲" in text and "\ufffd" not in text


@pytest.mark.parametrize("label", ["euc-kr", "EUC-KR", "ks_c_5601-1987", "x-windows-949", "cp949", "ksc5601"])
def test_every_korean_legacy_label_means_cp949(label):
    assert normalize_charset(label) == "cp949"
    assert "똠양꿍" in decode_html(euckr_page(meta=label), f"text/html; charset={label}")


def test_header_says_utf8_but_bytes_are_euckr_declared_in_meta():
    page = euckr_page()
    scrapy_text = page.decode("utf-8", errors="replace")       # what a header-first decoder produced
    text = decode_html(page, "text/html; charset=utf-8", declared_text=scrapy_text)
    assert "수출통제" in text and "똠양꿍" in text and "\ufffd" not in text


def test_header_says_euckr_but_bytes_are_utf8():
    page = f'<html><head><meta charset="utf-8"></head><body>{BODY}</body></html>'.encode()
    text = decode_html(page, "text/html; charset=euc-kr")
    assert "똠양꿍" in text and "\ufffd" not in text


def test_no_declaration_at_all():
    text = decode_html(euckr_page(meta=None), None)
    assert "똠양꿍" in text and "\ufffd" not in text


def test_short_undeclared_page():
    page = "<p>반도체 수출통제, 똠방각하</p>".encode("cp949")
    assert decode_html(page) == "<p>반도체 수출통제, 똠방각하</p>"


def test_wrong_western_label_over_korean_bytes():
    page = euckr_page(meta="iso-8859-1")
    assert "똠양꿍" in decode_html(page, "text/html; charset=iso-8859-1")


def test_scrapy_text_is_used_when_clean_and_ignored_when_mojibake():
    raw = f'<html><head><meta charset="utf-8"></head><body>{BODY}</body></html>'.encode()
    marker = raw.decode() + "<!-- from scrapy -->"
    assert decode_html(raw, "text/html; charset=utf-8", declared_text=marker) == marker
    latin = euckr_page(meta="euc-kr").decode("latin-1")          # EUC-KR read as latin-1: no U+FFFD, all wrong
    assert "똠양꿍" in decode_html(euckr_page(), "text/html; charset=euc-kr", declared_text=latin)


def test_bom_wins():
    page = "\ufeff<html><body><p>똠양꿍</p></body></html>".encode("utf-8")
    assert "똠양꿍" in decode_html(page, "text/html; charset=euc-kr")


def test_saved_pages_plain_and_gzipped(tmp_path):
    (tmp_path / "a.html").write_bytes(euckr_page())
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(euckr_page()))
    (tmp_path / "c.htm").write_bytes(euckr_page(meta=None))
    for name in ("a.html", "b.html.gz", "c.htm"):
        text = read_saved_page(tmp_path / name)
        assert "똠양꿍 햏 펲" in text and "\ufffd" not in text, name


def test_damaged_gzip_is_a_clear_error(tmp_path):
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(euckr_page())[:200])
    with pytest.raises(ValueError, match="gzip"):
        read_saved_page(tmp_path / "broken.html.gz")


def test_real_euckr_naver_pages_decode_cleanly(korean_data):
    pages = list((korean_data / "Study").rglob("*.html"))
    assert pages
    for path in pages:
        assert "\ufffd" in path.read_bytes().decode("utf-8", errors="replace"), f"{path} is not EUC-KR bytes"
        text = read_saved_page(path)
        assert "\ufffd" not in text and sum("가" <= ch <= "힣" for ch in text) > 200, path
