"""The database: SQLAlchemy Core tables and the few queries the other stages need.

Everything that must survive a restart lives here: articles with their verdicts, every URL form seen for an
article (so a re-run fetches nothing it stored), the MinHash fingerprints and their LSH band keys (the
near-duplicate index is a table, not process memory), stories, crawls with per-source counts, and digests.
Times are stored as naive UTC (SQLite has no zone type) and returned aware UTC.

SQLite runs in WAL mode with a busy timeout so a manual crawl or digest can run beside the daemon.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from crawler.errors import StoreError

log = logging.getLogger(__name__)

metadata = sa.MetaData()

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("url", sa.String, nullable=False, unique=True),        # canonical URL
    sa.Column("source", sa.String, nullable=False),
    sa.Column("title", sa.String),
    sa.Column("published", sa.DateTime),                             # naive UTC
    sa.Column("author", sa.String),
    sa.Column("language", sa.String),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("relevant", sa.Boolean, nullable=False),
    sa.Column("relevance", sa.Float, nullable=False),
    sa.Column("matched", sa.String, nullable=False, default="[]"),   # JSON list of matched topic terms
    sa.Column("verdict", sa.String, nullable=False),                 # kept | irrelevant | not_korean | too_old | duplicate:*
    sa.Column("duplicate_of", sa.String),                            # seed file name or earlier article's url
    sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id")),
    sa.Column("digest_id", sa.String),                               # digest that mailed it
    sa.Column("fetched_at", sa.DateTime, nullable=False),
    sa.Column("crawl_id", sa.Integer),
    sa.Column("features", sa.Text),                                  # JSON StoryFeatures
)
sa.Index("ix_articles_story", articles.c.story_id)
sa.Index("ix_articles_verdict_published", articles.c.verdict, articles.c.published)

article_urls = sa.Table(
    "article_urls", metadata,
    sa.Column("url", sa.String, primary_key=True),                   # any URL form seen (feed link, final, canonical)
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
)

fingerprints = sa.Table(
    "fingerprints", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String, nullable=False),                    # seed | article
    sa.Column("ref", sa.String, nullable=False),                     # seed file name or article url
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id")),
    sa.Column("signature", sa.LargeBinary, nullable=False),
    sa.Column("shingles", sa.Integer, nullable=False),
    sa.Column("scheme", sa.String, nullable=False),
)

lsh = sa.Table(
    "lsh", metadata,
    sa.Column("band", sa.Integer, nullable=False),
    sa.Column("key", sa.BigInteger, nullable=False),
    sa.Column("fingerprint_id", sa.Integer, sa.ForeignKey("fingerprints.id"), nullable=False),
)
sa.Index("ix_lsh_key", lsh.c.key)          # keys embed their band (crawler.dedup.band_keys)

seeds = sa.Table(
    "seeds", metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("sha256", sa.String, nullable=False),
    sa.Column("fingerprint_id", sa.Integer, sa.ForeignKey("fingerprints.id")),
    sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id")),
    sa.Column("title", sa.String),
)

stories = sa.Table(
    "stories", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("known", sa.Boolean, nullable=False, default=False),    # a seed story: readers know it already
    sa.Column("digest_id", sa.String),                                # the digest that mailed it
)

crawls = sa.Table(
    "crawls", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("status", sa.String, nullable=False),                  # running | done | failed
    sa.Column("pid", sa.Integer),
)

crawl_sources = sa.Table(
    "crawl_sources", metadata,
    sa.Column("crawl_id", sa.Integer, sa.ForeignKey("crawls.id"), primary_key=True),
    sa.Column("source", sa.String, primary_key=True),
    sa.Column("seen", sa.Integer, nullable=False, default=0),
    sa.Column("known", sa.Integer, nullable=False, default=0),
    sa.Column("fetched", sa.Integer, nullable=False, default=0),
    sa.Column("stored", sa.Integer, nullable=False, default=0),
    sa.Column("kept", sa.Integer, nullable=False, default=0),
    sa.Column("drops", sa.Text, nullable=False, default="{}"),       # JSON {reason: count}
    sa.Column("error", sa.String),                                   # why the source itself failed, if it did
)

digests = sa.Table(
    "digests", metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("sent_at", sa.DateTime),
    sa.Column("status", sa.String, nullable=False),                  # sending | sent | outbox | failed
    sa.Column("message_id", sa.String),
    sa.Column("recipients", sa.String),
    sa.Column("stories", sa.Integer, nullable=False, default=0),
    sa.Column("period_start", sa.DateTime),
    sa.Column("period_end", sa.DateTime),
    sa.Column("error", sa.String),
    sa.Column("location", sa.String),                                # outbox path, when written there
)

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("value", sa.String, nullable=False),
)


def to_db_time(value: datetime | None) -> datetime | None:
    """Aware -> naive UTC for storage (naive input is taken as UTC already)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def from_db_time(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=timezone.utc) if value is not None else None


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article ready to be stored, with every verdict decided."""

    url: str
    aliases: tuple[str, ...]
    source: str
    title: str | None
    published: datetime | None
    author: str | None
    language: str
    text: str
    relevant: bool
    relevance: float
    matched: tuple[str, ...]
    verdict: str
    duplicate_of: str | None
    story_id: int | None
    fetched_at: datetime
    crawl_id: int | None
    features: str | None
    signature: bytes
    shingles: int
    scheme: str
    band_keys: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class FingerprintRow:
    id: int
    kind: str
    ref: str
    article_id: int | None
    signature: bytes
    shingles: int
    scheme: str


@dataclass(frozen=True, slots=True)
class StoryCandidate:
    article_id: int
    story_id: int
    source: str
    features: str


@dataclass(frozen=True, slots=True)
class SourceCounts:
    source: str
    seen: int = 0
    known: int = 0
    fetched: int = 0
    stored: int = 0
    kept: int = 0
    drops: tuple[tuple[str, int], ...] = ()
    error: str | None = None


def open_engine(url: str) -> Engine:
    """Create the engine and the tables; SQLite gets WAL, a busy timeout and foreign keys."""
    try:
        if url.startswith("sqlite:///") and ":memory:" not in url:
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            @sa.event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA busy_timeout = 30000")
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = NORMAL")
                cur.execute("PRAGMA foreign_keys = ON")
                cur.close()
        metadata.create_all(engine)
    except (SQLAlchemyError, OSError) as exc:
        reason = getattr(exc, "orig", None) or exc
        raise StoreError(f"데이터베이스를 열 수 없습니다 ({_safe_url(url)}): {reason}") from None
    return engine


def _safe_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as given minus credentials
        return url.split("@")[-1]



@functools.lru_cache(maxsize=64)
def _in_sql(template: str, count: int) -> str:
    """``template`` with its ``{}`` replaced by ``count`` named parameters (:p0, :p1, …), built once per count.

    An "expanding" IN parameter is rendered again at every execution; the hot lookups of a crawl always pass
    the same number of values (32 LSH keys, one to four URLs), so one statement per count is built once."""
    return template.format(", ".join(f":p{i}" for i in range(count)))


def _in_params(values: Sequence) -> dict[str, object]:
    return {f"p{i}": v for i, v in enumerate(values)}


# The crawl's writer runs a handful of statements per article (the URL check, the LSH lookup, the inserts).  Through
# SQLAlchemy each one cost about 20 µs of Python around SQLite's own 5 µs, a third of the writer's time on
# bench/crawl_throughput.py.  On SQLite (the sqlite3 driver, which takes :name parameters) they go to the driver's
# cursor, inside the same transaction, with every value converted by its column type's own bind processor, so the
# stored bytes are the same.  Every other database goes through SQLAlchemy; tests/test_ingest.py checks both paths.


def _fetch(conn: sa.Connection, sql: str, params: dict[str, object], direct: bool) -> list[tuple]:
    """Rows of a read-only ``sql`` with :name parameters (on the driver's cursor when ``direct``)."""
    if direct:
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            return cursor.execute(sql, params).fetchall()
        except conn.dialect.dbapi.Error as exc:
            raise _wrapped(conn, sql, params, exc) from exc
        finally:
            cursor.close()
    return [tuple(row) for row in conn.execute(_text(sql), params)]


@functools.lru_cache(maxsize=64)
def _text(sql: str) -> sa.TextClause:
    return sa.text(sql)


@functools.lru_cache(maxsize=32)
def _insert_plan(table: sa.Table, keys: tuple[str, ...], dialect: sa.Dialect) -> tuple[str, tuple]:
    """The INSERT for ``keys`` of ``table`` with :name parameters, and each column's bind processor (or None)."""
    sql = f"INSERT INTO {table.name} ({', '.join(keys)}) VALUES ({', '.join(':' + k for k in keys)})"
    return sql, tuple(table.c[k].type._cached_bind_processor(dialect) for k in keys)


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, object]], direct: bool) -> int | None:
    """Insert ``rows`` (dicts with the same keys) into ``table``; the new row's id when there is one row."""
    if not rows:
        return None
    if not direct:
        result = conn.execute(table.insert(), rows if len(rows) > 1 else rows[0])
        return result.inserted_primary_key[0] if len(rows) == 1 and "id" in table.c else None
    keys = tuple(rows[0])
    sql, processors = _insert_plan(table, keys, conn.dialect)
    converted = [{k: (p(row[k]) if p is not None else row[k]) for k, p in zip(keys, processors)} for row in rows]
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        if len(converted) == 1:
            cursor.execute(sql, converted[0])
            return cursor.lastrowid
        cursor.executemany(sql, converted)
        return None
    except conn.dialect.dbapi.Error as exc:
        raise _wrapped(conn, sql, converted, exc) from exc
    finally:
        cursor.close()


