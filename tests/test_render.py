"""The digest as a reader sees it: Korean, ordered, and harmless whatever the web put into it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from digest.records import ArticleRef, Digest, DigestCounts, DigestStory, rank_stories
from digest.render import clean_web_text, render_digest, safe_url
from digest.summarize import summarize

NOW = datetime(2026, 11, 23, 23, 0, tzinfo=timezone.utc)


def story(i, title, url="https://a.example/x", others=(), relevance=20.0, published=NOW, summary="요약 문장이다."):
    return DigestStory(i, ArticleRef(url, "한빛일보", title, published), summary, ("수출통제",),
                       tuple(others), relevance)


def digest(*stories) -> Digest:
    return Digest("cw-x", "AI 칩 수출통제", NOW - timedelta(days=7), NOW, NOW, tuple(stories),
                  DigestCounts(len(stories), 3, 2, 4, 1))


def test_header_counts_and_korean_dates():
    r = render_digest(digest(story(1, "제목 하나")))
    assert "새 소식 <b>1</b>건" in r.html and "걸러낸 중복 기사 4건" in r.html and "시드)의 사본 1건" in r.html
    assert "2026년 11월 24일 (화) 08:00" in r.html          # 23:00 UTC shown in Asia/Seoul
    assert "2026년 11월 17일 ~ 2026년 11월 24일" in r.text


def test_hostile_titles_and_links_are_neutralised():
    evil = story(1, '<script>alert("x")</script>\u202e\u200b악성 제목\r\nBcc: victim@example.com',
                 url="javascript:alert(1)",
                 others=[ArticleRef("data:text/html,<b>x</b>", "<img src=x onerror=alert(1)>", "t", NOW),
                         ArticleRef("file:///etc/passwd", "파일", "t", NOW)],
                 summary='<iframe src="https://evil.example"></iframe> 본문 <style>body{display:none}</style>')
    r = render_digest(digest(evil))
    assert "<script>" not in r.html and "&lt;script&gt;" in r.html
    assert "<iframe" not in r.html and "<style>body" not in r.html and "<img src=x" not in r.html
    for bad in ("javascript:", "data:text", "file:///"):
        assert f'href="{bad}' not in r.html
    assert "\u202e" not in r.html and "\u200b" not in r.html and "\u202e" not in r.text
    assert "\r" not in r.subject and "\n" not in r.subject
    assert "javascript:" not in r.text and "file:///" not in r.text and r.text.count("(링크 없음)") == 3


def test_clean_and_safe_url_helpers():
    assert clean_web_text("a\u202eb\u200bc\x07d\n e") == "abcd e"
    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:x", "data:x", "file:///etc", "//a.example", "http://",
                'https://a.example/"onmouseover="x'):
        assert safe_url(bad) is None


def test_stories_ordered_by_outlets_then_relevance_then_recency():
    other = ArticleRef("https://b.example", "테크데일리", "t", NOW)
    a = story(1, "단독 보도", relevance=30)
    b = story(2, "세 곳이 보도", others=[other, ArticleRef("https://c.example", "반도체경제", "t", NOW)], relevance=10)
    c = story(3, "최근", relevance=30, published=NOW + timedelta(hours=1))
    assert [s.story_id for s in rank_stories([a, b, c])] == [2, 3, 1]
    r = render_digest(digest(*rank_stories([a, b, c])))
    assert r.text.index("세 곳이 보도") < r.text.index("최근") < r.text.index("단독 보도")
    assert "3개 언론사 보도" in r.html


def test_plain_text_reads_on_its_own():
    other = ArticleRef("https://b.example/2", "테크데일리", "t", NOW)
    r = render_digest(digest(story(1, "제목", others=[other])))
    assert "1. 제목" in r.text and "\n   https://a.example/x\n" in r.text and "- 테크데일리: https://b.example/2" in r.text
    assert "<" not in r.text.replace("<script", "")


def test_empty_digest_says_so():
    r = render_digest(digest())
    assert "새 기사 없음" in r.subject and "새로 알릴 기사가 없습니다" in r.html


def test_html_has_inline_styles_only_and_no_scripts():
    html = render_digest(digest(story(1, "제목"))).html
    assert "<script" not in html and "<link" not in html and "<style" not in html and "<img" not in html
    assert 'name="viewport"' in html and "max-width:640px" in html


def test_summary_takes_leading_sentences_and_skips_datelines():
    text = ("[서울=뉴시스] 홍길동 기자 = 미국 상무부가 HBM 수출을 3.5% 관세와 함께 묶었다. U.S. 정부는 H20 칩의 수출을 막았다. "
            "중국은 즉각 반발했다. 네 번째 문장은 나오지 않는다.\n홍길동 기자 hong@example.com")
    s = summarize(text)
    assert s.startswith("미국 상무부가") and "3.5%" in s and "U.S. 정부는" in s and "네 번째" not in s
    assert len(summarize("가" * 1000)) <= 301
