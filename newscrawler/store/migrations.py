"""The store schema as an ordered list of migrations.

Each migration is a version number and the statements that bring the schema from the previous
version to it. Statements are portable SQL with a few dialect tokens that every backend fills in
(``Store.DIALECT``):

* ``{id_pk}``  an auto-incrementing integer primary key
* ``{json}``   a JSON document column (TEXT in SQLite, JSONB in PostgreSQL)
* ``{ts}``     a timestamp column (UTC ISO 8601 TEXT in SQLite, TIMESTAMPTZ in PostgreSQL)
* ``{bigint}`` a 64-bit integer column (INTEGER in SQLite, BIGINT in PostgreSQL)
* ``{blob}``   a byte string column (BLOB in SQLite, BYTEA in PostgreSQL)
* ``{without_rowid}`` after a table with a composite primary key: " WITHOUT ROWID" in SQLite
  (the key is the table, not a second copy of it), empty in PostgreSQL

A step may also be a Python callable taking the store (data work that SQL cannot do, such as
computing signatures for the rows already stored); it runs in the migration's transaction.

Never edit a released migration: append a new one. A store records the versions it has applied
in ``schema_migrations`` (SQLite also mirrors the latest in ``PRAGMA user_version``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Step = str | Callable[[Any], None]
Migration = tuple[int, tuple[Step, ...]]

# Created before the version is read, outside the numbered migrations.
BOOTSTRAP = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    applied_at {ts} NOT NULL
)"""

