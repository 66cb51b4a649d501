"""The store writer: article writes on a thread of their own, one job at a time, in order."""

from __future__ import annotations

import threading

import pytest
from scrapy.utils.test import get_crawler

from newscrawler.pipelines.dedup import DedupPipeline
from newscrawler.pipelines.store import store_article
from newscrawler.spiders.generic import GenericSpider
from newscrawler.state import close_crawl_store, crawl_store, store_writer
from newscrawler.store import open_store
from newscrawler.urls import canonical_key
from tests.test_pipelines import BODY, article


@pytest.fixture
def crawler(any_db_url):
    crawler = get_crawler(GenericSpider, {"NEWSCRAWLER_DB": any_db_url})
    yield crawler
    close_crawl_store(crawler)


def prepared(crawler, **overrides):
    """An article through the dedup pipeline: (article dict, dedup info, fetch info)."""
    item = DedupPipeline.from_crawler(crawler).process_item(article(**overrides))
    return dict(item), item._dedup, {}


def test_jobs_run_on_their_own_thread_and_connection(crawler):
    writer = store_writer(crawler)
    assert writer.threaded
    seen = writer.submit(lambda store: (threading.current_thread().name, store)).result()
    assert seen[0].startswith("newscrawler-store")
    assert seen[1] is not crawl_store(crawler)


def test_a_copy_queued_right_after_its_original_is_linked_to_it(crawler):
    writer = store_writer(crawler)
    original = prepared(crawler)
    copy = prepared(crawler, url="https://other.in/news/solar-pump-copy-9", site="other.in",
                    body=["न्यूज डेस्क | नई दिल्ली", *BODY])
    # both queued before either is stored: the copy's lookup runs after the original's save
    first = writer.submit(lambda store: store_article(store, *original))
    second = writer.submit(lambda store: store_article(store, *copy))
    assert first.result() == ("new", None)
    outcome, match = second.result()
    assert outcome == "new" and match.canonical_url == "https://www.s.in/desh/solar-pump-yojana-123"
    stored = crawl_store(crawler).get_article(canonical_key(copy[0]["url"]))
    assert stored["duplicate_of"] == "https://www.s.in/desh/solar-pump-yojana-123"


def test_a_failing_job_reports_its_error_and_the_next_jobs_still_run(crawler):
    writer = store_writer(crawler)
    bad = writer.submit(lambda store: store.save_article({"title": "x"}, url_key="",
                                                          content_hash=""))
    good = writer.submit(lambda store: store_article(store, *prepared(crawler)))
    with pytest.raises(ValueError, match="url_key"):
        bad.result()
    assert good.result()[0] == "new"


def test_closing_waits_for_every_queued_write(crawler, any_db_url):
    writer = store_writer(crawler)
    for i in range(30):
        story = [f"{para} खबर संख्या {i} के बारे में।" for para in BODY]
        job = prepared(crawler, url=f"https://www.s.in/desh/story-{i}", body=story)
        writer.submit(lambda store, job=job: store_article(store, *job))
    close_crawl_store(crawler)  # at once: the queued jobs are still running
    with open_store(any_db_url) as store:
        assert store.count_articles() == 30


def test_an_in_memory_store_is_written_at_once_on_the_crawl_connection():
    crawler = get_crawler(GenericSpider, {"NEWSCRAWLER_DB": "sqlite:///:memory:"})
    writer = store_writer(crawler)
    assert not writer.threaded
    future = writer.submit(lambda store: store_article(store, *prepared(crawler)))
    assert future.done() and future.result()[0] == "new"
    assert crawl_store(crawler).count_articles() == 1
    close_crawl_store(crawler)
