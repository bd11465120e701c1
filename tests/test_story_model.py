"""The learned same-story decision: fitting, the model file, and the shipped model against its training data."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler import story_model, stories
from crawler.story_model import PairModel, StoryModelError

ROOT = Path(__file__).resolve().parents[1]
TRAINER = ROOT / "bench" / "train_story_model.py"

# Two measures: a pair is one story when the first is high and the second (a "different" flag) is off.
NAMES = ("overlap", "flag")
VECTORS = [(0.1, 0), (0.2, 0), (0.5, 0), (0.6, 0), (0.7, 0), (0.55, 1), (0.65, 1), (0.15, 1), (0.8, 0), (0.3, 1)]
LABELS = [False, False, True, True, True, False, False, False, True, False]


def test_fitting_separates_the_pairs_and_is_deterministic():
    model = story_model.fit(VECTORS, LABELS, NAMES)
    assert [model.same(v) for v in VECTORS] == LABELS
    assert model.weights[0] > 0 > model.weights[1]           # overlap says same, the flag says different
    assert story_model.fit(VECTORS, LABELS, NAMES) == model


def test_fitting_needs_both_kinds_of_pair():
    with pytest.raises(ValueError):
        story_model.fit(VECTORS[:2], [False, False], NAMES)


def test_the_threshold_keeps_the_asked_share_of_same_event_pairs():
    model = story_model.fit(VECTORS, LABELS, NAMES, min_recall=1.0)
    probabilities = [model.probability(v) for v, same in zip(VECTORS, LABELS) if same]
    assert min(probabilities) >= model.threshold
    assert model.threshold + 0.01 > min(probabilities) or model.threshold == 0.95


def test_a_saved_model_loads_back(tmp_path):
    model = story_model.fit(VECTORS, LABELS, NAMES)
    path = tmp_path / "m.json"
    story_model.save(model, path, {"a.jsonl": "0" * 64})
    assert story_model.load(path, NAMES) == model
    assert json.loads(path.read_text(encoding="utf-8"))["trained_on"] == {"a.jsonl": "0" * 64}


@pytest.mark.parametrize("body, message", [
    ("{", "올바른 JSON이 아닙니다"),
    ('{"format": "other"}', "형식이 'chipwatch-story-model/1'이 아닙니다"),
    ('{"format": "chipwatch-story-model/1", "bias": 0, "threshold": 0.5}', "값이 빠졌거나"),
    ('{"format": "chipwatch-story-model/1", "bias": 0, "threshold": 0.5, "measures": '
     '[{"name": "overlap", "weight": 1, "mean": 0, "scale": 1}]}', "코드의 ['overlap', 'flag']와 다릅니다"),
    ('{"format": "chipwatch-story-model/1", "bias": 0, "threshold": 1.5, "measures": '
     '[{"name": "overlap", "weight": 1, "mean": 0, "scale": 1}, {"name": "flag", "weight": 1, "mean": 0, '
     '"scale": 1}]}', "'threshold'는 0과 1 사이"),
])
def test_a_broken_model_file_is_a_one_line_error_naming_it(tmp_path, body, message):
    path = tmp_path / "story_model.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(StoryModelError) as err:
        story_model.load(path, NAMES)
    assert message in str(err.value) and str(path) in str(err.value) and "\n" not in str(err.value)


def test_a_missing_model_file_is_a_one_line_error(tmp_path):
    with pytest.raises(StoryModelError, match="읽을 수 없습니다"):
        story_model.load(tmp_path / "absent.json", NAMES)


def test_the_shipped_model_fits_the_measures_and_its_training_files():
    """story_model.json is what bench/train_story_model.py wrote from the story sets as they are now: the files'
    hashes match, and fitting again gives the same weights."""
    model = story_model.shipped(stories.PAIR_FEATURES)
    assert model.names == stories.PAIR_FEATURES
    trained_on = json.loads(story_model.MODEL_FILE.read_text(encoding="utf-8"))["trained_on"]
    for name, digest in trained_on.items():
        assert hashlib.sha256((ROOT / name).read_bytes()).hexdigest() == digest, f"{name} changed: retrain"
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import train_story_model as trainer
    finally:
        sys.path.remove(str(ROOT / "bench"))
    rows = [r for name, path in trainer.training_sets() for r in trainer.pair_rows(name, path)]
    again = trainer.fit(rows)
    assert again.threshold == model.threshold
    assert again.weights == pytest.approx(model.weights, abs=1e-3)
    assert again.bias == pytest.approx(model.bias, abs=1e-3)


def test_pairs_above_the_rules_score_are_left_to_the_rules():
    """Above RULES_SCORE (beyond any look-alike pair of the training sets) different subjects or figures part two
    reports, and nothing else does, whatever the model would say."""
    never = PairModel(stories.PAIR_FEATURES, (0.0,) * len(stories.PAIR_FEATURES), (1.0,) * len(stories.PAIR_FEATURES),
                      (0.0,) * len(stories.PAIR_FEATURES), -50.0, 0.5)
    high = [0.0] * len(stories.PAIR_FEATURES)
    high[stories.PAIR_FEATURES.index("score")] = stories.RULES_SCORE
    assert stories.decide_vector(never, high)
    for flag in ("different_subjects", "different_figures"):
        flagged = list(high)
        flagged[stories.PAIR_FEATURES.index(flag)] = 1.0
        assert not stories.decide_vector(never, flagged)
    low = list(high)
    low[stories.PAIR_FEATURES.index("score")] = stories.RULES_SCORE - 0.01
    assert not stories.decide_vector(never, low)


def test_the_trainer_check_prints_every_set_left_out():
    proc = subprocess.run([sys.executable, str(TRAINER), "--check"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "command: python bench/train_story_model.py --check" in proc.stdout
    assert proc.stdout.count("\nleft out ") == 17
    assert "every set left out in turn, pooled: model precision" in proc.stdout


def test_a_broken_installed_model_stops_the_crawl_before_it_starts_in_one_line(tmp_path, monkeypatch, capsys,
                                                                              sample_web):
    """A damaged install (story_model.json missing) is reported by `chipwatch crawl` in one line, before any page
    is fetched or stored."""
    from digest.cli import main
    from tests.conftest import write_config

    config = write_config(tmp_path / "c.toml", sample_web)
    monkeypatch.setattr(story_model, "MODEL_FILE", tmp_path / "gone.json")
    story_model.shipped.cache_clear()
    try:
        assert main(["--config", str(config), "crawl"]) == 1
    finally:
        story_model.shipped.cache_clear()
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "gone.json" in lines[0] and "다시 설치" in lines[0], lines
    assert not (tmp_path / "chipwatch.db").exists()             # nothing was opened, nothing stored
