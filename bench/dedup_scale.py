"""Near-duplicate lookup at scale: cost per new article against N stored signatures, index in SQLite on disk.

Fills the real `lsh` and `fingerprints` tables (crawler.store) with N synthetic signatures (random hash values,
the band keys computed by crawler.dedup.band_keys exactly as for real articles) plus real edited copies of
sample texts, then times, per new article, what a crawl does: fingerprint + LSH query + verification of the
candidates.  Prints ms/lookup, found/expected, peak RSS and the database size.  A restart does not rebuild
anything: the index is the table.

    python bench/dedup_scale.py [--n 1000000] [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler import dedup  # noqa: E402
from crawler.store import Store  # noqa: E402

WORDS = ("미국 상무부 엔비디아 중국 수출 통제 반도체 장비 메모리 허가 규정 업계 정부 발표 기업 시장 전망 관계자 "
         "화웨이 어센드 생산 공정 나노 세관 통관 검사 싱가포르 우회 밀수 기소 법무부 삼성전자 하이닉스 공장").split()


def article(rng: random.Random, n_sentences: int = 25) -> str:
    sentences = []
    for _ in range(n_sentences):
        words = rng.choices(WORDS, k=12)
        sentences.append(" ".join(words) + f" {rng.randint(1, 10**6)}건이다.")
    return "\n".join(sentences)


def fill(db: Path, n: int, rng: random.Random) -> None:
    """Insert n synthetic fingerprints with their band keys through plain sqlite3 (fast bulk load)."""
    Store(f"sqlite:///{db}").close()       # create the schema exactly as the product does
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    nprng = np.random.default_rng(1)
    batch = 20_000
    next_id = 1
    for start in range(0, n, batch):
        count = min(batch, n - start)
        sigs = nprng.integers(0, 2**32 - 1, size=(count, dedup.NUM_PERM), dtype=np.uint32)
        fps, bands = [], []
        for row in sigs:
            fp = dedup.Fingerprint(row.astype("<u4").tobytes(), 1500, dedup.SCHEME)
            fps.append((next_id, "article", f"https://synthetic.example/{next_id}", None, fp.signature, 1500,
                        dedup.SCHEME))
            bands.extend((b, k, next_id) for b, k in dedup.band_keys(fp))
            next_id += 1
        conn.executemany("INSERT INTO fingerprints (id, kind, ref, article_id, signature, shingles, scheme) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", fps)
        conn.executemany("INSERT INTO lsh (band, key, fingerprint_id) VALUES (?, ?, ?)", bands)
        conn.commit()
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--db", type=Path, help="keep the database here (default: a temporary folder)")
    args = parser.parse_args()
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "scale.db"
        t0 = time.perf_counter()
        fill(db, args.n, rng)
        fill_s = time.perf_counter() - t0
        store = Store(f"sqlite:///{db}")
        # real texts: stored originals whose edited copies must be found
        originals = [article(rng) for _ in range(args.queries // 2)]
        for i, text in enumerate(originals):
            fp = dedup.fingerprint(text)
            from crawler.store import fingerprints, lsh
            with store.engine.begin() as conn:
                fid = conn.execute(fingerprints.insert().values(kind="article", ref=f"orig-{i}", signature=fp.signature,
                                                                shingles=fp.shingles, scheme=fp.scheme)).inserted_primary_key[0]
                conn.execute(lsh.insert(), [{"band": b, "key": k, "fingerprint_id": fid} for b, k in dedup.band_keys(fp)])
        queries = []
        for i, text in enumerate(originals):     # trimmed copy with a new first line: must be found
            lines = text.split("\n")
            queries.append((f"orig-{i}", "[전재] 새 제목\n" + "\n".join(lines[: int(len(lines) * 0.75)])))
        for _ in range(args.queries - len(queries)):   # unrelated new articles: must find nothing
            queries.append((None, article(rng)))
        times, found, false_hits, candidates = [], 0, 0, []
        for expected, text in queries:
            start = time.perf_counter()
            fp = dedup.fingerprint(text)
            rows = store.lsh_candidates(dedup.band_keys(fp))
            hits = [r.ref for r in rows if dedup.is_near_duplicate(fp, dedup.Fingerprint(r.signature, r.shingles, r.scheme))]
            times.append((time.perf_counter() - start) * 1000)
            candidates.append(len(rows))
            if expected is not None:
                found += expected in hits
            else:
                false_hits += bool(hits)
        store.close()
        size_mb = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"command: python {' '.join(sys.argv)}")
    print(f"stored signatures: {args.n:,} synthetic + {len(originals)} real (filled in {fill_s:.0f} s), "
          f"database {size_mb:,.0f} MB on disk")
    print(f"lookup per new article (fingerprint + LSH query + verification): median {statistics.median(times):.2f} ms, "
          f"p95 {sorted(times)[int(0.95 * len(times)) - 1]:.2f} ms, max {max(times):.2f} ms")
    print(f"candidates per lookup: median {statistics.median(candidates):.0f}, max {max(candidates)}")
    print(f"edited copies found: {found}/{len(originals)}; unrelated articles with a false hit: {false_hits}/"
          f"{args.queries - len(originals)}")
    print(f"peak RSS of this process: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
