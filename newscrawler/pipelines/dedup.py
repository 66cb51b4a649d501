"""Deduplicate: the same canonical URL within a run is dropped; the same story under another
URL (identical normalised body) is kept and linked with duplicate_of.
"""

from __future__ import annotations

import hashlib

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawler.state import crawl_store
from newscrawler.text import fold_for_key
from newscrawler.urls import canonical_key


def content_hash(body: list[str]) -> str:
    """Hash of the body with nukta, ZWJ/ZWNJ, digits, punctuation and spacing folded."""
    return hashlib.sha1(fold_for_key(" ".join(body)).encode("utf-8")).hexdigest()


class DedupPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.seen_keys: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        key = canonical_key(adapter.get("canonical_url") or adapter["url"])
        if key in self.seen_keys:
            self.stats.inc_value("newscrawler/dedup/dropped/same_url_in_run")
            raise DropItem(f"duplicate URL in this run: {adapter['url']}")
        self.seen_keys.add(key)
        digest = content_hash(adapter.get("body") or [])
        original = crawl_store(self.crawler).find_by_content_hash(digest, exclude_url_key=key)
        if original:
            adapter["duplicate_of"] = original
            self.stats.inc_value("newscrawler/dedup/duplicate_content")
        # carried to the store pipeline on the item, outside the article schema
        item._dedup = {"url_key": key, "content_hash": digest}
        return item
