"""Each pipeline on its own: what it drops, what it corrects, what it counts."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newscrawler.loaders import load_article
from newscrawler.pipelines.dedup import DedupPipeline, content_hash
from newscrawler.pipelines.normalise import NormalisePipeline
from newscrawler.pipelines.store import StorePipeline
from newscrawler.pipelines.validate import ValidatePipeline
from newscrawler.spiders.generic import GenericSpider
from newscrawler.state import close_crawl_store, crawl_store
from newscrawler.urls import canonical_key

BODY = ["सरकार ने आज किसानों के लिए नई सिंचाई योजना की घोषणा की जिसमें सौर ऊर्जा से चलने वाले पंप "
        "लगाए जाएंगे।", "इस योजना से देश के लगभग दस लाख किसानों को सस्ती बिजली मिलने की उम्मीद है और "
        "पहले चरण में पांच राज्यों को शामिल किया गया है।", "अधिकारियों ने बताया कि आवेदन अगले महीने "
        "से ऑनलाइन शुरू होंगे और चयन लॉटरी से होगा।"]


def article(**overrides):
    values = {"url": "https://www.s.in/desh/solar-pump-yojana-123", "title": "सौर पंप योजना",
              "body": BODY, "fetched_at": "2024-12-23T16:25:00+05:30", "site": "www.s.in"}
    values.update(overrides)
    return load_article(values)


class SyncStore:
    """The store pipeline run to its end at once: the test crawler's writer is unthreaded, so
    its coroutine never waits."""

    def __init__(self, crawler):
        self.pipeline = StorePipeline.from_crawler(crawler)

    def process_item(self, item):
        step = self.pipeline.process_item(item)
        try:
            step.send(None)
        except StopIteration as done:
            return done.value
        raise AssertionError("the store pipeline waited on a writer thread")


@pytest.fixture
def crawler(any_db_url):
    # the writer runs each job at once here (no reactor); test_store_writer.py threads it
    crawler = get_crawler(GenericSpider, {"NEWSCRAWLER_DB": any_db_url,
                                          "NEWSCRAWLER_STORE_THREAD": False})
    yield crawler
    close_crawl_store(crawler)


@pytest.mark.parametrize(("overrides", "reason"), [
    ({"title": None}, "no_title"),
    ({"body": ["बहुत छोटा।"]}, "body_too_short"),
    ({"body": ["This is an English article body that is long enough to pass the length check "
               "but is not Hindi at all, so it must be dropped by validation." * 2]}, "not_hindi"),
])
def test_validate_drops_with_a_counted_reason(crawler, overrides, reason):
    pipeline = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(article(**overrides))
    assert crawler.stats.get_value(f"newscrawler/validate/dropped/{reason}") == 1


def test_validate_passes_a_hindi_article(crawler):
    item = article()
    assert ValidatePipeline.from_crawler(crawler).process_item(item) is item


def test_normalise_counts_its_corrections(crawler):
    item = article(url="https://www.s.in/desh/solar-pump-yojana-123?utm_source=x")
    item["body"] = BODY[:1] + BODY[:1] + ["  "] + BODY[1:]
    item["title"] = "सौर\u00a0पंप  योजना"
    NormalisePipeline.from_crawler(crawler).process_item(item)
    assert item["url"] == "https://www.s.in/desh/solar-pump-yojana-123"
    assert item["body"] == BODY
    assert item["title"] == "सौर पंप योजना"
    stats = crawler.stats
    assert stats.get_value("newscrawler/normalise/repeated_paragraph_dropped") == 1
    assert stats.get_value("newscrawler/normalise/empty_paragraph_dropped") == 1
    assert stats.get_value("newscrawler/normalise/url_cleaned") == 1


def test_content_hash_ignores_nukta_spacing_and_digits():
    assert content_hash(["फ़रवरी में २०२४ की बात।"]) == content_hash(["फरवरी  में 2024 की बात"])
    assert content_hash(["एक खबर।"]) != content_hash(["दूसरी खबर।"])


def test_dedup_drops_the_same_url_twice_in_a_run_and_links_copies(crawler):
    dedup = DedupPipeline.from_crawler(crawler)
    store = SyncStore(crawler)
    first = dedup.process_item(article())
    store.process_item(first)
    with pytest.raises(DropItem, match="duplicate URL"):
        dedup.process_item(article(url="https://www.s.in/desh/solar-pump-yojana-123/?utm_x=1"))
    copy = store.process_item(dedup.process_item(
        article(url="https://other.in/news/solar-pump-copy-9")))
    assert copy["duplicate_of"] == "https://www.s.in/desh/solar-pump-yojana-123"
    assert crawl_store(crawler).count_articles() == 2  # the copy is stored and linked
    assert crawler.stats.get_value("newscrawler/dedup/dropped/same_url_in_run") == 1


def test_store_upserts_and_keeps_versions(crawler):
    store = SyncStore(crawler)
    dedup = DedupPipeline.from_crawler(crawler)
    store.process_item(dedup.process_item(article()))
    again = DedupPipeline.from_crawler(crawler)  # a later run
    store.process_item(again.process_item(article()))
    changed = DedupPipeline.from_crawler(crawler)
    store.process_item(changed.process_item(article(body=BODY + ["नया जोड़ा गया पैराग्राफ।"])))
    stats = crawler.stats
    assert [stats.get_value(f"newscrawler/store/{k}") for k in ("new", "unchanged", "updated")] \
        == [1, 1, 1]
    assert len(crawl_store(crawler).get_versions(canonical_key(article()["url"]))) == 2


FRAME_BEFORE = ["न्यूज इंडिया24 डेस्क | नई दिल्ली", "Image Source : File Photo"]
FRAME_AFTER = ["डिस्क्लेमर: यह खबर सिंडिकेट फीड से सीधे प्रकाशित की गई है।", "Recent Posts",
               "इस हफ्ते ओटीटी पर रिलीज होंगी ये पांच नई फिल्में और वेब सीरीज"]


def test_dedup_links_a_republished_copy_with_a_frame_and_a_new_title(crawler):
    dedup = DedupPipeline.from_crawler(crawler)
    store = SyncStore(crawler)
    store.process_item(dedup.process_item(article()))
    later_run = DedupPipeline.from_crawler(crawler)
    copy = later_run.process_item(article(
        url="https://www.newsindia24.in/world/solar-pump-yojana/", site="www.newsindia24.in",
        title="किसानों के लिए खुशखबरी: सौर पंप योजना का ऐलान",
        body=FRAME_BEFORE + [BODY[0], BODY[1], BODY[2] + " उन्होंने कहा कि योजना पारदर्शी होगी।"]
        + FRAME_AFTER))
    assert copy["duplicate_of"] is None  # the lookup runs with the save
    store.process_item(copy)
    assert copy["duplicate_of"] == "https://www.s.in/desh/solar-pump-yojana-123"
    assert crawler.stats.get_value("newscrawler/dedup/duplicate_near") == 1
    assert crawl_store(crawler).count_articles() == 2
    unique = list(crawl_store(crawler).iter_articles(unique=True))
    assert [a["url"] for a in unique] == ["https://www.s.in/desh/solar-pump-yojana-123"]


def test_dedup_respects_a_canonical_link_to_another_site(crawler):
    dedup = DedupPipeline.from_crawler(crawler)
    store = SyncStore(crawler)
    source = "https://www.s.in/desh/solar-pump-yojana-123"
    copy = dedup.process_item(article(url="https://agg.in/news/solar-pump-9",
                                      canonical_url=source, site="agg.in"))
    assert copy["duplicate_of"] == source  # the copy names its source
    store.process_item(copy)
    stored = crawl_store(crawler).get_article(canonical_key("https://agg.in/news/solar-pump-9"))
    assert stored["duplicate_of"] == source  # kept under its own key, not merged
    original = dedup.process_item(article())  # the source arrives later: the original
    assert original["duplicate_of"] is None
    store.process_item(original)
    assert crawl_store(crawler).count_articles() == 2


def test_two_writers_saving_copies_at_once_link_the_later_one(any_db_url):
    """Two crawls on one store (two cron lines, two cluster workers) save the same story under
    two URLs at the same moment: the one saved second is linked to the first, never both
    stored as originals."""
    import threading
    import time

    from newscrawler import neardup
    from newscrawler.pipelines.store import store_article
    from newscrawler.store import open_store

    def job(url):
        item = dict(article(url=url, site=url.split("/")[2]))
        dedup = {"url_key": canonical_key(url), "content_hash": content_hash(BODY),
                 "signature": neardup.signature(BODY), "look_up": True}
        return item, dedup

    first, second = open_store(any_db_url), open_store(any_db_url)
    looked_up, go_on = threading.Event(), threading.Event()
    save = first.save_article

    def save_when_told(*args, **kwargs):  # the first writer stops between lookup and save
        looked_up.set()
        go_on.wait(30)
        return save(*args, **kwargs)

    first.save_article = save_when_told
    results = {}
    one = threading.Thread(target=lambda: results.setdefault(
        "first", store_article(first, *job("https://www.s.in/desh/solar-pump-1"), {})))
    two = threading.Thread(target=lambda: results.setdefault(
        "second", store_article(second, *job("https://other.in/news/solar-pump-copy-9"), {})))
    one.start()
    assert looked_up.wait(30)
    two.start()
    time.sleep(0.5)  # the second writer reaches its lookup (or the lock) meanwhile
    go_on.set()
    one.join(30)
    two.join(30)
    assert results["first"][1] is None  # the original
    assert results["second"][1] is not None  # the copy, found though saved at the same time
    stored = second.get_article(canonical_key("https://other.in/news/solar-pump-copy-9"))
    assert stored["duplicate_of"] == "https://www.s.in/desh/solar-pump-1"
    first.close()
    second.close()
