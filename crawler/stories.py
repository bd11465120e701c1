"""Same event, different outlets: story features and the same-story decision.

Independently written reports of one event share few sentences but many *facts*: the actors (company, agency,
person), the numbers (15%, 140곳, 2나노), the products (H20, B30A) and the words of the headline.  Features are
the key tokens of the title and lead (Korean eojeol with particles stripped, Latin and number tokens), minus the
topic's own vocabulary and common news words, which every article on the topic shares.  Their overlap, faded with
the time between the reports, is :func:`story_score`; reports more than MAX_GAP apart are never one story.

Look-alike events (two fines, two licences, the same agency days apart) overlap too, so the decision weighs more:
whether the headlines name different subjects of one kind (the first company, chamber, mineral or country;
"SK하이닉스 우시 공장도 美 연간허가" against "삼성전자 시안 공장 연간허가", see :func:`subjects_of`), different
companies, products or an added actor ("말레이시아도 …") the other report never mentions (:func:`different_firms`,
:func:`different_products`, :func:`different_actors`), whether the figures agree (:func:`different_figures`),
and how much of one report's facts the other tells as its own or only recalls as an earlier event
(:func:`own_and_recap`).  These measures (:data:`PAIR_FEATURES`) are weighed by a logistic model fitted on the
labelled story sets (:mod:`crawler.story_model`, ``python bench/train_story_model.py``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from crawler import story_model
from crawler.topic import SubjectKind, Term

LEAD_CHARS = 500
BODY_CHARS = 1500                 # facts of the event sit in the first paragraphs
HEADLINE_CHARS = 300              # Korean headlines are under 100 characters
MAX_GAP = timedelta(days=3)       # reports of one event appear within days of each other
FULL_SCORE_GAP = timedelta(days=1)  # reports of one event mostly appear within a day of each other (0.1–1.2 days
                                  # in the tuning set); a pair further apart needs more shared facts:
FAR_GAP_FACTOR = 0.4              # the score is scaled down linearly from 1 at FULL_SCORE_GAP to this at MAX_GAP
ANALYSIS_GRACE = timedelta(hours=12)  # an analysis of an event ("[심층]", "[주말 분석]") comes a day or two after
                                  # the news: its gap to earlier reports counts this much less (see pair_gap)
SPECIFIC_WEIGHT = 2.0             # numbers and Latin tokens (H20, 140, 15%) name the event more than words

# Particles and verb endings stripped from the end of an eojeol (longest first).
_SUFFIXES = sorted("""은 는 이 가 을 를 의 에 에서 에게 에게서 으로 로 와 과 도 만 까지 부터 보다 처럼 이나 나 이며 며
이고 고 으로서 로서 으로써 로써 이라고 라고 이라는 라는 이란 란 에는 에도 에서는 에서도 으로는 로는 와의 과의
에의 께 께서 하다 했다 한다 하는 했던 하며 하고 해 해서 됐다 된다 되는 됐던 되며 이다 였다 였던 이었다 인 적
들 들은 들이 들을 들의 들에 한 된""".split(), key=len, reverse=True)
# A two-syllable word ending in one of these is a one-syllable noun and its particle (칩을, 곳은, 칩이): too short
# to name an event, dropped.  Particles that end common two-syllable nouns (회의, 경로, 효과, 국가) are not here.
_SHORT_STEM_PARTICLES = frozenset("을를은는이에와")
_NOT_A_SUFFIX = ("제한",)   # 수출제한 is a noun, not 수출제 + 한

STOPWORDS = frozenset("""
기자 특파원 뉴스 연합뉴스 뉴시스 뉴스1 사진 제공 자료 관련 이번 지난 오는 올해 내년 지난해 이날 현지시간 현지 시간
오전 오후 당시 이후 이전 최근 앞서 가운데 대해 대한 위해 통해 따라 따르면 밝혔 말했 전했 보도 발표 설명 강조 지적
것으로 것이 것을 것은 것이다 것으 있다 없다 있는 없는 했다 한다 된다 됐다 그는 그러나 하지만 또한 또 및 등 중 수 더
정부 업계 관계자 전문가 시장 기업 회사 경우 문제 상황 가능성 전망 예정 계획 방침 입장 조치 결정 소식 매체 당국
다른 같은 이같 이러한 이런 그런 모든 여러 각종 새로 새로운 함께 대신 최신 일부 전체 이달 다음 처음 이미 다시 아직
크게 현재 앞으로 만든 내놓 통한 거쳐 빌려 있어 없이 이라 나라 국가 측은 측이 쪽은 통제 규제
""".split())

# A Korean figure: digits with thousands commas or a decimal point, Korean multipliers between them (1천500,
# 4억2천만, 1,700만), maybe a percent sign.
_FIGURE = r"\d+(?:[.,]\d+)*(?:[십백천만억조]+(?:\d+(?:[.,]\d+)*)?)*%?"
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9.\-]*[A-Za-z0-9]|[A-Za-z]|" + _FIGURE + r"[가-힣]*|[가-힣]+|[一-鿿]")
# A number keeps its value, written one way (1천500, 1,500 and 1500 -> 1500; 4억2천만 -> 420000000; 15%), but
# not its unit or particle (27곳을 -> 27, 950이 -> 950): outlets count the same thing in 곳 or 개.  Day, month,
# year and clock times are dropped: the date rule already compares the times, and two events reported on the same
# day share "5일".
_TIME_UNITS = frozenset("일월년시분초주")
# Wire datelines and bracketed outlet tags name the outlet, not the event: "(워싱턴=누리통신)", "[누리통신]".
_DATELINE = re.compile(r"[(\[]\s*([^()\[\]=\n]{1,20})=\s*([^()\[\]\n]{1,20}?)\s*[)\]]")
_OUTLET_TAG = re.compile(r"^\s*\[([^\[\]\n]{1,20})\]")


_SUFFIX_LENGTHS = sorted({len(x) for x in _SUFFIXES}, reverse=True)
_SUFFIX_SET = frozenset(_SUFFIXES)


def strip_particle(word: str) -> str:
    """The longest particle or ending in _SUFFIXES stripped, leaving a stem of two syllables or more."""
    if word.endswith(_NOT_A_SUFFIX):
        return word
    for n in _SUFFIX_LENGTHS:
        if len(word) - n >= 2 and word[-n:] in _SUFFIX_SET:
            return word[:-n]
    if len(word) == 2 and word[1] in _SHORT_STEM_PARTICLES:
        return word[0]
    return word


_NUMBER = re.compile(f"({_FIGURE})([가-힣]*)")
_SMALL = {"십": 10, "백": 100, "천": 1000}
_LARGE = {"만": 10 ** 4, "억": 10 ** 8, "조": 10 ** 12}
_FIGURE_PARTS = re.compile(r"\d+(?:[.,]\d+)*|[십백천만억조]")


def figure_value(figure: str) -> str | None:
    """"1천500" -> "1500", "1,700만" -> "17000000", "4억2천만" -> "420000000", "1.8%" -> "1.8%"; None for what
    only looks like a figure (2026.11.25, 127.0.0.1)."""
    percent = figure.endswith("%")
    total = small = 0.0
    pending: float | None = None
    for part in _FIGURE_PARTS.findall(figure):
        if part in _SMALL:
            small += (1.0 if pending is None else pending) * _SMALL[part]
            pending = None
        elif part in _LARGE:
            small += 0.0 if pending is None else pending
            total += (small or 1.0) * _LARGE[part]
            small, pending = 0.0, None
        elif part.count(".") > 1 or ("." in part and "," in part):
            return None
        else:
            pending = float(part.replace(",", ""))
    value = total + small + (pending or 0.0)
    if not math.isfinite(value):                                             # 400 digits of a hostile page
        return None
    text = str(int(value)) if value == int(value) else f"{value:.6g}"
    return text + ("%" if percent else "")


def _number_token(raw: str) -> str | None:
    """"27곳을" -> "27", "950이" -> "950", "1천만달러" -> "10000000"; None for dates and lone digits."""
    match = _NUMBER.fullmatch(raw)
    if match is None:
        return None
    number, unit = match.groups()
    unit = unit[:1]
    if unit in _TIME_UNITS or re.fullmatch(r"(?:19|20)\d\d", number):   # dates say little about the event
        return None
    if len(number) < 2:                                                     # 3명, 2곳: too common to name an event
        return None
    return figure_value(number)


def outlet_words(text: str) -> tuple[str, frozenset[str]]:
    """The text without its datelines and leading outlet tag, and the outlet names they held."""
    names = {m.group(2).strip() for m in _DATELINE.finditer(text)}
    tag = _OUTLET_TAG.match(text)
    if tag:
        names.add(tag.group(1).strip())
        text = text[tag.end():]
    words = frozenset(w for name in names for w in name.split() if w)
    return _DATELINE.sub(" ", text), words


_PREDICATE = re.compile(r"(다|며|고|서|면|지|요|니다|는데|지만|도록|려면|려고|으며)$")


def key_tokens(text: str, exclude: frozenset[str] = frozenset()) -> set[str]:
    """Content tokens: numbers, Latin tokens, Korean nouns (particles stripped; predicates and stopwords out)."""
    out = set()
    for raw in _TOKEN.findall(text):
        if raw[0].isdigit():
            if token := _number_token(raw):
                out.add(token)
            continue
        if raw.isascii():
            token = raw.lower()
            if len(token) >= 2 and token not in exclude:
                out.add(token)
            continue
        name = firm_name(strip_particle(raw)) is not None    # 세진이엔지 ends like a predicate (…하지) but is a firm
        if _PREDICATE.search(raw) and strip_particle(raw) == raw and not name:
            continue
        token = strip_particle(raw)
        if len(token) >= 2 and token not in STOPWORDS and token not in exclude \
                and (name or not _PREDICATE.search(token)):
            out.add(token)
    return out


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    title: frozenset[str]
    lead: frozenset[str]          # title + lead tokens
    numbers: frozenset[str]
    published: datetime | None
    subjects: tuple[tuple[str, str], ...] = ()    # (kind, subject): the first of each kind, see subjects_of
    firms: tuple[str, ...] = ()                   # the headline's company names, by their shape (see firms_in)
    mentions: frozenset[str] = frozenset()        # actors the headline and lead name: companies by their shape,
                                                  # listed subjects by name, Latin names in capitals (lower-cased)
    codes: tuple[str, ...] = ()                   # the headline's product codes (NX-40C, B30A), lower-cased
    also: tuple[str, ...] = ()                    # "말레이시아도 …": the actor a headline adds (see also_actor)
    headline: tuple[str, ...] = ()                # subjects the headline names, companies aside (headline_subjects)
    own: frozenset[str] = frozenset()             # tokens of the headline and the lead's own sentences (own_and_recap)
    recap: frozenset[str] = frozenset()           # tokens of the lead's sentences that recall an earlier event
    analysis: bool = False                        # the headline is tagged as an analysis ("[심층] …", see _ANALYSIS)
    # Derived once, for pair_vector: the specific tokens (token_weight) of lead, own and recap, and the figures
    # among the own tokens.  The weight of a shared set is then two set intersections, walked in C.
    lead_specific: frozenset[str] = field(init=False, repr=False, compare=False)
    own_specific: frozenset[str] = field(init=False, repr=False, compare=False)
    recap_specific: frozenset[str] = field(init=False, repr=False, compare=False)
    own_figures: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name, tokens in (("lead_specific", self.lead), ("own_specific", self.own),
                             ("recap_specific", self.recap)):
            object.__setattr__(self, name, frozenset(t for t in tokens if t[0].isascii()))
        object.__setattr__(self, "own_figures", frozenset(t for t in self.own if t[0].isdigit()))

    def to_json(self, key: str = "") -> str:
        """The stored form; ``key`` (features_key) tells later crawls which rules and topic computed it."""
        return json.dumps({"t": sorted(self.title), "l": sorted(self.lead), "n": sorted(self.numbers),
                           "p": self.published.isoformat() if self.published else None,
                           "s": [list(pair) for pair in self.subjects], "f": list(self.firms),
                           "m": sorted(self.mentions), "c": list(self.codes), "a": list(self.also),
                           "h": list(self.headline), "o": sorted(self.own), "r": sorted(self.recap),
                           "x": self.analysis, "k": key},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> StoryFeatures:
        d = json.loads(text)
        return cls(frozenset(d["t"]), frozenset(d["l"]), frozenset(d["n"]),
                   datetime.fromisoformat(d["p"]) if d.get("p") else None,
                   tuple((kind, name) for kind, name in d.get("s", ())), tuple(d.get("f", ())),
                   frozenset(d.get("m", ())), tuple(d.get("c", ())), tuple(d.get("a", ())), tuple(d.get("h", ())),
                   frozenset(d.get("o", ())), frozenset(d.get("r", ())), bool(d.get("x", False)))


# Raise when story_features computes anything differently: stored features with another key are computed again
# from the stored title and text when a crawl starts (crawler.ingest.refresh_story_features).
FEATURES_VERSION = "2026-12-07.3"


@lru_cache(maxsize=8)
def features_key(topic_terms: tuple[str, ...], subjects: tuple[SubjectKind, ...]) -> str:
    """Which rules and which topic computed a report's features: FEATURES_VERSION and a digest of the topic's terms
    and subjects.  Editing topic.toml (a new country, a new company) changes it too."""
    names = [[kind.name, [[term.text for term in terms] for _, terms in kind.subjects]] for kind in subjects]
    blob = json.dumps([FEATURES_VERSION, sorted(topic_terms), names], ensure_ascii=False)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:16]


def stored_key(features: str) -> str:
    """The key a stored feature set was computed with ("" for sets stored before keys existed)."""
    try:
        return str(json.loads(features).get("k", ""))
    except (ValueError, AttributeError):
        return ""


@lru_cache(maxsize=8)
def _topic_exclusions(topic_terms: tuple[str, ...]) -> frozenset[str]:
    """Tokens every report on the topic shares, left out of story features: each one-word topic term, each
    multi-word term written solid, and the words that recur across multi-word terms (수출, 규제, 칩).  A word that
    only one term uses ("갈륨" of "갈륨 수출") names the event, not the topic, and stays a feature."""
    uses = Counter(w.lower() for term in topic_terms for w in set(term.split()))
    out = set()
    for term in topic_terms:
        words = term.split()
        for word in words:
            if len(words) == 1 or uses[word.lower()] >= 2:
                out.add(word.lower())
                out.add(strip_particle(word))
        out.add(term.replace(" ", "").lower())
    return frozenset(out)


_FIRST_SENTENCE = re.compile(r"(?<=[.!?。])\s|\n")


_SPACE_RUN = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _letters(term: str) -> str:
    return _SPACE_RUN.sub("", term).casefold()


def _present(text: str, kinds: Iterable[SubjectKind]) -> Iterator[tuple[SubjectKind, str, Term]]:
    """(kind, subject, term) for every subject term whose letters occur in ``text`` in a row: only these can match
    (a term's pattern lets nothing but whitespace in between), and most subjects are absent from most reports, so
    their regex scans are skipped (story features of a relevant mirror page: about 5 ms -> 2 ms)."""
    compact = _SPACE_RUN.sub("", text).casefold()
    for kind in kinds:
        for name, terms in kind.subjects:
            for term in terms:
                if _letters(term.text) in compact:
                    yield kind, name, term


def _first_named(text: str, kind: SubjectKind) -> str | None:
    """The subject of ``kind`` named first in ``text`` (by position), if any."""
    best: tuple[int, str] | None = None
    for _, name, term in _present(text, (kind,)):
        match = term.pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), name)
    return best[1] if best else None


def subjects_of(title: str, body: str, kinds: Iterable[SubjectKind]) -> tuple[tuple[str, str], ...]:
    """For each kind, the subject the headline names first, else the one the body's first sentence names first.
    A report is about its headline's first company: "AMD도 中 전용칩 수출 허가…엔비디아 이틀 만" is AMD's."""
    first = _FIRST_SENTENCE.split(body.lstrip(), maxsplit=1)[0]
    out = []
    for kind in kinds:
        in_title = _named(title, kind)
        if len(in_title) > 1 and kind.name != "company":
            continue                # "'말레이 데이터센터용' 속여 …싱가포르 법원": which one is the actor is not clear
        name = (in_title.pop() if len(in_title) == 1 and kind.name != "company" else _first_named(title, kind)) \
            or _first_named(first, kind)
        if name is not None:
            out.append((kind.name, name))
    return tuple(out)


_EARLIER = re.compile(r"\s*(?:(?:에|과|와)?\s*이어|보다|(?:과|와)\s*달리|에\s*비해)")


def _named(text: str, kind: SubjectKind) -> set[str]:
    """The subjects of ``kind`` that ``text`` names as actors: a name followed by "(에) 이어", "보다" or "와 달리" is
    the event the report sets its own beside ("인듐 이어 연이틀 수출통제", "英 기준은 …EU보다 문턱 낮고")."""
    return {name for _, name, term in _present(text, (kind,))
            if any(not _EARLIER.match(text, m.end()) for m in term.pattern.finditer(text))}


def different_subjects(a: StoryFeatures, b: StoryFeatures) -> bool:
    """Both reports name a first subject of some kind, and not the same one; or one headline names a subject (a
    country, a chamber, a mineral) that the other report never mentions: "말레이시아 유령회사 경유" and a report of
    an earlier case that went through Viet Nam.  Companies are left to :func:`different_firms`: a report of an
    event often puts the Korean firms it touches in its headline, and other reports of it need not name them."""
    if any(not _names(b, name) for name in a.headline) or any(not _names(a, name) for name in b.headline):
        return True
    if not a.subjects or not b.subjects:
        return False
    theirs = dict(b.subjects)
    return any(kind in theirs and theirs[kind] != name for kind, name in a.subjects)


# Kinds compared only as first subjects (subjects_of), never by headline_subjects: a report puts the Korean firm an
# event touches in its headline ("룽신 제재 불똥…한울정밀 주가 급락"), or a city it passes through ("조호르 진출 韓
# 기업", "인천공항"), that other reports of the same event need not name.  Companies have different_firms instead.
_ONLY_FIRST = ("company", "city")


def headline_subjects(title: str, kinds: Iterable[SubjectKind]) -> tuple[str, ...]:
    """For each kind but companies and cities, the subject the headline names when it names only one of that kind.  A
    headline naming two ("말레이 이어 인니도", "'말레이 데이터센터용' 속여 …싱가포르 법원") sets its event beside
    another or names a means, and says less about which event it is."""
    out = []
    for kind in kinds:
        if kind.name in _ONLY_FIRST:
            continue
        named = _named(title, kind)
        if len(named) == 1:
            out.append(named.pop())
    return tuple(out)


# Company names no list can hold (a new supplier, an invented trader) still have a company's shape: a name and a
# business word, written solid ("세진메모리", "동우플라즈마텍", "치윈컴퓨팅").  The name part is what identifies the
# firm; outlets also write it alone ("한울" for 한울반도체).
_FIRM_SUFFIXES = sorted("""반도체 메모리 전자 정밀 테크 텍 하이테크 이엔지 머티리얼즈 머티리얼스 시스템즈 시스템스
인스트루먼츠 컴퓨팅 무역 케미칼 솔루션즈 일렉트릭 일렉트로닉스 테크놀로지 테크놀러지 세미콘 세미컨덕터 디바이스
마이크로 랩스 네트웍스 트레이딩 상사 물산 인더스트리 중공업 파운드리 엔지니어링 인터내셔널 로직스 옵틱스
포토닉스 이큅 이큅먼트 지능 커지 캐피털 캐피탈 파트너스 홀딩스 벤처스 인베스트먼트 클라우드 바이오 실리콘""".split(),
                        key=len,
                        reverse=True)
# Words that make a kind of chip, a trade or a technology, not a firm, in front of those words: 중국반도체,
# 전력반도체, 낸드메모리, 클라우드컴퓨팅, 중계무역.
_NOT_FIRM_NAMES = frozenset("""한국 중국 미국 일본 대만 유럽 국내 국산 해외 글로벌 세계 국가 민간 첨단 차세대 레거시 구형
범용 전력 파워 시스템 비메모리 낸드 디램 로직 아날로그 플래시 그래픽 서버 모바일 저전력 지능 뉴로모픽 차량 전장
종합 토종 중소 대형 주요 대표 관련 고성능 인공지능 고대역폭 화합물 자동차 전기 디스플레이 파운드리 반도체 메모리
장비 부품 소재 후공정 전공정 팹리스 기업 업체 관련주 수출 수입 기초 핵심 전략 방산 석유 철강 조선 섬유 식품 통신
가전 전자 정보 기술 과학 우주 항공 에너지 신소재 정밀 화학 플라스틱 소비자 산업 클라우드 양자 엣지 원격 슈퍼
인메모리 실리콘 보안 기후 중계 가공 우회 대중 대미 국제 보호 자유 공정 불공정 디지털 수출입 남북 밀수 불법
인공 생성형 초 초거대 범용인공 사모 해외 공공 민간 퍼블릭 하이브리드 멀티 소버린 국가대표 초지능""".split())


_FIRM_SUFFIX_SET = frozenset(_FIRM_SUFFIXES)
_FIRM_SUFFIX_LENGTHS = sorted({len(x) for x in _FIRM_SUFFIXES}, reverse=True)
_FIRM_LAST_CHARS = frozenset(x[-1] for x in _FIRM_SUFFIXES)


def firm_name(token: str) -> str | None:
    """The name part of one company-shaped word (particle already stripped): "세진메모리" -> "세진"."""
    if token[-1] not in _FIRM_LAST_CHARS:
        return None
    for n in _FIRM_SUFFIX_LENGTHS:                     # the longest business word wins: 세진하이테크 is 세진's
        if len(token) > n and token[-n:] in _FIRM_SUFFIX_SET:
            name = token[:-n]
            if (len(name) >= 2 and _HANGUL_WORD.fullmatch(name) and name not in _NOT_FIRM_NAMES
                    and not name.endswith(("산", "용", "계", "형"))):           # 중국산, 차량용, 업계, 한국형
                return name
            return None
    return None


def firms_in(title: str, *, earlier: bool = False) -> tuple[str, ...]:
    """The name parts of a headline's company-shaped words, in order: "세진메모리 우시 공장…" -> ("세진",).  A firm
    followed by "(에) 이어" is the earlier event's ("세온이큅…한결세미텍 이어 두 번째" -> ("세온",)), unless
    ``earlier`` asks for every firm named."""
    out = [name for m in _TOKEN.finditer(title)
           if (name := firm_name(strip_particle(m.group()))) and (earlier or not _EARLIER.match(title, m.end()))]
    return tuple(dict.fromkeys(out))




_HANGUL_WORD = re.compile(r"[가-힣]+")


def _names(report: StoryFeatures, name: str) -> bool:
    """The report names the actor in its headline or lead: by its full name, or by its name part alone ("한울" for
    한울반도체)."""
    low = name.lower()                                  # Latin tokens and mentions are stored lower-cased
    stem = strip_particle(low)                          # tokens are stored without what looks like a particle:
    return (name in report.mentions or low in report.mentions  # 코르베인 -> 코르베
            or any(token.startswith(low) or token == stem for token in report.lead))


def different_firms(a: StoryFeatures, b: StoryFeatures) -> bool:
    """Both headlines name companies, and one report's headline names only companies the other report does not
    mention at all (in its headline and lead).  Reports of one event name its company; "세진메모리 우시 공장, 美
    허가 '6개월'뿐" and a report of 한울반도체's licence the day before share the agency, the licence and the
    place, but the earlier one never names 세진.

    Both headlines must name one: Korean outlets put the Korean firm an event touches in their headline ("우림테크,
    '쿤펑신 제재'에 테스트 물량 묶였다") beside a wire that names only the listed firm.  Firing when only one
    headline names a company cost holdout-10 six of its 42 same-event pairs (recall 0.952 -> 0.810) for one false
    pair (bench/dedup_quality.py)."""
    if not a.firms or not b.firms:
        return False
    return not any(_names(b, name) for name in a.firms) or not any(_names(a, name) for name in b.firms)


# A product code: letters and digits in one Latin word (H20, B30A, MI308, NX-40C).  Memory and interface
# standards (HBM3, GDDR7, DDR5, PCIe5) name a kind of part that many products share, not one product.
_STANDARDS = re.compile(r"^(?:hbm|gddr|lpddr|ddr|pcie|usb|wi-?fi|lte|nvlink|cxl|euv|duv|tpp|ai)\d*", re.I)


def codes_in(title: str) -> tuple[str, ...]:
    """The product codes of a headline, lower-cased, in order."""
    out = [raw.lower() for raw in _TOKEN.findall(title)
           if raw[0].isascii() and raw[0].isalpha() and any(c.isdigit() for c in raw) and not _STANDARDS.match(raw)]
    return tuple(dict.fromkeys(out))


def different_products(a: StoryFeatures, b: StoryFeatures) -> bool:
    """Both headlines name products, and one names only products the other report never mentions: "노바코어
    NX-40C" and "베리디안 '오르카 C8'" are two launches two days apart, in one vocabulary."""
    if not a.codes or not b.codes:
        return False
    return not any(code in b.lead for code in a.codes) or not any(code in a.lead for code in b.codes)


# "말레이시아도 'AI칩 원격 임대' 조인다", "AMD도 中 전용칩 수출 허가", "中 지방정부도 가세": a headline that adds an
# actor with 도 ("… too") reports that actor's own event, next to an earlier one of the same kind.  Only actors
# count (a listed subject, a company by its shape, a Latin name, a government, court or agency): nouns that end in
# 도 (제도, 속도, 의존도, 인도 …) are not the particle.
_ALSO = re.compile(r"(?:^|(?<=[\s\[\]'\"‘’“”…·,]))([一-鿿]|[가-힣A-Za-z][가-힣A-Za-z0-9]+?)도(?=$|[\s…,·'\"‘’“”!?])")
_AUTHORITIES = ("정부", "당국", "법원", "지법", "세관", "검찰", "의회", "상원", "하원", "부처", "성", "시")


# "벨트리온 이어 코르베인도", "네덜란드에 이어 일본도": after "X (에) 이어", the word with 도 is a new actor whatever its
# shape (a foreign firm written without a business word, a place).
_AFTER = re.compile(r"이어\s*[‘'\"“]?$")


# "이번엔 '말레이시아 유령회사' 경유", "이번엔 세온이큅": the name after 이번엔 ("this time") is what sets this event
# apart from the one before it.
_THIS_TIME = re.compile(r"이번(?:엔|에는)\s*[‘'\"“]?([가-힣A-Za-z][가-힣A-Za-z0-9]+)")


def also_actor(title: str, kinds: Iterable[SubjectKind] = (), generic: frozenset[str] = frozenset()
               ) -> tuple[str, ...]:
    """The actor a headline adds with 도 (see _ALSO), else the actor named right after 이번엔 (_THIS_TIME), as a
    one-name tuple, or ().  After 이번엔, only names count (a listed subject, a company by its shape, a Latin name
    that is not one of the topic's own words, ``generic``): "이번엔 메모리", "이번엔 본토" say what differs, in words
    that other reports of the same event need not repeat."""
    for match in _ALSO.finditer(title):
        word = match.group(1)
        named = _actor_name(word, kinds)
        if named:
            return named
        if len(word) >= 2 and _AFTER.search(title[:match.start(1)]) and word not in STOPWORDS:
            return (word,)
        if word.isascii() and len(word) >= 2 and word.isupper():
            return (word.lower(),)
        if len(word) >= 3 and word.endswith(_AUTHORITIES) and word not in STOPWORDS:
            return (word,)
    match = _THIS_TIME.search(title)
    if match:
        word = strip_particle(match.group(1))
        named = _actor_name(word, kinds)
        if named:
            return named
        if word.isascii() and len(word) >= 2 and word.isupper() and word.lower() not in generic:
            return (word.lower(),)
    return ()


def _actor_name(word: str, kinds: Iterable[SubjectKind]) -> tuple[str, ...]:
    """A word that names an actor for sure: a listed subject (by its first name) or a company by its shape."""
    for kind in kinds:
        for _, terms in kind.subjects:
            if any(term.pattern.fullmatch(word) for term in terms):
                return (terms[0].text,)
    return firms_in(word)


_CAPITALS = re.compile(r"\b[A-Z][A-Z0-9]+\b")


def mentioned_actors(text: str, kinds: Iterable[SubjectKind] = ()) -> frozenset[str]:
    """Company names by their shape, the listed subjects named anywhere, and Latin names in capitals."""
    listed = {name for _, name, term in _present(text, kinds) if term.pattern.search(text)}
    return frozenset(firms_in(text, earlier=True)) | listed | {word.lower() for word in _CAPITALS.findall(text)}


def different_actors(a: StoryFeatures, b: StoryFeatures) -> bool:
    """One headline adds an actor ("말레이시아도 …") that the other report never mentions: the other report is of
    the earlier event, which that actor had no part in."""
    return ((bool(a.also) and not any(_names(b, name) for name in a.also))
            or (bool(b.also) and not any(_names(a, name) for name in b.also)))


MIN_NUMBERS = 2                   # reports citing at least this many figures each, none shared, are two events


def different_figures(a: StoryFeatures, b: StoryFeatures) -> bool:
    """Both reports cite figures in their headline and lead (dates aside) and share none of them.  Reports of one
    event repeat its figures (1,650대, 6억2천만달러, 45%); a look-alike event two days later has its own."""
    return len(a.numbers) >= MIN_NUMBERS and len(b.numbers) >= MIN_NUMBERS and not a.numbers & b.numbers


def different_events(a: StoryFeatures, b: StoryFeatures) -> bool:
    """Any of the rules above: different subjects, companies, products, added actors, or figures.  The decision
    (:func:`decide`) takes the company, product and actor rules as vetoes (:func:`vetoed`) and weighs the subject
    and figure rules with the other measures (:func:`pair_vector`)."""
    return (different_subjects(a, b) or different_firms(a, b) or different_products(a, b)
            or different_actors(a, b) or different_figures(a, b))


# A sentence that recalls an earlier event: "앞서 지난 3일 …", "…에 이어", "이틀 전", "…한 바 있다".  A report of a
# second, look-alike event retells the first one in such sentences, with the first event's names and figures.
_RECAP = re.compile(r"앞서|지난\s*\d+일|지난달|지난주|지난해|이어|이틀 전|사흘 전|전날|바 있|당시|에 이은|잇따라|연이어"
                    r"|두 번째|이번이")
_SENTENCE_END = re.compile(r"(?<=[다요])\.\s*|\n")


def own_and_recap(title: str, body: str, exclude: frozenset[str]) -> tuple[set[str], set[str]]:
    """(tokens of the headline and of the body's sentences that tell this event, tokens of the sentences that recall
    an earlier one; see _RECAP)."""
    own, recap = [title], []
    for sentence in _SENTENCE_END.split(body):
        if sentence.strip():
            (recap if _RECAP.search(sentence) else own).append(sentence)
    return key_tokens("\n".join(own), exclude), key_tokens("\n".join(recap), exclude)


def story_features(title: str, text: str, published: datetime | None,
                   topic_terms: Iterable[str] = (), subjects: Iterable[SubjectKind] = ()) -> StoryFeatures:
    title = title[:HEADLINE_CHARS]                  # a hostile page's megabyte <title> is not a headline
    body, outlets = outlet_words(text[:BODY_CHARS])
    exclude = _topic_exclusions(tuple(topic_terms)) | outlets
    title_tokens = key_tokens(title, exclude)
    own, recap = own_and_recap(title, body, exclude)
    lead_tokens = own | recap         # the tokens of title and body: no token spans the sentence ends split at
    numbers = {t for t in lead_tokens if t[0].isdigit()}
    firms = tuple(name for name in firms_in(title) if name in body)      # a name the report itself repeats
    codes = tuple(code for code in codes_in(title) if code in lead_tokens)
    return StoryFeatures(frozenset(title_tokens), frozenset(lead_tokens), frozenset(numbers), published,
                         subjects_of(title, body, subjects), firms, mentioned_actors(title + "\n" + body, subjects),
                         codes, also_actor(title, subjects, exclude), headline_subjects(title, subjects),
                         frozenset(own), frozenset(recap), is_analysis(title))


LEAD_SHARE = 0.75                 # of the score; the rest comes from the titles


def token_weight(token: str) -> float:
    return SPECIFIC_WEIGHT if token[0].isascii() else 1.0


def weight_sum(tokens: Iterable[str]) -> float:
    return sum(token_weight(t) for t in tokens)


def _cosine(a: frozenset[str], b: frozenset[str]) -> float:
    """Weighted set cosine: shared weight / sqrt(weight(a) * weight(b))."""
    if not a or not b:
        return 0.0
    return weight_sum(a & b) / (weight_sum(a) * weight_sum(b)) ** 0.5


def gap_factor(a: datetime | None, b: datetime | None) -> float:
    """1 for reports published within FULL_SCORE_GAP of each other (or with an unknown time), falling linearly to
    FAR_GAP_FACTOR at MAX_GAP, 0 beyond."""
    if a is None or b is None:
        return 1.0
    gap = abs(a - b)
    if gap > MAX_GAP:
        return 0.0
    if gap <= FULL_SCORE_GAP:
        return 1.0
    return 1.0 - (1.0 - FAR_GAP_FACTOR) * (gap - FULL_SCORE_GAP) / (MAX_GAP - FULL_SCORE_GAP)


# A headline tag that marks an analysis, an explainer or a weekly feature: "[분석]", "[주말 심층]", "[이슈 점검]",
# "[테크 인사이드]", "【해설】".  Newscast tags ("[저녁뉴스]", "[속보 브리핑]") are not analyses.
_ANALYSIS = re.compile(r"^\s*[\[【<][^\]】>\n]{0,12}(?:분석|심층|해설|이슈|포커스|인사이드|주말|점검|리포트|읽기|워치|리뷰"
                       r"|진단|기획)[^\]】>\n]{0,8}[\]】>]")


def is_analysis(title: str) -> bool:
    return bool(_ANALYSIS.match(title))


def pair_gap(a: StoryFeatures, b: StoryFeatures) -> float:
    """:func:`gap_factor` of two reports, where an analysis published after the other report counts its gap
    ANALYSIS_GRACE shorter (never beyond MAX_GAP): "[심층] ‘1.4GB/s/mm²’가 가른 것" two and a half days after the
    rule it explains."""
    if a.published is None or b.published is None:
        return 1.0
    earlier, later = (b, a) if b.published < a.published else (a, b)
    gap = later.published - earlier.published
    if gap > MAX_GAP:
        return 0.0
    if later.analysis:
        gap = max(timedelta(0), gap - ANALYSIS_GRACE)
    return gap_factor(earlier.published, earlier.published + gap)


def story_score(a: StoryFeatures, b: StoryFeatures) -> float:
    """0..1: the overlap of facts, scaled by :func:`pair_gap` (0 more than MAX_GAP apart).

    crawler.ingest.StoryIndex computes the same score incrementally; tests/test_stories.py holds them equal."""
    factor = pair_gap(a, b)
    if factor == 0.0:
        return 0.0
    return factor * (LEAD_SHARE * _cosine(a.lead, b.lead) + (1 - LEAD_SHARE) * _cosine(a.title, b.title))


MIN_SCORE = 0.10                  # pairs scoring less are never one story; the model weighs the rest
RULES_SCORE = 0.35                # from here on, the hand rules decide alone: no two reports of different events
                                  # in the 17 training sets of the model scored more than 0.332, so it has nothing
                                  # to learn from there (reports retelling one press release with other figures)
MAX_COUNT = 8                     # counts of figures are capped: a table of 40 figures is not 5 times more telling

# The measures of a pair, in the order of pair_vector and of story_model.json.
PAIR_FEATURES = ("score", "lead", "title", "different_subjects", "different_figures", "shared_figures",
                 "fewer_figures", "figure_overlap", "own_facts", "shared_own_figures", "earlier_recalled",
                 "later_recalled")


def _fast_cosine(a: frozenset[str], b: frozenset[str], specific_a: frozenset[str], specific_b: frozenset[str]
                 ) -> float:
    """:func:`_cosine`, with the specific tokens of each set known (token_weight: 1, or SPECIFIC_WEIGHT for them)."""
    if not a or not b:
        return 0.0
    extra = SPECIFIC_WEIGHT - 1.0
    shared = len(a & b) + extra * len(specific_a & specific_b)
    if not shared:
        return 0.0
    return shared / ((len(a) + extra * len(specific_a)) * (len(b) + extra * len(specific_b))) ** 0.5


def pair_vector(a: StoryFeatures, b: StoryFeatures, lead: float, title: float, score: float) -> list[float]:
    """The measures of PAIR_FEATURES for two reports, given their lead and title cosines and story_score.

    The last two are how much of one report's lead the other retells in its recap sentences (own_and_recap): a
    report of a later look-alike event recalls the earlier event's facts; a report of the same event tells them."""
    earlier, later = (b, a) if a.published and b.published and b.published < a.published else (a, b)
    shared = len(a.numbers & b.numbers)
    union = len(a.numbers | b.numbers)
    return [score, lead, title, float(different_subjects(a, b)), float(different_figures(a, b)),
            float(min(shared, MAX_COUNT)), float(min(len(a.numbers), len(b.numbers), MAX_COUNT)),
            shared / union if union else 0.0,
            _fast_cosine(a.own, b.own, a.own_specific, b.own_specific),
            float(min(len(a.own_figures & b.own_figures), MAX_COUNT)),
            _fast_cosine(earlier.lead, later.recap, earlier.lead_specific, later.recap_specific),
            _fast_cosine(later.lead, earlier.recap, later.lead_specific, earlier.recap_specific)]


def vetoed(a: StoryFeatures, b: StoryFeatures) -> bool:
    """Different companies, products or added actors in the headlines: two events whatever else they share.  On
    the model's 17 training sets these rules fired on 93 pairs that scored MIN_SCORE or more, 1 of them one event."""
    return different_firms(a, b) or different_products(a, b) or different_actors(a, b)


_SCORE, _SUBJECTS, _FIGURES = (PAIR_FEATURES.index(name) for name in ("score", "different_subjects",
                                                                         "different_figures"))


def decide_vector(model: story_model.PairModel, vector: list[float] | tuple[float, ...]) -> bool:
    """The decision on a pair that scored MIN_SCORE or more and was not vetoed: the model's, or from RULES_SCORE on
    the rules' (no different subjects, no different figures)."""
    if vector[_SCORE] >= RULES_SCORE:
        return not vector[_SUBJECTS] and not vector[_FIGURES]
    return model.same(vector)


def decide(a: StoryFeatures, b: StoryFeatures, lead: float, title: float, score: float) -> bool:
    """One story or not, given the pair's cosines and story_score (crawler.ingest.StoryIndex has them already)."""
    return (score >= MIN_SCORE and not vetoed(a, b)
            and decide_vector(story_model.shipped(PAIR_FEATURES), pair_vector(a, b, lead, title, score)))


def same_story_probability(a: StoryFeatures, b: StoryFeatures) -> float:
    """The model's probability that two reports tell one event (0 below MIN_SCORE or when vetoed)."""
    score = story_score(a, b)
    if score < MIN_SCORE or vetoed(a, b):
        return 0.0
    return story_model.shipped(PAIR_FEATURES).probability(
        pair_vector(a, b, _cosine(a.lead, b.lead), _cosine(a.title, b.title), score))


def same_story(a: StoryFeatures, b: StoryFeatures) -> bool:
    score = story_score(a, b)
    return decide(a, b, _cosine(a.lead, b.lead), _cosine(a.title, b.title), score)
