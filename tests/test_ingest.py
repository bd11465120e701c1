"""Storing a batch of analysed articles: one transaction per batch, and a constraint failure inside a batch costs
nothing but a retry one by one."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crawler.analyse import analyse
from crawler.ingest import StoryIndex, ingest_batch
from tests.test_compose import NOW, page_for, setup


def test_a_batch_rolled_back_on_a_conflict_is_stored_one_by_one(tmp_path, monkeypatch):
    config, store, topic = setup(tmp_path)
    batch = [analyse(page_for(i), topic) for i in ("e1-hanbit", "e1-techdaily", "e3-techdaily")]
    index = StoryIndex(store, NOW.replace(year=NOW.year - 1), NOW.replace(year=NOW.year + 1))
    real_add = store.add_article
    calls = {"n": 0}

    def add_article(item):
        calls["n"] += 1
        if calls["n"] == 3:    # another writer stored this URL first: the fault we cannot cause from here
            raise sa.exc.IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: articles.url"))
        return real_add(item)

    monkeypatch.setattr(store, "add_article", add_article)
    results = ingest_batch(store, batch, now=NOW, max_age_days=14, crawl_id=None, story_index=index)
    assert [r.verdict for r in results] == ["kept", "kept", "kept"]
    ids = [r.article_id for r in results]
    assert None not in ids and len(set(ids)) == 3
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT id, story_id FROM articles ORDER BY id")).all()
    assert [row.id for row in stored] == sorted(ids)          # the rolled-back rows are gone, each article once
    assert results[0].story_id == results[1].story_id != results[2].story_id
    assert set(index.items) == set(ids)                        # the index forgot the rolled-back ids
    assert {index.items[r.article_id].story_id for r in results} == {r.story_id for r in results}
    assert all(len(ids) == len(set(ids)) for ids in index.postings.values())   # no stale postings either


def _table_rows(store, table):
    with store.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1, 2")).all()


def test_the_sqlite_driver_path_stores_what_sqlalchemy_stores(tmp_path):
    """On SQLite the writer's statements go to the driver's cursor (crawler.store._insert); every other database
    goes through SQLAlchemy.  The same batch stored both ways leaves the same rows, value for value."""
    stored = []
    for name, direct in (("direct", True), ("sqlalchemy", False)):
        (tmp_path / name).mkdir()
        config, store, topic = setup(tmp_path / name)
        assert store.direct is True                     # SQLite through the sqlite3 driver takes the fast path
        store.direct = direct
        batch = [analyse(page_for(i), topic) for i in ("e1-hanbit", "e1-techdaily", "e3-techdaily", "e1-hanbit")]
        index = StoryIndex(store, NOW.replace(year=NOW.year - 1), NOW.replace(year=NOW.year + 1))
        results = ingest_batch(store, batch, now=NOW, max_age_days=14, crawl_id=None, story_index=index)
        assert [r.verdict for r in results] == ["kept", "kept", "kept", "known"]
        assert results[0].story_id == results[1].story_id != results[2].story_id
        stored.append({table: _table_rows(store, table)
                       for table in ("articles", "article_urls", "fingerprints", "lsh", "stories")})
        with store.engine.connect() as conn:          # times read back as SQLAlchemy wrote them
            published = conn.execute(sa.select(sa.column("published")).select_from(sa.table("articles"))).scalars()
            assert all(isinstance(p, str) and len(p) == 26 for p in published if p is not None)
    assert stored[0]["lsh"] and stored[0]["fingerprints"]
    assert stored[0] == stored[1]


def test_a_taken_url_on_the_driver_path_is_sqlalchemys_integrity_error(tmp_path):
    """The driver's own IntegrityError comes out as SQLAlchemy's, which the batch rollback catches; outside a
    batch the article is reported as stored by someone else (None)."""
    config, store, topic = setup(tmp_path)
    analysis = analyse(page_for("e1-hanbit"), topic)
    first = ingest_batch(store, [analysis], now=NOW, max_age_days=14, crawl_id=None)
    assert first[0].article_id is not None
    from crawler.ingest import final_url
    from crawler.store import NewArticle

    again = NewArticle(
        url=final_url(analysis), aliases=(), source="s", title="t", published=None, author=None, language="ko",
        text="본문", relevant=False, relevance=0.0, matched=(), verdict="irrelevant", duplicate_of=None,
        story_id=None, fetched_at=NOW, crawl_id=None, features=None, signature=analysis.signature,
        shingles=analysis.shingles, scheme=analysis.scheme, band_keys=analysis.band_keys)
    assert store.add_article(again) is None
    with pytest.raises(sa.exc.IntegrityError):
        with store.transaction():
            store.add_article(again)
    assert store.article_count() == 1


def test_stored_story_features_from_other_rules_or_topic_are_recomputed(tmp_path):
    """Features stored by older rules (no key, missing fields) or under another topic are computed again from the
    stored title and text when a crawl starts, and stored; current ones are left alone."""
    import json
    from dataclasses import replace as with_changes

    from crawler.ingest import refresh_story_features
    from crawler.stories import features_key, stored_key
    from crawler.topic import topic_terms

    config, store, topic = setup(tmp_path)
    terms = topic_terms(topic)
    batch = [analyse(page_for(i), topic) for i in ("e1-hanbit", "e1-techdaily", "e3-techdaily")]
    ingest_batch(store, batch, now=NOW, max_age_days=14, crawl_id=None)
    window = (NOW.replace(year=NOW.year - 1), NOW.replace(year=NOW.year + 1))
    current = features_key(terms, topic.subjects)
    assert refresh_story_features(store, terms, topic.subjects, *window) == 0        # all current
    with store.engine.begin() as conn:
        rows = conn.execute(sa.text("SELECT id, features FROM articles WHERE features IS NOT NULL")).all()
        assert rows and all(stored_key(f) == current for _, f in rows)
        old = json.loads(rows[0].features)
        for field in ("h", "k", "a", "m"):                  # as stored before these fields existed
            old.pop(field, None)
        conn.execute(sa.text("UPDATE articles SET features = :f WHERE id = :i"),
                     {"f": json.dumps(old, ensure_ascii=False), "i": rows[0].id})
    assert refresh_story_features(store, terms, topic.subjects, *window) == 1
    with store.engine.connect() as conn:
        fixed = json.loads(conn.execute(sa.text("SELECT features FROM articles WHERE id = :i"),
                                        {"i": rows[0].id}).scalar())
    assert fixed["k"] == current and "h" in fixed and "m" in fixed
    # another topic (a subject list edited in topic.toml) recomputes every one
    fewer = with_changes(topic, subjects=topic.subjects[:1])
    assert features_key(terms, fewer.subjects) != current
    assert refresh_story_features(store, terms, fewer.subjects, *window) == len(rows)
    assert refresh_story_features(store, terms, fewer.subjects, *window) == 0