MIGRATIONS: tuple[Migration, ...] = (
    (1, (
        # ``id`` gives the first-storage order (keyset pagination); url_key is the identity.
        """CREATE TABLE articles (
            id {id_pk},
            url_key TEXT NOT NULL UNIQUE,
            canonical_url TEXT,
            url TEXT NOT NULL,
            site TEXT,
            title TEXT,
            published_at {ts},
            modified_at {ts},
            fetched_at {ts},
            first_seen_at {ts} NOT NULL,
            last_seen_at {ts} NOT NULL,
            content_hash TEXT NOT NULL,
            version INTEGER NOT NULL,
            duplicate_of TEXT,
            data {json} NOT NULL
        )""",
        """CREATE TABLE article_versions (
            url_key TEXT NOT NULL REFERENCES articles (url_key),
            version INTEGER NOT NULL,
            fetched_at {ts},
            stored_at {ts} NOT NULL,
            content_hash TEXT NOT NULL,
            data {json} NOT NULL,
            PRIMARY KEY (url_key, version)
        )""",
        """CREATE TABLE fetch_state (
            url_key TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            outcome TEXT NOT NULL,
            http_status INTEGER,
            etag TEXT,
            last_modified TEXT,
            sitemap_lastmod TEXT,
            fetched_at {ts} NOT NULL
        )""",
        "CREATE INDEX articles_site ON articles (site)",
        "CREATE INDEX articles_content_hash ON articles (content_hash)",
    )),
    (2, (
        """CREATE TABLE runs (
            id {id_pk},
            target TEXT NOT NULL,
            started_at {ts} NOT NULL,
            finished_at {ts},
            exit_code INTEGER,
            pages INTEGER NOT NULL DEFAULT 0,
            "new" INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            invalid INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            stats {json}
        )""",
        "CREATE INDEX runs_target_started ON runs (target, started_at)",
    )),
    (3, (
        # for export --since and date-range queries
        "CREATE INDEX articles_fetched_at ON articles (fetched_at)",
        "CREATE INDEX articles_published_at ON articles (published_at)",
    )),
    (4, (
        # near-duplicate index (newscrawler.neardup): one MinHash signature per article and
        # one row per LSH band bucket; the bucket number folds in the band, so a lookup is
        # one "bucket IN (...)" on the primary key. Rows go with the article's current body.
        """CREATE TABLE minhash_signatures (
            article_id {bigint} PRIMARY KEY REFERENCES articles (id),
            shingles INTEGER NOT NULL,
            signature {blob} NOT NULL
        )""",
        """CREATE TABLE minhash_bands (
            bucket {bigint} NOT NULL,
            article_id {bigint} NOT NULL,
            PRIMARY KEY (bucket, article_id)
        ){without_rowid}""",
        # who holds a named run lock (PostgreSQL's advisory locks carry no data; SQLite
        # keeps the holder in the lock file and leaves this table empty)
        """CREATE TABLE store_locks (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            acquired_at {ts} NOT NULL
        )""",
        # the articles stored before this version get their signatures now
        lambda store: store._backfill_signatures(),
    )),
    (5, (
        # new LSH rows land here and are moved to minhash_bands in bulk (Store._merge_bands)
        """CREATE TABLE minhash_bands_new (
            bucket {bigint} NOT NULL,
            article_id {bigint} NOT NULL,
            PRIMARY KEY (bucket, article_id)
        ){without_rowid}""",
        # neardup's scheme changed (shingle hashing and banding, see neardup.SCHEME): the
        # index is built again from the stored bodies (this also indexes a store from
        # before version 4, whose migration 4 leaves that to this one)
        lambda store: store._reindex_signatures(),
    )),
    (6, (
        # the latest version's document is kept once, in articles.data: its
        # article_versions.data is NULL ("same as articles.data") and is filled when a newer
        # version supersedes it (Store.save_article, Store.get_versions). Rebuilt, not
        # altered: SQLite cannot drop a NOT NULL; the rows of the latest versions lose their
        # copy of the document here.
        """CREATE TABLE article_versions_v6 (
            url_key TEXT NOT NULL REFERENCES articles (url_key),
            version INTEGER NOT NULL,
            fetched_at {ts},
            stored_at {ts} NOT NULL,
            content_hash TEXT NOT NULL,
            data {json},
            PRIMARY KEY (url_key, version)
        )""",
        """INSERT INTO article_versions_v6
            (url_key, version, fetched_at, stored_at, content_hash, data)
            SELECT v.url_key, v.version, v.fetched_at, v.stored_at, v.content_hash,
                   CASE WHEN a.version = v.version AND a.content_hash = v.content_hash
                        THEN NULL ELSE v.data END
            FROM article_versions v LEFT JOIN articles a ON a.url_key = v.url_key
            ORDER BY v.url_key, v.version""",
        "DROP TABLE article_versions",
        "ALTER TABLE article_versions_v6 RENAME TO article_versions",
    )),
    (7, (
        # fewer random-key inserts per stored article (Store.save_article):
        # * article_versions is keyed by the article's integer id, so a new article's first
        #   version is appended at the end of the key instead of inserted at a random place
        #   in an index of URL keys (url_key stays as a plain column for readers of the table);
        # * exact duplicates are found through the article's exact-duplicate bucket
        #   (neardup.exact_bucket of its content hash) in the near-duplicate index, instead
        #   of through an index of their own on content_hash;
        # * SQLite keeps the near-duplicate index in memory (store/bucket_index.py), read
        #   from lsh_entries: one row per article with all its buckets, appended in the
        #   article's transaction; seq orders the rows, so an open store catches up with the
        #   rows written since it last read. Its band tables are emptied. PostgreSQL, shared
        #   by several hosts, keeps answering lookups from the band tables on the server
        #   (the exact-duplicate bucket gets a row there too) and leaves lsh_entries empty.
        """CREATE TABLE article_versions_v7 (
            article_id {bigint} NOT NULL REFERENCES articles (id),
            version INTEGER NOT NULL,
            url_key TEXT NOT NULL,
            fetched_at {ts},
            stored_at {ts} NOT NULL,
            content_hash TEXT NOT NULL,
            data {json},
            PRIMARY KEY (article_id, version)
        )""",
        """INSERT INTO article_versions_v7
            (article_id, version, url_key, fetched_at, stored_at, content_hash, data)
            SELECT a.id, v.version, v.url_key, v.fetched_at, v.stored_at, v.content_hash, v.data
            FROM article_versions v JOIN articles a ON a.url_key = v.url_key
            ORDER BY a.id, v.version""",
        "DROP TABLE article_versions",
        "ALTER TABLE article_versions_v7 RENAME TO article_versions",
        "DROP INDEX articles_content_hash",
        """CREATE TABLE lsh_entries (
            seq {id_pk},
            article_id {bigint} NOT NULL,
            buckets {blob} NOT NULL
        )""",
        "CREATE INDEX lsh_entries_article ON lsh_entries (article_id)",
        lambda store: store._build_bucket_index(),
    )),
)

LATEST_VERSION: int = MIGRATIONS[-1][0]


def render(statement: str, dialect: Mapping[str, str]) -> str:
    """Fill the dialect tokens of one statement."""
    return statement.format_map(dialect)


def pending(current: int, upto: int | None = None) -> list[Migration]:
    """The migrations after ``current`` up to ``upto`` (default: all), in order."""
    upto = LATEST_VERSION if upto is None else upto
    return [m for m in MIGRATIONS if current < m[0] <= upto]


def _check_order() -> None:
    versions = [v for v, _ in MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1)), "migrations must be numbered 1, 2, ..."


_check_order()
