"""Feed and sitemap parsing on hand-written inputs: RSS, Atom, EUC-KR, news sitemaps, indexes, hostile links."""

import gzip
from datetime import datetime, timezone

import pytest

from crawler.feeds import FeedError, parse_date, parse_feed, parse_sitemap

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
BASE = "http://127.0.0.1:8000/rss.xml"

RSS = """<?xml version="1.0" encoding="euc-kr"?>
<rss version="2.0"><channel><title>테스트 일보</title>
<item><title><![CDATA[美, 똠양꿍 수출통제 <b>강화</b>]]></title><link>/news/1.html?utm_source=rss</link>
<description>요약 문장입니다.</description><pubDate>Mon, 23 Nov 2026 09:30:00 +0900</pubDate></item>
<item><title>상대 날짜 없음</title><link>http://127.0.0.1:8000/news/2.html</link></item>
<item><title>나쁜 링크</title><link>javascript:alert(1)</link></item>
<item><title>파일 링크</title><link>file:///etc/passwd</link></item>
<item><title>미래 날짜</title><link>/news/3.html</link><pubDate>Mon, 23 Nov 2099 09:30:00 +0900</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>아톰 뉴스</title>
<entry><title>엔비디아 H20 통관 강화</title><link rel="alternate" href="http://127.0.0.1:8000/a/1"/>
<id>urn:x:1</id><updated>2026-11-22T10:00:00+09:00</updated></entry>
</feed>"""


def test_rss_entries_are_absolute_dated_and_safe():
    entries = parse_feed(RSS, BASE, now=NOW)
    assert [e.url for e in entries] == ["http://127.0.0.1:8000/news/1.html?utm_source=rss",
                                        "http://127.0.0.1:8000/news/2.html", "http://127.0.0.1:8000/news/3.html"]
    assert entries[0].title == "美, 똠양꿍 수출통제 강화"
    assert entries[0].published == datetime(2026, 11, 23, 0, 30, tzinfo=timezone.utc)
    assert entries[0].summary == "요약 문장입니다."
    assert entries[1].published is None
    assert entries[2].published is None          # a date far in the future is not believed


def test_atom_links_and_dates():
    [entry] = parse_feed(ATOM, BASE, now=NOW)
    assert entry.url == "http://127.0.0.1:8000/a/1"
    assert entry.published == datetime(2026, 11, 22, 1, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["이것은 피드가 아닙니다", "<html><body>hello</body></html>", ""])
def test_not_a_feed_raises_with_reason(text):
    with pytest.raises(FeedError) as err:
        parse_feed(text, BASE, now=NOW)
    assert err.value.reason == "not_a_feed"


def test_truncated_feed_keeps_complete_items_or_fails_cleanly():
    truncated = RSS[: RSS.index("<item><title>상대")]
    try:
        entries = parse_feed(truncated, BASE, now=NOW)
    except FeedError as exc:
        assert exc.reason == "not_a_feed"
    else:
        assert [e.url for e in entries] == ["http://127.0.0.1:8000/news/1.html?utm_source=rss"]


def _bomb(root: str) -> str:
    """A billion-laughs document: lol9 expands to 10^9 copies of "lol" (3 GB) from a few hundred bytes."""
    entities = "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n {entities}\n]>\n{root}'


BOMB_RSS = _bomb('<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title>'
                 '<link>http://a.example/1</link></item></channel></rss>')
BOMB_ATOM = _bomb('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>&lol9;</title>'
                  '<link href="http://a.example/1"/><id>x</id></entry></feed>')
BOMB_SITEMAP = _bomb('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://a.example/&lol9;'
                     '</loc></url></urlset>')


@pytest.mark.parametrize("text", [BOMB_RSS, BOMB_ATOM], ids=["rss", "atom"])
def test_a_feed_declaring_entities_is_refused(text):
    with pytest.raises(FeedError) as err:
        parse_feed(text, BASE, now=NOW)
    assert err.value.reason == "entity_expansion"
    assert "엔티티" in str(err.value)


@pytest.mark.parametrize("body", [BOMB_SITEMAP.encode("utf-8"), gzip.compress(BOMB_SITEMAP.encode("utf-8")),
                                  b"\xef\xbb\xbf" + BOMB_SITEMAP.encode("utf-8"),
                                  "\ufeff".encode("utf-16-le") + BOMB_SITEMAP.replace('"1.0"?>', '"1.0" encoding="utf-16"?>')
                                  .encode("utf-16-le")],
                         ids=["plain", "gzip", "utf8-bom", "utf16"])
