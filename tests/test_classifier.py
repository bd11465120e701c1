"""The learned relevance model: features, training, its file, the [model] table and how judge() asks it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from crawler.classifier import FORMAT, Model, features, load_model, save_model, train
from crawler.errors import ConfigError
from crawler.relevance import judge
from crawler.topic import TopicError, load_topic

ROOT = Path(__file__).resolve().parents[1]

# Written for this test: the relevant ones are about chips being kept from China; the others share its words.
ON = [
    ("미국, 중국행 AI 칩 판매 막아", "미국 정부가 중국 기업에 대한 고성능 칩 판매를 막았다. 업계는 매출 감소를 걱정한다."),
    ("엔비디아 칩 中 반입 길 막혀", "중국 업체들이 엔비디아 칩을 들여올 길이 막혔다. 우회 경로를 찾는 움직임이 있다."),
    ("중국 기업, 해외서 GPU 빌려 써", "중국 기업들이 말레이시아 데이터센터에서 GPU를 빌려 쓰며 미국의 조치를 피하고 있다."),
    ("美 조치에 中 AI 칩 조달 차질", "미국의 조치 이후 중국 AI 기업들의 칩 조달이 어려워졌다. 화웨이 칩으로 바꾸는 곳이 늘었다."),
    ("중국행 첨단 칩, 싱가포르 거쳐 빼돌려", "첨단 칩이 싱가포르를 거쳐 중국으로 빼돌려졌다는 의혹이 나왔다."),
    ("장비 반입 막힌 중국 공장", "미국 장비의 중국 반입이 막히면서 현지 공장 증설이 멈췄다."),
]
OFF = [
    ("반도체 수출 20% 늘어", "지난달 반도체 수출이 20% 늘었다. 메모리 가격 상승 덕분이다."),
    ("AI 챗봇 새 버전 공개", "한 스타트업이 새 AI 챗봇을 공개했다. 대화 성능이 좋아졌다고 밝혔다."),
    ("철강 관세 25% 부과", "미국이 철강 수입품에 25% 관세를 매기기로 했다. 업계는 대응책을 찾고 있다."),
    ("중국 내수 소비 회복세", "중국의 소매 판매가 석 달째 늘었다. 여행 수요도 살아나고 있다."),
    ("엔비디아 주가 사상 최고", "엔비디아 주가가 사상 최고를 기록했다. 데이터센터 매출이 늘었다."),
    ("프로야구 개막전 매진", "프로야구 개막전이 모두 매진됐다. 구단들은 관중 증가를 기대한다."),
]
EXAMPLES = [(t, x, True) for t, x in ON] + [(t, x, False) for t, x in OFF]


def test_features_are_the_two_and_three_letter_pieces_of_each_word():
    assert features("수출통제", "") == {"수출", "수출통", "출통", "출통제", "통제"}
    assert features("GPU", "AI 칩") == {"gp", "gpu", "pu", "ai", "칩"}
    assert features("", "(AI) 칩, 中!") == {"ai", "칩"}      # 中 is a Han character, not a Hangul word


def test_training_separates_the_examples_and_is_deterministic():
    model = train(EXAMPLES, min_df=1)
    again = train(EXAMPLES, min_df=1)
    assert model == again
    for title, text in ON:
        assert model.probability(title, text) > 0.5, title
    for title, text in OFF:
        assert model.probability(title, text) < 0.5, title
    unseen_on = model.probability("中 기업, GPU 빌려 쓰며 조치 피해", "중국 기업들이 해외에서 GPU를 빌려 쓴다.")
    unseen_off = model.probability("프로야구 관중 늘어", "야구장 관중이 늘었다.")
    assert unseen_on > 0.5 > unseen_off


def test_training_needs_both_kinds_of_article():
    with pytest.raises(ValueError, match="관련 기사와 무관한 기사"):
        train([(t, x, True) for t, x in ON])


def test_a_saved_model_loads_back_and_topic_threshold_overrides(tmp_path):
    model = train(EXAMPLES, min_df=1, threshold=0.6)
    path = tmp_path / "m.json"
    save_model(model, path, {"x.jsonl": "abc"})
    assert load_model(path) == model
    assert load_model(path, threshold=0.8).threshold == 0.8
    assert json.loads(path.read_text(encoding="utf-8"))["trained_on"] == {"x.jsonl": "abc"}


@pytest.mark.parametrize("body, message", [
    ("{not json", "올바른 JSON이 아닙니다"),
    ('{"format": "other", "bias": 0, "weights": {"a": 1}}', "형식이"),
    (f'{{"format": "{FORMAT}", "bias": 0, "weights": {{"a": "x"}}}}', "'weights'"),
    (f'{{"format": "{FORMAT}", "bias": "0", "weights": {{"a": 1}}}}', "'bias'"),
    (f'{{"format": "{FORMAT}", "bias": 0, "threshold": 2, "weights": {{"a": 1}}}}', "'threshold'"),
])
def test_a_broken_model_file_is_a_one_line_error_naming_it(tmp_path, body, message):
    path = tmp_path / "m.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_model(path)
    assert message in str(err.value) and str(path) in str(err.value) and "\n" not in str(err.value)


TOPIC = """
name = "t"
threshold = 6.0
[[groups]]
name = "control"
required = true
min_points = 4
terms = ["수출통제", "차단"]
[[groups]]
name = "chips"
required = true
terms = ["GPU", "칩"]
[[groups]]
name = "china"
required = true
terms = ["중국"]
"""


def _topic(tmp_path: Path, model_table: str, model: Model | None = None) -> Path:
    if model is not None:
        save_model(model, tmp_path / "m.json", {})
    path = tmp_path / "topic.toml"
    path.write_text(TOPIC + model_table, encoding="utf-8")
    return path


def test_judge_asks_the_model_only_when_every_required_group_is_present(tmp_path):
    model = Model(weights={"차단": 4.0, "빌려": 4.0, "야구": -4.0}, bias=-0.5)
    topic = load_topic(_topic(tmp_path, '[model]\npath = "m.json"\nthreshold = 0.6\n', model))
    assert topic.model is not None and topic.model.threshold == 0.6
    # one control mention (3 points in the title: min_points 4 not met), chips and China present: the rules say no, the model yes
    near = judge("중국 기업, 해외서 GPU 빌려 차단 피해", "중국 기업들이 해외에서 GPU를 빌려 쓴다.", topic)
    assert near.relevant and near.probability is not None and near.probability >= 0.6
    # no chip word at all: the model is never asked, whatever it would say
    no_chip = judge("중국 기업, 차단 피해 빌려", "중국 기업들이 해외에서 서버를 빌려 쓴다. 차단을 피했다.", topic)
    assert not no_chip.relevant and no_chip.probability is None
    # the model may also say no
    low = judge("중국 야구 GPU 차단", "중국 야구장에 GPU 전광판", topic)
    assert not low.relevant and low.probability is not None and low.probability < 0.6
    # what the rules take alone, they take without the model
    plain = judge("중국행 GPU 수출통제", "미국이 중국행 GPU 수출통제를 강화했다. 수출통제 대상이 늘었다.", topic)
    assert plain.relevant and plain.probability is None


def test_with_one_required_group_missing_the_model_needs_its_stricter_threshold(tmp_path):
    model = Model(weights={"빌려": 1.0, "차단": 1.0}, bias=-0.5)
    no_chip = ("중국 기업, 차단 피해 해외서 빌려", "중국 기업들이 해외에서 서버를 빌려 쓴다. 차단을 피했다.")
    two_missing = ("해외서 빌려 쓰는 서버", "기업들이 해외에서 서버를 빌려 쓴다.")
    strict = load_topic(_topic(tmp_path, '[model]\npath = "m.json"\nthreshold_one_missing = 0.9\n', model))
    lenient = load_topic(_topic(tmp_path, '[model]\npath = "m.json"\nthreshold_one_missing = 0.6\n', model))
    p = Model.probability(model, *no_chip)
    assert 0.6 <= p < 0.9
    assert not judge(*no_chip, strict).relevant and judge(*no_chip, strict).probability == pytest.approx(p, abs=1e-4)
    assert judge(*no_chip, lenient).relevant
    assert Model.probability(model, *two_missing) >= 0.6
    assert not judge(*two_missing, lenient).relevant and judge(*two_missing, lenient).probability is None


@pytest.mark.parametrize("table, message", [
    ('[model]\npath = "missing.json"\n', "'model.path' 모델 파일이 없습니다"),
    ('[model]\nthreshold = 0.5\n', "'model.path'가 없습니다"),
    ('[model]\npath = "m.json"\ncutoff = 0.5\n', "알 수 없는 키 'model.cutoff'"),
    ('[model]\npath = "m.json"\nthreshold = 1.5\n', "'model.threshold'는 0과 1 사이"),
    ('[model]\npath = "m.json"\nthreshold_one_missing = 0\n', "'model.threshold_one_missing'는 0과 1 사이"),
])
def test_a_wrong_model_table_is_a_one_line_error_naming_the_key(tmp_path, table, message):
    path = _topic(tmp_path, table, Model(weights={"a": 1.0}, bias=0.0))
    with pytest.raises(TopicError) as err:
        load_topic(path)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_the_shipped_model_is_used_by_the_default_topic_and_matches_its_training_data():
    """config/relevance_model.json records the sha256 of every file it was trained on: when a labelled file
    changes, retrain (python bench/train_relevance_model.py).  The blind holdout is never among them."""
    topic = load_topic(ROOT / "config" / "topic.toml")
    assert topic.model is not None and len(topic.model.weights) > 1000
    trained_on = json.loads((ROOT / "config" / "relevance_model.json").read_text(encoding="utf-8"))["trained_on"]
    assert "tests/data/relevance_cases.jsonl" in trained_on
    assert not any(f"holdout{n}" in name for name in trained_on for n in (4, 5, 6))
    for name, digest in trained_on.items():
        assert hashlib.sha256((ROOT / name).read_bytes()).hexdigest() == digest, f"{name} changed: retrain"


def test_a_copy_of_the_builtin_topic_edited_elsewhere_still_finds_the_builtin_model(tmp_path):
    """Analysts copy config/topic.toml to add terms; the model file stays where chipwatch installed it."""
    copy = tmp_path / "my_topic.toml"
    copy.write_text((ROOT / "config" / "topic.toml").read_text(encoding="utf-8"), encoding="utf-8")
    topic = load_topic(copy)
    assert topic.model is not None and len(topic.model.weights) > 1000
    beside = Model(weights={"차단": 1.0}, bias=0.0)
    save_model(beside, tmp_path / "relevance_model.json", {})
    assert load_topic(copy).model.weights == {"차단": 1.0}        # a model beside the copy wins
