"""Relevance on labelled cases (tests/data/relevance_cases.jsonl), spacing/particle variants, English word
boundaries, hard negatives, and topic-file validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.configuration import builtin_dir
from crawler.relevance import judge
from crawler.topic import TopicError, load_topic, term_pattern

TOPIC = load_topic(builtin_dir() / "config" / "topic.toml")
CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "relevance_cases.jsonl")
         .read_text(encoding="utf-8").splitlines() if line.strip()]


TUNING = [c for c in CASES if c.get("split") != "holdout"]
HOLDOUT = [c for c in CASES if c.get("split") == "holdout"]


@pytest.mark.parametrize("case", TUNING, ids=lambda c: f"{c['id']}-{c['kind']}")
def test_labelled_case(case):
    verdict = judge(case["title"], case["text"], TOPIC)
    assert verdict.relevant == case["relevant"], (verdict.score, verdict.matched)


def test_holdout_written_after_the_rules_were_frozen():
    """Cases never used for tuning: an aggregate floor, not per-case (bench/relevance.py lists the errors)."""
    tp = sum(judge(c["title"], c["text"], TOPIC).relevant for c in HOLDOUT if c["relevant"])
    fp = sum(judge(c["title"], c["text"], TOPIC).relevant for c in HOLDOUT if not c["relevant"])
    positives = sum(c["relevant"] for c in HOLDOUT)
    assert len(HOLDOUT) >= 40
    assert fp == 0 and tp / positives >= 0.85


def test_labelled_set_has_hard_negatives_of_every_kind():
    kinds = {c["kind"] for c in CASES if not c["relevant"]}
    assert {"exports-rising", "earnings", "share-price", "chatbot", "steel-tariffs", "other-controls",
            "near-miss"} <= kinds


@pytest.mark.parametrize("text", ["수출통제", "수출 통제", "수출통제를", "수출 통제에", "수출통제가", "수출  통제의"])
def test_spacing_and_particles(text):
    assert term_pattern("수출통제").search(f"미국의 {text} 강화")


@pytest.mark.parametrize("term, text, hit", [
    ("H20", "엔비디아 H20을 허가", True), ("H20", "엔비디아 H200 수출", False), ("BIS", "BISON 펀드", False),
    ("BIS", "미국 BIS는", True), ("Nvidia", "NVIDIA's chips", True), ("export controls", "Export Controls on", True),
])
def test_english_terms_are_whole_words_ignoring_case(term, text, hit):
    assert bool(term_pattern(term).search(text)) is hit


def test_matched_terms_lead_with_the_topic_not_places():
    v = judge("美, 엔비디아 H20 수출통제 강화", "미국 상무부가 중국에 대한 H20 수출통제를 강화했다. 중국은 반발했다.", TOPIC)
    assert v.relevant and v.matched[0] == "수출통제" and "H20" in v.matched


def test_a_passing_mention_does_not_make_an_article_relevant():
    body = "삼성전자가 3분기 영업이익 12조 원을 냈다. 메모리 반도체 가격이 올랐다. " * 4 + "중국 수출 규제 영향은 제한적이다."
    assert not judge("삼성전자 3분기 실적 발표", body, TOPIC).relevant


@pytest.mark.parametrize("text, key", [
    ('name = "x"\nthreshold = "high"\n[[groups]]\nname = "a"\nterms = ["b"]\n', "threshold"),
    ('name = "x"\n[[groups]]\nname = "a"\nterms = ["b"]\nwieght = 2\n', "groups[1].wieght"),
    ('name = "x"\n[[groups]]\nname = "a"\nterms = ["b", 3]\n', "groups[1].terms[2]"),
    ('name = "x"\n[[groups]]\nterms = ["b"]\n', "groups[1].name"),
    ('name = "x"\n', "groups"),
    ('name = "x"\n[[groups]]\nname = "a"\nterms = ["b"]\n[negatives]\npoint = 1\n', "negatives.point"),
])
def test_topic_file_errors_name_the_key_and_the_file(tmp_path, text, key):
    path = tmp_path / "topic.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TopicError) as err:
        load_topic(path)
    assert key in str(err.value) and str(path) in str(err.value)


def test_real_general_news_pages_are_korean_and_not_relevant(korean_data):
    """72 real Korean pages (society, politics, entertainment; none about chip export controls)."""
    from crawler.decode import read_saved_page
    from crawler.extract import ExtractError, extract
    from crawler.language import detect_language

    judged = relevant = 0
    for line in (korean_data / "index.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        try:
            ex = extract(read_saved_page(korean_data / row["html"]), row.get("url"))
        except (ExtractError, ValueError):
            continue
        judged += 1
        assert detect_language(ex.text) == "ko", row["html"]
        relevant += judge(ex.title or "", ex.text, TOPIC).relevant
    assert judged >= 60 and relevant == 0


def test_skipping_absent_terms_changes_no_score(monkeypatch):
    """judge() skips the regex scans of terms whose letters are absent from the page; with that shortcut
    disabled every score and every matched list must be the same."""
    import crawler.relevance as relevance

    texts = [(c["title"], c["text"]) for c in CASES] + [
        ("AI 칩", "미국의 대중 수출 통제가 강화됐다. HBM과 H20, ai chip, Ai Chips 등이 대상이다."),
        ("수출\n통제", "수\n출 통 제를 두고 ＡＩ 반도체 얘기가 나왔다."),
    ]
    fast = [judge(t, x, TOPIC) for t, x in texts]
    monkeypatch.setattr(relevance, "_key", lambda term: "")      # "" is in every text: every term is scanned
    slow = [judge(t, x, TOPIC) for t, x in texts]
    assert fast == slow
    assert sum(r.relevant for r in fast) >= 20


def test_overlapping_terms_count_one_mention_once():
    """"최종 사용자" and "검증된 최종사용자" are both terms; one "검증된 최종사용자" in the title is one title hit
    (3 points), not two."""
    import re

    from crawler.relevance import TITLE_POINTS, _points

    control = next(g for g in TOPIC.groups if g.name == "control")
    assert {"최종 사용자", "검증된 최종사용자"} <= set(control.terms)

    def points(title: str) -> tuple[float, dict]:
        found: dict[str, int] = {}
        compact = re.sub(r"\s+", "", title).casefold()
        return _points(control.compiled, title, "", "", found, compact), found

    assert points("삼성 시안 공장 검증된 최종사용자 지위 유지") == (TITLE_POINTS, {"검증된 최종사용자": 1})
    assert points("최종 사용자 확인 강화") == (TITLE_POINTS, {"최종 사용자": 1})
    assert points("검증된 최종 사용자와 최종사용자 심사") == (2 * TITLE_POINTS, {"검증된 최종사용자": 1, "최종 사용자": 1})


def test_reports_of_real_loophole_stories_are_relevant():
    """Loophole and enforcement stories that never say 수출통제 in the title (cloud access, fab licences,
    end-user checks), written for this test."""
    cases = [
        ("중국 기업, 해외 클라우드로 엔비디아 GPU 빌려 쓴다…미국 '원격 접속' 차단 검토",
         "미국 상무부가 중국 기업이 해외 클라우드 업체를 통해 엔비디아 GPU를 원격으로 쓰는 것을 막는 규칙을 검토하고 "
         "있다. 클라우드 업체에 고객 확인(KYC) 의무를 지우는 방안이 거론된다. 칩 수출은 막혔지만 원격 접속은 허가 "
         "대상이 아니었다."),
        ("삼성 시안 공장, 미국 장비 반입 때마다 허가 받아야",
         "미국 정부가 삼성전자 중국 시안 낸드 공장을 검증된 최종사용자 명단에서 빼기로 했다. 앞으로 미국산 반도체 "
         "장비를 들여올 때마다 건별로 허가를 받아야 한다. 중국 공장 운영에 차질이 우려된다."),
    ]
    for title, text in cases:
        verdict = judge(title, text, TOPIC)
        assert verdict.relevant, (title, verdict.score, verdict.matched)


def _holdout(file: str) -> list[tuple[bool, bool]]:
    """(judged relevant, labelled relevant) for each article of a holdout in bench/data."""
    path = Path(__file__).parents[1] / "bench" / "data" / file
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(judge(r["title"], r["text"], TOPIC).relevant, r["relevant"]) for r in rows]


def test_second_holdout_written_blind_keeps_its_floor():
    """bench/data/relevance_holdout.jsonl was written by someone who never saw the rules: 19/24 when it arrived.
    The [context] rule of topic.toml was then designed while looking at its misses (docs/benchmarks.md says so),
    so it is a seen set now: the floor is today's 23/24, with no false positive among its 36 negatives."""
    verdicts = _holdout("relevance_holdout.jsonl")
    assert len(verdicts) == 60
    assert not any(got and not want for got, want in verdicts)
    assert sum(got and want for got, want in verdicts) >= 23