def test_a_sitemap_declaring_entities_is_refused(body):
    with pytest.raises(FeedError) as err:
        parse_sitemap(body, "http://127.0.0.1:8000/sitemap.xml", now=NOW)
    assert err.value.reason == "entity_expansion"


_LOLS = "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
_RSS_BODY = ('<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title>'
             '<link>http://a.example/1</link></item></channel></rss>')
DISGUISED_BOMBS = {
    # a "<" in a comment or processing instruction in front of the declarations looks like the root element
    # to a naive scan; so does a ">" inside a quoted SYSTEM literal end the DOCTYPE early
    "comment-before-doctype": f'<?xml version="1.0"?><!-- <rss> --><!DOCTYPE lolz [<!ENTITY lol "lol">{_LOLS}]>',
    "comment-in-subset": f'<?xml version="1.0"?><!DOCTYPE lolz [<!-- <x --><!ENTITY lol "lol">{_LOLS}]>',
    "pi-in-subset": f'<?xml version="1.0"?><!DOCTYPE lolz [<?pi <x?><!ENTITY lol "lol">{_LOLS}]>',
    "gt-in-system-id": f'<?xml version="1.0"?><!DOCTYPE lolz SYSTEM "a>b" [<!ENTITY lol "lol">{_LOLS}]>',
    # expat itself skips declarations after an undefined parameter entity; other parsers may not
    "after-undefined-pe": f'<?xml version="1.0"?><!DOCTYPE lolz SYSTEM "s" [ %pe; <!ENTITY lol "lol">{_LOLS}]>',
    "leading-whitespace": f'\n\n  <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">{_LOLS}]>',
    "external-entity": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
}


@pytest.mark.parametrize("head", DISGUISED_BOMBS.values(), ids=DISGUISED_BOMBS.keys())
def test_disguised_entity_declarations_are_refused(head):
    with pytest.raises(FeedError) as err:
        parse_feed(head + _RSS_BODY, BASE, now=NOW)
    assert err.value.reason == "entity_expansion"
    sitemap = head + ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                      '<url><loc>http://a.example/&lol9;</loc></url></urlset>')
    with pytest.raises(FeedError) as err:
        parse_sitemap(sitemap.encode("utf-8"), "http://a.example/sitemap.xml", now=NOW)
    assert err.value.reason == "entity_expansion"


def test_a_utf16_sitemap_without_byte_order_mark_is_still_refused():
    body = BOMB_SITEMAP.replace('"1.0"?>', '"1.0" encoding="utf-16"?>').encode("utf-16-be")
    with pytest.raises(FeedError) as err:
        parse_sitemap(body, "http://a.example/sitemap.xml", now=NOW)
    assert err.value.reason == "entity_expansion"


def test_a_prolog_longer_than_the_scan_window_is_refused():
    """Declarations pushed past the scanned window by a huge comment are refused, not waved through."""
    padded = _bomb(_RSS_BODY).replace("<!DOCTYPE", "<!--" + "x" * 70_000 + "--><!DOCTYPE", 1)
    with pytest.raises(FeedError) as err:
        parse_feed(padded, BASE, now=NOW)
    assert err.value.reason == "entity_expansion"


def test_a_plain_doctype_still_parses():
    text = ('<?xml version="1.0"?>\n<!DOCTYPE rss>\n<!-- 주석 -->\n<rss version="2.0"><channel><title>t</title>'
            '<item><title>장비 수출 규제</title><link>http://127.0.0.1:8000/a/3</link></item></channel></rss>')
    assert [e.url for e in parse_feed(text, BASE, now=NOW)] == ["http://127.0.0.1:8000/a/3"]


def test_an_external_doctype_without_entities_still_parses():
    """RSS 0.91 names an external DTD; it declares nothing inline and is never fetched."""
    rss091 = ('<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
              '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel><title>t</title>'
              '<item><title>반도체 수출 통제</title><link>http://127.0.0.1:8000/a/1</link></item></channel></rss>')
    entries = parse_feed(rss091, BASE, now=NOW)
    assert [(e.url, e.title) for e in entries] == [("http://127.0.0.1:8000/a/1", "반도체 수출 통제")]


