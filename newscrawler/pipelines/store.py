"""Store articles (upsert keyed on the canonical URL key), and remember dropped pages too,
so that the next run does not fetch them again.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler

from newscrawler import neardup
from newscrawler.pipelines.dedup import article_keys, content_hash
from newscrawler.state import close_crawl_store, crawl_store
from newscrawler.urls import canonical_key


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def close_spider(self) -> None:
        close_crawl_store(self.crawler)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        article = adapter.asdict()
        meta = getattr(item, "_dedup", None) or {
            "url_key": article_keys(article["url"], article.get("canonical_url"))[0],
            "content_hash": content_hash(article.get("body") or []),
            "signature": neardup.signature(article.get("body") or []),
        }
        fetch = getattr(item, "_fetch", None) or {}
        outcome = crawl_store(self.crawler).save_article(
            article, url_key=meta["url_key"], content_hash=meta["content_hash"],
            etag=fetch.get("etag"), last_modified=fetch.get("last_modified"),
            sitemap_lastmod=fetch.get("lastmod"), signature=meta.get("signature"))
        self.stats.inc_value(f"newscrawler/store/{outcome}")
        fetch_key = fetch.get("url_key")
        if fetch_key and fetch_key != meta["url_key"]:
            # the page was requested under another URL than its canonical one: remember both
            crawl_store(self.crawler).record_fetch(
                fetch_key, fetch.get("url") or article["url"], "stored",
                etag=fetch.get("etag"), last_modified=fetch.get("last_modified"),
                sitemap_lastmod=fetch.get("lastmod"), fetched_at=article.get("fetched_at"))
        if article.get("duplicate_of"):
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
        crawl_store(self.crawler).record_fetch(
            key, url, "invalid", http_status=getattr(response, "status", None),
            sitemap_lastmod=fetch.get("lastmod"), fetched_at=adapter.get("fetched_at"))
