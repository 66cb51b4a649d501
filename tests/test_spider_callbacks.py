"""Spider callbacks on fixture responses (City Bureau style): the response keeps the page's real
URL, the clock is pinned to the fixture's fetch time, and the item equals the expected JSON.
"""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawler.spiders.generic import GenericSpider
from newscrawler.spiders.sites import SPIDERS
from newscrawler.urls import canonical_key
from tests.conftest import fixture_pages

PAGES = fixture_pages()


def response_for(html, expected) -> HtmlResponse:
    url = expected["url"]
    request = Request(url, meta={"role": "article", "url_key": canonical_key(url)})
    return HtmlResponse(url=url, body=html.read_bytes(), request=request,
                        headers={"Content-Type": "text/html; charset=utf-8"})


def spider_for(expected):
    spider_cls = SPIDERS.get(expected["site"], GenericSpider)
    crawler = get_crawler(spider_cls, {"NEWSCRAWLER_CLOCK": expected["fetched_at"]})
    return spider_cls.from_crawler(crawler)


@pytest.mark.parametrize(("html", "expected"), PAGES, ids=[p.stem for p, _ in PAGES])
def test_parse_article_yields_the_expected_item(html, expected):
    spider = spider_for(expected)
    (item,) = list(spider.parse_article(response_for(html, expected)))
    assert dict(item) == expected
    assert item._fetch["url"] == expected["url"]  # the real URL, not a local one


def test_a_page_that_is_not_html_yields_nothing_and_is_counted(tmp_path):
    spider = spider_for({"site": "generic", "fetched_at": "2024-12-23T16:25:00+05:30"})
    spider.crawler.settings.frozen = False
    spider.crawler.settings.set("NEWSCRAWLER_DB", f"sqlite:///{tmp_path}/t.sqlite3")
    url = "https://www.s.in/uploads/report.pdf"
    response = HtmlResponse(url=url, body=b"%PDF-1.4 ...", request=Request(url, meta={
        "role": "article", "url_key": canonical_key(url)}),
        headers={"Content-Type": "application/pdf"})
    assert list(spider.parse_article(response)) == []
    assert spider.crawler.stats.get_value("newscrawler/invalid/not_html") == 1


def test_max_pages_candidates_newest_first_and_bounded():
    from datetime import datetime, timedelta

    from newscrawler.dates import IST
    from newscrawler.spiders.base import NewestFirst

    budget = NewestFirst(5)  # keeps at least 200, prunes past 400
    start = datetime(2025, 1, 1, tzinfo=IST)
    budget.offer("undated", None, "https://s.in/undated", None)
    for i in range(1000):
        budget.offer(f"k{i}", start + timedelta(minutes=i), f"https://s.in/{i}", None)
        assert len(budget) <= 400
    budget.offer("k3", start + timedelta(days=9), "https://s.in/3", "newer")  # pruned: back
    # a date another source gave (the spider's entry_dates) counts too
    picks = budget.take(3, {"k998": start + timedelta(days=10)})
    assert [key for key, *_ in picks] == ["k998", "k3", "k999"]
    left, pruned = len(budget), budget.pruned
    assert pruned > 500 and "undated" not in budget.candidates  # undated ranks last
    assert budget.clear() == left + pruned and not len(budget)
