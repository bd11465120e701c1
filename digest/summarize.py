"""A 2–3 sentence Korean summary drawn from the article itself (extractive, lead-biased).

Korean news puts the event in its first sentences (역피라미드), so the summary is the first real sentences of the
body, in order, up to ``max_sentences`` and ``max_chars``.  Not sentences: datelines ("[서울=뉴시스] 홍길동 기자 =",
"(워싱턴=연합뉴스) … 특파원 =", "[이데일리 김철수 기자]"), bylines and e-mail lines, photo captions ("▲ …",
"… /사진=연합뉴스"), subheads and the title repeated at the top of the body.

Sentences end at 다. 요. and at . ? ! … followed by a space, a line break or the end — but not inside "3.5%",
"U.S.", "Corp." or a date written "2026. 11. 20.".  Cuts happen only at sentence ends; the one exception, a first
sentence longer than ``max_chars``, is cut at a word boundary (never inside a syllable) and ends with "…".
"""

from __future__ import annotations

import re
import unicodedata

from crawler.boilerplate import is_residue, strip_dateline

MAX_SENTENCES = 3
MAX_CHARS = 300
MIN_SENTENCE_CHARS = 8      # shorter pieces are fragments ("네.", "사진=뉴스1"); checked on ../shared/korean-data gold texts
SUBHEAD_MAX_CHARS = 60      # a line this short without sentence-final punctuation is a subhead or caption
CAPTION_MAX_CHARS = 160     # a longer line with a credit at its end is prose followed by a credit
ELLIPSIS = "…"

_HANGUL = "\uac00-\ud7a3"
_CLOSERS = "\"'”’」』)\\]›»"
# A sentence end candidate: terminal punctuation (plus closing quotes/brackets) then whitespace or the end.
_END_CANDIDATE = re.compile(rf"[.?!…]+[{_CLOSERS}]*(?=\s|$)")
# "했다.그러나" — a Korean sentence end glued to the next sentence (common in scraped text).
_GLUED_END = re.compile(rf"(?<=[{_HANGUL}])([.?!])(?=[{_HANGUL}A-Z“‘])")
# Words before a period that do not end a sentence: initials (U.S., J.), English abbreviations, numbers (dates).
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "st", "jr", "sr", "inc", "corp",
                  "co", "ltd", "llc", "no", "vs", "etc", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul",
                  "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "a.m", "p.m"}

# Leading metadata at the start of the body or of a paragraph.
_LEADING_META = [
    re.compile(p) for p in (
        # [서울=뉴시스] / (워싱턴=연합뉴스) / 【베이징=신화】 + optional "홍길동 기자 =" / "홍길동 특파원 ="
        rf"^[\[(【]\s*[{_HANGUL}A-Za-z0-9 ·]{{1,15}}\s*=\s*[^\])】]{{1,25}}[\])】]\s*"
        rf"(?:[{_HANGUL}]{{2,4}}(?:\s*[·,]\s*[{_HANGUL}]{{2,4}})*\s*(?:기자|특파원|객원기자|선임기자|전문기자)\s*=?\s*)?",
        # [이데일리 김철수 기자] / [ZDNet Korea 홍길동 기자] / (뉴스1 홍길동 기자)
        rf"^[\[(【]\s*[^\])】]{{0,25}}?[{_HANGUL}]{{2,4}}\s*(?:기자|특파원|객원기자|선임기자|전문기자)\s*[\])】]\s*=?\s*",
        # 홍길동 기자 = / 홍길동·김영희 기자 =
        rf"^[{_HANGUL}]{{2,4}}(?:\s*[·,]\s*[{_HANGUL}]{{2,4}})*\s*(?:기자|특파원)\s*=\s*",
        # [뉴스핌] / [아시아경제] alone at the start, followed by the sentence
        rf"^[\[【]\s*[{_HANGUL}A-Za-z0-9 ]{{2,12}}\s*[\]】]\s*(?=[{_HANGUL}A-Za-z“\"])",
        # a photo credit left at the start: "/연합뉴스 최근 …"
        rf"^/\s*(?:사진\s*=\s*)?[{_HANGUL}A-Za-z]{{2,10}}\s+",
    )
]
# Broadcast script markers glued into the text ("…찬반논쟁[앵커]사람을 …"): a paragraph break.
_SCRIPT_MARK = re.compile(r"\s*[\[【]\s*(?:앵커|앵커\s*멘트|기자|리포트|인터뷰|현장음)\s*[\]】]\s*")
# Whole lines that are not prose: captions and credits the crawler's cleanup may have let through.
_CAPTION_LINE = re.compile(
    rf"^\s*(?:[▲△▶▷■□◆◇●○※☞]|<\s*사진|\[\s*사진|\(\s*사진)"           # ▲ caption, [사진=…], (사진 …)
    rf"|(?:^|[\s.])/\s*(?:(?:사진|그래픽|자료)\s*=\s*)?[{_HANGUL}A-Za-z ]{{2,15}}\d?\s*$"  # … /연합뉴스, /사진=뉴스1
    rf"|\[\s*[{_HANGUL}A-Za-z0-9 ]{{0,15}}(?:사진|그래픽)\s*\]\s*$"        # … [연합뉴스 자료사진]
)
# Sentences that are never news: broadcast sign-offs, player and photo notices, list bullets.
_JUNK_SENTENCE = re.compile(
    rf"^[{_HANGUL}]{{2,4}}\s*(?:기자|특파원)(?:입니다|였습니다|의\s*보도입니다|가\s*(?:보도|전)합니다)\.?$"
    r"|(?:함께|영상으로)\s*(?:보시죠|보시겠습니다|확인하시죠)"
    r"|브라우저가\s*video|다른\s*브라우저를\s*사용|이미지\s*확대|기사\s*내용과\s*(?:직접적인\s*)?(?:관련이|무관)"
    r"|실제\s*방송\s*내용과\s*차이|^[-–·•*]\s")
