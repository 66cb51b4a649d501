"""Per crawler: one store connection shared by the spider and middlewares, and one store
writer that the pipelines hand their article writes to."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from scrapy.crawler import Crawler
from twisted.internet import defer

from newscrawler.store import Store, open_store

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

    With an ``inline_store`` each job runs at once on that connection (the crawl's own: an
    in-memory SQLite store cannot be opened twice; tests that call pipelines without a
    reactor)."""

    def __init__(self, db_url: str | None, *, inline_store: Store | None = None) -> None:
        self.db_url = db_url
        self._store = inline_store  # the threaded writer opens its own on its first job
        self._executor: ThreadPoolExecutor | None = None
        if inline_store is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="newscrawler-store")

    @property
    def threaded(self) -> bool:
        return self._executor is not None

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
    """A Deferred fired on the reactor thread with the future's outcome."""
    from twisted.internet import reactor

    d: defer.Deferred = defer.Deferred()

    def done(f: Future[T]) -> None:
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
        store = crawl_store(crawler)
        inline = not store.reopenable or not crawler.settings.getbool(
            "NEWSCRAWLER_STORE_THREAD", True)
        writer = StoreWriter(crawler.settings.get("NEWSCRAWLER_DB"),
                             inline_store=store if inline else None)
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
