"""Page -> Analysis: extraction and every verdict that needs no database.  Runs in worker processes.

Extraction, language, relevance, the MinHash fingerprint and the story features are CPU work; the crawl runs
them in a process pool (one worker per core) so the Scrapy reactor keeps downloading.  The topic is loaded once
per worker by :func:`init_worker`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from crawler import dedup, stories
from crawler.extract import ExtractError, extract
from crawler.language import detect_language
from crawler.records import Analysis, Page
from crawler.relevance import judge
from crawler.topic import Topic, load_topic, topic_terms  # noqa: F401 - topic_terms: used by the benches

log = logging.getLogger(__name__)

_TOPIC: Topic | None = None


def init_worker(topic_path: str) -> None:
    """Process-pool initializer: load the topic once per worker."""
    global _TOPIC
    _TOPIC = load_topic(Path(topic_path))


def analyse_in_worker(page: Page) -> Analysis:
    """Analyse in a worker process.  The page travels back without its body and HTML (the crawl still holds
    them and puts its own page back, see crawler.pipelines): no need to pickle the page a second time."""
    assert _TOPIC is not None, "init_worker was not called"
    return replace(analyse(page, _TOPIC), page=replace(page, body=b"", html=""))


def analyse(page: Page, topic: Topic) -> Analysis:
    """Extract the article and judge language and relevance; compute its fingerprint and story features."""
    try:
        ex = extract(page.text(), page.url, fallback_title=page.entry.title, fallback_published=page.entry.published)
    except ExtractError as exc:
        reason = getattr(exc, "reason", "") or "extract_failed"
        return Analysis(page=page, failed=reason if reason == "not_html" else "extract_failed")
    except Exception:  # noqa: BLE001 - one hostile page must not end the crawl; counted and logged
        log.exception("%s: extraction crashed on %s", page.source, page.url)
        return Analysis(page=page, failed="extract_failed")
    title = ex.title or page.entry.title
    published = ex.published or page.entry.published
    language = detect_language(f"{title or ''}\n{ex.text}")
    verdict = judge(title or "", ex.text, topic)
    fp = dedup.fingerprint(ex.text)
    features = None
    if verdict.relevant:
        terms = topic_terms(topic)
        features = stories.story_features(title or "", ex.text, published, terms, topic.subjects).to_json(
            key=stories.features_key(terms, topic.subjects))
    return Analysis(
        page=page, failed=None, title=title, text=ex.text, published=published, author=ex.author,
        canonical_url=ex.canonical_url, language=language, relevant=verdict.relevant, relevance=verdict.score,
        matched=tuple(verdict.matched), signature=fp.signature, shingles=fp.shingles, scheme=fp.scheme,
        band_keys=tuple(dedup.band_keys(fp)), features=features,
    )
