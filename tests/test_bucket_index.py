"""SQLite's in-memory near-duplicate index (store/bucket_index.py): the structure itself, and
the store keeping it true to lsh_entries across connections, reopenings and rollbacks."""

from __future__ import annotations

import random

import numpy as np
import pytest

from newscrawler import neardup
from newscrawler.pipelines.dedup import content_hash
from newscrawler.store import bucket_index, open_store
from newscrawler.store.bucket_index import BucketIndex, pack
from tests.test_neardup import PAIRS, _article, _pair, _save


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/store/news.sqlite3"


def _brute(pairs: list[tuple[int, int]], buckets: list[int]) -> set[int]:
    return {a for b, a in pairs if b in buckets}


def test_candidates_match_a_plain_scan_before_and_after_merges(monkeypatch):
    monkeypatch.setattr(bucket_index, "MERGE_AT", 50)
    rng = random.Random(7)
    index, pairs = BucketIndex(), []
    for article_id in range(1, 400):
        buckets = [rng.randrange(300) for _ in range(rng.randint(1, 5))]
        index.add(article_id, buckets)
        pairs += [(b, article_id) for b in buckets]
        if article_id % 37 == 0:
            wanted = [rng.randrange(320) for _ in range(6)]
            assert index.candidates(wanted) == _brute(pairs, wanted)
    assert len(index) == len(set(pairs)) and index._recent_pairs  # some still unmerged
    # bulk loading gives the same answers
    loaded = BucketIndex()
    loaded.add_packed(pack(np.array([a for _, a in pairs]), np.array([b for b, _ in pairs])))
    for _ in range(50):
        wanted = [rng.randrange(320) for _ in range(4)]
        assert loaded.candidates(wanted) == index.candidates(wanted) == _brute(pairs, wanted)
    index.merge()
    assert not index._recent_pairs and list(index._keys) == sorted(index._keys)
    assert index.candidates([2**31 - 1]) == set()


def _copy_of(pair: dict, store, key: str):
    right = pair["right"]
    return store.find_duplicate(key, content_hash(right["body"]) + "x",
                                neardup.signature(right["body"]))


def test_a_second_connection_sees_the_first_ones_articles(sqlite_url):
    frame, dropped = _pair("frame"), _pair("dropped")
    with open_store(sqlite_url) as reader, open_store(sqlite_url) as writer:
        assert _copy_of(frame, reader, "b/1") is None  # the reader's index is loaded now
        _save(writer, frame["left"], "https://a.in/o-1", "a/1")
        assert _copy_of(frame, reader, "b/1").canonical_url == "https://a.in/o-1"
        # an update made elsewhere: the new body is found, the old one no longer matches
        _save(writer, dropped["left"], "https://a.in/o-1", "a/1")
        assert _copy_of(dropped, reader, "b/2").canonical_url == "https://a.in/o-1"
        assert _copy_of(frame, reader, "b/1") is None
        # exact copies too
        exact = reader.find_duplicate("c/3", content_hash(dropped["left"]["body"]))
        assert (exact.kind, exact.url_key) == ("exact", "a/1")


def test_a_reopened_store_reads_its_index_back(sqlite_url):
    dups = [p for p in PAIRS if p["label"] == "duplicate"]
    with open_store(sqlite_url) as store:
        for i, pair in enumerate(dups):
            _save(store, pair["left"], f"https://a.in/o-{i}", f"a/{i}")
        for i in range(200):  # enough rows to be read in bulk
            body = [f"अनुच्छेद {i} " + " ".join(f"शब्द{i}x{j}" for j in range(30))]
            _save(store, {"site": "z", "title": "t", "body": body}, f"https://z.in/{i}",
                  f"z/{i}")
        before = [_copy_of(pair, store, f"b/{i}") for i, pair in enumerate(dups)]
    assert all(m is not None and m.canonical_url.startswith("https://a.in/") for m in before)
    with open_store(sqlite_url) as store:
        assert [_copy_of(pair, store, f"b/{i}") for i, pair in enumerate(dups)] == before
        assert len(store._index) == store._execute(
            "SELECT SUM(LENGTH(buckets)) / 4 FROM lsh_entries").fetchone()[0]


def test_rolled_back_writes_leave_nothing_missed(sqlite_url):
    frame, dropped = _pair("frame"), _pair("dropped")
    with open_store(sqlite_url) as store:
        assert _copy_of(frame, store, "b/0") is None  # index loaded
        with pytest.raises(RuntimeError), store.transaction():
            _save(store, frame["left"], "https://a.in/o-1", "a/1")
            assert _copy_of(frame, store, "b/1").url_key == "a/1"  # its own write, unsaved
            raise RuntimeError("crawl killed")
        assert _copy_of(frame, store, "b/1") is None  # gone with the rollback
        # the next save takes the rolled-back row's seq again: it must still be read
        _save(store, dropped["left"], "https://a.in/o-2", "a/2")
        assert _copy_of(dropped, store, "b/2").url_key == "a/2"
        with open_store(sqlite_url) as other:
            assert _copy_of(dropped, other, "b/2").url_key == "a/2"
            assert _copy_of(frame, other, "b/1") is None


def test_a_failed_save_inside_a_batch_keeps_the_rest(sqlite_url, monkeypatch):
    frame, dropped = _pair("frame"), _pair("dropped")
    with open_store(sqlite_url) as store:
        assert _copy_of(frame, store, "b/0") is None
        with store.transaction():
            _save(store, frame["left"], "https://a.in/o-1", "a/1")
            with pytest.raises(ValueError):
                store.save_article(_article(dropped["left"], "https://a.in/o-2"),
                                   url_key="a/2", content_hash="")  # refused
            real = store._index_article

            def fails_after_indexing(*args, **kwargs):
                real(*args, **kwargs)
                raise OSError("disk full")

            monkeypatch.setattr(store, "_index_article", fails_after_indexing)
            with pytest.raises(OSError):
                _save(store, dropped["left"], "https://a.in/o-2", "a/2")
            monkeypatch.undo()
            assert _copy_of(dropped, store, "b/2") is None  # rolled back to its savepoint
            _save(store, _pair("boilerplate")["left"], "https://a.in/o-3", "a/3")
        assert _copy_of(frame, store, "b/1").url_key == "a/1"
        assert _copy_of(_pair("boilerplate"), store, "b/3").url_key == "a/3"
        assert store.count_articles() == 2
