"""Extractive Korean summaries: the lead's first real sentences, never metadata, never a broken syllable."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from digest.summarize import split_sentences, strip_leading_meta, summarize

LEAD = ("미국 상무부가 고대역폭메모리(HBM)의 중국 수출을 막는 새 규정을 발표했다. "
        "엔비디아의 중국 전용 칩도 앞으로는 수출 허가를 받아야 한다. "
        "중국 상무부는 즉각 반발했다. "
        "네 번째 문장은 요약에 나오지 않는다.")


@pytest.mark.parametrize("prefix", [
    "[서울=뉴시스] 홍길동 기자 = ",
    "(워싱턴=연합뉴스) 김철수 특파원 = ",
    "【베이징=뉴스핌】 이영희 기자 = ",
    "[이데일리 김철수 기자] ",
    "[ZDNet Korea 홍길동 기자] ",
    "홍길동·김영희 기자 = ",
    "[아시아경제] 홍길동 기자 = ",
    "/연합뉴스 ",
])
def test_datelines_and_bylines_are_skipped(prefix):
    s = summarize(prefix + LEAD)
    assert s.startswith("미국 상무부가"), s
    assert "기자" not in s and "=" not in s


def test_takes_three_leading_sentences_in_order():
    s = summarize(LEAD)
    assert s == ("미국 상무부가 고대역폭메모리(HBM)의 중국 수출을 막는 새 규정을 발표했다. "
                 "엔비디아의 중국 전용 칩도 앞으로는 수출 허가를 받아야 한다. 중국 상무부는 즉각 반발했다.")
    assert summarize(LEAD, max_sentences=2).endswith("받아야 한다.")


def test_numbers_abbreviations_and_dates_do_not_split():
    text = ("U.S. 정부는 관세를 3.5% 올렸다. 엔비디아(Nvidia Corp.) 측은 2026. 11. 20. 입장을 냈다. "
            "J. 리 교수는 반대했다.")
    assert split_sentences(text) == ["U.S. 정부는 관세를 3.5% 올렸다.",
                                     "엔비디아(Nvidia Corp.) 측은 2026. 11. 20. 입장을 냈다.",
                                     "J. 리 교수는 반대했다."]


def test_korean_endings_questions_quotes_and_glued_sentences_split():
    text = '수출이 막혔다.그러나 우회로가 있다. 정말 막힐까? 업계는 "어렵다"고 했다. 끝났어요! 다음 문장이다'
    assert split_sentences(text) == ["수출이 막혔다.", "그러나 우회로가 있다.", "정말 막힐까?",
                                     '업계는 "어렵다"고 했다.', "끝났어요!", "다음 문장이다"]
    quoted = '그는 "수출통제는 계속된다."라고 말했다. 두 번째 문장이다.'
    assert split_sentences(quoted) == ['그는 "수출통제는 계속된다."라고 말했다.', "두 번째 문장이다."]


def test_captions_credits_subheads_and_reporter_lines_are_skipped():
    text = "\n".join([
        "美, AI 칩 통제 강화",                                   # subhead / repeated title
        "▲ 젠슨 황 엔비디아 CEO가 기조연설을 하고 있다. /연합뉴스",  # caption
        "[사진=뉴스1]",
        "미국 정부가 AI 칩 수출통제를 강화했다.",
        "홍길동 기자 hong@example.com",
        "중국은 희토류 수출을 제한하며 맞섰다.",
        "ⓒ 한빛일보, 무단 전재 및 재배포 금지",
    ])
    assert summarize(text) == "미국 정부가 AI 칩 수출통제를 강화했다. 중국은 희토류 수출을 제한하며 맞섰다."


def test_broadcast_script_markers_and_signoffs():
    text = "[앵커]미국이 AI 칩 수출을 다시 묶었습니다. 업계는 대책 마련에 나섰습니다. 홍길동 기자입니다.[기자]상무부는 오늘 새 규정을 냈습니다."
    assert summarize(text) == "미국이 AI 칩 수출을 다시 묶었습니다. 업계는 대책 마련에 나섰습니다. 상무부는 오늘 새 규정을 냈습니다."


def test_long_line_ending_in_a_copyright_notice_is_still_prose():
    text = "미국이 AI 칩 수출을 다시 묶었다. 중국은 반발했다. " + "추가 설명이 이어진다. " * 10 + "ⓒ 한빛일보 무단 전재 및 재배포 금지"
    assert summarize(text).startswith("미국이 AI 칩 수출을 다시 묶었다. 중국은 반발했다.")


def test_title_glued_to_the_lead_is_removed():
    title = "美, HBM 대중 수출 전면 통제"
    assert summarize(f"{title} 미국 정부가 HBM 수출을 전면 통제한다. 중국은 반발했다.", title=title) == \
        "미국 정부가 HBM 수출을 전면 통제한다. 중국은 반발했다."
    assert summarize(f"{title}\n미국 정부가 HBM 수출을 전면 통제한다.", title=title) == "미국 정부가 HBM 수출을 전면 통제한다."


def test_length_cap_cuts_only_at_sentence_ends():
    s = summarize(LEAD, max_chars=60)
    assert s == "미국 상무부가 고대역폭메모리(HBM)의 중국 수출을 막는 새 규정을 발표했다."
    assert len(summarize(LEAD)) <= 300


def test_overlong_first_sentence_is_cut_at_a_word_with_ellipsis():
    sentence = "미국 상무부가 " + "첨단 반도체와 장비의 " * 60 + "수출을 막았다."
    s = summarize(sentence, max_chars=120)
    assert len(s) <= 120 and s.endswith("…") and not s.endswith(" …")
    assert sentence.startswith(s[:-1])
    unbroken = "가" * 1000 + "다."
    assert summarize(unbroken).endswith("…") and len(summarize(unbroken)) <= 300


def test_never_cuts_inside_a_syllable_even_from_decomposed_input():
    nfd = unicodedata.normalize("NFD", "미국 상무부가 " + "반도체 수출통제를 " * 80 + "강화했다.")
    s = summarize(nfd, max_chars=100)
    assert s == unicodedata.normalize("NFC", s)
    assert not re.search("[\u1100-\u11ff]", s)                 # no loose jamo: every syllable whole
    assert len(s) <= 100


def test_nothing_to_summarise():
    assert summarize("") == ""
    assert summarize("1. 트럼프, 혐의 모두 부인 2. 양곡법 재의결 3. 정자교 보행로 붕괴 4. 호남 가뭄 해소엔 부족") == ""
    assert summarize("홍길동 기자 hong@example.com\nⓒ 한빛일보 무단 전재 및 재배포 금지") == ""


def test_strip_leading_meta_repeats():
    assert strip_leading_meta("[뉴스핌] 홍길동 기자 = 미국이 칩을 막았다.") == "미국이 칩을 막았다."
    assert strip_leading_meta("미국 [서울=뉴시스] 이다.") == "미국 [서울=뉴시스] 이다."    # only at the start


def test_real_korean_pages_give_clean_leads(korean_data):
    """On the gold texts of real Korean articles: short, starting with prose, ending at a sentence end."""
    rows = [json.loads(line) for line in (korean_data / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = []
    for row in rows:
        gold = row.get("gold") or ""
        path = korean_data / gold
        if gold and "#" not in gold and path.suffix == ".txt" and path.is_file():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    if len(texts) < 10:
        pytest.skip("too few gold texts in ../shared/korean-data")
    summaries = [summarize(t) for t in texts]
    non_empty = [s for s in summaries if s]
    assert len(non_empty) >= 0.9 * len([t for t in texts if len(t.strip()) > 200])
    for s in non_empty:
        assert len(s) <= 300
        assert not re.match(r"^[\[(【]\s*[^\])】]{0,20}(=|기자)", s), s          # no dateline or byline left
        assert not s.startswith(("▲", "/", "[앵커]")), s
        assert re.search(r"([.?!…]['\"”’」』)\]]*|[다요])$", s), s                 # ends at a sentence end
