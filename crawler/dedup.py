"""Near-duplicate detection: MinHash signatures of character shingles, an LSH band index kept in the database.

A syndicated copy trims the end, swaps paragraphs, retitles or adds its own header and footer; its shingle set
then mostly lies *inside* the original's.  So the decision uses estimated **containment**
|A∩B| / min(|A|,|B|) (derived from the MinHash Jaccard estimate and the stored set sizes), not Jaccard alone.

Signatures are datasketch 2.0's MinHash with scheme ``affine32``, computed here with numpy: each shingle's crc32 is
mixed with the MurmurHash3 32-bit finalizer, then 128 affine permutations ``a·h + b mod 2^32`` (``a`` odd; ``a``
and ``b`` drawn from ``numpy.random.RandomState(SEED)`` as datasketch draws them) keep their minimum.  Importing
datasketch costs 0.4 s per process (its package pulls in scipy) and the crawl starts three; the values are the
same bit for bit (tests/test_dedup.py checks them against datasketch and against a recorded digest).  The scheme
string is stored with every signature and compared before two signatures are compared.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NUM_PERM = 128
SHINGLE = 4              # characters per shingle, whitespace and punctuation removed; 4 keeps the background
                         # overlap of unrelated Korean news low (≈0.02–0.06 Jaccard) while copies stay ≈0.7–1.0
SEED = 1
BANDS, ROWS = 32, 4      # LSH: candidates from Jaccard ≈ (1/BANDS)^(1/ROWS) ≈ 0.42 upwards
SCHEME = f"datasketch-2.0/affine32/crc32/k{SHINGLE}/p{NUM_PERM}/s{SEED}/lsh{BANDS}x{ROWS}b"

NEAR_DUP_CONTAINMENT = 0.6   # tuned on tests/test_dedup.py: trimmed/reworded copies ≥ 0.75, rewrites ≤ 0.35
NEAR_DUP_JACCARD = 0.5       # either suffices
MIN_SIZE_RATIO = 0.35        # the smaller text must be at least this share of the larger (no "contained" snippets)
MIN_SHINGLES = 60            # shorter texts are only exact duplicates

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    signature: bytes        # NUM_PERM uint32 hash values, little-endian
    shingles: int           # size of the shingle set
    scheme: str


def normalize_for_dedup(text: str) -> str:
    """Lower-case, without whitespace and punctuation: layout and punctuation changes do not matter."""
    return _NON_WORD.sub("", text.lower())


def shingle_set(text: str) -> set[bytes]:
    norm = normalize_for_dedup(text)
    if len(norm) <= SHINGLE:
        return {norm.encode("utf-8")} if norm else set()
    # the distinct slices first: repeated phrases are encoded once
    return {piece.encode("utf-8") for piece in {norm[i:i + SHINGLE] for i in range(len(norm) - SHINGLE + 1)}}


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of the affine permutations, drawn once: they depend only on NUM_PERM and SEED."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_A, _B = _permutations(NUM_PERM, SEED)
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, element-wise (uint32 arithmetic wraps, which is the intended mod 2^32)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def minhash(shingles: set[bytes]) -> np.ndarray:
    """The NUM_PERM minimum permuted hash values of a shingle set (all 0xFFFFFFFF when it is empty)."""
    if not shingles:
        return _EMPTY.copy()
    hashed = np.fromiter(map(zlib.crc32, shingles), dtype=np.uint32, count=len(shingles))
    permuted = _fmix32(hashed).reshape(-1, 1) * _A      # one (shingles × NUM_PERM) array, added to in place
    permuted += _B
    return permuted.min(axis=0)


def fingerprint(text: str) -> Fingerprint:
    shingles = shingle_set(text)
    values = minhash(shingles).astype("<u4", copy=False)
    return Fingerprint(values.tobytes(), len(shingles), SCHEME)


def _values(fp: Fingerprint) -> np.ndarray:
    return np.frombuffer(fp.signature, dtype="<u4")


def band_keys(fp: Fingerprint) -> list[tuple[int, int]]:
    """(band, key) pairs for the LSH table; keys are signed 63-bit so every SQL engine stores them."""
    if fp.shingles == 0:
        return []
    values = _values(fp)
    keys = []
    for band in range(BANDS):
        # the band number is hashed in, so a key alone identifies (band, rows): one indexed IN query finds all
        chunk = struct.pack("<H", band) + values[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append((band, struct.unpack("<q", digest)[0] >> 1))
    return keys


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    if a.scheme != b.scheme:
        raise ValueError(f"fingerprints of different schemes: {a.scheme} vs {b.scheme}")
    if a.shingles == 0 or b.shingles == 0:
        return 1.0 if a.shingles == b.shingles else 0.0
    return float(np.count_nonzero(_values(a) == _values(b))) / NUM_PERM


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated |A∩B| / min(|A|,|B|)."""
    return _containment(a, b, similarity(a, b))


def is_near_duplicate(new: Fingerprint, old: Fingerprint) -> bool:
    """The decision used by the crawl (constants above say on what they were tuned)."""
    return _decide(new, old, similarity(new, old) if new.scheme == old.scheme else 0.0)


def _decide(new: Fingerprint, old: Fingerprint, jaccard: float) -> bool:
    """:func:`is_near_duplicate` with the Jaccard estimate already computed."""
    if new.scheme != old.scheme:
        return False
    small, large = sorted((new.shingles, old.shingles))
    if large == 0:
        return False
    if small < MIN_SHINGLES:
        return new.signature == old.signature and new.shingles == old.shingles
    if small / large < MIN_SIZE_RATIO:
        return False
    return jaccard >= NEAR_DUP_JACCARD or _containment(new, old, jaccard) >= NEAR_DUP_CONTAINMENT


def _containment(a: Fingerprint, b: Fingerprint, j: float) -> float:
    small = min(a.shingles, b.shingles)
    if small == 0:
        return 0.0
    return min(1.0, j * (a.shingles + b.shingles) / (1.0 + j) / small)


def closest_duplicate(new: Fingerprint, olds: Sequence[Fingerprint]) -> tuple[int, float] | None:
    """(index, containment) of the near-duplicate in ``olds`` with the highest containment (the first of equals),
    or None.  The same decision as :func:`is_near_duplicate` on each, with every Jaccard estimate computed in one
    numpy comparison: an article can have dozens of LSH candidates."""
    same = [i for i, old in enumerate(olds) if old.scheme == new.scheme]
    if not same:
        return None
    stacked = np.frombuffer(b"".join(olds[i].signature for i in same), dtype="<u4").reshape(len(same), NUM_PERM)
    equal = np.count_nonzero(stacked == _values(new), axis=1)
    best: tuple[int, float] | None = None
    for i, n in zip(same, equal.tolist()):
        old = olds[i]
        if new.shingles == 0 or old.shingles == 0:
            j = 1.0 if new.shingles == old.shingles else 0.0
        else:
            j = n / NUM_PERM
        if _decide(new, old, j):
            score = _containment(new, old, j)
            if best is None or score > best[1]:
                best = (i, score)
    return best
