"""A small learned second opinion on relevance: logistic regression over the character 2- and 3-grams of an article.

The term rules of topic.toml miss on-topic articles that never use the usual words ("말레이시아, 미국산 AI 칩 반출 시
사전 허가 의무화"); the model has seen how such articles read.  It only ever adds articles the rules almost took:
:func:`crawler.relevance.judge` asks it when the rules said no but every required group of the topic is present
(the article passes at ``threshold``), or all but one (it passes at the stricter ``threshold_one_missing``, when
topic.toml sets one).  An article with only one of chips, China and control words never passes on the model.

Features are the set of 2- and 3-character pieces of every Hangul/Latin/digit word (lower-cased); an article's vector
is that set's indicator over the model's vocabulary, scaled to unit length, so long pages do not score higher for
being long.  Training is plain gradient descent with an L2 penalty (numpy, deterministic); the weights are a JSON file
next to the topic (``[model]`` in topic.toml), written by ``python bench/train_relevance_model.py``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from crawler.errors import ConfigError

_WORD = re.compile(r"[가-힣A-Za-z0-9]+")
FORMAT = "chipwatch-relevance-model/1"


def features(title: str, text: str) -> set[str]:
    """The distinct 2- and 3-character pieces of the words of the title and the text (a word of one character is
    itself a piece)."""
    out: set[str] = set()
    for word in set(_WORD.findall(f"{title}\n{text}".lower())):      # each distinct word once
        if len(word) < 3:
            out.add(word)
            continue
        for i in range(len(word) - 1):
            out.add(word[i:i + 2])
            if i + 3 <= len(word):
                out.add(word[i:i + 3])
    return out


@dataclass(frozen=True, slots=True)
class Model:
    weights: dict[str, float]
    bias: float
    threshold: float = 0.5                     # when every required group of the topic is present
    threshold_one_missing: float | None = None  # when exactly one is missing (None: the model is not asked then)

    def probability(self, title: str, text: str) -> float:
        weights = self.weights
        hits = [weights[f] for f in features(title, text) if f in weights]
        z = self.bias + (math.fsum(hits) / math.sqrt(len(hits)) if hits else 0.0)
        if z < -40:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


def train(examples: Iterable[tuple[str, str, bool]], *, l2: float = 1e-3, iterations: int = 3000,
          rate: float = 2.0, min_df: int = 2, threshold: float = 0.5) -> Model:
    """Fit on (title, text, relevant) examples.  Pieces seen in fewer than ``min_df`` articles are left out."""
    import numpy as np

    rows = [(features(title, text), bool(label)) for title, text, label in examples]
    if not rows or all(label for _, label in rows) or not any(label for _, label in rows):
        raise ValueError("학습에는 관련 기사와 무관한 기사가 모두 있어야 합니다")
    df = Counter(piece for pieces, _ in rows for piece in pieces)
    vocab = sorted(piece for piece, n in df.items() if n >= min_df)
    index = {piece: i for i, piece in enumerate(vocab)}
    x = np.zeros((len(rows), len(vocab)))
    for r, (pieces, _) in enumerate(rows):
        cols = [index[p] for p in pieces if p in index]
        if cols:
            x[r, cols] = 1.0 / math.sqrt(len(cols))
    y = np.array([1.0 if label else 0.0 for _, label in rows])
    w = np.zeros(len(vocab))
    b = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        w -= rate * (x.T @ (p - y) / len(y) + l2 * w)
        b -= rate * float((p - y).mean())
    return Model(weights={piece: round(float(v), 6) for piece, v in zip(vocab, w)}, bias=round(b, 6),
                 threshold=threshold)


def save_model(model: Model, path: Path, trained_on: dict[str, str]) -> None:
    """Write the weights with what they were trained on (file name → sha256), sorted, one line per piece."""
    body = {"format": FORMAT, "bias": model.bias, "threshold": model.threshold, "trained_on": trained_on,
            "weights": dict(sorted(model.weights.items()))}
    text = json.dumps(body, ensure_ascii=False, indent=0, sort_keys=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


def read_model_file(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: 관련성 모델 파일을 읽을 수 없습니다: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: 관련성 모델 파일이 올바른 JSON이 아닙니다: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ConfigError(f"{path}: 관련성 모델 파일의 형식이 '{FORMAT}'이 아닙니다")
    return data


def load_model(path: Path, threshold: float | None = None) -> Model:
    """The model in ``path``; ``threshold`` (from topic.toml) overrides the one saved with it."""
    data = read_model_file(path)
    weights = data.get("weights")
    bias = data.get("bias")
    if not isinstance(weights, dict) or not weights or not all(
            isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool)
            for k, v in weights.items()):
        raise ConfigError(f"{path}: 'weights'는 조각 → 숫자 표여야 합니다")
    if not isinstance(bias, (int, float)) or isinstance(bias, bool):
        raise ConfigError(f"{path}: 'bias'는 숫자여야 합니다 (받은 값: {bias!r})")
    saved = data.get("threshold", 0.5)
    chosen = saved if threshold is None else threshold
    if not isinstance(chosen, (int, float)) or isinstance(chosen, bool) or not 0.0 < chosen < 1.0:
        raise ConfigError(f"{path}: 'threshold'는 0과 1 사이의 숫자여야 합니다 (받은 값: {chosen!r})")
    return Model(weights={k: float(v) for k, v in weights.items()}, bias=float(bias), threshold=float(chosen))
