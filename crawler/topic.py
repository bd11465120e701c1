"""The topic definition (config/topic.toml): term groups a non-programmer edits, validated and compiled once.

Korean terms match across spacing and particles: "수출통제" becomes a pattern that allows optional spaces between
its syllables, and anything may follow it (조사: 를, 에, 가 …).  English terms match whole words, ignoring case.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from crawler.classifier import Model, load_model
from crawler.configuration import builtin_dir
from crawler.errors import ConfigError

_HANGUL = re.compile("[\uac00-\ud7a3]")


class TopicError(ConfigError):
    """The topic file is wrong; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    pattern: re.Pattern


@dataclass(frozen=True, slots=True)
class TermGroup:
    name: str
    label: str
    terms: tuple[str, ...]
    weight: float
    required: bool
    min_points: float
    max_points: float
    compiled: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class ContextRule:
    """Words too common to count alone ("허가", "빌려") that count for ``group`` in a sentence that also holds a
    term of every list of ``together_with``: one point per such sentence, at most ``max_points``."""
    group: str
    together_with: tuple[tuple[Term, ...], ...]
    terms: tuple[Term, ...]
    max_points: float


@dataclass(frozen=True, slots=True)
class SubjectKind:
    """One kind of actor an event is about (companies, chambers, minerals …): each subject is its name and the
    terms that name it.  Two reports whose first subject of a kind differs are about different events."""
    name: str
    subjects: tuple[tuple[str, tuple[Term, ...]], ...]


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    label: str
    threshold: float
    groups: tuple[TermGroup, ...]
    negatives: tuple[Term, ...]
    negative_points: float
    negative_max: float
    context: ContextRule | None = None
    model: Model | None = None      # asked only when every required group is present but the rules said no
    subjects: tuple[SubjectKind, ...] = ()   # [stories.subjects]: see crawler.stories.subjects_of


def topic_terms(topic: Topic) -> tuple[str, ...]:
    """Every term of every group, in file order (what story features leave out as the topic's own words)."""
    return tuple(term for group in topic.groups for term in group.terms)


def term_pattern(term: str) -> re.Pattern:
    """Spacing-tolerant Korean, word-bounded case-insensitive Latin, as described in the module docstring."""
    parts = []
    for token in term.split():
        if _HANGUL.search(token):
            parts.append(r"\s*".join(re.escape(ch) for ch in token))
        else:
            parts.append(re.escape(token))
    body = r"\s*".join(parts)
    left = r"(?<![A-Za-z0-9])" if re.match(r"[A-Za-z0-9]", term) else ""
    right = r"(?![A-Za-z0-9])" if re.search(r"[A-Za-z0-9]$", term) else ""
    return re.compile(left + body + right, re.IGNORECASE)


def subject_pattern(term: str) -> re.Pattern:
    """A subject's name starts a word: "시안" (Xi'an) is not the end of "개정시안", "인도" not of "코르베인도"."""
    pattern = term_pattern(term)
    if _HANGUL.match(term):
        return re.compile(r"(?<![가-힣])" + pattern.pattern, pattern.flags)
    return pattern


_TOP_KEYS = {"name": str, "label": str, "threshold": (int, float), "groups": list, "negatives": dict,
             "context": dict, "model": dict, "stories": dict}
_GROUP_KEYS = {"name": str, "label": str, "weight": (int, float), "required": bool, "min_points": (int, float),
               "max_points": (int, float), "terms": list}
_NEG_KEYS = {"points": (int, float), "max_points": (int, float), "terms": list}
_STORIES_KEYS = {"subjects": dict}
_MODEL_KEYS = {"path": str, "threshold": (int, float), "threshold_one_missing": (int, float)}
_CONTEXT_KEYS = {"group": str, "together_with": list, "max_points": (int, float), "terms": list}


def _check(table: dict, schema: dict, where: str, path: Path) -> None:
    for key, value in table.items():
        if key not in schema:
            raise TopicError(f"{path}: 알 수 없는 키 '{where}{key}' (가능한 키: {', '.join(schema)})")
        expected = schema[key]
        if isinstance(value, bool) and expected is not bool:
            raise TopicError(f"{path}: '{where}{key}' 값의 형식이 잘못되었습니다 (받은 값: {value!r})")
        if not isinstance(value, expected):
            raise TopicError(f"{path}: '{where}{key}' 값의 형식이 잘못되었습니다 (받은 값: {value!r})")


def _terms(values: list, where: str, path: Path) -> tuple[str, ...]:
    out = []
    for i, value in enumerate(values, start=1):
        if not isinstance(value, str) or not value.strip():
            raise TopicError(f"{path}: '{where}terms[{i}]'는 비어 있지 않은 문자열이어야 합니다 (받은 값: {value!r})")
        out.append(value.strip())
    return tuple(dict.fromkeys(out))