def test_entity_text_inside_an_item_is_not_a_declaration():
    text = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>XML 보안</title>'
            '<link>http://127.0.0.1:8000/a/2</link><description>&lt;!DOCTYPE x [&lt;!ENTITY a "b"&gt;]&gt; 공격 설명'
            '</description></item></channel></rss>')
    entries = parse_feed(text, BASE, now=NOW)
    assert [e.url for e in entries] == ["http://127.0.0.1:8000/a/2"]
    assert entries[0].title == "XML 보안" and "공격 설명" in (entries[0].summary or "")


def test_a_literal_entity_declaration_in_cdata_after_a_doctype_is_not_a_declaration():
    text = ('<?xml version="1.0"?><!DOCTYPE rss><rss version="2.0"><channel><title>t</title><item>'
            '<title>XML 보안 2</title><link>http://127.0.0.1:8000/a/4</link>'
            '<description><![CDATA[<!DOCTYPE x [<!ENTITY a "b">]> 예시]]></description></item></channel></rss>')
    assert [e.url for e in parse_feed(text, BASE, now=NOW)] == ["http://127.0.0.1:8000/a/4"]
    sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><!-- <!ENTITY -->'
               '<url><loc>http://127.0.0.1:8000/a/5</loc></url></urlset>')
    assert [e.url for e in parse_sitemap(sitemap.encode(), BASE, now=NOW).entries] == ["http://127.0.0.1:8000/a/5"]


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://127.0.0.1:8000/view/100</loc>
<news:news><news:publication><news:name>X</news:name><news:language>ko</news:language></news:publication>
<news:publication_date>2026-11-23T08:00:00+09:00</news:publication_date><news:title>HBM 대중 수출 통제</news:title></news:news></url>
<url><loc>http://127.0.0.1:8000/view/101</loc><lastmod>2026-11-20</lastmod></url>
<url><loc>javascript:void(0)</loc></url>
</urlset>""".encode("utf-8")


def test_news_sitemap_keeps_title_and_publication_date():
    sm = parse_sitemap(NEWS_SITEMAP, "http://127.0.0.1:8000/news-sitemap.xml", now=NOW)
    assert sm.children == ()
    assert [e.url for e in sm.entries] == ["http://127.0.0.1:8000/view/100", "http://127.0.0.1:8000/view/101"]
    assert sm.entries[0].title == "HBM 대중 수출 통제"
    assert sm.entries[0].published == datetime(2026, 11, 22, 23, 0, tzinfo=timezone.utc)
    assert sm.entries[1].published == datetime(2026, 11, 19, 15, 0, tzinfo=timezone.utc)   # KST midnight


def test_sitemap_index_and_gzip():
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>/s1.xml</loc></sitemap><sitemap><loc>http://127.0.0.1:8000/s2.xml.gz</loc></sitemap></sitemapindex>"""
    sm = parse_sitemap(gzip.compress(index), "http://127.0.0.1:8000/index.xml", now=NOW)
    assert sm.children == ("http://127.0.0.1:8000/s1.xml", "http://127.0.0.1:8000/s2.xml.gz")


@pytest.mark.parametrize("body", [b"<html><body>not a sitemap</body></html>", b"\x1f\x8b garbage", b""])
def test_not_a_sitemap(body):
    with pytest.raises(FeedError):
        parse_sitemap(body, "http://127.0.0.1:8000/x.xml", now=NOW)


@pytest.mark.parametrize("raw, expected", [
    ("2026-08-11 07:00:00", datetime(2026, 8, 10, 22, 0, tzinfo=timezone.utc)),        # no zone: KST
    ("2026-11-20T14:05:00Z", datetime(2026, 11, 20, 14, 5, tzinfo=timezone.utc)),
    ("Fri, 20 Nov 2026 14:05:00 GMT", datetime(2026, 11, 20, 14, 5, tzinfo=timezone.utc)),
    ("2026.11.20", datetime(2026, 11, 19, 15, 0, tzinfo=timezone.utc)),
    ("어제", None), ("", None), ("2026-13-45", None),
])
def test_parse_date(raw, expected):
    assert parse_date(raw, now=NOW) == expected
