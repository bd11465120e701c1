"""Selection of the digest from the store: pending stories, the window, and stories already mailed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.analyse import analyse
from crawler.configuration import load_config
from crawler.feeds import FeedEntry
from crawler.ingest import ingest
from crawler.records import Page
from crawler.store import Store, finish_digest
from crawler.topic import load_topic
from digest.compose import compose
from digest.sampleweb import DEFAULT_ROOT, LAYOUTS, load_articles

NOW = datetime.now(timezone.utc).replace(microsecond=0)
ARTICLES = {a.id: a for a in load_articles(DEFAULT_ROOT, NOW)}


def page_for(article_id: str, fetched: datetime = NOW) -> Page:
    a = ARTICLES[article_id]
    url = f"http://127.0.0.1:1{a.path}"
    html = LAYOUTS[a.layout](a, "http://127.0.0.1:1")
    return Page(source=a.outlet_name, requested_url=url, url=url, html=html, content_type="text/html",
                entry=FeedEntry(url, a.title, a.published), fetched_at=fetched)


def setup(tmp_path):
    (tmp_path / "c.toml").write_text(f'[storage]\nurl = "sqlite:///{tmp_path / "db.sqlite"}"\n', encoding="utf-8")
    config = load_config(tmp_path / "c.toml")
    return config, Store(config.storage.url), load_topic(config.topic.path)


def add(store, topic, article_id, now=NOW):
    return ingest(store, analyse(page_for(article_id), topic), now=now, max_age_days=14, crawl_id=None)


def test_a_later_report_of_a_mailed_story_is_not_mailed_again(tmp_path):
    config, store, topic = setup(tmp_path)
    first = add(store, topic, "e1-hanbit")
    assert first.verdict == "kept"
    digest = compose(store, config, now=NOW)
    assert [s.story_id for s in digest.stories] == [first.story_id]
    finish_digest(store, digest.digest_id, [first.story_id], now=NOW, status="sent")
    later = add(store, topic, "e1-techdaily")
    assert later.story_id == first.story_id            # the same event, independently written
    assert compose(store, config, now=NOW).stories == ()
    other = add(store, topic, "e3-techdaily")          # a different event is new
    assert [s.story_id for s in compose(store, config, now=NOW).stories] == [other.story_id]


def test_stories_outside_the_window_are_not_mailed(tmp_path):
    config, store, topic = setup(tmp_path)
    add(store, topic, "e2-hanbit")
    assert len(compose(store, config, now=NOW).stories) == 1
    assert compose(store, config, now=NOW + timedelta(days=30)).stories == ()


def test_same_pending_stories_give_the_same_digest_id(tmp_path):
    config, store, topic = setup(tmp_path)
    add(store, topic, "e2-hanbit")
    add(store, topic, "e4-hanbit")
    a, b = compose(store, config, now=NOW), compose(store, config, now=NOW + timedelta(minutes=5))
    assert a.digest_id == b.digest_id and len(a.stories) == 2
    assert a.counts.new_stories == 2 and a.counts.outlets == 1