def load_topic(path: Path, *, with_model: bool = True) -> Topic:
    """The topic in ``path``; ``with_model=False`` leaves the [model] table's file unread (to train it)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise TopicError(f"{path}: 주제 파일을 읽을 수 없습니다: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TopicError(f"{path}: TOML 문법 오류: {exc}") from None
    _check(data, _TOP_KEYS, "", path)
    groups = []
    for i, raw in enumerate(data.get("groups", []), start=1):
        where = f"groups[{i}]."
        if not isinstance(raw, dict):
            raise TopicError(f"{path}: 'groups[{i}]'는 [[groups]] 표여야 합니다")
        _check(raw, _GROUP_KEYS, where, path)
        for key in ("name", "terms"):
            if key not in raw:
                raise TopicError(f"{path}: '{where}{key}'가 없습니다")
        terms = _terms(raw["terms"], where, path)
        groups.append(TermGroup(
            name=raw["name"], label=raw.get("label", raw["name"]), terms=terms,
            weight=float(raw.get("weight", 1.0)), required=raw.get("required", False),
            min_points=float(raw.get("min_points", 0)), max_points=float(raw.get("max_points", 10)),
            compiled=tuple(Term(t, term_pattern(t)) for t in terms)))
    if not groups:
        raise TopicError(f"{path}: [[groups]]가 하나도 없습니다")
    neg = data.get("negatives", {})
    _check(neg, _NEG_KEYS, "negatives.", path)
    neg_terms = _terms(neg.get("terms", []), "negatives.", path)
    return Topic(name=data.get("name", Path(path).stem), label=data.get("label", data.get("name", "")),
                 threshold=float(data.get("threshold", 5.0)), groups=tuple(groups),
                 negatives=tuple(Term(t, term_pattern(t)) for t in neg_terms),
                 negative_points=float(neg.get("points", 1.0)), negative_max=float(neg.get("max_points", 5.0)),
                 context=_context(data.get("context"), [g.name for g in groups], path),
                 model=_model(data.get("model"), path, read=with_model),
                 subjects=_subjects(data.get("stories"), path))


def _subjects(raw: dict | None, path: Path) -> tuple[SubjectKind, ...]:
    """[stories.subjects]: kind = [["삼성", "삼성전자"], ["SK하이닉스", "하이닉스"]], one list per subject."""
    if raw is None:
        return ()
    _check(raw, _STORIES_KEYS, "stories.", path)
    kinds = []
    for kind, lists in raw.get("subjects", {}).items():
        where = f"stories.subjects.{kind}"
        if not isinstance(lists, list) or not lists:
            raise TopicError(f"{path}: '{where}'는 주체 목록의 목록이어야 합니다 (받은 값: {lists!r})")
        subjects = []
        for i, names in enumerate(lists, start=1):
            if not isinstance(names, list) or not names:
                raise TopicError(f"{path}: '{where}[{i}]'는 한 주체의 이름 목록이어야 합니다 (받은 값: {names!r})")
            for j, name in enumerate(names, start=1):
                if not isinstance(name, str) or not name.strip():
                    raise TopicError(f"{path}: '{where}[{i}][{j}]'는 비어 있지 않은 문자열이어야 합니다 "
                                     f"(받은 값: {name!r})")
            terms = tuple(dict.fromkeys(name.strip() for name in names))
            subjects.append((terms[0], tuple(Term(t, subject_pattern(t)) for t in terms)))
        kinds.append(SubjectKind(kind, tuple(subjects)))
    return tuple(kinds)


def _model(raw: dict | None, path: Path, *, read: bool) -> Model | None:
    if raw is None:
        return None
    _check(raw, _MODEL_KEYS, "model.", path)
    if not read:
        return None
    if "path" not in raw:
        raise TopicError(f"{path}: 'model.path'가 없습니다")
    for key in ("threshold", "threshold_one_missing"):
        if key in raw and not 0.0 < raw[key] < 1.0:
            raise TopicError(f"{path}: 'model.{key}'는 0과 1 사이여야 합니다 (받은 값: {raw[key]!r})")
    threshold = raw.get("threshold")
    file = Path(raw["path"]).expanduser()
    if not file.is_absolute():
        beside = Path(path).parent / file
        # A copy of the built-in topic.toml edited elsewhere still finds the built-in model
        builtin = builtin_dir() / "config" / file
        file = beside if beside.is_file() or not builtin.is_file() else builtin
    if not file.is_file():
        raise TopicError(f"{path}: 'model.path' 모델 파일이 없습니다: {file}")
    model = load_model(file, None if threshold is None else float(threshold))
    one_missing = raw.get("threshold_one_missing")
    return replace(model, threshold_one_missing=None if one_missing is None else float(one_missing))


def _context(raw: dict | None, group_names: list[str], path: Path) -> ContextRule | None:
    if raw is None:
        return None
    _check(raw, _CONTEXT_KEYS, "context.", path)
    for key in ("group", "terms"):
        if key not in raw:
            raise TopicError(f"{path}: 'context.{key}'가 없습니다")
    if raw["group"] not in group_names:
        raise TopicError(f"{path}: 'context.group' = \"{raw['group']}\"인 그룹이 없습니다 "
                         f"(있는 그룹: {', '.join(group_names)})")
    together = []
    for i, words in enumerate(raw.get("together_with", []), start=1):
        if not isinstance(words, list) or not words:
            raise TopicError(f"{path}: 'context.together_with[{i}]'는 용어 목록이어야 합니다 (받은 값: {words!r})")
        together.append(tuple(Term(t, term_pattern(t)) for t in _terms(words, f"context.together_with[{i}].", path)))
    terms = _terms(raw["terms"], "context.", path)
    return ContextRule(group=raw["group"], together_with=tuple(together),
                       terms=tuple(Term(t, term_pattern(t)) for t in terms),
                       max_points=float(raw.get("max_points", 4)))