_SENTENCE_FINAL = re.compile(rf"[.?!…][{_CLOSERS}]*$|[다요][{_CLOSERS}]*$")
_SPACE = re.compile(r"[ \t\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff]+")


def normalise(text: str) -> str:
    """NFC (so one code point is one syllable), zero-width characters gone, spaces squeezed line by line."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _SCRIPT_MARK.sub("\n", text)
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def strip_leading_meta(text: str) -> str:
    """Remove a dateline or byline at the start of ``text`` (repeatedly: "[뉴스핌] 홍길동 기자 = …")."""
    text = strip_dateline(text).lstrip()
    changed = True
    while changed:
        changed = False
        for pattern in _LEADING_META:
            stripped = pattern.sub("", text, count=1)
            if stripped != text:
                text, changed = stripped.lstrip(), True
    return text


def is_prose_line(line: str) -> bool:
    """False for captions, credits, subheads and short boilerplate lines: lines a summary must never quote.

    A long line that merely ends in a copyright notice stays; its sentences are judged one by one.
    """
    if not line or (len(line) <= CAPTION_MAX_CHARS and _CAPTION_LINE.search(line)):
        return False
    if len(line) <= SUBHEAD_MAX_CHARS and (is_residue(line) or not _SENTENCE_FINAL.search(line)):
        return False
    return True


def is_prose_sentence(sentence: str) -> bool:
    """A sentence worth quoting: long enough, ends like a sentence, not boilerplate, a sign-off or a bullet."""
    return (len(sentence) >= MIN_SENTENCE_CHARS and bool(_SENTENCE_FINAL.search(sentence))
            and not is_residue(sentence)
            and not _JUNK_SENTENCE.search(sentence) and not _CAPTION_LINE.search(sentence))


def _ends_sentence(line: str, match: re.Match[str]) -> bool:
    """A lone period after an initial, an abbreviation or a number ("U.S.", "Corp.", "2026. 11.") ends nothing."""
    if match.group().rstrip(_CLOSERS) != ".":
        return True
    word = re.search(r"[A-Za-z0-9.]+$", line[: match.start()])
    if not word:
        return True
    token = word.group()
    if token.isdigit() or token.lower() in _ABBREVIATIONS:
        return False
    return not re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", token)       # initials: U.S, J, K.S


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order; each line is at least one sentence (a paragraph never runs on)."""
    out: list[str] = []
    for line in normalise(text).split("\n"):
        if not line:
            continue
        line = _GLUED_END.sub(r"\1 ", line)
        start = 0
        for match in _END_CANDIDATE.finditer(line):
            if _ends_sentence(line, match):
                piece = line[start:match.end()].strip()
                if piece:
                    out.append(piece)
                start = match.end()
        rest = line[start:].strip()
        if rest:
            out.append(rest)
    return out


def _cut(sentence: str, max_chars: int) -> str:
    """Shorten at a word boundary to at most ``max_chars`` including the ellipsis; never inside a syllable."""
    limit = max(1, max_chars - len(ELLIPSIS))
    head = sentence[:limit]
    if " " in head[limit // 2:]:
        head = head.rsplit(" ", 1)[0]
    # NFC text: a cut between code points splits no precomposed syllable; drop dangling combining marks/jamo.
    while head and (unicodedata.combining(head[-1]) or "\u1160" <= head[-1] <= "\u11ff"):
        head = head[:-1]
    return head.rstrip(" ,·、:;-(「“\"'") + ELLIPSIS


def summarize(text: str, *, max_sentences: int = MAX_SENTENCES, max_chars: int = MAX_CHARS,
              title: str | None = None) -> str:
    """Up to ``max_sentences`` leading prose sentences of ``text``, at most ``max_chars`` characters in all.

    ``title``, when given, is skipped if the body repeats it as its first line.  Returns "" when the text holds
    no prose at all (the digest then shows the title alone).
    """
    picked: list[str] = []
    length = 0
    for raw_line in normalise(text).split("\n"):
        line = strip_leading_meta(raw_line)
        if title and not picked:
            line = strip_title(line, title)
        if not is_prose_line(line):
            continue
        for sentence in split_sentences(line):
            sentence = strip_leading_meta(sentence)
            if not is_prose_sentence(sentence):
                continue
            if not picked and len(sentence) > max_chars:
                return _cut(sentence, max_chars)
            if picked and length + 1 + len(sentence) > max_chars:
                return " ".join(picked)
            picked.append(sentence)
            length += len(sentence) + (1 if length else 0)
            if len(picked) >= max_sentences:
                return " ".join(picked)
    return " ".join(picked)


def strip_title(line: str, title: str) -> str:
    """``line`` without the article title at its start (pages often glue the headline to the lead)."""
    key = re.sub(r"\s", "", normalise(title))
    if len(key) < 4:
        return line
    seen = 0
    for index, char in enumerate(line):
        if char.isspace():
            continue
        if seen == len(key) or char != key[seen]:
            break
        seen += 1
        if seen == len(key):
            return strip_leading_meta(line[index + 1:].lstrip(" .…:-—"))
    return line
