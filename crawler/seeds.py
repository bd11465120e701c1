"""The seed corpus: articles readers already know.  Their fingerprints live in the database so that a copy of
a seed found later is stored as ``duplicate:seed`` and never mailed."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from pathlib import Path

from crawler import dedup
from crawler.decode import read_saved_page
from crawler.errors import ConfigError
from crawler.boilerplate import clean_text
from crawler.store import Store

log = logging.getLogger(__name__)

SEED_SUFFIXES = (".txt", ".html", ".htm")
SEED_PIPELINE_VERSION = f"clean-v1/{dedup.SCHEME}".encode()   # part of the stored hash: a change re-fingerprints


def seed_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise ConfigError(f"seeds.path 폴더가 없습니다: {folder}")
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SEED_SUFFIXES and p.is_file())


def seed_text(path: Path) -> tuple[str | None, str]:
    """(title, text) of a seed: .txt as it is (first non-empty line as title), .html through extraction."""
    if path.suffix.lower() == ".txt":
        # A seed is a page as a reader saw it, portal residue included; clean it like an extracted article so
        # both sides of the comparison hold the same kind of text.
        text = clean_text(path.read_text(encoding="utf-8", errors="replace"))
        title = next((line.strip() for line in text.splitlines() if len(line.strip()) > 15), None)
        return title, text
    from crawler.extract import ExtractError, extract      # here: a crawl's main process never needs trafilatura

    html = read_saved_page(path)
    try:
        ex = extract(html, None)
    except ExtractError:
        return None, html
    return ex.title, ex.text


def sync_seeds(store: Store, folder: Path, now: datetime) -> int:
    """Fingerprint new or changed seed files; returns how many were (re)stored."""
    stored = store.seed_hashes()
    changed = 0
    for path in seed_files(folder):
        digest = hashlib.sha256(path.read_bytes() + SEED_PIPELINE_VERSION).hexdigest()
        if stored.get(path.name) == digest:
            continue
        title, text = seed_text(path)
        fp = dedup.fingerprint(text)
        store.put_seed(path.name, digest, title, fp.signature, fp.shingles, fp.scheme, dedup.band_keys(fp), now)
        changed += 1
        log.info("seed %s fingerprinted", path.name)
    return changed
