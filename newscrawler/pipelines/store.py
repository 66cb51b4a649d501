"""Store articles (upsert keyed on the canonical URL key), and remember dropped pages too,
so that the next run does not fetch them again.

The writes go to the crawl's store writer (``state.StoreWriter``): on a thread of their own,
so the crawl goes on while the database answers; the item moves on once it is stored.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future

from newscrawler import neardup
from newscrawler.pipelines.dedup import (
    article_keys,
    content_hash,
    count_duplicate,
    link_duplicate,
)
from newscrawler.state import as_deferred, close_crawl_store, store_writer
from newscrawler.store import Store
from newscrawler.urls import canonical_key

logger = logging.getLogger(__name__)


def store_article(store: Store, article: dict, dedup: dict, fetch: dict):
    """The writer job for one article: link it to the original it repeats, save it, and
    remember the URL it was requested under when that differs. Returns (outcome, match).

    The lookup and the save are one transaction under the store's dedup lock: another crawl
    writing to the same store (a second cron line, a cluster worker) cannot save a copy of
    this story between the two, which would leave both stored as originals."""
    with store.transaction():
        if dedup.get("look_up"):
            store.lock_for_dedup()
        match = link_duplicate(store, article, dedup)
        outcome = store.save_article(
            article, url_key=dedup["url_key"], content_hash=dedup["content_hash"],
            etag=fetch.get("etag"), last_modified=fetch.get("last_modified"),
            sitemap_lastmod=fetch.get("lastmod"), signature=dedup.get("signature"))
        fetch_key = fetch.get("url_key")
        if fetch_key and fetch_key != dedup["url_key"]:
            # the page was requested under another URL than its canonical one: remember both
            store.record_fetch(
                fetch_key, fetch.get("url") or article["url"], "stored",
                etag=fetch.get("etag"), last_modified=fetch.get("last_modified"),
                sitemap_lastmod=fetch.get("lastmod"), fetched_at=article.get("fetched_at"))
    return outcome, match


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def close_spider(self) -> None:
        close_crawl_store(self.crawler)  # waits for the writer's queued jobs

    async def process_item(self, item):
        adapter = ItemAdapter(item)
        article = adapter.asdict()
        dedup = getattr(item, "_dedup", None) or {
            "url_key": article_keys(article["url"], article.get("canonical_url"))[0],
            "content_hash": content_hash(article.get("body") or []),
            "signature": neardup.signature(article.get("body") or []),
        }
        fetch = getattr(item, "_fetch", None) or {}
        future = store_writer(self.crawler).submit(
            lambda store: store_article(store, article, dedup, fetch))
        if not future.done():  # the threaded writer: wait on the reactor, not blocking it
            await maybe_deferred_to_future(as_deferred(future))
        return self._stored(future.result(), item)

    def _stored(self, result, item):
        outcome, match = result
        adapter = ItemAdapter(item)
        count_duplicate(self.stats, match)
        if match is not None:
            adapter["duplicate_of"] = match.canonical_url
        self.stats.inc_value(f"newscrawler/store/{outcome}")
        if adapter.get("duplicate_of"):
            self.stats.inc_value("newscrawler/store/duplicate_linked")
        return item

    def item_dropped(self, item, response, exception, spider) -> None:
        """A dropped page is remembered as invalid so it is not refetched every run."""
        adapter = ItemAdapter(item)
        url = adapter.get("url")
        if not url:
            return
        fetch = getattr(item, "_fetch", None) or {}
        key = fetch.get("url_key") or canonical_key(url)
        if "duplicate URL in this run" in str(exception):
            return
        fetched_at = adapter.get("fetched_at")
        status = getattr(response, "status", None)
        future = store_writer(self.crawler).submit(lambda store: store.record_fetch(
            key, url, "invalid", http_status=status, sitemap_lastmod=fetch.get("lastmod"),
            fetched_at=fetched_at))
        future.add_done_callback(_log_failure)


def _log_failure(future) -> None:
    exc = future.exception()
    if exc is not None:
        logger.error("could not remember a dropped page: %s", exc)
