"""Near-duplicate detection: MinHash signatures of character shingles, an LSH band index kept in the database.

A syndicated copy trims the end, swaps paragraphs, retitles or adds its own header and footer; its shingle set
then mostly lies *inside* the original's.  So the decision uses estimated **containment**
|A∩B| / min(|A|,|B|) (derived from the MinHash Jaccard estimate and the stored set sizes), not Jaccard alone.

Signatures come from datasketch 2.0's MinHash with scheme ``affine32`` (2.0 changed the default permutation
scheme; the scheme string is stored with every signature and compared before two signatures are compared).
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

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
    return {norm[i:i + SHINGLE].encode("utf-8") for i in range(len(norm) - SHINGLE + 1)}


# The permutations depend only on NUM_PERM and SEED: drawn once, not per article (they cost as much as hashing a
# page).  zlib.crc32 is already unsigned in Python 3, so it serves as the hash function as it is.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32, scheme="affine32").permutations


def fingerprint(text: str) -> Fingerprint:
    shingles = shingle_set(text)
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32, scheme="affine32", permutations=_PERMUTATIONS)
    if shingles:
        mh.update_batch(list(shingles))
    values = np.asarray(mh.hashvalues, dtype="<u4")
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
    j = similarity(a, b)
    small = min(a.shingles, b.shingles)
    if small == 0:
        return 0.0
    inter = j * (a.shingles + b.shingles) / (1.0 + j)
    return min(1.0, inter / small)


def is_near_duplicate(new: Fingerprint, old: Fingerprint) -> bool:
    """The decision used by the crawl (constants above say on what they were tuned)."""
    if new.scheme != old.scheme:
        return False
    small, large = sorted((new.shingles, old.shingles))
    if large == 0:
        return False
    if small < MIN_SHINGLES:
        return new.signature == old.signature and new.shingles == old.shingles
    if small / large < MIN_SIZE_RATIO:
        return False
    return similarity(new, old) >= NEAR_DUP_JACCARD or containment(new, old) >= NEAR_DUP_CONTAINMENT
