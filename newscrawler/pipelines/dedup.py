"""Deduplicate. Nothing that reaches the store is lost: copies are stored and linked.

* URL level: one canonical key per article (``urls.canonical_key`` of its trustworthy
  canonical URL). The same key twice in one run is dropped (it is the same page).
* Exact duplicates: a hash of the normalised body (NFC, nukta folded, ZWJ/ZWNJ removed,
  digits unified, punctuation and whitespace collapsed).
* Near duplicates: MinHash/LSH over word shingles (``newscrawler.neardup``), looked up in the
  store's index, so copies are found across runs, sites and crawl hosts sharing one store.

The first copy stored is the original; a later copy gets ``duplicate_of`` = the original's
canonical URL. A page whose canonical link names a page on another site (a syndicated copy
that credits its source) is that page's copy: it keeps its own key (it is not merged into the
original's row) and links to the page it names, and when that page arrives later it is the
original even though the copy was stored first.
"""

from __future__ import annotations

import hashlib

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawler import neardup
from newscrawler.store import Duplicate, Store
from newscrawler.text import fold_for_key
from newscrawler.urls import canonical_key, key_host


def content_hash(body: list[str]) -> str:
    """Hash of the body with nukta, ZWJ/ZWNJ, digits, punctuation and spacing folded."""
    return hashlib.sha1(fold_for_key(" ".join(body)).encode("utf-8")).hexdigest()


def hash_folded(folded: str) -> str:
    """``content_hash`` of a body already folded by ``neardup.fingerprints``."""
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


def _same_site(a: str, b: str) -> bool:
    from urllib.parse import urlsplit

    ha, hb = (key_host(urlsplit(u).hostname or "") for u in (a, b))
    return ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha)


def article_keys(url: str, canonical_url: str | None) -> tuple[str, str | None]:
    """(url key, the other site's page this one names as canonical, or None)."""
    if canonical_url and canonical_url != url and not _same_site(url, canonical_url):
        return canonical_key(url), canonical_url
    return canonical_key(canonical_url or url), None


class DedupPipeline:
    """Keys and fingerprints for every item; the same URL twice in a run is dropped.

    The store lookup (``link_duplicate``) runs with the save, in one store writer job: the
    lookup and the save of one article must not be split by another article's save, or two
    copies stored at nearly the same time would each miss the other."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.seen_keys: set[str] = set()
        self.threshold = crawler.settings.getfloat("NEWSCRAWLER_NEARDUP_THRESHOLD",
                                                   neardup.THRESHOLD)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        key, named = article_keys(adapter["url"], adapter.get("canonical_url"))
        if key in self.seen_keys:
            self.stats.inc_value("newscrawler/dedup/dropped/same_url_in_run")
            raise DropItem(f"duplicate URL in this run: {adapter['url']}")
        self.seen_keys.add(key)
        folded, signature = neardup.fingerprints(adapter.get("body") or [])
        if named:
            adapter["duplicate_of"] = named
            self.stats.inc_value("newscrawler/dedup/names_other_canonical")
        # carried to the store pipeline on the item, outside the article schema
        item._dedup = {"url_key": key, "content_hash": hash_folded(folded),
                       "signature": signature, "threshold": self.threshold,
                       "look_up": not adapter.get("duplicate_of")}
        return item


def link_duplicate(store: Store, article: dict, dedup: dict) -> Duplicate | None:
    """Look the article up in the store (when the dedup pipeline asked for it) and set its
    ``duplicate_of`` to the original it repeats. Runs in the store writer, before the save."""
    if not dedup.get("look_up"):
        return None
    match = store.find_duplicate(dedup["url_key"], dedup["content_hash"], dedup["signature"],
                                 threshold=dedup.get("threshold"))
    if match is not None:
        article["duplicate_of"] = match.canonical_url
    return match


def count_duplicate(stats, match: Duplicate | None) -> None:
    if match is not None:
        stats.inc_value("newscrawler/dedup/duplicate_content")
        stats.inc_value(f"newscrawler/dedup/duplicate_{match.kind}")
