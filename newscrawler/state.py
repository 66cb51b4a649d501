"""Per crawler: one store connection shared by the spider and middlewares, and one store
writer that the pipelines hand their article writes to."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from scrapy.crawler import Crawler
from twisted.internet import defer

from newscrawler.store import Store, open_store

logger = logging.getLogger(__name__)
T = TypeVar("T")
_ATTR = "_newscrawler_store"
_WRITER = "_newscrawler_writer"


def crawl_store(crawler: Crawler) -> Store:
    store = getattr(crawler, _ATTR, None)
    if store is None:
        store = open_store(crawler.settings.get("NEWSCRAWLER_DB"))
        setattr(crawler, _ATTR, store)
    return store


class StoreWriter:
    """Runs store jobs (``job(store)``) one at a time, in the order they were handed in, on a
    thread of their own with a store connection of their own.

    Why: a save is a dozen statements; against PostgreSQL each is a round trip, and on
    Scrapy's reactor thread every one of them stalled all downloads and parsing (a crawl
    stored ~0.6 of the pages/s it made on SQLite). On this thread the waits overlap with the
    crawl. Jobs run strictly one after another, so a duplicate lookup and the save that
    follows it are never split by another article's save.

    ``threaded=False`` runs each job at once on the crawl's own connection (an in-memory
    SQLite store cannot be opened twice; tests that call pipelines without a reactor)."""

    def __init__(self, db_url: str | None, *, threaded: bool = True,
                 store: Store | None = None) -> None:
        self.db_url = db_url
        self.threaded = threaded
        self._store = store
        self._executor: ThreadPoolExecutor | None = None
        if threaded:
            self._store = None  # opened on the writer thread by its first job
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="newscrawler-store")

    def submit(self, job: Callable[[Store], T]) -> Future[T]:
        """Queue a job; the future holds its result or its exception."""
        if self._executor is None:
            future: Future[T] = Future()
            try:
                future.set_result(job(self._store))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                future.set_exception(exc)
            return future
        return self._executor.submit(self._run, job)

    def _run(self, job: Callable[[Store], T]) -> T:
        if self._store is None:
            self._store = open_store(self.db_url)
        return job(self._store)

    def close(self) -> None:
        """Wait for the queued jobs, then close the writer's connection."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
            if self._store is not None:
                self._store.close()
        self._store = None


def as_deferred(future: Future[T]) -> defer.Deferred:
    """A Deferred fired on the reactor thread with the future's outcome (at once when it is
    already done: the unthreaded writer)."""
    if future.done():
        exc = future.exception()
        return defer.fail(exc) if exc is not None else defer.succeed(future.result())
    from twisted.internet import reactor

    d: defer.Deferred = defer.Deferred()

    def done(f: Future[Any]) -> None:
        exc = f.exception()
        if exc is not None:
            reactor.callFromThread(d.errback, exc)
        else:
            reactor.callFromThread(d.callback, f.result())

    future.add_done_callback(done)
    return d


def store_writer(crawler: Crawler) -> StoreWriter:
    writer = getattr(crawler, _WRITER, None)
    if writer is None:
        db_url = crawler.settings.get("NEWSCRAWLER_DB")
        threaded = crawler.settings.getbool("NEWSCRAWLER_STORE_THREAD", True)
        if threaded and db_url and db_url.rstrip("/").endswith((":memory:", "sqlite:")):
            threaded = False  # a second connection would be another, empty database
        writer = StoreWriter(db_url, threaded=threaded,
                             store=None if threaded else crawl_store(crawler))
        setattr(crawler, _WRITER, writer)
    return writer


def close_crawl_store(crawler: Crawler) -> None:
    writer = getattr(crawler, _WRITER, None)
    if writer is not None:
        writer.close()
        setattr(crawler, _WRITER, None)
    store = getattr(crawler, _ATTR, None)
    if store is not None:
        store.close()
        setattr(crawler, _ATTR, None)
