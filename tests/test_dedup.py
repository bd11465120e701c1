"""Near-duplicates: syndicated copies of the seeds (trimmed, swapped, retitled, with added boilerplate) are found;
independently written reports of one event and different articles are not."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawler import dedup
from crawler.boilerplate import clean_text
from crawler.seeds import seed_text as seed_text_of
from digest.sampleweb import DEFAULT_ROOT, load_articles

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
SAMPLE = {a.id: a for a in load_articles(DEFAULT_ROOT, datetime(2026, 11, 24, tzinfo=timezone.utc))}


def paragraphs(path: Path) -> list[str]:
    return [line for line in clean_text(path.read_text(encoding="utf-8")).splitlines() if len(line) > 40]


def syndicate(paras: list[str], *, keep: float = 0.75, swap: bool = True, title: str = "[전재] 새 제목을 붙였다",
              boilerplate: bool = True) -> str:
    body = paras[: max(2, int(len(paras) * keep))]
    if swap and len(body) > 3:
        body[1], body[2] = body[2], body[1]
    parts = [title] + body
    if boilerplate:
        parts = ["글로벌투데이 | 산업 | 2026.11.24", "글자크기 가 가 가"] + parts + [
            "김전재 기자 copy@global.example", "<저작권자 ⓒ 글로벌투데이 무단전재 및 재배포 금지>",
            "▶ 관련기사: 반도체 대전망", "많이 본 뉴스 1. 2. 3."]
    return "\n".join(parts)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("keep", [1.0, 0.8, 0.7])
def test_syndicated_copies_of_each_seed_are_duplicates(seed, keep):
    _, seed_text = seed_text_of(seed)          # what the crawl stores for a seed
    original = dedup.fingerprint(seed_text)
    copy = dedup.fingerprint(syndicate(paragraphs(seed), keep=keep))
    assert dedup.is_near_duplicate(copy, original), (dedup.similarity(copy, original), dedup.containment(copy, original))
    # Seeds are compared exhaustively; for the article history, LSH must propose such copies by itself:
    assert set(dedup.band_keys(copy)) & set(dedup.band_keys(original)), "LSH would not propose the original"


@pytest.mark.parametrize("a, b", list(itertools.combinations(SEEDS, 2)), ids=lambda p: p.name[:3])
def test_different_seeds_are_not_duplicates(a, b):
    assert not dedup.is_near_duplicate(dedup.fingerprint(a.read_text(encoding="utf-8")),
                                       dedup.fingerprint(b.read_text(encoding="utf-8")))


@pytest.mark.parametrize("x, y", [("e1-hanbit", "e1-techdaily"), ("e1-hanbit", "e1-bandoche"),
                                  ("e2-hanbit", "e2-techdaily"), ("e3-techdaily", "e3-globalbiz"),
                                  ("e4-hanbit", "e4-globalbiz"), ("e2-techdaily", "tracking")])
def test_independent_reports_of_one_event_are_not_duplicates(x, y):
    fx = dedup.fingerprint("\n".join(SAMPLE[x].paragraphs))
    fy = dedup.fingerprint("\n".join(SAMPLE[y].paragraphs))
    assert not dedup.is_near_duplicate(fx, fy), dedup.containment(fx, fy)


def test_exact_copy_and_layout_changes():
    text = "\n".join(SAMPLE["e1-hanbit"].paragraphs)
    a, b = dedup.fingerprint(text), dedup.fingerprint(text.replace("\n", "  ").replace(". ", ".\n"))
    assert dedup.similarity(a, b) == 1.0 and dedup.is_near_duplicate(a, b)


def test_short_texts_are_only_exact_duplicates():
    a = dedup.fingerprint("짧은 기사 본문입니다.")
    assert dedup.is_near_duplicate(a, dedup.fingerprint("짧은 기사 본문입니다."))
    assert not dedup.is_near_duplicate(a, dedup.fingerprint("짧은 기사 본문이었다."))


def test_fingerprint_is_stable_and_records_its_scheme():
    text = SEEDS[0].read_text(encoding="utf-8")
    a, b = dedup.fingerprint(text), dedup.fingerprint(text)
    assert a == b and a.scheme == dedup.SCHEME and len(a.signature) == 4 * dedup.NUM_PERM
    other = dedup.Fingerprint(a.signature, a.shingles, "datasketch-1.x/legacy")
    assert not dedup.is_near_duplicate(a, other)
    assert all(-(2 ** 63) <= k < 2 ** 63 for _, k in dedup.band_keys(a))


def test_signature_values_never_drift_under_one_scheme():
    """Stored fingerprints are compared with new ones for years: under an unchanged SCHEME string the signature
    of a known text must stay bit for bit what it was (value recorded with datasketch 2.0.0 when the scheme was
    introduced).  A change of hashing or permutations must come with a new SCHEME."""
    import hashlib

    fp = dedup.fingerprint("미국 상무부가 엔비디아 H20 칩의 중국 수출에 대한 허가 요건을 강화했다. "
                           "업계는 중국 데이터센터 투자가 지연될 것으로 본다.")
    assert fp.scheme == "datasketch-2.0/affine32/crc32/k4/p128/s1/lsh32x4b"
    assert fp.shingles == 49
    assert hashlib.sha256(fp.signature).hexdigest() == \
        "415f27eaa747e901698e9611972c591ce4072826f0a421a525cbbb274fc21893"


def test_signatures_equal_datasketch_minhash_bit_for_bit():
    """crawler.dedup computes datasketch 2.0's affine32 MinHash itself (datasketch's import costs 0.4 s per
    process); on varied texts, empty and one-shingle ones included, the values must be datasketch's own."""
    import zlib

    import numpy as np

    datasketch = pytest.importorskip("datasketch")
    texts = ["", "가", "가나다라", "미국 상무부가 엔비디아 H20 칩의 수출을 막았다.", "x" * 5000,
             "\n".join(f"{i}번째 문단: 반도체 수출통제와 관련된 긴 본문 {i * 7919}" for i in range(300))]
    for text in texts:
        shingles = dedup.shingle_set(text)
        reference = datasketch.MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, hashfunc=zlib.crc32,
                                       scheme="affine32")
        if shingles:
            reference.update_batch(list(shingles))
        expected = np.asarray(reference.hashvalues, dtype="<u4").tobytes()
        assert dedup.fingerprint(text).signature == expected, text[:30]


