"""Backend-neutral store logic: article versions, fetch state, runs, streaming reads.

SQL here is portable (SQLite >= 3.24 and PostgreSQL): ``?`` placeholders (a backend rewrites
them if its driver wants another style), ``INSERT ... ON CONFLICT`` upserts, SAVEPOINTs for
nested transactions. Everything dialect-specific sits behind the hooks at the end of ``Store``.
"""

from __future__ import annotations

import functools
import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from newscrawler import neardup
from newscrawler.dates import IST
from newscrawler.neardup import Signature
from newscrawler.store import migrations

# DESIGN.md section 3, in order; stored/exported articles keep this key order.
ARTICLE_FIELDS: tuple[str, ...] = (
    "url", "canonical_url", "site", "site_name", "language", "title", "lede", "body", "authors",
    "published_at", "modified_at", "section", "tags", "images", "related", "recent_posts",
    "fetched_at", "extractor", "duplicate_of",
)
# "duplicate" and "gone" (404/410) are settled too: the incremental middleware skips them.
FETCH_OUTCOMES = frozenset({"stored", "invalid", "not_modified", "error", "duplicate", "gone"})
RUN_COUNTS: tuple[str, ...] = (
    "pages", "new", "updated", "unchanged", "duplicates", "invalid", "errors")
KEY_CHUNK = 500  # url keys per IN (...) query
_FETCH_STATE_COLUMNS = ("url_key, url, outcome, http_status, etag, last_modified,"
                        " sitemap_lastmod, fetched_at")
MAX_CANDIDATES = 200  # near-duplicate candidates checked per lookup, earliest first
# New LSH rows go to the small minhash_bands_new, whose pages stay in the cache; the
# transaction that indexes every BAND_MERGE_EVERY-th article moves them into minhash_bands in
# bucket order, so each page of the big table is written once per merge instead of once per
# row (a random insert per row and band made most of an article's storage cost at a million
# articles).
BAND_MERGE_EVERY = 50_000
_BAND_MARKS = ", ".join("?" * neardup.BANDS)
# find_duplicate's lookups consider only the articles stored before the given one (all of
# them when it is not stored yet)
_BEFORE = "COALESCE((SELECT id FROM articles WHERE url_key = ?), 9223372036854775807)"
# exact duplicates before schema 7: through an index on content_hash
_EXACT_V6 = ("SELECT url_key, canonical_url, url, duplicate_of FROM articles"
             f" WHERE content_hash = ? AND id < {_BEFORE} ORDER BY id LIMIT 1")
_NEAR = (
    "SELECT DISTINCT article_id FROM ("
    f"SELECT article_id FROM minhash_bands WHERE bucket IN ({_BAND_MARKS})"
    f" UNION ALL SELECT article_id FROM minhash_bands_new WHERE bucket IN ({_BAND_MARKS})"
    f") c WHERE article_id < {_BEFORE} ORDER BY article_id LIMIT {MAX_CANDIDATES}")


@functools.lru_cache(maxsize=8)
def _candidates_sql(buckets: int) -> str:
    """Schema 7: the earliest articles stored before url_key that have any of ``buckets``
    buckets (the exact-duplicate one among them: neardup.exact_bucket) in the band tables.
    Found from the buckets alone, then checked by id: a query that also tested
    content_hash let PostgreSQL's generic plan scan every article stored before."""
    marks = ", ".join("?" * buckets)
    return ("SELECT DISTINCT article_id FROM ("
            f"SELECT article_id FROM minhash_bands WHERE bucket IN ({marks})"
            f" UNION ALL SELECT article_id FROM minhash_bands_new WHERE bucket IN ({marks})"
            f") c WHERE article_id < {_BEFORE} ORDER BY article_id LIMIT {MAX_CANDIDATES}")


@dataclass(frozen=True)
class Duplicate:
    """What a new article repeats: the original's canonical URL (``duplicate_of``)."""

    canonical_url: str
    url_key: str  # the stored article that matched (the original, or a copy linked to it)
    kind: str  # "exact" (same normalised body) or "near" (MinHash/LSH)
    score: float  # 1.0 for exact; the near-duplicate score otherwise


@dataclass(frozen=True)
class FetchState:
    url_key: str
    url: str
    outcome: str
    http_status: int | None
    etag: str | None
    last_modified: str | None
    sitemap_lastmod: str | None
    fetched_at: str | None


