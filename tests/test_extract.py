"""Extraction on pages written for these tests (tests/fixtures/pages/), the Korean boilerplate rules, Korean dates,
and quality on the real pages in ../shared/korean-data (skipped when absent)."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawler.boilerplate import clean_lines, clean_text, is_residue, reporter_in
from crawler.decode import read_saved_page
from crawler.extract import ExtractError, clean_title, extract, korean_date_line, parse_any_date, time_on_same_day

PAGES = Path(__file__).parent / "fixtures" / "pages"
UTC = timezone.utc


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Every fixture page: what must come out, and what must not.  "must" lists whole paragraphs of the article.
FIXTURES = {
    # one <article> holding the article, no articleBody markup: used as is, trafilatura is not needed
    "article_element.html": dict(
        url=None, title="日, 반도체 장비 18개 품목 수출 허가제로…10월부터 시행", published=utc(2026, 11, 19, 7, 20),
        author="정다운 기자", canonical=None,
        must=["일본 경제산업성이 첨단 반도체 장비 18개 품목을 수출 허가 대상에 추가하는 개정안을 확정했다고 19일 밝혔다.",
              "중국 겨냥한 조치",
              "국내 장비 업체들은 일본산 부품 조달에 차질이 생길지 촉각을 곤두세우고 있다. 한 업체 임원은 \"허가 절차가 "
              "길어지면 납기가 늦어질 수 있다\"고 우려했다."],
        must_not=["사진=가온산업신문", "dawoon@", "무단 전재", "입력 2026.11.19", "많이 본 뉴스", "대표전화", "홈",
                  "정다운 기자 입력"]),
    "declared_body.html": dict(
        url="https://news.hanbit-tech.example/article/2026/11/20/A1?utm_source=feed",
        title="美, AI 가속기 수출통제 문턱 낮춰…H20급도 허가 대상", published=utc(2026, 11, 20, 5, 5),
        author="김하늘 기자", canonical="https://news.hanbit-tech.example/article/2026/11/20/A1",
        must=["미국 상무부 산업안보국(BIS)이 인공지능(AI) 가속기의 대중국 수출을 막는 성능 기준을 한층 낮춘 새 규정을 내놨다.",
              # an ad slot sits inside this sentence in the markup: the sentence must come out whole
              "엔비디아가 중국 시장을 겨냥해 내놓은 H20급 제품도 이번에는 규제를 피하기 어렵게 됐다.",
              "업계에서는 사진 장비나 계측 장비처럼 반도체 공정에 쓰이는 도구까지 범위가 넓어질 수 있다는 관측도 나온다.",
              "한 증권사 기자 간담회에서 나온 질문도 대부분 이 부분에 쏠렸다.",
              "중국 상무부는 \"시장 질서를 해치는 일방적 조치\"라며 대응 조치를 검토하겠다고 밝혔다."],
        must_not=["사진=한빛테크뉴스 DB", "관련기사", "엔비디아, 중국 전용 칩 또 내놓나", "sky@hanbit-tech.example",
                  "무단 전재", "구독하기", "본문 바로가기", "URL복사", "입력 2026.11.20", "대표전화"]),
    "portal_residue.html": dict(
        url=None, title="중국, 갈륨·게르마늄 이어 흑연 수출도 통제…美 칩 규제에 맞불", published=utc(2026, 11, 18, 5, 5),
        author="박서연 기자", canonical=None,
        must=["중국 상무부가 반도체 소재인 갈륨과 게르마늄에 이어 배터리 음극재 원료인 흑연까지 수출 허가 대상에 넣었다.",
              "상무부 대변인은 기자회견에서 \"국가 안보와 이익을 지키기 위한 정상적인 조치\"라고 말했다.",
              "업계 관계자는 사진 한 장 없이 발표된 이번 공고문을 두고 \"예고 없는 조치라 대응 시간이 부족하다\"고 했다.",
              "정부는 비축 물량을 늘리고 아프리카와 남미 등으로 수입처를 넓히는 방안을 검토하고 있다.",
              "전문가들은 희토류로 통제 대상이 넓어질 가능성에 주목한다."],
        must_not=["컨텐츠 바로가기", "이미지를 클릭하시면", "사진 공동취재단", "칭다오항", "/사진=연합뉴스", "게티이미지뱅크",
                  "seoyeon@", "무단 전재", "네이버 채널 구독", "가 가 가", "첫 댓글", "주소복사", "관련기사",
                  "희토류 카드", "많이 본 뉴스", "기사입력", "Copyright"]),
    "printed_twice.html": dict(
        url=None, title="한미, 반도체 장비 통제 협의…VEU 연장 요청", published=utc(2026, 11, 16, 10, 30, 12),
        author=None, canonical=None,
        must=["[앵커] 반도체 장비 수출 통제를 둘러싼 한미 협의가 이번 주 워싱턴에서 열립니다.",
              "이 지위가 유지되면 국내 기업은 건별 허가 없이 장비를 중국 공장에 들여갈 수 있습니다.",
              "한빛방송 최민호입니다."],
        must_not=["minho@", "기사 모음", "무단전재", "뉴스 | 정치"]),
    "short_teaser.html": dict(
        url=None, title="[영상] 美 의회, AI 칩 추적법 통과", published=utc(2026, 11, 21, 0, 10), author=None, canonical=None,
        must=["미국 하원이 첨단 AI 칩에 위치 확인 기능을 넣도록 하는 법안을 통과시켰습니다.",
              "수출된 칩이 중국으로 흘러가는 것을 막기 위한 조치입니다."],
        must_not=["다른 기사 제목", "많이 본 뉴스"]),
    "client_rendered.html": dict(
        url=None, title="엔비디아 칩 밀반입 조직 적발…싱가포르·말레이시아 경유", published=utc(2026, 11, 18, 23, 30),
        author=None, canonical=None,
        must=["미국 법무부가 수출 통제 대상인 엔비디아 그래픽처리장치(GPU)를 중국으로 빼돌린 일당을 재판에 넘겼다고 밝혔다.",
              "서버 부품으로 신고해 2억 달러어치 칩을 옮긴 혐의를 받는다.",
              "법무부는 \"우회 수출 경로를 끝까지 추적하겠다\"고 강조했다."],
        must_not=["오늘의 주요 뉴스", "로딩 중", "관세청 제공", "<b>"]),
    "nextjs.html": dict(
        # the page declares only a day; the time comes from the same day's "2026.11.17 18:40" in its data
        url=None, title="DUV로 7나노…中, 장비 통제 우회 안간힘", published=utc(2026, 11, 17, 9, 40),
        author="이서준 기자", canonical=None,
        must=["중국 반도체 업체들이 미국의 장비 수출 통제를 피하려고 구형 노광 장비를 개조해 7나노 공정을 돌리고 있다는 분석이 나왔다.",
              "미국 정부는 네덜란드와 일본에도 장비 유지보수 서비스까지 막아 달라고 요청한 것으로 알려졌다."],
        must_not=["$$ARTICLEAD$$", "연합뉴스", "sj@daily-semi", "반도체데일리"]),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_page(name):
    want = FIXTURES[name]
    ex = extract(read_saved_page(PAGES / name), want["url"])
    assert ex.title == want["title"]
    assert ex.published == want["published"] and ex.published.tzinfo is not None
    assert ex.author == want["author"]
    assert ex.canonical_url == want["canonical"]
    lines = ex.text.split("\n")
    for sentence in want["must"]:
        assert sentence in ex.text, sentence
    for residue in want["must_not"]:
        assert residue not in ex.text, residue
    assert len(lines) == len(set(lines)), "a paragraph came out twice"
    assert ex.language is None


def test_the_fixture_pages_are_all_covered():
    assert {p.name for p in PAGES.glob("*.html")} == set(FIXTURES)


def test_fallbacks_from_the_feed_are_used_only_when_the_page_is_silent():
    html = ("<html><body><div class='view'><p>미국 정부가 중국으로 가는 AI 칩 수출을 다시 조였다.</p>"
            "<p>업계는 영향을 따지며 중국 매출 비중을 다시 계산하고 있다.</p>"
            "<p>정부는 기업들과 함께 대응책을 마련하겠다고 밝혔다.</p></div></body></html>")
    ex = extract(html, fallback_title="피드 제목입니다 - 피드신문", fallback_published=datetime(2026, 11, 2, 9, 0))
    assert ex.title == "피드 제목입니다"
    assert ex.published == utc(2026, 11, 2, 0, 0)          # naive feed time = Korean time
    declared = extract(read_saved_page(PAGES / "declared_body.html"), fallback_title="다른 제목",
                       fallback_published=utc(2020, 1, 1))
    assert declared.title.startswith("美, AI 가속기") and declared.published.year == 2026


def test_euckr_legacy_table_page_end_to_end(tmp_path):
    paragraphs = ["미국의 장비 수출통제로 중국 파운드리의 증설 계획이 늦춰지고 있다. 똠방각하식 규제라는 반발도 나온다.",
                  "국내 장비 업체들은 햏갈리는 규정 해석 때문에 법률 검토를 맡겼다고 말했다.",
                  "정부는 미국과 협의해 국내 기업 중국 공장의 검증된 최종사용자 지위를 유지하겠다는 방침이다."]
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
            "<title>반도체경제 :: 장비 통제에 中 증설 지연…국내 업계 촉각</title></head><body><table>"
            "<tr><td class='top_menu'>홈 | 뉴스 | 반도체 | 장비 | 소재</td></tr>"
            "<tr><td class='view_date'>등록 2026-11-24 오후 1:20 | 최도윤 기자</td></tr><tr><td class='view_text'>"
            + "<br><br>".join(paragraphs)
            + "<br><br>최도윤 기자 doyun@bandoche.example<br>&lt;저작권자 ⓒ 반도체경제, 무단 전재 및 재배포 금지&gt;"
            "</td></tr></table></body></html>")
    (tmp_path / "legacy.html").write_bytes(page.encode("cp949"))
    ex = extract(read_saved_page(tmp_path / "legacy.html"))
    assert ex.text.split("\n") == paragraphs
    assert ex.title == "장비 통제에 中 증설 지연…국내 업계 촉각"
    assert ex.published == utc(2026, 11, 24, 4, 20)
    assert ex.author == "최도윤 기자"


# ---------------------------------------------------------------- line rules


@pytest.mark.parametrize("line", [
    "<이미지를 클릭하시면 크게 보실 수 있습니다>", "홍길동 기자 hong@example.com", "[서울=뉴시스] 홍길동 기자",
    "ⓒ 한국경제신문, 무단 전재 및 재배포 금지", "저작권자 © 매일경제 & mk.co.kr, 무단전재 및 재배포 금지",
    "<저작권자 ⓒ 반도체경제, 무단 전재 및 재배포 금지>", "Copyright ⓒ 한빛일보 All rights reserved.",
    "댓글 첫 댓글을 작성해보세요", "주소복사가 완료되었습니다", "컨텐츠 바로가기", "기사 URL이 복사되었습니다.", "06.30 (일)",
    "지난해 열린 행사에서 장관이 발언하고 있다. 사진 공동취재단", "반도체 공장 내부. /사진=연합뉴스",
    "미국의 수출 규제로 엔비디아 AI칩의 중국 수출이 중단됐다. 사진=AFP/연합뉴스이미지 확대보기",
    "[사진=산업통상자원부]", "(사진=셔터스톡)", "경기도소방재난본부 제공", "관련기사", "▶ 반도체 대전망 2027",
    "김철수·이영희 기자", "[이남경 MBN스타 기자]", "(SBS연예뉴스 강경윤 기자)", "이용민 기자 |",
    "정다운 기자 입력 2026.11.19 16:20", "홍길동 기자 | 입력 2026-11-19 09:00 | 수정 2026-11-19 10:12",
    "입력 2026.11.20 14:05 | 수정 2026.11.20 16:30", "기사입력 2013-10-24 03:00:00 기사수정 2013-10-24 03:00:00",
    "기사입력 :[ 2018-08-25 15:24 ]", "영상취재 : 안동균 기자 영상편집 : 김경준", "박노준 / 사진출처 비비 인스타그램",
    "#전세사기 #금융위 #저리대출", "(끝)", "[전화] 02-398-8585", "뉴스 > 경제 > 기업·CEO", "홈 | 뉴스 | 반도체 | 장비 | 소재",
    "가 가 가", "$$ARTICLEAD$$", "Entermedia 주요뉴스", "이동환 기자의 기사 모음",
    "(서울=연합뉴스) 김철수 기자 = 20일 서울 용산구에서 열린 회의에서 참석자들이 인사하고 있다. 2026.11.20 kim@yna.co.kr",
])
def test_residue_lines(line):
    assert is_residue(line)


@pytest.mark.parametrize("line", [
    "미국 상무부가 HBM 수출을 막았다고 김철수 기자가 전했다.",
    "업계는 사진 장비와 노광 장비 수출도 통제될 수 있다고 우려한다.",
    "무단 반출 혐의로 기소된 직원은 관련 기술을 넘긴 혐의를 받는다고 검찰은 밝혔다.",
    "법원은 기사를 무단 전재한 업체에 손해를 배상하라고 판결했다.",
    "(서울=연합뉴스) 김철수 기자 = 미국 정부가 중국으로 가는 AI 칩 수출을 다시 조였다.",
    "정부는 반도체 장비 업체에 보조금을 제공한다.",
    "▷김태현 : 이미 그 상황은 넘어갔다는 의미이신 거지요?",
    "[앵커]", "KBS 뉴스 김수연입니다.",
    "문의 전화는 02-123-4567로 하면 된다고 상무부는 밝혔다.",
    "문의는 help@bis.example로 하면 된다고 밝혔다.",
    "▲첨단 AI 칩 ▲고대역폭메모리 ▲반도체 장비",
    "경제 > 산업",
])
def test_real_sentences_are_not_residue(line):
    assert not is_residue(line)


def test_clean_lines_keeps_sentences_and_strips_glued_tails():
    lines = clean_lines([
        "정부는 미국과 협의해 최종사용자 지위를 유지할 방침이다. 박도윤 기자 dy@example.com <저작권자 ⓒ 반도체경제, 무단 전재 및 재배포 금지>",
        "MBN뉴스 안진우입니다. [tgar1@mbn.example]",
        "노경은은 박시영을 2루수 땅볼로 처리했다.부산=선수민 기자 sunsoo@sports.example",
        "미국 정부는 동맹국과 장비 수출통제 공조를 강화하기로 했다고 밝혔다.",
        "미국 정부는 동맹국과 장비 수출통제 공조를 강화하기로 했다고 밝혔다.",
        "세계",
    ])
    assert lines == ["정부는 미국과 협의해 최종사용자 지위를 유지할 방침이다.", "MBN뉴스 안진우입니다.",
                     "노경은은 박시영을 2루수 땅볼로 처리했다.",
                     "미국 정부는 동맹국과 장비 수출통제 공조를 강화하기로 했다고 밝혔다."]


def test_a_closing_run_of_promoted_headlines_goes_but_list_items_stay():
    promo = clean_lines(["미국이 규제를 강화했다고 발표했다.", "▲ 다른 기사 제목 하나", "▲ 다른 기사 “제목” 둘이다”"])
    assert promo == ["미국이 규제를 강화했다고 발표했다."]
    items = ["오늘 밤 주요 뉴스입니다.", "1. 美 상무부, 장비 수출통제 확대", "2. 中, 희토류 수출 허가제 도입"]
    assert clean_lines(items) == items


def test_seed_portal_residue_is_cleaned():
    seed = (Path(__file__).resolve().parents[1] / "seeds" / "001_9a15ee198e13c251.txt").read_text(encoding="utf-8")
    cleaned = clean_text(seed)
    for residue in ("컨텐츠 바로가기", "댓글 첫 댓글을 작성해보세요", "주소복사가 완료되었습니다", "이미지를 클릭하시면",
                    "kim.minjeong6@"):
        assert residue not in cleaned
    assert "중국이 자체 인공지능(AI)과 AI 반도체를 만들기 위한" in cleaned


def test_reporter_from_bylines():
    assert reporter_in(["[스포츠조선 안소윤 기자] 가수 겸 배우가 결혼했다."]) == "안소윤 기자"
    assert reporter_in(["(서울=연합뉴스) 홍길동 특파원 = 미국 정부가 발표했다."]) == "홍길동 특파원"
    assert reporter_in(["본문 문장이다.", "김하늘 기자 sky@example.com"]) == "김하늘 기자"
    assert reporter_in(["미국 상무부가 발표했다고 김철수 기자가 전했다."]) is None


# ---------------------------------------------------------------- dates and titles


@pytest.mark.parametrize("raw, expected", [
    ("2026.11.20 14:05", utc(2026, 11, 20, 5, 5)),
    ("2026-11-20 오후 2:05", utc(2026, 11, 20, 5, 5)),
    ("2026년 11월 20일 오전 12:30", utc(2026, 11, 19, 15, 30)),
    ("2026. 11. 20. 오후 2:05:30", utc(2026, 11, 20, 5, 5, 30)),
    ("2026-11-20T14:05:00+09:00", utc(2026, 11, 20, 5, 5)),
    ("2026-11-20T05:05:00Z", utc(2026, 11, 20, 5, 5)),
    ("2026-11-20 14:05:00", utc(2026, 11, 20, 5, 5)),
    ("20261120140500", utc(2026, 11, 20, 5, 5)),
    ("2026-11-20", utc(2026, 11, 19, 15, 0)),
    ("내일", None), ("2026-13-45", None), ("", None),
])
def test_korean_dates_become_utc(raw, expected):
    assert parse_any_date(raw) == expected


@pytest.mark.parametrize("text, expected", [
    ("정치 | 입력 2026.11.20 14:05 | 수정 2026.11.20 15:00", utc(2026, 11, 20, 5, 5)),
    ("기사입력 2026-11-20 오후 2:05 최종수정 2026-11-20 오후 3:00", utc(2026, 11, 20, 5, 5)),
    ("기사입력 :[ 2018-08-25 15:24 ]", utc(2018, 8, 25, 6, 24)),
    ("등록 2026-11-24 오후 1:20 | 박도윤 기자", utc(2026, 11, 24, 4, 20)),
    ("날짜가 없는 글", None),
])
def test_korean_date_lines(text, expected):
    assert korean_date_line(text) == expected


def test_a_day_only_date_gets_the_time_printed_for_that_day():
    day = utc(2026, 1, 28, 15, 0)                          # 2026-01-29 00:00 in Korean time
    html = '<p>"deployDt":"2026.01.28 09:00"</p><span data-dt="2026.01.29 18:40">입력 2026.01.29 18:40</span>'
    assert time_on_same_day(html, day) == utc(2026, 1, 29, 9, 40)
    assert time_on_same_day("<p>2026.01.30 10:00</p>", day) is None


def test_korean_date_line_in_the_page_is_used_when_no_meta():
    html = (PAGES / "declared_body.html").read_text(encoding="utf-8")
    html = html.replace('"datePublished": "2026-11-20T14:05:00+09:00", ', "")
    html = html.replace("입력 2026.11.20 14:05", "기사입력 2026.11.21 오전 9:30")
    assert extract(html).published == utc(2026, 11, 21, 0, 30)


@pytest.mark.parametrize("title, site, expected", [
    ("반도체경제 :: [분석] 美 HBM 규제 영향은", None, "[분석] 美 HBM 규제 영향은"),
    ("美, HBM 수출통제 강화 | 한빛일보", None, "美, HBM 수출통제 강화"),
    ("엔비디아 H20 통관 강화 - 테크데일리", None, "엔비디아 H20 통관 강화"),
    ("장동혁, 한동훈 제명했지만… 부담 커졌다-정치ㅣ한국일보", None, "장동혁, 한동훈 제명했지만… 부담 커졌다"),
    ("[CEO&]창의적 열정과 소통, 시험인증 기업이 간다 : 뉴스 : 동아닷컴", None, "[CEO&]창의적 열정과 소통, 시험인증 기업이 간다"),
    ("[사회][단독] 권경애 \"변명 안 통할 것\" | YTN", None, "[단독] 권경애 \"변명 안 통할 것\""),
    ("대전일보 모바일 :: 코로나19 극복 성금 기탁 줄 잇는다", None, "코로나19 극복 성금 기탁 줄 잇는다"),
    ("윤 대통령 국빈 방미…26일 정상회담 · 27일 의회 연설", None, "윤 대통령 국빈 방미…26일 정상회담 · 27일 의회 연설"),
    ("美 상무부 : 수출통제 강화한다", None, "美 상무부 : 수출통제 강화한다"),
    ("칩 전쟁 2라운드 - 테크 인사이트 매거진", "테크 인사이트 매거진", "칩 전쟁 2라운드"),
    ("&quot;칩 밀수 막는다&quot;…美 추적법", None, "\"칩 밀수 막는다\"…美 추적법"),
])
def test_site_names_are_dropped_from_titles(title, site, expected):
    assert clean_title(title, site) == expected


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("html, reason", [
    ("", "empty"), ("   \n ", "empty"), ("<html><head></head><body>  </body></html>", "empty"),
    ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not_html"),
    ("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_html"),
    ("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "not_html"),
    ("그냥 글자만 있는 파일입니다. 태그가 하나도 없습니다." * 10, "not_html"),
    ("<html><body><p>짧다</p></body></html>", "too_short"),
])
def test_unusable_pages_raise_with_a_reason(html, reason):
    with pytest.raises(ExtractError) as err:
        extract(html)
    assert err.value.reason == reason


def test_binary_decoded_as_text_is_not_html():
    png = bytes(range(256)) * 40
    with pytest.raises(ExtractError) as err:
        extract(png.decode("latin-1"))
    assert err.value.reason == "not_html"


def test_malformed_and_huge_html_do_not_break_extraction():
    page = (PAGES / "portal_residue.html").read_text(encoding="utf-8")
    first = "중국 상무부가 반도체 소재인 갈륨과 게르마늄에 이어 배터리 음극재 원료인 흑연까지 수출 허가 대상에 넣었다."
    broken = page.replace("</p>", "").replace("</div>", "") + "<div><span><b>" * 500 + "<p class=\"x"
    assert first in extract(broken).text
    huge = page.replace("</body>", "<p>" + "가나다 " * 600_000 + "</p></body>")   # 2.4 M characters
    assert first in extract(huge).text
    with_declaration = '<?xml version="1.0" encoding="euc-kr"?>\n' + page
    assert first in extract(with_declaration).text
    for stray in ("\x00", "\x0b", "\x1f", "\ufffe", "\ud800"):            # one bad character must not lose the page
        damaged = page.replace("이번 조치는", f"이번{stray} 조치는")
        assert "이번 조치는 미국이 첨단 AI 칩과 장비의" in extract(damaged).text, repr(stray)


# ---------------------------------------------------------------- real pages (../shared/korean-data)


def test_quality_on_real_korean_pages(korean_data):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from extraction import run, summary

    s = summary(run(korean_data))
    assert s["text_pages"] >= 50
    assert s["ours_f1_ws+j_mean"] >= 0.95
    assert s["ours_f1_ws+j_mean"] > s["base_f1_ws+j_mean"] + 0.03
    assert s["ours_title_acc"] >= 0.9 and s["ours_day_acc"] >= 0.95


def test_real_euckr_naver_page_extracts_cleanly(korean_data):
    path = next(p for p in (korean_data / "Study").rglob("*.html") if "21-Naver_News" in str(p))
    ex = extract(read_saved_page(path), "https://news.naver.com/main/read.naver?oid=081&aid=0003219994")
    assert "\ufffd" not in ex.text and "\ufffd" not in (ex.title or "")
    assert ex.title and "곱창" in ex.title
    assert ex.published == utc(2021, 10, 4, 7, 26)
    assert len(ex.text) > 1000


def test_an_article_element_with_a_link_list_inside_goes_through_trafilatura():
    """An <article> is a looser mark than articleBody: when much of it is not prose (here a list of related
    headlines inside it), it is not used as is, and the list does not reach the text."""
    paragraphs = "".join(f"<p>미국 상무부가 중국 기업 {n}곳을 수출 통제 명단에 올렸다고 밝혔다. 업계는 파장을 주시하고 있다.</p>"
                         for n in range(10, 16))
    related = "".join(f'<li><a href="/n/{n}">반도체 장비 업계 동향 {n}</a></li>' for n in range(40))
    html = (f"<html><head><title>美, 中 기업 명단 추가</title></head><body><article><h1>美, 中 기업 명단 추가</h1>"
            f"{paragraphs}<ul class='x'>{related}</ul></article></body></html>")
    ex = extract(html)
    assert "미국 상무부가 중국 기업 10곳을 수출 통제 명단에 올렸다고 밝혔다." in ex.text
    assert "반도체 장비 업계 동향" not in ex.text


def test_one_article_element_of_prose_is_used_without_trafilatura(monkeypatch):
    """The fast path: the fixture's one <article> reads as prose, so trafilatura is not run at all; the page with a
    link list inside its <article> still goes through it."""
    import crawler.extract as extract_module

    calls = []
    real = extract_module._trafilatura_lines
    monkeypatch.setattr(extract_module, "_trafilatura_lines", lambda *a, **k: calls.append(1) or real(*a, **k))
    extract(read_saved_page(PAGES / "article_element.html"))
    assert calls == []
    related = "".join(f'<li><a href="/n/{n}">반도체 장비 업계 동향 {n}</a></li>' for n in range(40))
    extract("<html><body><article>" + "".join(f"<p>미국 상무부가 중국 기업 {n}곳을 명단에 올렸다고 밝혔다.</p>"
                                              for n in range(10, 22)) + f"<ul>{related}</ul></article></body></html>")
    assert calls
