"""SQLite backend (stdlib sqlite3): WAL, BEGIN IMMEDIATE writers, flock-based named locks."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import socket
import sqlite3
import threading
import time
from array import array
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from newscrawler import neardup
from newscrawler.dates import IST
from newscrawler.neardup import Signature
from newscrawler.store.base import MAX_CANDIDATES, Lock, Store, utc_now
from newscrawler.store.bucket_index import BucketIndex, pack

BUSY_TIMEOUT_S = 30.0
MEMORY = ":memory:"
CACHE_KIB = 64 * 1024
# pages in the WAL before a commit copies them into the database (SQLite's default: 1000).
# A batch of 1,000 articles dirties ~4,000 pages, many of them (index leaves, the LSH
# staging table) again in the next batch: checkpointing every few batches copies such a
# page once for several commits. The WAL file keeps its largest size (~40 MB) on disk.
WAL_CHECKPOINT_PAGES = 10_000
ENTRY_CHUNK = 50_000  # lsh_entries rows read at a time into the in-memory index
# fewer rows than this join the index's recent part one by one (another process's articles:
# a bulk add merges into the big sorted arrays at once, ~40 ms per million articles)
BULK_ROWS = 10_000


class SQLiteStore(Store):
    DIALECT = {"id_pk": "INTEGER PRIMARY KEY AUTOINCREMENT", "json": "TEXT", "ts": "TEXT",
               "bigint": "INTEGER", "blob": "BLOB", "without_rowid": " WITHOUT ROWID"}

    def __init__(self, path: str, *, migrate_to: int | None = None) -> None:
        """Open (creating it and its directory if needed) and migrate the store at ``path``
        (or ``":memory:"``). ``migrate_to`` stops at that schema version (tests, tooling)."""
        super().__init__()
        # schema 7: the near-duplicate index, in memory (bucket_index.py), and the seq of the
        # last lsh_entries row it holds; read when first needed
        self._index: BucketIndex | None = None
        self._index_seq = 0
        if path != MEMORY:
            path = os.path.abspath(path)  # lock files must not move with a later chdir
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # isolation_level=None: the module never opens transactions behind our back
        self._conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                     check_same_thread=False)
        self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if path != MEMORY:
            self._enable_wal()
        self._conn.execute("PRAGMA synchronous = NORMAL")  # durable enough with WAL, much faster
        # a 64 MiB page cache (the default is 2 MiB): the upper levels of the indexes and the
        # recent near-duplicate rows stay in it; memory stays bounded whatever the store size
        # (256 MiB measured no faster up to 200,000 articles)
        self._conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        # statement and savepoint journals in memory, not in a temporary file: a multi-row
        # INSERT and every write inside a savepoint (a save within a batch) copy pages there
        self._conn.execute("PRAGMA temp_store = MEMORY")
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        self._memory_locks: dict[str, _MemoryLock] = {}
        self._memory_guard = threading.Lock()
        try:
            self._migrate(migrate_to)
        except BaseException:
            self._conn.close()
            raise

    def _enable_wal(self) -> None:
        """WAL (persistent; readers never block the writer). Switching modes can fail at once
        with "database is locked" while another process opens the new file (the busy handler
        is not used there), so retry until the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        delay = 0.005
        while True:
            try:
                if self._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                    return
                self._conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.25)

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    @property
    def reopenable(self) -> bool:
        return self.path != MEMORY

    # OR IGNORE, not ON CONFLICT DO NOTHING: SQLite keeps a statement journal (a copy of each
    # page the statement changes) for a multi-row upsert, not for OR IGNORE
    _INSERT_BANDS = Store._INSERT_BANDS.replace(
        "INSERT INTO", "INSERT OR IGNORE INTO").replace(
        " ON CONFLICT (bucket, article_id) DO NOTHING", "")

    def _merge_bands(self) -> None:
        # writers are serialised (BEGIN IMMEDIATE): nothing is added between the two
        self._conn.execute("INSERT OR IGNORE INTO minhash_bands (bucket, article_id)"
                           " SELECT bucket, article_id FROM minhash_bands_new ORDER BY bucket")
        self._conn.execute("DELETE FROM minhash_bands_new")

    # ------------------------------------------------------------------ near-duplicate index
    # Schema 7: lookups are answered in memory (store/bucket_index.py) from the lsh_entries
    # rows; older schemas (a store kept there by ``migrate_to``) use the band tables (Store).
    def _bucket_index(self) -> BucketIndex:
        """The in-memory index, caught up with every lsh_entries row visible now. Writers are
        serialised (BEGIN IMMEDIATE) and seq is AUTOINCREMENT, so rows become visible in seq
        order: the rows after the last one read are all the index lacks."""
        if self._index is None:
            self._index, self._index_seq = BucketIndex(), 0
        index = self._index
        cursor = self._conn.execute(
            "SELECT seq, article_id, buckets FROM lsh_entries WHERE seq > ? ORDER BY seq",
            (self._index_seq,))
        chunks = []
        empty = not len(index)
        while rows := cursor.fetchmany(ENTRY_CHUNK):
            if not empty and len(rows) < BULK_ROWS:  # catching up: the usual case
                for _, article_id, blob in rows:
                    index.add(article_id, array("I", blob))
            else:  # reading the store's index (or much of it): in bulk
                keys = np.frombuffer(b"".join(r[2] for r in rows), np.uint32)
                ids = np.repeat(np.fromiter((r[1] for r in rows), np.uint32, len(rows)),
                                [len(r[2]) >> 2 for r in rows])
                chunks.append(pack(ids, keys))
            self._index_seq = rows[-1][0]
        if chunks:
            packed = np.concatenate(chunks) if len(chunks) > 1 else chunks[0]
            del chunks
            index.add_packed(packed)
        return index

    def _lookup(self, url_key: str, content_hash: str | None,
                signature: Signature | None) -> tuple[Sequence[Any] | None, list[int]]:
        if self._schema < 7:
            return super()._lookup(url_key, content_hash, signature)
        index = self._bucket_index()
        row = self._conn.execute("SELECT id FROM articles WHERE url_key = ?",
                                 (url_key,)).fetchone()
        before = None if row is None else row[0]
        found = None
        if content_hash:
            ids = _earliest(index.candidates([neardup.exact_bucket(content_hash)]), before)
            found = self._exact_among(ids, content_hash)
        if signature is None or found is not None:
            return found, []
        return found, _earliest(index.candidates(signature.buckets), before)

    def _exact_match(self, content_hash: str) -> Sequence[Any] | None:
        if self._schema < 7:
            return super()._exact_match(content_hash)
        ids = _earliest(self._bucket_index().candidates([neardup.exact_bucket(content_hash)]),
                        None)
        found = self._exact_among(ids, content_hash)
        return None if found is None else found[:3]

    def _index_article(self, article_id: int, content_hash: str, signature: Signature | None,
                       *, previous_hash: str | None) -> None:
        if self._schema < 7:
            super()._index_article(article_id, content_hash, signature,
                                   previous_hash=previous_hash)
            return
        if previous_hash is not None:  # an update: its entry and signature are replaced
            self._conn.execute("DELETE FROM minhash_signatures WHERE article_id = ?",
                               (article_id,))
            self._conn.execute("DELETE FROM lsh_entries WHERE article_id = ?", (article_id,))
        buckets = [neardup.exact_bucket(content_hash)]
        if signature is not None and signature.usable:
            self._insert_signature(article_id, signature)
            buckets += signature.buckets
        seq = self._conn.execute("INSERT INTO lsh_entries (article_id, buckets) VALUES (?, ?)",
                                 (article_id, array("I", buckets).tobytes())).lastrowid
        if self._index is not None and seq == self._index_seq + 1:  # nothing in between
            self._index.add(article_id, buckets)
            self._index_seq = seq

    def _build_bucket_index(self) -> None:
        # migration 7: an lsh_entries row per stored article, from its content hash and its
        # stored signature; the band tables are no longer read
        last_id = 0
        while rows := self._conn.execute(
                "SELECT a.id, a.content_hash, s.shingles, s.signature FROM articles a"
                " LEFT JOIN minhash_signatures s ON s.article_id = a.id WHERE a.id > ?"
                " ORDER BY a.id LIMIT 1000", (last_id,)).fetchall():
            entries = []
            for article_id, content_hash, shingles, stored in rows:
                buckets = [neardup.exact_bucket(content_hash)]
                if stored is not None:
                    buckets += Signature.from_bytes(stored, shingles).buckets
                entries.append((article_id, array("I", buckets).tobytes()))
            self._conn.executemany("INSERT INTO lsh_entries (article_id, buckets) VALUES (?, ?)",
                                   entries)
            last_id = rows[-1][0]
        for table in ("minhash_bands", "minhash_bands_new"):
            self._conn.execute(f"DELETE FROM {table}")

    def _index_mark(self) -> Any:
        return self._index, self._index_seq

    def _index_rolled_back(self, mark: Any) -> None:
        # rolled-back rows may be in memory: harmless, every candidate is checked against
        # the stored article; but their seqs will be used again, so read from before them
        index, seq = mark
        if index is None or index is not self._index:
            self._index = None  # read during the transaction: read again when needed
        else:
            self._index_seq = min(self._index_seq, seq)

    # ------------------------------------------------------------------ hooks
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    def _begin_write(self) -> None:
        # IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so a
        # read-then-write never fails half way with SQLITE_BUSY.
        self._conn.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        return self._conn.execute(sql, params).lastrowid

    def _read_schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def _write_schema_version(self, version: int) -> None:
        self._conn.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"
            " ON CONFLICT (version) DO NOTHING", (version, self._ts(utc_now())))
        self._conn.execute(f"PRAGMA user_version = {int(version)}")  # transactional

    def close(self) -> None:
        self._conn.close()

    # ------------------------------------------------------------------ locks
    def lock_path(self, name: str) -> str:
        return f"{self.path}.{sanitise_lock_name(name)}.lock"

    def try_lock(self, name: str) -> Lock | None:
        if self.path == MEMORY:  # private to this connection: an in-process lock is enough
            with self._memory_guard:
                if name in self._memory_locks:
                    return None
                lock = self._memory_locks[name] = _MemoryLock(self, name)
                return lock
        return FileLock.acquire(self.lock_path(name), name)

    def lock_holder(self, name: str) -> str | None:
        if self.path == MEMORY:
            lock = self._memory_locks.get(name)
            return lock.holder_info if lock else None
        return read_lock_holder(self.lock_path(name))