def test_closest_duplicate_decides_as_the_pairwise_rule_and_keeps_the_highest_containment():
    """The crawl compares a new article with all its candidates in one numpy step; the decision must be
    is_near_duplicate's on each pair, and the pick the candidate with the highest containment (first of equals)."""
    seed_paras = [paragraphs(path) for path in SEEDS]
    new = dedup.fingerprint(syndicate(seed_paras[0], keep=0.9))
    shorter = syndicate(seed_paras[0], keep=0.7, swap=False)
    olds = [dedup.fingerprint(syndicate(seed_paras[1])),                       # another event: no
            dedup.fingerprint("\n".join(seed_paras[0])),                        # the original: yes
            dedup.fingerprint(shorter),                                         # a shorter copy: yes, closer
            dedup.fingerprint("짧은 기사 본문입니다."),                          # too short to compare
            dedup.Fingerprint(new.signature, new.shingles, "other-scheme"),     # same values, other scheme: no
            dedup.fingerprint(shorter)]                                         # an equal of the best: not picked
    decisions = [dedup.is_near_duplicate(new, old) for old in olds]
    assert decisions == [False, True, True, False, False, True]
    scores = [dedup.containment(new, old) if d else 0.0 for old, d in zip(olds, decisions)]
    assert scores[2] > scores[1]
    assert dedup.closest_duplicate(new, olds) == (2, scores[2])
    assert dedup.closest_duplicate(new, [olds[0], olds[3], olds[4]]) is None
    assert dedup.closest_duplicate(new, []) is None
    empty = dedup.fingerprint("")
    assert dedup.closest_duplicate(empty, [empty]) is None          # two empty texts are not duplicates
