"""Storing a batch of analysed articles: one transaction per batch, and a constraint failure inside a batch costs
nothing but a retry one by one."""

from __future__ import annotations

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