def _wrapped(conn: sa.Connection, sql: str, params: object, exc: Exception) -> sa.exc.DBAPIError:
    """The driver's error as the SQLAlchemy error the callers catch (IntegrityError for a taken URL …)."""
    return sa.exc.DBAPIError.instance(sql, params, exc, conn.dialect.dbapi.Error)


class Store:
    """Thin query layer over the engine. One instance per process."""

    def __init__(self, url: str):
        self.url = url
        self.engine = open_engine(url)
        self._seed_cache: list[FingerprintRow] | None = None
        self._local = threading.local()     # the open transaction of this thread, inside transaction()
        # the crawl's hot statements go to the driver's cursor (see _insert); SQLAlchemy for any other driver
        self.direct = self.engine.dialect.driver == "pysqlite"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Every store call made by this thread inside the block shares one transaction, committed at the end.

        The crawl stores a batch of articles this way: one commit instead of one per article, and each decision
        still sees the articles written before it in the batch (a connection reads its own uncommitted rows).
        An exception rolls the whole batch back."""
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        with self.engine.begin() as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    @contextmanager
    def _connection(self, *, write: bool = False) -> Iterator[sa.Connection]:
        """The open transaction of :meth:`transaction`, or a connection of its own (a committing one to write)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self.engine.begin() if write else self.engine.connect() as conn:
            yield conn

    # ------------------------------------------------------------ meta

    def get_meta(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            if conn.execute(sa.select(meta.c.key).where(meta.c.key == key)).first():
                conn.execute(meta.update().where(meta.c.key == key).values(value=value))
            else:
                conn.execute(meta.insert().values(key=key, value=value))

    # ------------------------------------------------------------ urls

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of ``urls`` belong to an article already stored."""
        wanted = list(dict.fromkeys(urls))
        found: set[str] = set()
        with self._connection() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                query = _in_sql("SELECT url FROM article_urls WHERE url IN ({})", len(chunk))
                found.update(row[0] for row in _fetch(conn, query, _in_params(chunk), self.direct))
        return found

    # ------------------------------------------------------------ seeds

    def seed_hashes(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {r.name: r.sha256 for r in conn.execute(sa.select(seeds.c.name, seeds.c.sha256))}

    def put_seed(self, name: str, sha256: str, title: str | None, signature: bytes, shingles: int, scheme: str,
                 band_keys: Sequence[tuple[int, int]], now: datetime) -> None:
        """Store (or replace) one seed's fingerprint; a seed is a story readers already know."""
        self._seed_cache = None
        with self.engine.begin() as conn:
            old = conn.execute(sa.select(seeds).where(seeds.c.name == name)).first()
            if old is not None:
                conn.execute(lsh.delete().where(lsh.c.fingerprint_id == old.fingerprint_id))
                conn.execute(seeds.delete().where(seeds.c.name == name))
                conn.execute(fingerprints.delete().where(fingerprints.c.id == old.fingerprint_id))
                story_id = old.story_id
            else:
                story_id = conn.execute(stories.insert().values(created_at=to_db_time(now), known=True,
                                                                digest_id=None)).inserted_primary_key[0]
            fid = conn.execute(fingerprints.insert().values(kind="seed", ref=name, article_id=None,
                                                            signature=signature, shingles=shingles,
                                                            scheme=scheme)).inserted_primary_key[0]
            if band_keys:
                conn.execute(lsh.insert(), [{"band": b, "key": k, "fingerprint_id": fid} for b, k in band_keys])
            conn.execute(seeds.insert().values(name=name, sha256=sha256, fingerprint_id=fid, story_id=story_id,
                                               title=title))

    def seed_story(self, name: str) -> int | None:
        with self._connection() as conn:
            return conn.execute(sa.select(seeds.c.story_id).where(seeds.c.name == name)).scalar()

    # ------------------------------------------------------------ dedup

    _LSH_QUERY = (
        "SELECT f.id, f.kind, f.ref, f.article_id, f.signature, f.shingles, f.scheme FROM "
        "(SELECT fingerprint_id, COUNT(*) AS n FROM lsh WHERE key IN ({}) GROUP BY fingerprint_id "
        "ORDER BY n DESC, fingerprint_id LIMIT :limit) AS hits JOIN fingerprints f ON f.id = hits.fingerprint_id "
        "ORDER BY hits.n DESC, f.id")

    def lsh_candidates(self, band_keys: Sequence[tuple[int, int]], limit: int = 50) -> list[FingerprintRow]:
        """Fingerprints sharing at least one LSH band with ``band_keys``, most shared bands first.

        Plain SQL on purpose, one statement: this runs once per stored article, and building the expression each
        time cost more than the indexed lookup itself (11 ms vs < 1 ms, measured with bench/crawl_throughput.py)."""
        if not band_keys:
            return []
        with self._connection() as conn:
            query = _in_sql(self._LSH_QUERY, len(band_keys))
            rows = _fetch(conn, query, {**_in_params([k for _, k in band_keys]), "limit": limit}, self.direct)
        return [FingerprintRow(*row) for row in rows]

    def seed_fingerprints(self) -> list[FingerprintRow]:
        """Every seed's fingerprint: new articles are compared with all of them, not only LSH candidates.

        Cached for the life of this Store (one crawl); put_seed clears the cache."""
        if self._seed_cache is None:
            with self._connection() as conn:
                rows = conn.execute(sa.select(fingerprints).where(fingerprints.c.kind == "seed")).all()
            self._seed_cache = [FingerprintRow(r.id, r.kind, r.ref, r.article_id, r.signature, r.shingles, r.scheme)
                                for r in rows]
        return self._seed_cache

    def article_story(self, article_id: int) -> int | None:
        with self._connection() as conn:
            rows = _fetch(conn, "SELECT story_id FROM articles WHERE id = :id", {"id": article_id}, self.direct)
        return rows[0][0] if rows else None

    # ------------------------------------------------------------ stories

    def story_candidates(self, since: datetime, until: datetime) -> list[StoryCandidate]:
        """Relevant articles with a story, published (or fetched, when undated) inside the window."""
        when = sa.func.coalesce(articles.c.published, articles.c.fetched_at)
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(articles.c.id, articles.c.story_id, articles.c.source, articles.c.features)
                .where(articles.c.relevant.is_(True), articles.c.story_id.is_not(None),
                       articles.c.features.is_not(None),
                       when >= to_db_time(since), when <= to_db_time(until))
            ).all()
        return [StoryCandidate(r.id, r.story_id, r.source, r.features) for r in rows]

    def feature_sources(self, ids: Sequence[int]) -> list[tuple[int, str | None, str, datetime | None]]:
        """(id, title, text, published) of the given articles: what their story features are computed from."""
        out = []
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start:start + 500])
                rows = conn.execute(sa.select(articles.c.id, articles.c.title, articles.c.text, articles.c.published)
                                    .where(articles.c.id.in_(chunk))).all()
                out.extend((r.id, r.title, r.text, from_db_time(r.published)) for r in rows)
        return out

    def update_features(self, features: Sequence[tuple[int, str]]) -> None:
        """Store recomputed story features: (article id, features JSON)."""
        if not features:
            return
        with self.engine.begin() as conn:
            conn.execute(articles.update().where(articles.c.id == sa.bindparam("aid"))
                         .values(features=sa.bindparam("f")), [{"aid": i, "f": f} for i, f in features])

    def new_story(self, now: datetime) -> int:
        with self.engine.begin() as conn:
            return conn.execute(stories.insert().values(created_at=to_db_time(now), known=False)
                                ).inserted_primary_key[0]

    # ------------------------------------------------------------ articles

    def add_article(self, item: NewArticle) -> int | None:
        """Insert an article with its URL aliases and fingerprint; None when its URL is already stored.

        The caller has checked the URL and aliases with :meth:`known_urls` (crawler.ingest does, in the same
        transaction); the unique constraints on the URLs catch whatever changed since.  On SQLite the statements
        go to the driver directly (see _insert).  Inside :meth:`transaction` a constraint error propagates so the
        caller can roll the batch back; alone it means a concurrent writer stored the same URL first, and None is
        returned."""
        in_batch = getattr(self._local, "conn", None) is not None
        try:
            with self._connection(write=True) as conn:
                story_id = item.story_id
                if story_id is None and item.relevant and item.language == "ko":
                    story_id = _insert(conn, stories, [{"created_at": to_db_time(item.fetched_at), "known": False}],
                                       self.direct)
                aid = _insert(conn, articles, [{
                    "url": item.url, "source": item.source, "title": item.title,
                    "published": to_db_time(item.published), "author": item.author, "language": item.language,
                    "text": item.text, "relevant": item.relevant, "relevance": item.relevance,
                    "matched": json.dumps(list(item.matched), ensure_ascii=False), "verdict": item.verdict,
                    "duplicate_of": item.duplicate_of, "story_id": story_id, "digest_id": None,
                    "fetched_at": to_db_time(item.fetched_at), "crawl_id": item.crawl_id, "features": item.features,
                }], self.direct)
                aliases = list(dict.fromkeys((item.url, *item.aliases)))
                _insert(conn, article_urls, [{"url": u, "article_id": aid} for u in aliases], self.direct)
                fid = _insert(conn, fingerprints, [{
                    "kind": "article", "ref": item.url, "article_id": aid, "signature": item.signature,
                    "shingles": item.shingles, "scheme": item.scheme}], self.direct)
                _insert(conn, lsh, [{"band": b, "key": k, "fingerprint_id": fid} for b, k in item.band_keys],
                        self.direct)
                return aid
        except sa.exc.IntegrityError:
            if in_batch:
                raise
            log.info("article already stored by a concurrent writer: %s", item.url)
            return None

    def article_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()

    def iter_export_rows(self) -> Iterator[sa.Row]:
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True).execute(
                sa.select(articles).order_by(articles.c.id))
            yield from result

    # ------------------------------------------------------------ crawls

    def start_crawl(self, now: datetime, pid: int | None = None) -> int:
        with self.engine.begin() as conn:
            return conn.execute(crawls.insert().values(started_at=to_db_time(now), status="running", pid=pid)
                                ).inserted_primary_key[0]

    def finish_crawl(self, crawl_id: int, now: datetime, status: str, counts: Sequence[SourceCounts]) -> None:
        with self.engine.begin() as conn:
            conn.execute(crawls.update().where(crawls.c.id == crawl_id)
                         .values(finished_at=to_db_time(now), status=status))
            conn.execute(crawl_sources.delete().where(crawl_sources.c.crawl_id == crawl_id))
            if counts:
                conn.execute(crawl_sources.insert(), [
                    {"crawl_id": crawl_id, "source": c.source, "seen": c.seen, "known": c.known,
                     "fetched": c.fetched, "stored": c.stored, "kept": c.kept,
                     "drops": json.dumps(dict(c.drops), ensure_ascii=False), "error": c.error}
                    for c in counts])

    def last_crawls(self, limit: int = 1) -> list[sa.Row]:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(crawls).order_by(crawls.c.id.desc()).limit(limit)).all()

    def crawl_source_rows(self, crawl_id: int) -> list[SourceCounts]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(crawl_sources).where(crawl_sources.c.crawl_id == crawl_id)
                                .order_by(crawl_sources.c.source)).all()
        return [SourceCounts(r.source, r.seen, r.known, r.fetched, r.stored, r.kept,
                             tuple(json.loads(r.drops).items()), r.error) for r in rows]

    def source_last_success(self) -> dict[str, datetime]:
        """Per source, the end of the last crawl in which it did not fail."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(crawl_sources.c.source, sa.func.max(crawls.c.finished_at))
                .join(crawls, crawls.c.id == crawl_sources.c.crawl_id)
                .where(crawl_sources.c.error.is_(None), crawls.c.finished_at.is_not(None))
                .group_by(crawl_sources.c.source)).all()
        return {r[0]: from_db_time(r[1]) for r in rows}


# ---------------------------------------------------------------- digest queries
# (kept here so every SQL statement lives in one module; digest.compose and digest.deliver call these)

DIGEST_VERDICTS = ("kept", "duplicate:article")


@dataclass(frozen=True, slots=True)
class StoryArticle:
    article_id: int
    story_id: int
    url: str
    source: str
    title: str | None
    published: datetime | None
    fetched_at: datetime
    text: str
    relevance: float
    matched: tuple[str, ...]
    verdict: str


def _story_article(r) -> StoryArticle:
    return StoryArticle(r.id, r.story_id, r.url, r.source, r.title, from_db_time(r.published),
                        from_db_time(r.fetched_at), r.text, float(r.relevance), tuple(json.loads(r.matched or "[]")),
                        r.verdict)


def pending_story_articles(store: Store) -> list[StoryArticle]:
    """Articles of stories not yet mailed (and not known from the seeds), relevant and not a seed copy."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(articles).join(stories, stories.c.id == articles.c.story_id)
            .where(stories.c.known.is_(False), stories.c.digest_id.is_(None),
                   articles.c.relevant.is_(True), articles.c.verdict.in_(DIGEST_VERDICTS + ("too_old",)))
            .order_by(articles.c.story_id, articles.c.id)).all()
    return [_story_article(r) for r in rows]


