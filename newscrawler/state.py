"""One store connection per crawler, shared by the spider, middlewares and pipelines."""

from __future__ import annotations

from scrapy.crawler import Crawler

from newscrawler.store import Store, open_store

_ATTR = "_newscrawler_store"


def crawl_store(crawler: Crawler) -> Store:
    store = getattr(crawler, _ATTR, None)
    if store is None:
        store = open_store(crawler.settings.get("NEWSCRAWLER_DB"))
        setattr(crawler, _ATTR, store)
    return store


def close_crawl_store(crawler: Crawler) -> None:
    store = getattr(crawler, _ATTR, None)
    if store is not None:
        store.close()
        setattr(crawler, _ATTR, None)
