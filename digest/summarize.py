"""A 2–3 sentence Korean summary drawn from the article itself (extractive, lead-biased).

News leads carry the event; the summary takes the first sentences that are real sentences (not datelines,
bylines, captions or quotes-only lines) up to MAX_SENTENCES and MAX_CHARS, cutting only at sentence ends.
"""

from __future__ import annotations

import re

from crawler.boilerplate import is_residue, strip_dateline

MAX_SENTENCES = 3
MAX_CHARS = 300
MIN_SENTENCE_CHARS = 8

# Sentence ends: Korean declaratives (다. 요.) and ?, !, … followed by space/end; never inside 3.5% or U.S.
_SENTENCE_END = re.compile(r"(?<=[다요죠음함됨임][.!?])\s+|(?<=[.!?][\"'”’」)])\s+|(?<=[가-힣][?!])\s+")


def split_sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or is_residue(line):
            continue
        out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


def summarize(text: str, *, max_sentences: int = MAX_SENTENCES, max_chars: int = MAX_CHARS) -> str:
    picked: list[str] = []
    length = 0
    for sentence in split_sentences(strip_dateline(text)):
        sentence = strip_dateline(sentence)
        if len(sentence) < MIN_SENTENCE_CHARS or sentence.startswith(("[", "▶", "■", "※")):
            continue
        if length and length + len(sentence) + 1 > max_chars:
            break
        if not length and len(sentence) > max_chars:
            cut = sentence[:max_chars].rsplit(" ", 1)[0]
            return cut.rstrip(",·") + "…"
        picked.append(sentence)
        length += len(sentence) + 1
        if len(picked) >= max_sentences:
            break
    return " ".join(picked)
