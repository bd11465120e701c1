"""Extraction on pages written for these tests, and quality on the real pages in ../shared/korean-data."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawler.boilerplate import clean_text, is_residue
from crawler.extract import ExtractError, clean_title, extract, parse_any_date

PARAS = [
    "미국 상무부 산업안보국이 고대역폭메모리의 중국 수출을 막는 새 규정을 발표했다.",
    "이번 조치로 중국 기업 140곳이 우려거래자 명단에 올랐고, 사진 촬영 장비 업체도 포함됐다는 기자들의 질문이 이어졌다.",
    "국내 업계는 중국 공장의 장비 반입 허가 절차를 다시 점검하고 있다.",
    "중국 상무부는 필요한 대응 조치를 하겠다고 밝혔다.",
]


def page(extra_body: str = "", head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return f"""<html><head><meta charset="utf-8"><title>美, HBM 수출통제 강화 | 한빛일보</title>
<meta property="article:published_time" content="2026-11-20T14:05:00+09:00">
<link rel="canonical" href="/news/view/1?utm_source=x">{head}</head><body>
<div class="gnb">정치 경제 사회 국제</div>
<article><h1>美, HBM 수출통제 강화</h1>
<figure><img src="a.jpg"><figcaption>상무부 청사. /사진=연합뉴스</figcaption></figure>
{body}
<p>&lt;이미지를 클릭하시면 크게 보실 수 있습니다&gt;</p>
<p>홍길동 기자 hong@hanbit.example</p>
<p>저작권자 © 한빛일보 무단전재 및 재배포 금지</p>
{extra_body}
</article>
<div class="related_news"><h3>관련기사</h3><ul><li>반도체 시리즈 1편</li></ul></div>
<footer>주소복사가 완료되었습니다</footer></body></html>"""


def test_article_text_title_date_author_and_canonical():
    ex = extract(page(), "http://127.0.0.1:9/news/view/1")
    assert ex.title == "美, HBM 수출통제 강화"
    assert all(p in ex.text for p in PARAS)
    assert ex.published == datetime(2026, 11, 20, 5, 5, tzinfo=timezone.utc)
    assert ex.author == "홍길동 기자"
    assert ex.canonical_url == "http://127.0.0.1:9/news/view/1?utm_source=x"


def test_boilerplate_never_reaches_the_text_but_sentences_mentioning_it_stay():
    text = extract(page()).text
    for residue in ("이미지를 클릭", "hong@hanbit.example", "무단전재", "관련기사", "주소복사", "/사진=연합뉴스", "정치 경제"):
        assert residue not in text, residue
    assert "사진 촬영 장비 업체도 포함됐다는 기자들의 질문" in text


@pytest.mark.parametrize("line", [
    "<이미지를 클릭하시면 크게 보실 수 있습니다>", "홍길동 기자 hong@example.com", "[서울=뉴시스] 홍길동 기자",
    "ⓒ 한국경제신문, 무단 전재 및 재배포 금지", "저작권자 © 매일경제 & mk.co.kr, 무단전재 및 재배포 금지",
    "댓글 첫 댓글을 작성해보세요", "주소복사가 완료되었습니다", "컨텐츠 바로가기", "06.30 (일)",
    "지난해 열린 행사에서 장관이 발언하고 있다. 사진 공동취재단", "관련기사", "▶ 반도체 대전망 2027",
    "김철수·이영희 기자", "(사진=연합뉴스)",
])
def test_residue_lines(line):
    assert is_residue(line)


@pytest.mark.parametrize("line", [
    "미국 상무부가 HBM 수출을 막았다고 김철수 기자가 전했다.",
    "업계는 사진 장비와 노광 장비 수출도 통제될 수 있다고 우려한다.",
    "무단 반출 혐의로 기소된 직원은 관련 기술을 넘긴 혐의를 받는다고 검찰은 밝혔다. 이 사건은 회사 내부 감사에서 드러났으며 피해 규모는 아직 집계되지 않았다.",
])
def test_real_sentences_are_not_residue(line):
    assert not is_residue(line)


def test_seed_portal_residue_is_cleaned():
    seed = (Path(__file__).resolve().parents[1] / "seeds" / "001_9a15ee198e13c251.txt").read_text(encoding="utf-8")
    cleaned = clean_text(seed)
    for residue in ("컨텐츠 바로가기", "댓글 첫 댓글을 작성해보세요", "주소복사가 완료되었습니다", "이미지를 클릭하시면"):
        assert residue not in cleaned
    assert "중국이 자체 인공지능(AI)과 AI 반도체를 만들기 위한" in cleaned


@pytest.mark.parametrize("raw, expected", [
    ("2026.11.20 14:05", datetime(2026, 11, 20, 5, 5, tzinfo=timezone.utc)),
    ("2026-11-20 오후 2:05", datetime(2026, 11, 20, 5, 5, tzinfo=timezone.utc)),
    ("2026년 11월 20일 오전 12:30", datetime(2026, 11, 19, 15, 30, tzinfo=timezone.utc)),
    ("2026-11-20T14:05:00+09:00", datetime(2026, 11, 20, 5, 5, tzinfo=timezone.utc)),
    ("2026-11-20T05:05:00Z", datetime(2026, 11, 20, 5, 5, tzinfo=timezone.utc)),
    ("내일", None),
])
def test_korean_dates_become_utc(raw, expected):
    assert parse_any_date(raw) == expected


def test_korean_date_line_in_the_body_is_used_when_no_meta():
    html = page().replace('<meta property="article:published_time" content="2026-11-20T14:05:00+09:00">', "")
    html = html.replace("<article>", "<article><div>기사입력 2026.11.21 오전 9:30</div>")
    assert extract(html).published == datetime(2026, 11, 21, 0, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("title, expected", [
    ("반도체경제 :: [분석] 美 HBM 규제 영향은", "[분석] 美 HBM 규제 영향은"),
    ("美, HBM 수출통제 강화 | 한빛일보", "美, HBM 수출통제 강화"),
    ("엔비디아 H20 통관 강화 - 테크데일리", "엔비디아 H20 통관 강화"),
])
def test_site_names_are_dropped_from_titles(title, expected):
    assert clean_title(title) == expected


def test_client_rendered_page_falls_back_to_inline_json():
    body_html = "".join(f"<p>{p}</p>" for p in PARAS * 2).replace('"', '\\"')
    html = ('<html><head><title>x</title></head><body><div id="root"></div><script>window.__DATA__ = '
            f'{{"article":{{"contentHtml":"{body_html}"}}}};</script></body></html>')
    assert PARAS[0] in extract(html).text


@pytest.mark.parametrize("html, reason", [
    ("", "empty"), ("   ", "empty"), ("%PDF-1.7\n%\xe2\xe3\x00\x00 binary", "not_html"),
    ("<html><body><p>짧다</p></body></html>", "too_short"),
])
def test_unusable_pages_raise_with_a_reason(html, reason):
    with pytest.raises(ExtractError) as err:
        extract(html)
    assert err.value.reason == reason


def test_malformed_and_huge_html_do_not_break_extraction():
    broken = page().replace("</p>", "").replace("</article>", "") + "<div><span><b>" * 500
    assert PARAS[0] in extract(broken).text
    huge = page(extra_body="<p>" + "가나다 " * 600_000 + "</p>")
    assert PARAS[0] in extract(huge).text


def test_quality_on_real_korean_pages(korean_data):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from extraction import run

    result = run(korean_data)
    assert result["pages"] >= 40
    assert result["chipwatch_f1_mean"] >= 0.94
    assert result["chipwatch_f1_mean"] > result["trafilatura_f1_mean"]
