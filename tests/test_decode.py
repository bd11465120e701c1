"""Korean decoding without a broken character: EUC-KR/CP949 declared only in <meta>, header-vs-meta conflicts."""

from __future__ import annotations

import gzip

from crawler.decode import decode_html, read_saved_page

BODY = "<p>미국 상무부가 수출통제를 강화했다. 똠양꿍 햏 펲 같은 CP949 전용 글자도 있다.</p>" * 30


def euckr_page(meta: bool = True) -> bytes:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">' if meta else ""
    filler = "<script>var x = '" + "a" * 12000 + "';</script>"      # big ASCII head, as on real portals
    return f"<html><head>{head}{filler}</head><body>{BODY}</body></html>".encode("cp949")


def test_euckr_declared_only_in_meta_with_cp949_syllables():
    text = decode_html(euckr_page(), "text/html")
    assert "똠양꿍 햏 펲" in text and "\ufffd" not in text


def test_header_utf8_but_bytes_euckr_declared_in_meta():
    text = decode_html(euckr_page(), "text/html; charset=utf-8",
                       declared_text=euckr_page().decode("utf-8", errors="replace"))
    assert "수출통제" in text and "\ufffd" not in text


def test_no_declaration_at_all():
    assert "똠양꿍" in decode_html(euckr_page(meta=False), None)


def test_utf8_page_uses_scrapy_text_when_clean():
    raw = f'<html><head><meta charset="utf-8"></head><body>{BODY}</body></html>'.encode()
    assert decode_html(raw, "text/html; charset=utf-8", declared_text=raw.decode()) == raw.decode()


def test_wrong_western_label_over_korean_bytes():
    raw = euckr_page().replace(b"charset=euc-kr", b"charset=iso-8859-1")
    assert "똠양꿍" in decode_html(raw, "text/html; charset=iso-8859-1")


def test_saved_pages_plain_and_gzipped(tmp_path):
    (tmp_path / "a.html").write_bytes(euckr_page())
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(euckr_page()))
    for name in ("a.html", "b.html.gz"):
        text = read_saved_page(tmp_path / name)
        assert "똠양꿍" in text and "\ufffd" not in text


def test_real_euckr_naver_pages_decode_cleanly(korean_data):
    for path in (korean_data / "Study").rglob("*.html"):
        text = read_saved_page(path)
        assert "\ufffd" not in text and sum("가" <= ch <= "힣" for ch in text) > 200, path