class Lock(ABC):
    """A held named lock. Released by ``release()``, at the end of a ``with`` block, or by the
    OS when the holding process dies. Keep a reference for as long as it must be held."""

    holder_info: str  # who holds it: "pid 123 on host, since 2024-12-23T16:25:00+05:30"

    @abstractmethod
    def release(self) -> None: ...

    @property
    @abstractmethod
    def held(self) -> bool: ...

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def order_article(article: Mapping[str, Any]) -> dict[str, Any]:
    """The article with its keys in DESIGN order; unknown extra keys follow, as given."""
    out = {k: article[k] for k in ARTICLE_FIELDS if k in article}
    out.update((k, v) for k, v in article.items() if k not in out)
    return out


def to_utc(value: Any) -> datetime | None:
    """An ISO 8601 string/datetime/date as an aware UTC datetime (naive means India time);
    None for missing or unparsable values."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    else:
        try:
            dt = datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=IST)
    return dt.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    return str(obj)  # never fail a crawl on an odd stats value


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_json_default)


@functools.lru_cache(maxsize=64)
def _upsert_sql(table: str, cols: tuple[str, ...], key: tuple[str, ...], keep: tuple[str, ...],
                coalesce: tuple[str, ...], returning: str | None) -> str:
    """The statement ``Store._upsert`` runs (built once per shape)."""
    sets = [f"{c} = COALESCE(excluded.{c}, {table}.{c})" if c in coalesce
            else f"{c} = excluded.{c}"
            for c in cols if c not in key and c not in keep]
    action = f"UPDATE SET {', '.join(sets)}" if sets else "NOTHING"
    sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
           f" ON CONFLICT ({', '.join(key)}) DO {action}")
    return sql if returning is None else f"{sql} RETURNING {returning}"


@functools.lru_cache(maxsize=64)
def _band_insert_sql(template: str, rows: int) -> str:
    return template.format(rows=", ".join(["(?, ?)"] * rows))


class Store(ABC):
    """Article store. Open with ``newscrawler.store.open_store``; use as a context manager."""

    DIALECT: Mapping[str, str]  # tokens for migrations.render
    # one statement per number of rows (a band equal to another one is skipped)
    _INSERT_BANDS = ("INSERT INTO minhash_bands_new (bucket, article_id) VALUES {rows}"
                     " ON CONFLICT (bucket, article_id) DO NOTHING")

    # a second open_store() of the same URL reaches the same data (not so for an in-memory
    # SQLite store: that would be another, empty database)
    reopenable = True

    def __init__(self) -> None:
        self._tx_lock = threading.RLock()
        self._tx_depth = 0
        self._merge_due = False  # see BAND_MERGE_EVERY
        # the schema version the store is written as (a store kept at an older version by
        # ``migrate_to`` is written the way that version was); set when migrations are done
        self._schema = migrations.LATEST_VERSION

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; nested ones become savepoints. Callers may wrap many calls in one
        to batch them; every public write method is atomic on its own."""
        with self._tx_lock:
            depth = self._tx_depth
            mark = self._index_mark()
            if depth:
                savepoint = f"sp_{depth}"
                self._execute(f"SAVEPOINT {savepoint}")
                self._tx_depth += 1
                try:
                    yield
                except BaseException:
                    self._execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self._execute(f"RELEASE SAVEPOINT {savepoint}")
                    self._index_rolled_back(mark)
                    raise
                else:
                    self._execute(f"RELEASE SAVEPOINT {savepoint}")
                finally:
                    self._tx_depth = depth
                return
            self._begin_write()
            self._tx_depth = 1
            try:
                yield
                if self._merge_due:
                    # here, not inside a savepoint, whose journal would hold an original
                    # copy of every page the merge touches (most of the index)
                    self._merge_bands()
                self._commit()
            except BaseException:
                self._rollback()
                self._index_rolled_back(mark)
                raise
            finally:
                self._tx_depth = 0
                self._merge_due = False

    def schema_version(self) -> int:
        return self._read_schema_version()

    def _migrate(self, upto: int | None = None) -> None:
        """Apply the missing migrations, one transaction each (safe with concurrent openers)."""
        self._apply_migrations(upto)
        self._schema = self._read_schema_version()

    @property
    def _single_document(self) -> bool:
        """Migration 6: the latest version's document is only in articles.data."""
        return self._schema >= 6

    def _apply_migrations(self, upto: int | None) -> None:
        current = self._read_schema_version()
        if current > migrations.LATEST_VERSION:
            raise RuntimeError(
                f"store schema version {current} is newer than this newscrawler supports "
                f"({migrations.LATEST_VERSION}); upgrade newscrawler")
        if current == migrations.LATEST_VERSION or (upto is not None and current >= upto):
            return
        with self.transaction():
            self._execute(migrations.render(migrations.BOOTSTRAP, self.DIALECT))
        for version, statements in migrations.pending(current, upto):
            with self.transaction():
                if self._read_schema_version() >= version:
                    continue  # another process applied it meanwhile
                for statement in statements:
                    if callable(statement):
                        statement(self)
                    else:
                        self._execute(migrations.render(statement, self.DIALECT))
                self._write_schema_version(version)
                self._schema = version

    # ------------------------------------------------------------------ articles
    def save_article(self, article: Mapping[str, Any], *, url_key: str, content_hash: str,
                     etag: str | None = None, last_modified: str | None = None,
                     sitemap_lastmod: str | None = None,
                     signature: Signature | None = None) -> str:
        """Store one article; return "new", "unchanged" (same content hash as the latest
        version) or "updated" (a new version is added; older ones are kept).

        ``signature`` (``neardup.signature(body)``) indexes the body for near-duplicate
        lookups (``find_duplicate``); the index follows the latest version."""
        if not url_key or not content_hash:
            raise ValueError("save_article needs a url_key and a content_hash")
        url = article.get("url") or article.get("canonical_url")
        if not url:
            raise ValueError("article has no url")
        data = order_article({**article, "duplicate_of": article.get("duplicate_of")})
        now = utc_now()
        fetched_at = to_utc(article.get("fetched_at")) or now
        now_ts, fetched_ts = self._ts(now), self._ts(fetched_at)
        with self.transaction(), self._batched():
            self._lock_article(url_key)
            row = self._execute(
                "SELECT version, content_hash, id FROM articles WHERE url_key = ?",
                (url_key,)).fetchone()
            if row is not None and row[1] == content_hash:
                self._execute("UPDATE articles SET last_seen_at = ? WHERE url_key = ?",
                              (now_ts, url_key))
                outcome = "unchanged"
            else:
                version = 1 if row is None else row[0] + 1
                if row is not None and self._single_document:
                    # the superseded version gets its own copy of the document (migration 6:
                    # the latest version's is only in articles.data); versions are keyed by
                    # the article's id from schema 7, by its url_key before
                    by_id = self._schema >= 7
                    article_col, version_col = ("id", "article_id") if by_id else (
                        "url_key", "url_key")
                    key = row[2] if by_id else url_key
                    self._execute(
                        f"UPDATE article_versions SET data = (SELECT data FROM articles WHERE"
                        f" {article_col} = ?) WHERE {version_col} = ? AND version = ?"
                        " AND data IS NULL", (key, key, row[0]))
                document = self._json(data)
                article_id = self._upsert("articles", {
                    "url_key": url_key,
                    "canonical_url": article.get("canonical_url") or url,
                    "url": url,
                    "site": article.get("site"),
                    "title": article.get("title"),
                    "published_at": self._ts(to_utc(article.get("published_at"))),
                    "modified_at": self._ts(to_utc(article.get("modified_at"))),
                    "fetched_at": fetched_ts,
                    "first_seen_at": now_ts,
                    "last_seen_at": now_ts,
                    "content_hash": content_hash,
                    "version": version,
                    "duplicate_of": data["duplicate_of"],
                    "data": document,
                }, key=("url_key",), keep=("first_seen_at",), returning="id")
                # data NULL: the same as articles.data while this is the latest version
                by_id = {"article_id": article_id} if self._schema >= 7 else {}
                self._upsert("article_versions", {
                    **by_id, "url_key": url_key, "version": version, "fetched_at": fetched_ts,
                    "stored_at": now_ts, "content_hash": content_hash,
                    "data": None if self._single_document else document,
                }, key=("article_id" if by_id else "url_key", "version"),  # never overwrite
                    keep=("url_key", "fetched_at", "stored_at", "content_hash", "data"))
                outcome = "new" if row is None else "updated"
                self._index_article(article_id, content_hash, signature,
                                    previous_hash=None if row is None else row[1])
            # the page's fetch time, so "changed since we fetched it" is judged on one clock
            self._save_fetch_state(url_key, url, "stored", None, etag, last_modified,
                                   sitemap_lastmod, fetched_at)
        return outcome

    def get_article(self, url_key: str) -> dict[str, Any] | None:
        row = self._execute("SELECT data, duplicate_of FROM articles WHERE url_key = ?",
                            (url_key,)).fetchone()
        return None if row is None else self._article_out(row[0], row[1])

    def get_versions(self, url_key: str) -> list[dict[str, Any]]:
        """Every stored version, oldest first: {version, fetched_at, stored_at, content_hash,
        article}."""
        # a NULL document is the latest version's, kept only in articles (migration 6)
        on = "a.id = v.article_id" if self._schema >= 7 else "a.url_key = v.url_key"
        rows = self._execute(
            "SELECT v.version, v.fetched_at, v.stored_at, v.content_hash,"
            f" COALESCE(v.data, a.data) FROM article_versions v JOIN articles a ON {on}"
            " WHERE a.url_key = ? ORDER BY v.version", (url_key,)).fetchall()
        return [{"version": r[0], "fetched_at": self._ts_out(r[1]),
                 "stored_at": self._ts_out(r[2]), "content_hash": r[3],
                 "article": order_article(self._json_out(r[4]))} for r in rows]

    def find_by_content_hash(self, content_hash: str,
                             exclude_url_key: str | None = None) -> str | None:
        """The canonical URL of the earliest stored article whose latest version has this hash.

        None when there is none, or when the earliest one is ``exclude_url_key`` itself: a
        refetched original must not be linked as a duplicate of its own later copy."""
        row = self._exact_match(content_hash)
        if row is None or row[0] == exclude_url_key:
            return None
        return row[1] or row[2]

    def find_duplicate(self, url_key: str, content_hash: str | None,
                       signature: Signature | None = None, *,
                       threshold: float | None = None) -> Duplicate | None:
        """The stored article that this one repeats, or None if it is an original.

        First the same normalised body (``content_hash``), then a near duplicate (LSH
        candidates of ``signature`` whose score reaches ``threshold``, default
        ``neardup.THRESHOLD``). Only articles stored before this one count (a refetched
        original is never a copy of its own later copies), the earliest match wins, and a
        match that is itself a copy gives its original, so every copy links to the first one.
        A stored copy whose ``duplicate_of`` names this article (it named this page as its
        canonical) makes this article the original: None."""
        near = signature is not None and signature.usable
        found, ids = self._lookup(url_key, content_hash, signature if near else None)
        if found is not None:
            return self._original(url_key, found, "exact", 1.0)
        threshold = neardup.THRESHOLD if threshold is None else threshold
        if not ids:
            return None
        marks = ", ".join("?" * len(ids))
        rows = self._execute(
            "SELECT a.id, a.url_key, a.canonical_url, a.url, a.duplicate_of, s.shingles,"
            " s.signature FROM minhash_signatures s JOIN articles a ON a.id = s.article_id"
            f" WHERE s.article_id IN ({marks}) ORDER BY a.id", ids).fetchall()
        for r in rows:
            score = neardup.score(signature, Signature.from_bytes(r[6], r[5]))
            if score >= threshold:
                return self._original(url_key, r[1:5], "near", score)
        return None

    def _exact_match(self, content_hash: str) -> Sequence[Any] | None:
        """(url_key, canonical_url, url) of the earliest stored article with this hash."""
        if self._schema >= 7:
            bucket = neardup.exact_bucket(content_hash)
            ids = [r[0] for r in self._execute(_candidates_sql(1),
                                               (bucket, bucket, None)).fetchall()]
            found = self._exact_among(ids, content_hash)
            return None if found is None else found[:3]
        return self._execute(
            "SELECT url_key, canonical_url, url FROM articles WHERE content_hash = ?"
            " ORDER BY id LIMIT 1", (content_hash,)).fetchone()

    def _lookup(self, url_key: str, content_hash: str | None,
                signature: Signature | None) -> tuple[Sequence[Any] | None, list[int]]:
        """find_duplicate's index lookups among the articles stored before ``url_key``: the
        earliest exact copy (url_key, canonical_url, url, duplicate_of) or None, and the
        ids of the earliest near-duplicate candidates of ``signature`` (when given)."""
        if self._schema >= 7:  # one query for both, then the exact copy among them
            buckets = [neardup.exact_bucket(content_hash)] if content_hash else []
            if signature is not None:
                buckets += neardup.band_buckets(signature)
            if not buckets:
                return None, []
            ids = [r[0] for r in self._execute(_candidates_sql(len(buckets)),
                                               (*buckets, *buckets, url_key)).fetchall()]
            found = self._exact_among(ids, content_hash) if content_hash else None
            return found, ids if signature is not None else []
        exact = candidates = None
        with self._batched():  # PostgreSQL: both lookups in one round trip
            if content_hash:
                exact = self._execute(_EXACT_V6, (content_hash, url_key))
            if signature is not None:
                buckets = neardup.band_buckets(signature)
                candidates = self._execute(_NEAR, (*buckets, *buckets, url_key))
            found = exact.fetchone() if exact is not None else None
            ids = [r[0] for r in candidates.fetchall()] if candidates is not None else []
        return found, ids

    def _exact_among(self, ids: Sequence[int], content_hash: str) -> Sequence[Any] | None:
        """(url_key, canonical_url, url, duplicate_of) of the first of ``ids`` (articles,
        ascending) whose body has this hash, or None."""
        if not ids:
            return None
        return self._execute(
            "SELECT url_key, canonical_url, url, duplicate_of FROM articles"
            f" WHERE id IN ({', '.join('?' * len(ids))}) AND content_hash = ?"
            " ORDER BY id LIMIT 1", (*ids, content_hash)).fetchone()

    def _original(self, url_key: str, row: Sequence[Any], kind: str,
                  score: float) -> Duplicate | None:
        """(url_key, canonical_url, url, duplicate_of) of a match -> the original it stands
        for, or None when the match names ``url_key`` as its own original."""
        from newscrawler.urls import canonical_key

        match_key, canonical, url, duplicate_of = row
        if duplicate_of:
            if canonical_key(duplicate_of) == url_key:
                return None
            return Duplicate(duplicate_of, match_key, kind, score)
        return Duplicate(canonical or url, match_key, kind, score)

    def _index_article(self, article_id: int, content_hash: str, signature: Signature | None,
                       *, previous_hash: str | None) -> None:
        """Put the article's exact-duplicate bucket (schema 7), signature and LSH buckets in
        the index, replacing the previous version's (``previous_hash`` is its content hash;
        None for a new article). A body too short for near-duplicate matching, or saved
        without a signature, has no signature or bands."""
        exact = self._schema >= 7
        if previous_hash is not None:
            old = self._execute(
                "SELECT shingles, signature FROM minhash_signatures WHERE article_id = ?",
                (article_id,)).fetchone()
            old_buckets = [] if old is None else neardup.band_buckets(
                Signature.from_bytes(old[1], old[0]))
            if exact:
                old_buckets.append(neardup.exact_bucket(previous_hash))
            if old_buckets:
                marks = ", ".join("?" * len(old_buckets))
                for table in ("minhash_bands", "minhash_bands_new"):
                    self._execute(f"DELETE FROM {table} WHERE bucket IN ({marks})"
                                  " AND article_id = ?", (*old_buckets, article_id))
            if old is not None:
                self._execute("DELETE FROM minhash_signatures WHERE article_id = ?",
                              (article_id,))
        if article_id % BAND_MERGE_EVERY == 0:
            self._merge_due = True  # done at the end of the outermost transaction
        buckets = [neardup.exact_bucket(content_hash)] if exact else []
        if signature is not None and signature.usable:
            self._insert_signature(article_id, signature)
            buckets += neardup.band_buckets(signature)
        if buckets:  # one statement for all of them
            self._insert_bands([(bucket, article_id) for bucket in buckets])

    def _insert_bands(self, rows: Sequence[tuple[int, int]]) -> None:
        """Add (bucket, article_id) rows to the staging band table; one already there is
        skipped."""
        sql = _band_insert_sql(self._INSERT_BANDS, len(rows))
        self._execute(sql, [v for row in rows for v in row])

    def _build_bucket_index(self) -> None:
        """Migration 7: the exact-duplicate buckets of the stored articles join the index
        (PostgreSQL: as band-table rows; SQLite overrides this)."""
        self._index_exact_buckets()

    def _index_exact_buckets(self, batch_size: int = 1000) -> int:
        """Migration 7: give every stored article its exact-duplicate row in the band tables
        (``neardup.exact_bucket`` of its content hash); return how many were indexed."""
        done, last_id = 0, 0
        while True:
            rows = self._execute("SELECT id, content_hash FROM articles WHERE id > ?"
                                 " ORDER BY id LIMIT ?", (last_id, batch_size)).fetchall()
            if rows:
                self._insert_bands([(neardup.exact_bucket(h), i) for i, h in rows])
                done += len(rows)
            if len(rows) < batch_size:
                self._merge_bands()
                return done
            last_id = rows[-1][0]

    def _insert_signature(self, article_id: int, signature: Signature) -> None:
        self._execute("INSERT INTO minhash_signatures (article_id, shingles, signature)"
                      " VALUES (?, ?, ?)", (article_id, signature.shingles,
                                            self._blob(signature.to_bytes())))

    def _index_signature(self, article_id: int, signature: Signature) -> None:
        """Index the signature of an article that has none yet (migrations 4 and 5)."""
        if signature.usable:
            self._insert_signature(article_id, signature)
            self._insert_bands([(b, article_id) for b in neardup.band_buckets(signature)])

    def _backfill_signatures(self, batch_size: int = 500) -> int:
        """Index the stored articles that have no signature (migrations 4 and 5, and stores
        written without signatures); return how many were indexed."""
        if self._read_schema_version() < 4:
            return 0  # migrating to 4: the index's v5 layout is not there yet; 5 calls this
        done, last_id = 0, 0
        while True:
            rows = self._execute(
                "SELECT a.id, a.data FROM articles a WHERE a.id > ? AND NOT EXISTS"
                " (SELECT 1 FROM minhash_signatures s WHERE s.article_id = a.id)"
                " ORDER BY a.id LIMIT ?", (last_id, batch_size)).fetchall()
            for article_id, data in rows:
                body = self._json_out(data).get("body") or []
                self._index_signature(article_id, neardup.signature(body))
                done += 1
            if len(rows) < batch_size:
                return done
            last_id = rows[-1][0]

    @abstractmethod
    def _merge_bands(self) -> None:
        """Move the rows of minhash_bands_new into minhash_bands, in bucket order (each
        backend: SQLite without a statement journal, PostgreSQL moving exactly the rows it
        deletes)."""

    def _reindex_signatures(self) -> int:
        """Migration 5: drop the near-duplicate index and build it again in the current
        scheme from the stored bodies; return how many articles were indexed."""
        for table in ("minhash_bands", "minhash_bands_new", "minhash_signatures"):
            self._execute(f"DELETE FROM {table}")
        done = self._backfill_signatures()
        self._merge_bands()
        return done

    def iter_articles(self, *, since: datetime | None = None, site: str | None = None,
                      unique: bool = False, batch_size: int = 500) -> Iterator[dict[str, Any]]:
        """The latest version of each article, in first-storage order, streamed in batches
        (keyset pagination on the article id: constant memory, no long-held read snapshot).
        ``since`` filters on the latest version's fetched_at; ``unique`` leaves out duplicates."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        where, params = ["id > ?"], []
        if since is not None:
            where.append("fetched_at >= ?")
            params.append(self._ts(to_utc(since)))
        if site is not None:
            where.append("site = ?")
            params.append(site)
        if unique:
            where.append("duplicate_of IS NULL")
        sql = (f"SELECT id, data, duplicate_of FROM articles WHERE {' AND '.join(where)}"
               " ORDER BY id LIMIT ?")
        last_id = 0
        while True:
            rows = self._execute(sql, (last_id, *params, batch_size)).fetchall()
            for row in rows:
                yield self._article_out(row[1], row[2])
            if len(rows) < batch_size:
                return
            last_id = rows[-1][0]

    def counts_by_site(self) -> dict[str, int]:
        rows = self._execute("SELECT site, COUNT(*) FROM articles GROUP BY site ORDER BY site")
        return {site: n for site, n in rows.fetchall()}

    def count_articles(self) -> int:
        return self._execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    # ------------------------------------------------------------------ fetch state
    def record_fetch(self, url_key: str, url: str, outcome: str, *,
                     http_status: int | None = None, etag: str | None = None,
                     last_modified: str | None = None,
                     sitemap_lastmod: str | None = None,
                     fetched_at: datetime | str | None = None) -> None:
        """Remember the outcome of fetching a URL. A None etag/last_modified/sitemap_lastmod
        keeps the value stored before (a 304 carries no new validators). `fetched_at` is the
        crawl's clock (default: now)."""
        if outcome not in FETCH_OUTCOMES:
            raise ValueError(f"unknown fetch outcome {outcome!r}; "
                             f"expected one of {', '.join(sorted(FETCH_OUTCOMES))}")
        with self.transaction():
            self._save_fetch_state(url_key, url, outcome, http_status, etag, last_modified,
                                   sitemap_lastmod, to_utc(fetched_at) or utc_now())

    def fetch_state(self, url_key: str) -> FetchState | None:
        row = self._execute(f"SELECT {_FETCH_STATE_COLUMNS} FROM fetch_state WHERE url_key = ?",
                            (url_key,)).fetchone()
        return None if row is None else self._fetch_state_out(row)

    def fetch_states(self, url_keys: Iterable[str]) -> dict[str, FetchState]:
        """``fetch_state`` of many keys in a few queries (a sitemap's entries: one round trip
        per KEY_CHUNK keys, not one per key); keys never fetched are left out."""
        keys = list(dict.fromkeys(url_keys))
        found: dict[str, FetchState] = {}
        for start in range(0, len(keys), KEY_CHUNK):
            chunk = keys[start:start + KEY_CHUNK]
            rows = self._execute(f"SELECT {_FETCH_STATE_COLUMNS} FROM fetch_state"
                                 f" WHERE url_key IN ({', '.join('?' * len(chunk))})",
                                 chunk).fetchall()
            found.update((row[0], self._fetch_state_out(row)) for row in rows)
        return found

    def _fetch_state_out(self, row: Sequence[Any]) -> FetchState:
        return FetchState(*row[:7], fetched_at=self._ts_out(row[7]))

    def known_url_keys(self, url_keys: Iterable[str]) -> set[str]:
        """The given keys that are stored as articles or have a fetch state."""
        keys = list(dict.fromkeys(url_keys))
        found: set[str] = set()
        for start in range(0, len(keys), KEY_CHUNK):
            chunk = keys[start:start + KEY_CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self._execute(
                f"SELECT url_key FROM articles WHERE url_key IN ({marks})"
                f" UNION SELECT url_key FROM fetch_state WHERE url_key IN ({marks})",
                (*chunk, *chunk)).fetchall()
            found.update(r[0] for r in rows)
        return found

    def _save_fetch_state(self, url_key: str, url: str, outcome: str, http_status: int | None,
                          etag: str | None, last_modified: str | None,
                          sitemap_lastmod: str | None, now: datetime) -> None:
        self._upsert("fetch_state", {
            "url_key": url_key, "url": url, "outcome": outcome, "http_status": http_status,
            "etag": etag, "last_modified": last_modified, "sitemap_lastmod": sitemap_lastmod,
            "fetched_at": self._ts(now),
        }, key=("url_key",), coalesce=("etag", "last_modified", "sitemap_lastmod"))

    # ------------------------------------------------------------------ runs
    def start_run(self, target: str) -> int:
        with self.transaction():
            return self._insert_id("INSERT INTO runs (target, started_at) VALUES (?, ?)",
                                   (target, self._ts(utc_now())))

    def finish_run(self, run_id: int, *, exit_code: int, counts: Mapping[str, int],
                   stats: Mapping[str, Any]) -> None:
        """Close a run. Counts without a column of their own are kept in stats["counts"]."""
        extra = {k: v for k, v in counts.items() if k not in RUN_COUNTS}
        stats = {**stats, "counts": extra} if extra else dict(stats)
        cols = ", ".join(f'"{c}" = ?' for c in RUN_COUNTS)
        with self.transaction():
            self._execute(
                f"UPDATE runs SET finished_at = ?, exit_code = ?, {cols}, stats = ? WHERE id = ?",
                (self._ts(utc_now()), exit_code, *(int(counts.get(c) or 0) for c in RUN_COUNTS),
                 self._json(stats), run_id))

    def update_run_counts(self, run_id: int, counts: Mapping[str, int]) -> None:
        """The counts of a run still going, so that a run killed later keeps them."""
        cols = ", ".join(f'"{c}" = ?' for c in RUN_COUNTS)
        with self.transaction():
            self._execute(f"UPDATE runs SET {cols} WHERE id = ? AND finished_at IS NULL",
                          (*(int(counts.get(c) or 0) for c in RUN_COUNTS), run_id))

    def recent_runs(self, target: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Runs, newest first, as dicts (stats decoded)."""
        cols = ("id", "target", "started_at", "finished_at", "exit_code", *RUN_COUNTS, "stats")
        quoted = ", ".join(f'"{c}"' for c in cols)  # "new" is an SQL keyword
        sql = f"SELECT {quoted} FROM runs"
        params: list[Any] = []
        if target is not None:
            sql += " WHERE target = ?"
            params.append(target)
        sql += " ORDER BY started_at DESC, id DESC LIMIT ?"
        runs = []
        for row in self._execute(sql, (*params, limit)).fetchall():
            run = dict(zip(cols, row, strict=True))
            run["started_at"] = self._ts_out(run["started_at"])
            run["finished_at"] = self._ts_out(run["finished_at"])
            run["stats"] = self._json_out(run["stats"]) if run["stats"] is not None else {}
            runs.append(run)
        return runs

    # ------------------------------------------------------------------ helpers
    def _article_out(self, data: Any, duplicate_of: str | None) -> dict[str, Any]:
        article = self._json_out(data)
        article["duplicate_of"] = duplicate_of
        return order_article(article)

    def _upsert(self, table: str, values: Mapping[str, Any], *, key: Sequence[str],
                keep: Sequence[str] = (), coalesce: Sequence[str] = (),
                returning: str | None = None) -> Any:
        """INSERT or, on a conflict on ``key``, UPDATE (``keep`` columns keep their stored
        value; ``coalesce`` ones keep it when the new value is NULL). With ``returning`` (a
        column; needs an UPDATE action), that column of the written row is returned."""
        sql = _upsert_sql(table, tuple(values), tuple(key), tuple(keep), tuple(coalesce),
                          returning)
        if returning is None:
            self._execute(sql, tuple(values.values()))
            return None
        # fetchall: the statement runs to its end (an unfinished write blocks COMMIT)
        return self._execute(sql, tuple(values.values())).fetchall()[0][0]

    # ------------------------------------------------------------------ backend hooks
    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` placeholders); return a DB-API cursor."""

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each parameter row."""
        for row in rows:
            self._execute(sql, row)

    @abstractmethod
    def _begin_write(self) -> None:
        """Start a write transaction that serialises writers (SQLite: BEGIN IMMEDIATE)."""

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT into a table with an ``{id_pk}`` column and return the new id."""

    @abstractmethod
    def _read_schema_version(self) -> int: ...

    @abstractmethod
    def _write_schema_version(self, version: int) -> None:
        """Record a migration as applied, inside the migration's transaction."""

    @abstractmethod
    def try_lock(self, name: str) -> Lock | None:
        """Take the named lock, or return None if another live process holds it."""

    @abstractmethod
    def lock_holder(self, name: str) -> str | None:
        """Who holds the named lock (``Lock.holder_info``), or None if it is free/unknown."""

    @abstractmethod
    def close(self) -> None: ...

    def _batched(self) -> AbstractContextManager[Any]:
        """Statements inside may be sent without waiting for each answer (PostgreSQL's
        pipeline mode: a result that is read, and the end of the block, wait for the server).
        Used inside a transaction, so an error raised at the end still rolls it back."""
        return nullcontext()

    def _index_mark(self) -> Any:
        """State of an in-memory index to return to if the transaction now starting (or
        savepoint) is rolled back (SQLite; see ``_index_rolled_back``)."""
        return None

    def _index_rolled_back(self, mark: Any) -> None:
        """The writes since ``_index_mark`` returned ``mark`` were rolled back."""
        return None

    def _lock_article(self, url_key: str) -> None:
        """Serialise writers of one article within the write transaction. SQLite's BEGIN
        IMMEDIATE already serialises all writers; PostgreSQL will take an advisory xact lock."""
        return None

    def lock_for_dedup(self) -> None:
        """Call first in a write transaction that looks an article up before saving it: no
        other writer's lookup and save then runs in between, so of two copies saved at once by
        two writers the second always finds the first. SQLite's BEGIN IMMEDIATE serialises
        every writer already; PostgreSQL takes one advisory lock to the end of the
        transaction (two copies share no key that a finer lock could use)."""
        if not self._tx_depth:
            raise RuntimeError("lock_for_dedup() outside a write transaction")

    def _ts(self, dt: datetime | None) -> Any:
        """A timestamp parameter: fixed-width UTC ISO text (sorts and compares as text)."""
        return None if dt is None else dt.astimezone(UTC).isoformat(timespec="microseconds")

    def _ts_out(self, value: Any) -> str | None:
        return value.isoformat() if isinstance(value, datetime) else value

    def _json(self, obj: Any) -> Any:
        return dumps(obj)

    def _blob(self, data: bytes) -> Any:
        return data

    def _json_out(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str | bytes) else value