def test_third_holdout_keeps_its_floor():
    """bench/data/relevance_holdout3.jsonl (100 articles, 45 relevant, 28 of them never saying 수출통제) was written
    blind: 31/45 at first sight.  The context words 허용, 환적, 막혀, 빗장 … were then added while looking at its
    misses, "(AI) 칩" joined the chip terms, and the topic's model (config/relevance_model.json) is trained on it:
    it is seen now (45/45 today), with no false positive among its 55 negatives.  Left out of training, the model
    still takes it from 36/45 (rules alone) to 44/45 (bench/train_relevance_model.py): that is the floor."""
    verdicts = _holdout("relevance_holdout3.jsonl")
    assert len(verdicts) == 100
    assert not any(got and not want for got, want in verdicts)
    assert sum(got and want for got, want in verdicts) >= 44


def test_blind_fourth_holdout_keeps_its_floor():
    """bench/data/relevance_holdout4.jsonl was written by someone who read nothing of the project and is never
    trained or tuned on.  Measured with everything frozen: rules alone 22/30; rules and the first model 27/30;
    rules and the second model (more training data, asked also when one required group is missing) 29/30; rules
    and today's model (150 more training articles) 30/30.  No false positive among its 40 negatives (31 of them
    word traps) any time.  No worse."""
    verdicts = _holdout("relevance_holdout4.jsonl")
    assert len(verdicts) == 70
    assert not any(got and not want for got, want in verdicts)
    assert sum(got and want for got, want in verdicts) >= 30


