"""The learned same-story decision: logistic regression over a handful of pair measures.

:mod:`crawler.stories` turns two reports into a short vector of measures (the overlap score, the rule flags, the
shared figures, …; see :data:`crawler.stories.PAIR_FEATURES`).  Each rule alone was a hard veto, and every rule
that fixed one look-alike pair broke a same-event pair elsewhere.  Here the measures are weighed against each other,
with weights fitted on the labelled story sets of bench/data by ``python bench/train_story_model.py``, which also
prints the leave-one-set-out figures.  The weights live in ``story_model.json`` next to this module.

Measures are standardised with the training set's mean and spread, so the weights of the file can be read side by
side: a weight of -1 moves the log-odds by 1 for one standard deviation of its measure.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crawler.errors import ChipwatchError

FORMAT = "chipwatch-story-model/1"
MODEL_FILE = Path(__file__).with_name("story_model.json")


class StoryModelError(ChipwatchError):
    """The model file is missing, unreadable or does not fit the measures this code computes (a broken install:
    the CLI reports it in one line)."""


@dataclass(frozen=True, slots=True)
class PairModel:
    names: tuple[str, ...]         # the measures, in vector order
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float               # probability at or above which two reports are one story

    def probability(self, vector: Sequence[float]) -> float:
        z = self.bias + math.fsum(w * (x - m) / s for w, x, m, s in zip(self.weights, vector, self.mean, self.scale))
        if z < -40:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def same(self, vector: Sequence[float]) -> bool:
        return self.probability(vector) >= self.threshold


def fit(vectors: Sequence[Sequence[float]], labels: Sequence[bool], names: Sequence[str], *, l2: float = 1e-3,
        iterations: int = 3000, rate: float = 0.5, min_recall: float = 0.93) -> PairModel:
    """Fit by plain gradient descent (deterministic).  The threshold is the highest one (in steps of 0.01) that
    keeps at least ``min_recall`` of the training set's same-event pairs."""
    import numpy as np

    x = np.asarray(vectors, dtype=float)
    y = np.asarray([1.0 if label else 0.0 for label in labels])
    if len(x) == 0 or y.min() == y.max():
        raise ValueError("학습에는 같은 사건의 쌍과 다른 사건의 쌍이 모두 있어야 합니다")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    b = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        w -= rate * (z.T @ (p - y) / len(y) + l2 * w)
        b -= rate * float((p - y).mean())
    p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
    positives = y.sum()
    threshold = 0.5
    for step in range(5, 96):
        t = step / 100
        if ((p >= t) & (y == 1)).sum() >= min_recall * positives:
            threshold = t
    return PairModel(tuple(names), tuple(round(float(v), 6) for v in mean), tuple(round(float(v), 6) for v in scale),
                     tuple(round(float(v), 6) for v in w), round(b, 6), threshold)


def save(model: PairModel, path: Path, trained_on: dict[str, str]) -> None:
    """Write the model with what it was trained on (file name -> sha256)."""
    body = {"format": FORMAT, "threshold": model.threshold, "bias": model.bias, "trained_on": trained_on,
            "measures": [{"name": n, "weight": w, "mean": m, "scale": s}
                         for n, w, m, s in zip(model.names, model.weights, model.mean, model.scale)]}
    Path(path).write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load(path: Path, names: Sequence[str]) -> PairModel:
    """The model in ``path``, checked against the measures the code computes (``names``, in order)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise StoryModelError(f"{path}: 기사 묶음 모델 파일을 읽을 수 없습니다: {exc.strerror} "
                              "(chipwatch를 다시 설치하십시오)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StoryModelError(f"{path}: 기사 묶음 모델 파일이 올바른 JSON이 아닙니다: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoryModelError(f"{path}: 기사 묶음 모델 파일의 형식이 '{FORMAT}'이 아닙니다")
    try:
        measures = data["measures"]
        got = tuple(str(m["name"]) for m in measures)
        model = PairModel(got, tuple(float(m["mean"]) for m in measures), tuple(float(m["scale"]) for m in measures),
                          tuple(float(m["weight"]) for m in measures), float(data["bias"]), float(data["threshold"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise StoryModelError(f"{path}: 기사 묶음 모델 파일에 값이 빠졌거나 숫자가 아닙니다: {exc}") from None
    if got != tuple(names):
        raise StoryModelError(f"{path}: 모델의 측정값 {list(got)}이 코드의 {list(names)}와 다릅니다 — "
                              "python bench/train_story_model.py로 다시 학습하십시오")
    if not 0.0 < model.threshold < 1.0 or any(s <= 0 for s in model.scale):
        raise StoryModelError(f"{path}: 'threshold'는 0과 1 사이, 'scale'은 0보다 커야 합니다")
    return model


@lru_cache(maxsize=4)
def shipped(names: tuple[str, ...]) -> PairModel:
    """The model that ships with chipwatch (story_model.json), loaded once per process."""
    return load(MODEL_FILE, names)
