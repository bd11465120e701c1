"""The digest as a reader sees it: Korean, ordered, and harmless whatever the web put into it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest

from digest.records import ArticleRef, Digest, DigestCounts, DigestStory, rank_stories
from digest.render import clean_web_text, korean_datetime, render_digest, safe_url

NOW = datetime(2026, 11, 23, 23, 0, tzinfo=timezone.utc)      # 2026-11-24 (화) 08:00 in Seoul


def story(i, title, url="https://a.example/x", others=(), relevance=20.0, published=NOW,
          summary="미국 상무부가 새 규정을 발표했다.", outlet="한빛일보", terms=("수출통제",)):
    return DigestStory(i, ArticleRef(url, outlet, title, published), summary, tuple(terms), tuple(others), relevance)


def digest(*stories, topic="AI 칩 수출통제") -> Digest:
    return Digest("cw-x", topic, NOW - timedelta(days=7), NOW, NOW, tuple(stories),
                  DigestCounts(len(stories), 3, 2, 4, 1))


class Links(HTMLParser):
    """Every <a href> and every tag name of an HTML document."""

    def __init__(self, html: str):
        super().__init__()
        self.hrefs: list[str] = []
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend(attrs)
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href")


def test_header_counts_period_and_korean_dates():
    r = render_digest(digest(story(1, "美 상무부, HBM 대중 수출통제 강화")))
    for needle in ("AI 칩 수출통제", "새 소식 <b>1</b>건", "기사 <b>3</b>건", "언론사 <b>2</b>곳",
                   "걸러낸 중복 기사 4건", "이미 아는 기사(시드)의 사본 1건",
                   "2026년 11월 17일 (화) ~ 2026년 11월 24일 (화)",
                   "2026년 11월 24일 (화) 08:00",                  # 23:00 UTC shown in Asia/Seoul
                   "美 상무부, HBM 대중 수출통제 강화"):
        assert needle in r.html, needle
    assert "기간: 2026년 11월 17일 (화) ~ 2026년 11월 24일 (화)" in r.text
    assert "새 소식 1건 · 기사 3건 · 언론사 2곳" in r.text
    assert r.subject == "[chipwatch] AI 칩 수출통제 주간 다이제스트 (2026년 11월 24일) — 새 소식 1건"


def test_korean_datetime_format_and_naive_datetimes_are_utc():
    assert korean_datetime(datetime(2026, 11, 20, 5, 5, tzinfo=timezone.utc), "Asia/Seoul") == \
        "2026년 11월 20일 (금) 14:05"
    assert korean_datetime(datetime(2026, 11, 20, 5, 5), "Asia/Seoul") == "2026년 11월 20일 (금) 14:05"
    assert korean_datetime(None, "Asia/Seoul") == "날짜 미상"


def test_hostile_titles_and_links_are_neutralised():
    evil = story(1, '<script>alert("x")</script>\u202e\u200b악성 제목\r\nBcc: victim@example.com',
                 url="javascript:alert(1)",
                 others=[ArticleRef("data:text/html,<b>x</b>", "<img src=x onerror=alert(1)>", "t", NOW),
                         ArticleRef("file:///etc/passwd", "파일", "t", NOW),
                         ArticleRef("https://ok.example/1", "정상언론", '"><script>x</script>', NOW)],
                 summary='<iframe src="https://evil.example"></iframe> 본문 <style>body{display:none}</style>',
                 terms=("<b>칩</b>", "수출\u2066통제"))
    r = render_digest(digest(evil, topic="주제\r\nX-Injected: 1"))
    parsed = Links(r.html)
    assert parsed.hrefs == ["https://ok.example/1"]                # the only safe link of the story
    assert not parsed.tags & {"script", "iframe", "style", "img", "link", "object", "embed", "form"}
    assert not any(name.startswith("on") for name, _ in parsed.attrs)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in r.html    # shown as text, escaped
    assert "&lt;img src=x onerror=alert(1)&gt;" in r.html and "&lt;b&gt;칩&lt;/b&gt;" in r.html
    for ch in ("\u202e", "\u200b", "\u2066", "\r"):
        assert ch not in r.html and ch not in r.text and ch not in r.subject
    assert "\n" not in r.subject and "X-Injected" in r.subject      # folded into one harmless line
    assert "javascript:" not in r.text and "file:///" not in r.text and "data:text" not in r.text
    assert r.text.count("(링크 없음)") == 3
    assert "악성 제목 Bcc: victim@example.com" in r.text           # the title's line break is gone


def test_clean_web_text():
    assert clean_web_text("a\u202eb\u200bc\x07d\n e\u2067f\ufeff") == "abcd ef"
    assert clean_web_text(None) == ""
    assert clean_web_text("한글 제목") == "한글 제목"
    decomposed = "\u1112\u1161\u11ab\u1100\u1173\u11af"            # 한글 as jamo (NFD) -> syllables
    assert clean_web_text(decomposed) == "한글"
    long = clean_web_text("가나다 " * 100, 50)
    assert len(long) <= 50 and long.endswith("…") and "가나다…" in long


def test_safe_url():
    for good in ("https://a.example/x?y=1&z=%ED%95%9C", "http://news.example.co.kr/view.php?id=3#top",
                 "HTTPS://A.EXAMPLE/path"):
        assert safe_url(good) == good
    for bad in ("javascript:alert(1)", "JAVASCRIPT:x", " javascript:alert(1)", "java\u200bscript:alert(1)",
                "data:text/html,x", "file:///etc/passwd", "vbscript:x", "mailto:a@example.com", "//a.example",
                "http://", "https://a.example/\"onmouseover=\"x", "https://a.example/<x>",
                "https://user:pw@good.example@evil.example/", "https://a.example/ x", "https://a.example:99999/",
                "https://a.example/" + "x" * 3000, None, ""):
        assert safe_url(bad) is None, bad


def test_stories_ordered_by_outlets_then_relevance_then_recency():
    other = ArticleRef("https://b.example", "테크데일리", "t", NOW)
    a = story(1, "단독 보도", relevance=30)
    b = story(2, "세 곳이 보도", others=[other, ArticleRef("https://c.example", "반도체경제", "t", NOW)], relevance=10)
    c = story(3, "최근", relevance=30.2, published=NOW + timedelta(hours=1))
    d = story(4, "날짜 없음", relevance=30, published=None)
    e = story(5, "같은 언론사 재보도", others=[ArticleRef("https://a.example/y", "한빛일보", "t", NOW)], relevance=30)
    assert e.outlets == 1 and b.outlets == 3
    ranked = rank_stories([a, b, c, d, e])
    assert [s.story_id for s in ranked] == [2, 3, 1, 5, 4]
    r = render_digest(digest(*ranked))
    positions = [r.text.index(t) for t in ("세 곳이 보도", "최근", "단독 보도", "같은 언론사 재보도", "날짜 없음")]
    assert positions == sorted(positions)
    assert "1. 세 곳이 보도" in r.text and "5. 날짜 없음" in r.text
    assert "3개 언론사 보도" in r.html and "날짜 미상" in r.html


def test_plain_text_reads_on_its_own():
    others = [ArticleRef("https://b.example/2", "테크데일리", "t", NOW),
              ArticleRef("https://b.example/3", "테크데일리", "t", NOW)]
    r = render_digest(digest(story(1, "엔비디아 H20 수출 허가제", others=others, terms=("수출통제", "엔비디아"))))
    lines = r.text.splitlines()
    assert "1. 엔비디아 H20 수출 허가제" in lines
    assert "   https://a.example/x" in lines and "     https://b.example/2" in lines
    assert "https://b.example/3" not in r.text                     # one entry per other outlet
    assert "   주제어: 수출통제, 엔비디아" in lines and "   함께 보도한 곳:" in lines
    assert "   미국 상무부가 새 규정을 발표했다." in lines
    assert "<" not in r.text and "&lt;" not in r.text and "&#" not in r.text
    assert "운영 담당자" in r.text                                   # how to stop receiving it


def test_story_html_has_title_link_summary_chips_and_other_outlets():
    others = [ArticleRef("https://b.example/2", "테크데일리", "HBM까지 막았다", NOW)]
    html = render_digest(digest(story(1, "제목", others=others, terms=("수출통제", "HBM")))).html
    assert '<a href="https://a.example/x"' in html and ">제목</a>" in html
    assert "미국 상무부가 새 규정을 발표했다." in html
    assert re.search(r"<span[^>]*>수출통제</span>", html) and re.search(r"<span[^>]*>HBM</span>", html)
    assert "함께 보도한 곳" in html
    assert re.search(r'<a href="https://b.example/2"[^>]*>테크데일리</a>', html)
    assert "운영 담당자" in html and "chipwatch" in html


def test_many_other_outlets_are_capped():
    others = [ArticleRef(f"https://o{i}.example/", f"언론{i}", "t", NOW) for i in range(20)]
    r = render_digest(digest(story(1, "제목", others=others)))
    assert "외 8곳" in r.html and "외 8곳" in r.text and "언론11" in r.html and "언론12" not in r.html


def test_empty_digest_says_so():
    r = render_digest(digest())
    assert r.subject.endswith("이번 주 새 기사 없음")
    assert "이번 주 새 기사 없음" in r.html and "이번 주 새 기사 없음" in r.text
    assert "새 소식 <b>0</b>건" in r.html and "걸러낸 중복 기사 4건" in r.html
    assert "<h2" in r.html and "함께 보도한 곳" not in r.html


def test_story_without_summary_or_link_still_renders():
    r = render_digest(digest(story(1, "", url="", summary="", terms=(), outlet="")))
    assert "(제목 없음)" in r.html and "(언론사 미상)" in r.html and "(링크 없음)" in r.text
    assert "<a " not in r.html.split("<body", 1)[1].split("chipwatch</b>")[0]


def test_html_is_mail_client_safe():
    html = render_digest(digest(story(1, "제목", others=[ArticleRef("https://b.example", "테크", "t", NOW)]))).html
    tags = Links(html).tags
    assert not tags & {"script", "link", "style", "img", "iframe", "object", "font"}
    assert "http" not in "".join(re.findall(r'(?:src|background)="([^"]*)"', html))   # nothing fetched
    assert 'name="viewport"' in html and "max-width:640px" in html and 'lang="ko"' in html
    assert '<table role="presentation" width="640"' in html              # Outlook's fixed-width table
    sizes = [int(px) for px in re.findall(r"font-size:(\d+)px", html) if px != "1"]   # 1px: hidden preheader
    assert sizes and min(sizes) >= 15
    assert "class=" not in html                                           # inline styles only


def test_preheader_is_hidden_and_names_the_top_story():
    html = render_digest(digest(story(1, "첫 소식"), story(2, "둘째"))).html
    body = html.split("<body", 1)[1]
    assert re.search(r'<div style="display:none;[^"]*">새 소식 2건: 첫 소식 외 1건</div>', body)


def test_long_web_text_is_capped():
    r = render_digest(digest(story(1, "긴 제목 " * 200, summary="문장이다. " * 500)))
    title_line = next(line for line in r.text.splitlines() if line.startswith("1. "))
    assert len(title_line) <= 3 + 200 and title_line.endswith("…")
    assert len(r.html) < 20_000


@pytest.mark.parametrize("tz, expected", [("Asia/Seoul", "08:00"), ("UTC", "23:00")])
def test_digest_timezone_is_used(tz, expected):
    d = digest(story(1, "제목"))
    d = Digest(d.digest_id, d.topic, d.period_start, d.period_end, d.created_at, d.stories, d.counts, timezone=tz)
    assert expected in render_digest(d).text


def test_a_full_digest_stays_under_gmails_clipping_size():
    """Gmail hides HTML beyond ~102 KB behind "전체 메시지 보기"; 50 typical stories (digest.max_stories) fit."""
    summary = "미국 상무부가 고대역폭메모리와 AI 가속기의 중국 수출을 막는 새 규정을 발표했다. " * 3
    others = [ArticleRef(f"https://outlet{j}.example.co.kr/news/articleView.html?idxno=12345{j}", f"언론사{j}", "t", NOW)
              for j in range(3)]
    stories = [story(i, f"美 상무부, HBM·AI 가속기 대중 수출통제 강화…엔비디아 중국 전용 칩도 허가 대상 {i}",
                     url=f"https://www.hanbit.example.co.kr/news/articleView.html?idxno=98765{i}", others=others,
                     summary=summary[:250], terms=("수출통제", "HBM", "엔비디아", "중국", "상무부"))
               for i in range(50)]
    r = render_digest(digest(*stories))
    size = len(r.html.encode("utf-8"))
    assert size < 100_000, size
    assert all(f"허가 대상 {i}</a>" in r.html for i in range(50))              # every story is still linked
    assert "그 밖의 소식 20건" in r.html and r.html.count(">함께 보도한 곳</p>") == 30
    assert r.text.count("함께 보도한 곳:") == 50                               # the text part has them all whole


def test_an_outlet_s_further_new_reports_are_listed_by_headline():
    """A story can hold two new reports of one outlet (a follow-up, or a look-alike event the story rules joined
    to it): the second is listed under its own headline, so it never drops out of the mail; many are capped."""
    others = [ArticleRef("https://b.example/2", "테크데일리", "HBM까지 막았다", NOW),
              ArticleRef("https://a.example/9", "한빛일보", "인천지법도 실형…말레이 경유", NOW, extra=True),
              ArticleRef("https://b.example/3", "테크데일리", "<b>후속</b> 보도", NOW, extra=True)]
    r = render_digest(digest(story(1, "수원지법, AI칩 밀수출 실형", others=others)))
    assert "같은 언론사의 추가 기사" in r.html and "같은 언론사의 추가 기사" in r.text
    assert re.search(r'<a href="https://a.example/9"[^>]*>한빛일보: 인천지법도 실형…말레이 경유</a>', r.html)
    assert "https://b.example/3" in r.html and "<b>후속" not in r.html       # web text escaped
    assert "한빛일보: 인천지법도 실형…말레이 경유\n     https://a.example/9" in r.text
    many = [ArticleRef(f"https://a.example/{i}", "한빛일보", f"후속 {i}", NOW, extra=True) for i in range(10)]
    r = render_digest(digest(story(2, "제목", others=many)))
    assert "후속 5" in r.html and "후속 6" not in r.html and "외 4건" in r.html and "외 4건" in r.text


def test_a_story_lists_a_second_new_report_of_the_lead_s_outlet(tmp_path):
    """compose: the lead's outlet and the other outlets each once, then every further kept report of an outlet
    already listed; copies (duplicate verdicts) and old reports are not."""
    from crawler.store import StoryArticle
    from digest.compose import build_story

    def art(i, source, verdict="kept", hours=0):
        return StoryArticle(i, 7, f"https://x.example/{i}", source, f"제목 {i}", NOW + timedelta(hours=hours),
                            NOW, "본문", 20.0 - i, ("수출통제",), verdict)

    built = build_story(7, [art(1, "한빛일보"), art(2, "테크데일리", hours=1), art(3, "한빛일보", hours=2),
                            art(4, "테크데일리", "duplicate:article", hours=3), art(5, "테크데일리", "too_old", 4)])
    assert built.lead.url == "https://x.example/1"
    assert [(o.url, o.extra) for o in built.others] == [("https://x.example/2", False), ("https://x.example/3", True)]
    assert built.outlets == 2