def _earliest(ids: Iterable[int], before: int | None) -> list[int]:
    """The first MAX_CANDIDATES ids, below ``before`` if given."""
    return sorted(i for i in ids if before is None or i < before)[:MAX_CANDIDATES]


def sanitise_lock_name(name: str) -> str:
    """A file-name-safe form of a lock name; a hash keeps distinct names distinct."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:80]
    if safe != name:
        safe = f"{safe}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"
    return safe


def _holder_record(name: str) -> dict[str, Any]:
    return {"name": name, "pid": os.getpid(), "host": socket.gethostname(),
            "started_at": datetime.now(IST).isoformat(timespec="seconds")}


def _describe(record: dict[str, Any]) -> str:
    return f"pid {record.get('pid')} on {record.get('host')}, since {record.get('started_at')}"


class FileLock(Lock):
    """``flock(LOCK_EX | LOCK_NB)`` on a file: the OS drops it when the holder dies (even on
    SIGKILL), so a stale lock never blocks the next run. The file holds the holder's pid."""

    def __init__(self, path: str, fd: int, record: dict[str, Any]) -> None:
        self.path = path
        self._fd: int | None = fd
        self.holder = record
        self.holder_info = _describe(record)

    @classmethod
    def acquire(cls, path: str, name: str) -> FileLock | None:
        # no O_TRUNC: the holder's record must survive a failed attempt
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        record = _holder_record(name)
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)
        return cls(path, fd, record)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)  # the file stays (unlinking races with other openers)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def read_lock_holder(path: str) -> str | None:
    """Who holds the lock file at ``path``, or None when it is free or the holder unknown."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # held: read who holds it
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None  # free (any record left is from a killed holder)
        raw = os.pread(fd, 4096, 0).decode("utf-8", "replace")
    finally:
        os.close(fd)
    try:
        record = json.loads(raw)
    except ValueError:
        return None  # between the holder's truncate and write
    return _describe(record) if isinstance(record, dict) else None


class _MemoryLock(Lock):
    def __init__(self, store: SQLiteStore, name: str) -> None:
        self._store, self._name = store, name
        self._held = True
        self.holder_info = _describe(_holder_record(name))

    @property
    def held(self) -> bool:
        return self._held

    def release(self) -> None:
        with self._store._memory_guard:
            if self._held:
                self._held = False
                self._store._memory_locks.pop(self._name, None)
