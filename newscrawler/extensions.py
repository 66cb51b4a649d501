"""Crawl extensions: field coverage (the layout drift guard) and periodic progress lines."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

COVERED_FIELDS = ("title", "body", "published_at", "lede")
# the lede is optional on many portals: it is reported but does not fail a crawl by default
REQUIRED_FIELDS = ("title", "body", "published_at")
MIN_ARTICLES_FOR_VERDICT = 5


class CoverageMonitor:
    """Counts, per crawl, the share of stored articles that have each field.

    When a profiled site's coverage of a required field falls below the profile's threshold
    (with at least a handful of articles to judge by), it logs which fields failed and sets
    `newscrawler/coverage/failed`, which makes `newscrawler crawl` exit 1.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.counts = dict.fromkeys(COVERED_FIELDS, 0)
        self.items = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CoverageMonitor:
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def item_scraped(self, item, response, spider) -> None:
        adapter = ItemAdapter(item)
        self.items += 1
        for name in COVERED_FIELDS:
            if adapter.get(name):
                self.counts[name] += 1
                self.stats.inc_value(f"newscrawler/coverage/{name}")

    def spider_closed(self, spider, reason) -> None:
        if not self.items:
            return
        shares = {name: self.counts[name] / self.items for name in COVERED_FIELDS}
        for name, share in shares.items():
            self.stats.set_value(f"newscrawler/coverage/{name}_share", round(share, 3))
        profile = getattr(spider, "profile", None)
        if profile is None or self.items < MIN_ARTICLES_FOR_VERDICT:
            return
        failed = [f"{name} {shares[name]:.0%}" for name in REQUIRED_FIELDS
                  if shares[name] < profile.coverage_threshold]
        if failed:
            self.stats.set_value("newscrawler/coverage/failed", ", ".join(failed))
            logger.error("layout drift on %s: field coverage below %.0f%%: %s "
                         "(the site's markup has probably changed; check the profile)",
                         profile.id, profile.coverage_threshold * 100, ", ".join(failed))