def test_blind_fifth_holdout_keeps_its_floor():
    """bench/data/relevance_holdout5.jsonl (80 articles, 35 relevant of which 26 indirect, 36 word traps), written
    blind and never trained or tuned on: rules alone 22/35; rules and the first model 26/35; the second 32/35;
    today's 33/35; no false positive among its 45 negatives any time.  No worse."""
    verdicts = _holdout("relevance_holdout5.jsonl")
    assert len(verdicts) == 80
    assert not any(got and not want for got, want in verdicts)
    assert sum(got and want for got, want in verdicts) >= 33


def test_blind_sixth_holdout_keeps_its_floor():
    """bench/data/relevance_holdout6.jsonl (80 articles, 35 relevant of which 27 indirect, 36 word traps), written
    blind and never trained or tuned on.  First measured with the model of 0263e69: rules alone 21/35, rules and
    model 34/35; today's model (150 more training articles) 34/35; no false positive among its 45 negatives."""
    verdicts = _holdout("relevance_holdout6.jsonl")
    assert len(verdicts) == 80
    assert not any(got and not want for got, want in verdicts)
    assert sum(got and want for got, want in verdicts) >= 34


CONTEXT_TOPIC = """
name = "t"
threshold = 3.0
[[groups]]
name = "control"
required = true
min_points = 2
terms = ["수출통제", "반입 허가"]
[[groups]]
name = "chips"
required = true
terms = ["GPU", "반도체"]
[context]
group = "control"
max_points = 3
together_with = [["GPU"], ["중국"]]
terms = ["빌려", "허가"]
"""


def _context_topic(tmp_path):
    path = tmp_path / "topic.toml"
    path.write_text(CONTEXT_TOPIC, encoding="utf-8")
    return load_topic(path)


def test_a_context_word_counts_only_in_a_sentence_with_every_companion(tmp_path):
    topic = _context_topic(tmp_path)
    both = "중국 기업들이 말레이시아에서 GPU를 빌려 쓴다."
    no_china = "국내 스타트업이 GPU를 빌려주는 사업을 시작했다."
    no_gpu = "중국 기업들이 사무실을 빌려 쓴다. 반도체 업계 소식이다."
    split = "중국 기업들이 사무실을 빌려 쓴다. 한국 기업은 GPU를 산다."      # companions in different sentences
    assert judge("", both, topic).matched == ("빌려", "GPU")
    for text in (no_china, no_gpu, split):
        assert "빌려" not in judge("", text, topic).matched, text
    # one such sentence is below the group's min_points; the title is a sentence of its own
    assert not judge("", both, topic).relevant
    assert judge("중국 업체, GPU 빌려 쓴다", both, topic).relevant
    assert judge("", both + " 중국 연구소도 GPU 사용 허가를 받았다.", topic).relevant
    # the cap: five such sentences give max_points (3), next to five lead hits of GPU (2 points each)
    assert judge("", " ".join([both] * 5), topic).score == 3.0 + 5 * 2.0


def test_a_context_word_inside_a_group_term_is_not_counted_twice(tmp_path):
    topic = _context_topic(tmp_path)
    verdict = judge("", "중국 공장의 GPU 반입 허가가 나왔다.", topic)
    assert verdict.matched == ("반입 허가", "GPU") and verdict.score == 2.0 + 2.0     # lead hits: 2 points each


@pytest.mark.parametrize("change, key", [
    (('group = "control"', 'group = "controls"'), "context.group"),
    (('together_with = [["GPU"], ["중국"]]', 'together_with = ["GPU"]'), "context.together_with[1]"),
    (('terms = ["빌려", "허가"]', 'terms = ["빌려", 2]'), "context.terms[2]"),
    (('max_points = 3', 'max_point = 3'), "context.max_point"),
])
def test_context_errors_name_the_key(tmp_path, change, key):
    path = tmp_path / "topic.toml"
    path.write_text(CONTEXT_TOPIC.replace(*change), encoding="utf-8")
    with pytest.raises(TopicError) as err:
        load_topic(path)
    assert key in str(err.value)
