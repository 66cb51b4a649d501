"""The layout drift guard: per-site field coverage in the stats, exit 1 when it falls."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy.utils.test import get_crawler

from newscrawler.extensions import CoverageMonitor
from newscrawler.loaders import load_article
from newscrawler.profiles import get_profile
from newscrawler.runner import Summary
from newscrawler.spiders.generic import GenericSpider


def item(published: bool):
    return load_article({"url": "https://www.newsindia24.in/world/a-b-c/", "title": "शीर्षक",
                         "body": ["पैरा।"], "published_at": "2024-12-23T15:00:00+05:30"
                         if published else None})


def run_monitor(dated: int, undated: int):
    crawler = get_crawler(GenericSpider)
    monitor = CoverageMonitor(crawler)
    spider = SimpleNamespace(profile=get_profile("newsindia24"))
    for i in range(dated + undated):
        monitor.item_scraped(item(i < dated), None, spider)
    monitor.spider_closed(spider, "finished")
    return crawler.stats.get_stats()


def test_coverage_shares_are_in_the_stats():
    stats = run_monitor(dated=8, undated=2)
    assert stats["newscrawler/coverage/published_at_share"] == 0.8
    assert stats["newscrawler/coverage/title_share"] == 1.0


def test_falling_coverage_fails_the_crawl_and_names_the_field(caplog):
    stats = run_monitor(dated=2, undated=8)
    assert "published_at 20%" in stats["newscrawler/coverage/failed"]
    assert "layout drift on newsindia24" in caplog.text
    stats.update({"finish_reason": "finished", "newscrawler/store/new": 10})
    assert Summary.from_stats("newsindia24", stats, articles_requested=10).exit_code() == 1


def test_healthy_coverage_passes():
    stats = run_monitor(dated=10, undated=0)
    assert "newscrawler/coverage/failed" not in stats
    stats.update({"finish_reason": "finished", "newscrawler/store/new": 10})
    assert Summary.from_stats("newsindia24", stats, articles_requested=10).exit_code() == 0
