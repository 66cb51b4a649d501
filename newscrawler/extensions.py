"""Crawl extensions: field coverage (the layout drift guard) and the run's time limit."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.extensions.closespider import CloseSpider

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


STOPPING = "newscrawler/stopping"  # set when the run stops early: nothing more is scheduled


def stop_crawl(crawler: Crawler) -> tuple[int, int, int]:
    """Stop a crawl now, at its time limit or on SIGINT/SIGTERM: nothing new is scheduled or
    retried, queued and paused requests are dropped (recorded nowhere, so the next run fetches
    those articles), downloads in flight get NEWSCRAWLER_STOP_GRACE seconds. Returns (queued
    requests dropped, those of them waiting on a paused host, requests never scheduled)."""
    crawler.stats.set_value(STOPPING, True)
    engine = crawler.engine
    scheduler = getattr(getattr(engine, "_slot", None), "scheduler", None)
    try:
        unscheduled = len(scheduler) if scheduler is not None else 0
    except Exception:  # noqa: BLE001 - no length (or a frontier that does not answer)
        unscheduled = 0
    dropped = paused = 0
    downloader = getattr(engine, "downloader", None)
    if hasattr(downloader, "stop"):
        grace = crawler.settings.getfloat("NEWSCRAWLER_STOP_GRACE", 5.0)
        dropped, paused = downloader.stop(grace)
    return dropped, paused, unscheduled


class TimeLimitCloseSpider(CloseSpider):
    """Scrapy's CloseSpider, whose CLOSESPIDER_TIMEOUT (``--max-runtime``) really ends the run.

    Scrapy alone closes by waiting for every request the downloader holds: those queued behind
    the download delay, and those held by a host paused for Retry-After, whose 429 may come
    again and pause the host again. Here, when the limit is reached, nothing new is scheduled
    or retried, the queued and paused requests are dropped (an article not fetched is fetched
    by the next run: the store has no record of it, or an older sitemap date), and the
    downloads in flight get NEWSCRAWLER_STOP_GRACE seconds before they are cancelled. What
    was fetched is still stored. Counted under newscrawler/time_limit/.
    """

    def spider_opened(self, spider) -> None:
        super().spider_opened(spider)
        self.crawler.signals.connect(self.request_scheduled, signal=signals.request_scheduled)

    def _close_spider(self, reason: str) -> None:
        if reason == "closespider_timeout":
            self._stop_at_time_limit()
        super()._close_spider(reason)

    def _stop_at_time_limit(self) -> None:
        stats = self.crawler.stats
        limit = self.close_on["timeout"]
        stats.set_value("newscrawler/time_limit/reached", limit)
        stats.set_value("newscrawler/time_limit/reached_at", datetime.now(UTC))
        dropped, paused, unscheduled = stop_crawl(self.crawler)
        stats.set_value("newscrawler/time_limit/unscheduled", unscheduled)
        stats.set_value("newscrawler/time_limit/queued_dropped", dropped)
        stats.set_value("newscrawler/time_limit/paused_dropped", paused)
        logger.warning(
            "time limit of %gs reached: stopping the run; %d queued request(s) dropped "
            "(%d of them waiting on a paused host), %d not yet scheduled; no retries from "
            "now on. What is stored stays; articles not fetched are fetched by the next run",
            limit, dropped, paused, unscheduled)

    def request_scheduled(self, request, spider) -> None:
        """Past the time limit, a request (a retry, a link found by a late response) is not
        scheduled: the engine drops it when a handler raises IgnoreRequest."""
        if self.crawler.stats.get_value(STOPPING) is None:
            return
        self.crawler.stats.inc_value("newscrawler/time_limit/not_scheduled")
        raise IgnoreRequest("the run is stopping (time limit or signal)")

