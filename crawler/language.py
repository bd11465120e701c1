"""Which language an article is in, by script shares: only Korean articles count.

Korean news is full of Latin terms (GPU, H20, BIS) and the odd Han character (美, 中), so the decision rests on
Hangul's share of the letters: Korean when Hangul is at least KOREAN_MIN_SHARE of Hangul + Han + Kana + Latin.
"""

from __future__ import annotations

import re

KOREAN_MIN_SHARE = 0.35   # tuned on tests/test_language.py cases: Korean tech news with heavy English ≈ 0.5–0.9
MIN_LETTERS = 10          # fewer (weighted) letters than this: undetermined

_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_HAN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")
_KANA = re.compile("[\u3040-\u30ff]")
_LATIN = re.compile("[A-Za-z]")


def script_counts(text: str) -> dict[str, int]:
    return {"hangul": len(_HANGUL.findall(text)), "han": len(_HAN.findall(text)),
            "kana": len(_KANA.findall(text)), "latin": len(_LATIN.findall(text))}


LATIN_PER_SYLLABLE = 3.0  # a Hangul syllable carries about as much as three Latin letters


def detect_language(text: str) -> str:
    """"ko", "en", "zh", "ja" or "und"."""
    c = script_counts(text)
    c["latin"] = c["latin"] / LATIN_PER_SYLLABLE
    total = sum(c.values())
    if total < MIN_LETTERS:
        return "und"
    if c["hangul"] / total >= KOREAN_MIN_SHARE:
        return "ko"
    if c["kana"] >= 0.05 * total and c["kana"] + c["han"] > c["latin"]:
        return "ja"
    if c["han"] > c["latin"]:
        return "zh"
    if c["latin"] >= 0.5 * total:
        return "en"
    return "und"
