"""PostgreSQL backend (psycopg 3): several crawl hosts share one store.

The schema is the same migrations as SQLite with PostgreSQL's dialect tokens. Writers are
serialised per article with a transaction-scoped advisory lock on the url key (two hosts
saving one article never create two versions), migrations run under a session advisory lock
(two hosts opening a new store at once), and named run locks (``try_lock``) are session
advisory locks held on a dedicated connection: the server drops them when the holding
process dies, even on SIGKILL, because its connection closes.
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from newscrawler.dates import IST
from newscrawler.store.base import Lock, Store, utc_now

try:
    import psycopg
except ImportError as exc:  # pragma: no cover - exercised only without the dependency
    psycopg = None
    _IMPORT_ERROR: ImportError | None = exc
else:
    _IMPORT_ERROR = None

# advisory lock key spaces: (namespace, key) pairs for named locks and migrations; single
# bigint keys for articles (PostgreSQL keeps the two forms apart)
_NAMED_LOCKS = 0x4E43  # "NC"
_MIGRATION_KEY = (0x4E43, 0)
_DEDUP_KEY = (0x4E43, 1)  # lookup-then-save of a possible copy, one writer at a time
CONNECT_TIMEOUT_S = 10


def _key64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big",
                          signed=True)


def _key32(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big",
                          signed=True) or 1  # 0 is the migration lock


def _connect(dsn: str, **kwargs: Any):
    if psycopg is None:
        raise RuntimeError("the PostgreSQL backend needs psycopg 3: pip install "
                           f"'psycopg[binary]' ({_IMPORT_ERROR})")
    return psycopg.connect(dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                           **kwargs)


def table_exists(dsn: str, table: str) -> bool:
    """Does the database at ``dsn`` have ``table``? (One connection, nothing written.)"""
    with _connect(dsn) as conn:
        return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()[0]


class PostgresStore(Store):
    DIALECT = {"id_pk": "BIGSERIAL PRIMARY KEY", "json": "JSON", "ts": "TIMESTAMPTZ",
               "bigint": "BIGINT", "blob": "BYTEA", "without_rowid": ""}
    # JSON, not JSONB: the document is kept as written (key order, as SQLite keeps it)

    def __init__(self, dsn: str, *, migrate_to: int | None = None) -> None:
        super().__init__()
        self.dsn = dsn
        self._conn = _connect(dsn, options="-c timezone=UTC")
        self._sql_cache: dict[str, str] = {}
        self._locks: dict[str, PgLock] = {}
        self._locks_guard = threading.Lock()
        try:
            self._execute("SELECT pg_advisory_lock(?, ?)", _MIGRATION_KEY)
            try:
                self._migrate(migrate_to)
            finally:
                self._execute("SELECT pg_advisory_unlock(?, ?)", _MIGRATION_KEY)
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"PostgresStore({_redact(self.dsn)!r})"

    # ------------------------------------------------------------------ hooks
    def _sql(self, sql: str) -> str:
        out = self._sql_cache.get(sql)
        if out is None:
            out = self._sql_cache[sql] = sql.replace("%", "%%").replace("?", "%s")
        return out

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if not params:
            return self._conn.execute(sql)
        return self._conn.execute(self._sql(sql), params)

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(self._sql(sql), rows)

    def _begin_write(self) -> None:
        self._conn.execute("BEGIN")

    def _commit(self) -> None:
        self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        if self._conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self._conn.execute("ROLLBACK")

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        return self._execute(sql + " RETURNING id", params).fetchone()[0]

    def _read_schema_version(self) -> int:
        if self._execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
            return 0
        return self._execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
                             ).fetchone()[0]

    def _write_schema_version(self, version: int) -> None:
        self._execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"
                      " ON CONFLICT (version) DO NOTHING", (version, self._ts(utc_now())))

    def _batched(self) -> Any:
        # one round trip for the statements whose results are not read (a save: the lock,
        # then the version read; the upsert's id; then the rest at the end of the block)
        return self._conn.pipeline()

    def _merge_bands(self) -> None:
        # one statement: exactly the rows this transaction deletes are moved (a concurrent
        # writer's rows committed meanwhile stay for the next merge)
        self._execute("WITH moved AS (DELETE FROM minhash_bands_new RETURNING bucket, article_id)"
                      " INSERT INTO minhash_bands (bucket, article_id) SELECT bucket, article_id"
                      " FROM moved ORDER BY bucket ON CONFLICT (bucket, article_id) DO NOTHING")

    def _lock_article(self, url_key: str) -> None:
        # held to the end of the save's transaction: the second writer of the same article
        # waits, then reads the first one's row (READ COMMITTED) and finds it unchanged
        self._execute("SELECT pg_advisory_xact_lock(?)", (_key64(url_key),))

    def lock_for_dedup(self) -> None:
        super().lock_for_dedup()
        self._execute("SELECT pg_advisory_xact_lock(?, ?)", _DEDUP_KEY)

    def _ts(self, dt: datetime | None) -> Any:
        return None if dt is None else dt.astimezone(UTC)

    def _ts_out(self, value: Any) -> str | None:
        # the same text as SQLite stores: fixed-width UTC ISO 8601
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat(timespec="microseconds")
        return value

    def close(self) -> None:
        with self._locks_guard:
            held = list(self._locks.values())
        for lock in held:
            lock.release()
        self._conn.close()

    # ------------------------------------------------------------------ locks
    def try_lock(self, name: str) -> Lock | None:
        conn = _connect(self.dsn, application_name="newscrawler lock")
        try:
            key = _key32(name)
            got = conn.execute("SELECT pg_try_advisory_lock(%s, %s)",
                               (_NAMED_LOCKS, key)).fetchone()[0]
            if not got:
                conn.close()
                return None
            record = {"pid": os.getpid(), "host": socket.gethostname(),
                      "started_at": datetime.now(IST).isoformat(timespec="seconds")}
            info = f"pid {record['pid']} on {record['host']}, since {record['started_at']}"
            conn.execute(
                "INSERT INTO store_locks (name, holder, acquired_at) VALUES (%s, %s, %s)"
                " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                " acquired_at = excluded.acquired_at", (name, info, utc_now()))
        except BaseException:
            conn.close()
            raise
        lock = PgLock(self, name, conn, info)
        with self._locks_guard:
            self._locks[f"{name}\0{id(lock)}"] = lock
        return lock

    def lock_holder(self, name: str) -> str | None:
        held = self._execute(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid::int8 = ? AND objid::int8 = ? AND objsubid = 2",
            (_NAMED_LOCKS, _key32(name) & 0xFFFFFFFF)).fetchone()
        if held is None:
            return None
        row = self._execute("SELECT holder FROM store_locks WHERE name = ?",
                            (name,)).fetchone()
        return row[0] if row else None


class PgLock(Lock):
    """A session advisory lock on its own connection (closing it releases the lock)."""

    def __init__(self, store: PostgresStore, name: str, conn: Any, info: str) -> None:
        self._store, self._name, self._conn = store, name, conn
        self.holder_info = info

    @property
    def held(self) -> bool:
        return self._conn is not None

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.execute("DELETE FROM store_locks WHERE name = %s AND holder = %s",
                         (self._name, self.holder_info))
        except Exception:  # noqa: BLE001 - the lock goes with the connection anyway
            pass
        finally:
            conn.close()
        with self._store._locks_guard:
            self._store._locks.pop(f"{self._name}\0{id(self)}", None)


def _redact(dsn: str) -> str:
    """The DSN without its password."""
    if "://" in dsn and "@" in dsn.split("://", 1)[1]:
        scheme, rest = dsn.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return dsn