def verdict_counts_since(store: Store, since: datetime | None) -> dict[str, int]:
    """How many articles got each verdict since ``since`` (fetched time)."""
    query = sa.select(articles.c.verdict, sa.func.count()).group_by(articles.c.verdict)
    if since is not None:
        query = query.where(articles.c.fetched_at > to_db_time(since))
    with store.engine.connect() as conn:
        return {v: n for v, n in conn.execute(query).all()}


def last_digest(store: Store, statuses: tuple[str, ...] = ("sent", "outbox")) -> sa.Row | None:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(digests).where(digests.c.status.in_(statuses))
                            .order_by(digests.c.created_at.desc()).limit(1)).first()


def get_digest(store: Store, digest_id: str) -> sa.Row | None:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(digests).where(digests.c.id == digest_id)).first()


def begin_digest(store: Store, digest_id: str, *, now: datetime, story_count: int, period_start: datetime,
                 period_end: datetime, recipients: tuple[str, ...], message_id: str) -> None:
    """Record that a digest is about to be handed over (status 'sending'); reused if the id already exists."""
    values = dict(created_at=to_db_time(now), status="sending", stories=story_count,
                  period_start=to_db_time(period_start), period_end=to_db_time(period_end),
                  recipients=", ".join(recipients), message_id=message_id, error=None)
    with store.engine.begin() as conn:
        if conn.execute(sa.select(digests.c.id).where(digests.c.id == digest_id)).first():
            conn.execute(digests.update().where(digests.c.id == digest_id).values(**values))
        else:
            conn.execute(digests.insert().values(id=digest_id, **values))


def finish_digest(store: Store, digest_id: str, story_ids: Sequence[int], *, now: datetime, status: str,
                  location: str | None = None) -> None:
    """The server (or the outbox) accepted the digest: mark it and its stories and articles in one transaction."""
    with store.engine.begin() as conn:
        conn.execute(digests.update().where(digests.c.id == digest_id)
                     .values(status=status, sent_at=to_db_time(now), location=location, error=None))
        ids = list(story_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            conn.execute(stories.update().where(stories.c.id.in_(chunk), stories.c.digest_id.is_(None))
                         .values(digest_id=digest_id))
            conn.execute(articles.update().where(articles.c.story_id.in_(chunk), articles.c.digest_id.is_(None),
                                                 articles.c.verdict.in_(DIGEST_VERDICTS))
                         .values(digest_id=digest_id))


def fail_digest(store: Store, digest_id: str, error: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(digests.update().where(digests.c.id == digest_id).values(status="failed", error=error[:500]))
