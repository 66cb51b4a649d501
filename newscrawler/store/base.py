"""Backend-neutral store logic: article versions, fetch state, runs, streaming reads.

SQL here is portable (SQLite >= 3.24 and PostgreSQL): ``?`` placeholders (a backend rewrites
them if its driver wants another style), ``INSERT ... ON CONFLICT`` upserts, SAVEPOINTs for
nested transactions. Everything dialect-specific sits behind the hooks at the end of ``Store``.
"""

from __future__ import annotations

import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from newscrawler.dates import IST
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


class Store(ABC):
    """Article store. Open with ``newscrawler.store.open_store``; use as a context manager."""

    DIALECT: Mapping[str, str]  # tokens for migrations.render

    def __init__(self) -> None:
        self._tx_lock = threading.RLock()
        self._tx_depth = 0

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
            if depth:
                savepoint = f"sp_{depth}"
                self._execute(f"SAVEPOINT {savepoint}")
                self._tx_depth += 1
                try:
                    yield
                except BaseException:
                    self._execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self._execute(f"RELEASE SAVEPOINT {savepoint}")
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
                self._commit()
            except BaseException:
                self._rollback()
                raise
            finally:
                self._tx_depth = 0

    def schema_version(self) -> int:
        return self._read_schema_version()

    def _migrate(self, upto: int | None = None) -> None:
        """Apply the missing migrations, one transaction each (safe with concurrent openers)."""
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
                    self._execute(migrations.render(statement, self.DIALECT))
                self._write_schema_version(version)

    # ------------------------------------------------------------------ articles
    def save_article(self, article: Mapping[str, Any], *, url_key: str, content_hash: str,
                     etag: str | None = None, last_modified: str | None = None,
                     sitemap_lastmod: str | None = None) -> str:
        """Store one article; return "new", "unchanged" (same content hash as the latest
        version) or "updated" (a new version is added; older ones are kept)."""
        if not url_key or not content_hash:
            raise ValueError("save_article needs a url_key and a content_hash")
        url = article.get("url") or article.get("canonical_url")
        if not url:
            raise ValueError("article has no url")
        data = order_article({**article, "duplicate_of": article.get("duplicate_of")})
        now = utc_now()
        fetched_at = to_utc(article.get("fetched_at")) or now
        with self.transaction():
            self._lock_article(url_key)
            row = self._execute("SELECT version, content_hash FROM articles WHERE url_key = ?",
                                (url_key,)).fetchone()
            if row is not None and row[1] == content_hash:
                self._execute("UPDATE articles SET last_seen_at = ? WHERE url_key = ?",
                              (self._ts(now), url_key))
                outcome = "unchanged"
            else:
                version = 1 if row is None else row[0] + 1
                self._upsert("articles", {
                    "url_key": url_key,
                    "canonical_url": article.get("canonical_url") or url,
                    "url": url,
                    "site": article.get("site"),
                    "title": article.get("title"),
                    "published_at": self._ts(to_utc(article.get("published_at"))),
                    "modified_at": self._ts(to_utc(article.get("modified_at"))),
                    "fetched_at": self._ts(fetched_at),
                    "first_seen_at": self._ts(now),
                    "last_seen_at": self._ts(now),
                    "content_hash": content_hash,
                    "version": version,
                    "duplicate_of": data["duplicate_of"],
                    "data": self._json(data),
                }, key=("url_key",), keep=("first_seen_at",))
                self._upsert("article_versions", {
                    "url_key": url_key, "version": version, "fetched_at": self._ts(fetched_at),
                    "stored_at": self._ts(now), "content_hash": content_hash,
                    "data": self._json(data),
                }, key=("url_key", "version"),  # never overwrite a stored version
                    keep=("fetched_at", "stored_at", "content_hash", "data"))
                outcome = "new" if row is None else "updated"
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
        rows = self._execute(
            "SELECT version, fetched_at, stored_at, content_hash, data FROM article_versions"
            " WHERE url_key = ? ORDER BY version", (url_key,)).fetchall()
        return [{"version": r[0], "fetched_at": self._ts_out(r[1]),
                 "stored_at": self._ts_out(r[2]), "content_hash": r[3],
                 "article": order_article(self._json_out(r[4]))} for r in rows]

    def find_by_content_hash(self, content_hash: str,
                             exclude_url_key: str | None = None) -> str | None:
        """The canonical URL of the earliest stored article whose latest version has this hash.

        None when there is none, or when the earliest one is ``exclude_url_key`` itself: a
        refetched original must not be linked as a duplicate of its own later copy."""
        row = self._execute(
            "SELECT url_key, canonical_url, url FROM articles WHERE content_hash = ?"
            " ORDER BY id LIMIT 1", (content_hash,)).fetchone()
        if row is None or row[0] == exclude_url_key:
            return None
        return row[1] or row[2]

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
        row = self._execute(
            "SELECT url_key, url, outcome, http_status, etag, last_modified, sitemap_lastmod,"
            " fetched_at FROM fetch_state WHERE url_key = ?", (url_key,)).fetchone()
        if row is None:
            return None
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
                keep: Sequence[str] = (), coalesce: Sequence[str] = ()) -> None:
        """INSERT or, on a conflict on ``key``, UPDATE (``keep`` columns keep their stored
        value; ``coalesce`` ones keep it when the new value is NULL)."""
        cols = list(values)
        sets = [f"{c} = COALESCE(excluded.{c}, {table}.{c})" if c in coalesce
                else f"{c} = excluded.{c}"
                for c in cols if c not in key and c not in keep]
        action = f"UPDATE SET {', '.join(sets)}" if sets else "NOTHING"
        self._execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            f" ON CONFLICT ({', '.join(key)}) DO {action}", tuple(values.values()))

    # ------------------------------------------------------------------ backend hooks
    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` placeholders); return a DB-API cursor."""

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

    def _lock_article(self, url_key: str) -> None:
        """Serialise writers of one article within the write transaction. SQLite's BEGIN
        IMMEDIATE already serialises all writers; PostgreSQL will take an advisory xact lock."""
        return None

    def _ts(self, dt: datetime | None) -> Any:
        """A timestamp parameter: fixed-width UTC ISO text (sorts and compares as text)."""
        return None if dt is None else dt.astimezone(UTC).isoformat(timespec="microseconds")

    def _ts_out(self, value: Any) -> str | None:
        return value.isoformat() if isinstance(value, datetime) else value

    def _json(self, obj: Any) -> Any:
        return dumps(obj)

    def _json_out(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str | bytes) else value
