"""The article store, against real database files.

Tests take the ``db_url`` / ``store`` fixtures and run on both backends: SQLite files and a
throwaway PostgreSQL server (tests/pg.py); SQLite-only checks say so in their name.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sqlite3
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newscrawler.store import ARTICLE_FIELDS, DEFAULT_DB_URL, SQLiteStore, migrations, open_store

IST = timezone(timedelta(hours=5, minutes=30))
BACKENDS = ["sqlite", "postgresql"]
SPAWN = multiprocessing.get_context("spawn")
T0 = datetime(2024, 12, 23, 16, 25, tzinfo=IST)


def make_article(n: int, *, site: str = "indiatv", body: list[str] | None = None,
                 fetched_at: datetime = T0, duplicate_of: str | None = None) -> dict:
    url = f"https://www.{site}.in/world/story-{n}"
    return {
        "url": url,
        "canonical_url": url,
        "site": site,
        "site_name": "India TV",
        "language": "hi",
        "title": f"नई दिल्ली में खबर {n}",
        "lede": "संक्षेप",
        "body": body if body is not None else [f"पहला अनुच्छेद {n}", "दूसरा अनुच्छेद"],
        "authors": ["रिपोर्टर"],
        "published_at": "2024-12-23T15:29:00+05:30",
        "modified_at": None,
        "section": "दुनिया",
        "tags": ["भारत"],
        "images": [],
        "related": [],
        "recent_posts": [],
        "fetched_at": fetched_at.isoformat(),
        "extractor": f"profile:{site}",
        "duplicate_of": duplicate_of,
    }


def save(store, n: int, *, content_hash: str | None = None, **kwargs) -> str:
    return store.save_article(make_article(n, **kwargs), url_key=f"{kwargs.get('site', 'k')}/{n}",
                              content_hash=content_hash or f"hash-{n}")


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    return f"sqlite:///{tmp_path}/store/news.sqlite3"  # absolute: four slashes


@pytest.fixture
def store(db_url):
    with open_store(db_url) as opened:
        yield opened


# ---------------------------------------------------------------------------- opening
def test_open_store_urls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert DEFAULT_DB_URL == "sqlite:///data/newscrawler.sqlite3"
    with open_store("sqlite:///rel/dir/a.sqlite3") as store:  # relative, parents created
        assert store.path == str(tmp_path / "rel" / "dir" / "a.sqlite3")
    assert (tmp_path / "rel" / "dir" / "a.sqlite3").exists()
    with open_store(f"sqlite:///{tmp_path}/abs/b.sqlite3") as store:
        assert store.path == str(tmp_path / "abs" / "b.sqlite3")
    with open_store("sqlite:///:memory:") as store:
        assert store.path == ":memory:" and store.count_articles() == 0
    for bad in ("mysql://localhost/db", "data/news.sqlite3", "sqlite:///", "sqlite://host/x"):
        with pytest.raises(ValueError, match="sqlite:///"):
            open_store(bad)


def test_sqlite_pragmas(tmp_path):
    with open_store(f"sqlite:///{tmp_path}/p.sqlite3") as store:
        pragma = {name: store._conn.execute(f"PRAGMA {name}").fetchone()[0]
                  for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")}
    assert pragma == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 30000,
                      "foreign_keys": 1}


# ---------------------------------------------------------------------------- articles
def test_new_unchanged_updated_keeps_history(store):
    first = make_article(1)
    assert store.save_article(first, url_key="k1", content_hash="aaa", etag='"e1"') == "new"
    later = {**first, "fetched_at": (T0 + timedelta(hours=1)).isoformat(), "title": "changed"}
    assert store.save_article(later, url_key="k1", content_hash="aaa") == "unchanged"
    assert store.get_article("k1")["title"] == first["title"]  # unchanged: no new version
    assert [v["version"] for v in store.get_versions("k1")] == [1]

    edited = {**first, "body": ["संशोधित अनुच्छेद"], "fetched_at": (T0 + timedelta(hours=2))
              .isoformat()}
    assert store.save_article(edited, url_key="k1", content_hash="bbb") == "updated"
    assert store.save_article(edited, url_key="k1", content_hash="bbb") == "unchanged"
    again = {**first, "fetched_at": (T0 + timedelta(hours=3)).isoformat()}
    assert store.save_article(again, url_key="k1", content_hash="aaa") == "updated"  # back

    assert store.count_articles() == 1
    versions = store.get_versions("k1")
    assert [(v["version"], v["content_hash"]) for v in versions] == [
        (1, "aaa"), (2, "bbb"), (3, "aaa")]
    assert versions[0]["article"]["body"] == first["body"]  # old text kept
    assert versions[1]["article"]["body"] == ["संशोधित अनुच्छेद"]
    latest = store.get_article("k1")
    assert latest == again and list(latest) == list(ARTICLE_FIELDS)
    assert store.get_article("missing") is None and store.get_versions("missing") == []
    state = store.fetch_state("k1")
    assert state.outcome == "stored" and state.url == first["url"] and state.etag == '"e1"'


def test_save_twice_is_idempotent(store):
    article = make_article(7)
    outcomes = [store.save_article(article, url_key="k7", content_hash="h") for _ in range(2)]
    assert outcomes == ["new", "unchanged"]
    assert store.count_articles() == 1 and len(store.get_versions("k7")) == 1


def _save_then_die(db_url: str) -> None:
    store = open_store(db_url)
    with store.transaction():
        store.save_article(make_article(1), url_key="k1", content_hash="h1")
        os.kill(os.getpid(), signal.SIGKILL)  # before COMMIT


def test_killed_save_leaves_nothing_and_rerun_is_clean(db_url):
    proc = SPAWN.Process(target=_save_then_die, args=(db_url,))
    proc.start()
    proc.join(60)
    assert proc.exitcode == -signal.SIGKILL
    with open_store(db_url) as store:
        assert store.count_articles() == 0 and store.fetch_state("k1") is None
        assert store.save_article(make_article(1), url_key="k1", content_hash="h1") == "new"
        assert store.save_article(make_article(1), url_key="k1", content_hash="h1") == "unchanged"
        assert store.count_articles() == 1 and len(store.get_versions("k1")) == 1


def test_transactions_batch_and_roll_back(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            save(store, 1)
            save(store, 2)
            raise RuntimeError("boom")
    assert store.count_articles() == 0
    with store.transaction():
        save(store, 1)
        with pytest.raises(RuntimeError):
            with store.transaction():  # nested: a savepoint, rolled back alone
                save(store, 2)
                raise RuntimeError("inner")
        save(store, 3)
    assert [a["url"].rsplit("-", 1)[1] for a in store.iter_articles()] == ["1", "3"]


def test_a_save_failing_half_way_leaves_nothing_and_the_store_usable(store, monkeypatch):
    """A statement failing after the article rows were written (on PostgreSQL the error
    arrives at the end of the save's pipeline) rolls the whole save back, alone or inside a
    batch."""
    def broken(*args):
        store._execute("INSERT INTO no_such_table VALUES (1)")

    with monkeypatch.context() as patch:
        patch.setattr(store, "_save_fetch_state", broken)
        with pytest.raises(Exception, match="no_such_table"):
            save(store, 1)
    assert store.count_articles() == 0 and store.get_versions("k/1") == []
    with store.transaction():
        save(store, 2)
        with monkeypatch.context() as patch:
            patch.setattr(store, "_save_fetch_state", broken)
            with pytest.raises(Exception, match="no_such_table"):
                save(store, 3)
        save(store, 4)
    assert [a["url"].rsplit("-", 1)[1] for a in store.iter_articles()] == ["2", "4"]
    assert store.fetch_state("k/4") is not None and store.fetch_state("k/3") is None


def test_find_by_content_hash(store):
    store.save_article(make_article(1, site="a"), url_key="a/1", content_hash="same")
    store.save_article(make_article(2, site="b"), url_key="b/2", content_hash="same")
    store.save_article(make_article(3, site="c"), url_key="c/3", content_hash="other")
    original = "https://www.a.in/world/story-1"
    assert store.find_by_content_hash("same") == original
    assert store.find_by_content_hash("same", exclude_url_key="b/2") == original
    assert store.find_by_content_hash("same", exclude_url_key="new/9") == original
    # the original refetched is not a duplicate of its own later copy
    assert store.find_by_content_hash("same", exclude_url_key="a/1") is None
    assert store.find_by_content_hash("nothing") is None


def test_duplicate_of_is_kept(store):
    store.save_article(make_article(1), url_key="k1", content_hash="h")
    dup = make_article(2, duplicate_of="https://www.indiatv.in/world/story-1")
    store.save_article(dup, url_key="k2", content_hash="h")
    assert store.get_article("k2")["duplicate_of"] == "https://www.indiatv.in/world/story-1"
    assert store.get_article("k1")["duplicate_of"] is None


# ---------------------------------------------------------------------------- fetch state
def test_record_fetch_and_fetch_state(store):
    assert store.fetch_state("k") is None
    store.record_fetch("k", "https://x.in/a", "stored", http_status=200, etag='"v1"',
                       last_modified="Mon, 23 Dec 2024 10:00:00 GMT", sitemap_lastmod="2024-12-23")
    store.record_fetch("k", "https://x.in/a", "not_modified", http_status=304)
    state = store.fetch_state("k")
    assert (state.outcome, state.http_status, state.etag, state.sitemap_lastmod) == (
        "not_modified", 304, '"v1"', "2024-12-23")  # validators survive a 304
    assert state.last_modified == "Mon, 23 Dec 2024 10:00:00 GMT" and state.fetched_at
    store.record_fetch("k", "https://x.in/a", "error", http_status=500,
                       sitemap_lastmod="2024-12-24")
    assert store.fetch_state("k").sitemap_lastmod == "2024-12-24"
    with pytest.raises(ValueError, match="unknown fetch outcome"):
        store.record_fetch("k", "https://x.in/a", "weird")


def test_fetch_states_of_many_keys_match_fetch_state(store):
    with store.transaction():
        for n in range(0, 1100, 3):
            store.record_fetch(f"k{n}", f"https://x.in/{n}", "gone" if n % 2 else "invalid",
                               http_status=404 if n % 2 else 200, etag=f'"e{n}"',
                               sitemap_lastmod="2024-12-23")
    asked = [f"k{n}" for n in range(1100)] + ["k3"]  # more than one chunk, a key twice
    states = store.fetch_states(iter(asked))
    assert set(states) == {f"k{n}" for n in range(0, 1100, 3)}
    assert all(states[k] == store.fetch_state(k) for k in ("k0", "k3", "k1098"))
    assert states["k3"].outcome == "gone" and states["k3"].etag == '"e3"'
    assert store.fetch_states([]) == {}


def test_known_url_keys_in_chunks(store):
    with store.transaction():
        for n in range(0, 1200, 2):
            if n % 4:
                store.record_fetch(f"k{n}", f"https://x.in/{n}", "invalid")
            else:
                store.save_article(make_article(n), url_key=f"k{n}", content_hash=f"h{n}")
    asked = (f"k{n}" for n in range(1200))  # any iterable, more than one chunk
    assert store.known_url_keys(asked) == {f"k{n}" for n in range(0, 1200, 2)}
    assert store.known_url_keys([]) == set()


# ---------------------------------------------------------------------------- runs
def test_runs(store):
    first = store.start_run("indiatv")
    second = store.start_run("aajtak")
    store.finish_run(first, exit_code=0, stats={"finish_reason": "finished"},
                     counts={"pages": 10, "new": 4, "updated": 1, "duplicates": 2, "invalid": 1,
                             "errors": 0, "skipped": 5})
    runs = store.recent_runs()
    assert [r["id"] for r in runs] == [second, first]
    run = store.recent_runs("indiatv")[0]
    assert (run["target"], run["exit_code"], run["pages"], run["new"], run["updated"],
            run["duplicates"], run["invalid"], run["errors"]) == ("indiatv", 0, 10, 4, 1, 2, 1, 0)
    assert run["stats"] == {"finish_reason": "finished", "counts": {"skipped": 5}}
    assert run["finished_at"] >= run["started_at"]
    assert runs[0]["finished_at"] is None and runs[0]["exit_code"] is None
    assert len(store.recent_runs(limit=1)) == 1 and store.recent_runs("none") == []


# ---------------------------------------------------------------------------- reading
def test_iter_articles_order_filters_unique(store):
    save(store, 30, site="a", fetched_at=T0)
    save(store, 10, site="b", fetched_at=T0 + timedelta(hours=1))
    save(store, 20, site="a", fetched_at=T0 + timedelta(hours=2),
         duplicate_of="https://www.a.in/world/story-30")
    # an update moves fetched_at but keeps the first-storage position
    save(store, 30, site="a", fetched_at=T0 + timedelta(hours=3), content_hash="new-hash",
         body=["नया"])

    def numbers(**kw):
        return [int(a["url"].rsplit("-", 1)[1]) for a in store.iter_articles(**kw)]

    assert numbers() == [30, 10, 20]
    assert numbers(site="a") == [30, 20]
    assert numbers(unique=True) == [30, 10]
    assert numbers(since=T0 + timedelta(hours=1)) == [30, 10, 20]
    assert numbers(since=T0 + timedelta(hours=1, seconds=1)) == [30, 20]
    # the same instant in UTC, and a naive datetime read as India time
    assert numbers(since=(T0 + timedelta(hours=2, minutes=30)).astimezone(UTC)) == [30]
    assert numbers(since=datetime(2024, 12, 23, 18, 25)) == [30, 20]
    assert numbers(since=T0 + timedelta(hours=1), site="a", unique=True) == [30]
    assert next(store.iter_articles())["body"] == ["नया"]  # the latest version
    assert all(list(a) == list(ARTICLE_FIELDS) for a in store.iter_articles())
    assert store.counts_by_site() == {"a": 2, "b": 1}
    assert store.count_articles() == 3


def test_iter_articles_streams_in_batches(store, monkeypatch):
    with store.transaction():
        for n in range(3000):
            store.save_article(make_article(n, body=[f"p{n}"]), url_key=f"k{3000 - n:05d}",
                               content_hash=f"h{n}")
    queries = []
    real_execute = store._execute

    def counting(sql, params=()):
        if sql.lstrip().upper().startswith("SELECT ID, DATA"):
            queries.append(params)
        return real_execute(sql, params)

    monkeypatch.setattr(store, "_execute", counting)
    stream = store.iter_articles(batch_size=100)
    first = next(stream)
    assert len(queries) == 1  # lazy: one batch read so far
    # a row added while streaming is still seen: batches are read as the stream goes
    monkeypatch.setattr(store, "_execute", real_execute)
    store.save_article(make_article(3000, body=["late"]), url_key="late", content_hash="late")
    monkeypatch.setattr(store, "_execute", counting)
    rest = list(stream)
    got = [first["body"][0], *(a["body"][0] for a in rest)]
    assert got == [f"p{n}" for n in range(3000)] + ["late"]  # storage order, not key order
    assert len(queries) == 31  # 3001 rows / 100 per query, the last one short
    assert all(params[-1] == 100 for params in queries)


# ---------------------------------------------------------------------------- migrations
def test_migration_upgrades_old_store_keeping_rows(db_url):
    with open_store(db_url, migrate_to=1) as old:
        assert old.schema_version() == 1
        old.save_article(make_article(1), url_key="k1", content_hash="h1")
        old.record_fetch("k2", "https://x.in/2", "invalid", http_status=404)
        with pytest.raises(Exception, match="runs"):
            old.start_run("indiatv")  # the runs table comes with migration 2
    with open_store(db_url) as store:
        assert store.schema_version() == migrations.LATEST_VERSION > 1
        assert store.get_article("k1") == make_article(1)
        assert store.fetch_state("k2").http_status == 404
        assert store.start_run("indiatv") == 1
        applied = [r[0] for r in store._execute(
            "SELECT version FROM schema_migrations ORDER BY version").fetchall()]
        assert applied == list(range(1, migrations.LATEST_VERSION + 1))
        assert store.save_article(make_article(3), url_key="k3", content_hash="h3") == "new"


def _version_documents(store) -> list[tuple[str, int, object]]:
    """(url_key, version, raw article_versions.data decoded or None), in key order."""
    rows = store._execute("SELECT url_key, version, data FROM article_versions"
                          " ORDER BY url_key, version").fetchall()
    return [(k, v, None if d is None else store._json_out(d)) for k, v, d in rows]


def test_latest_document_is_stored_once_and_history_reads_it(store):
    first = make_article(1)
    store.save_article(first, url_key="k1", content_hash="aaa")
    assert _version_documents(store) == [("k1", 1, None)]  # the same as articles.data
    edited = {**first, "body": ["संशोधित अनुच्छेद"]}
    assert store.save_article(edited, url_key="k1", content_hash="bbb") == "updated"
    # the superseded version got its own copy when the new one came
    assert _version_documents(store) == [("k1", 1, first), ("k1", 2, None)]
    assert [v["article"] for v in store.get_versions("k1")] == [first, edited]


def test_upgrade_from_v5_keeps_every_version_and_stores_the_latest_once(db_url):
    first, second = make_article(1), make_article(2)
    edited = {**first, "body": ["संशोधित अनुच्छेद"], "title": "बदला शीर्षक"}
    with open_store(db_url, migrate_to=5) as old:
        old.save_article(first, url_key="k1", content_hash="aaa")
        old.save_article(edited, url_key="k1", content_hash="bbb")
        old.save_article(second, url_key="k2", content_hash="ccc")
        old.record_fetch("k3", "https://x.in/3", "gone", http_status=410)
        # version 5 wrote every version's document, the latest one too
        assert _version_documents(old) == [("k1", 1, first), ("k1", 2, edited),
                                           ("k2", 1, second)]
        before = {k: old.get_versions(k) for k in ("k1", "k2")}
        exported = list(old.iter_articles())
    with open_store(db_url) as store:
        assert store.schema_version() == migrations.LATEST_VERSION >= 6
        assert _version_documents(store) == [("k1", 1, first), ("k1", 2, None),
                                             ("k2", 1, None)]
        assert {k: store.get_versions(k) for k in ("k1", "k2")} == before
        assert list(store.iter_articles()) == exported
        assert store.get_article("k1") == edited and store.fetch_state("k3").http_status == 410
        # written as version 6 from now on: a third version keeps the second's document
        third = {**edited, "body": ["तीसरा पाठ"]}
        assert store.save_article(third, url_key="k1", content_hash="ddd") == "updated"
        assert [v["article"] for v in store.get_versions("k1")] == [first, edited, third]
        assert _version_documents(store)[:3] == [("k1", 1, first), ("k1", 2, edited),
                                                 ("k1", 3, None)]
        assert store.save_article(make_article(4), url_key="k4", content_hash="eee") == "new"


def _index_names(store) -> set[str]:
    if isinstance(store, SQLiteStore):
        sql = "SELECT name FROM sqlite_master WHERE type = 'index'"
    else:
        sql = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    return {r[0] for r in store._execute(sql).fetchall()}


def test_upgrade_from_v6_keys_versions_by_article_and_finds_exact_copies(db_url):
    first, second = make_article(1), make_article(2)
    edited = {**first, "body": ["संशोधित अनुच्छेद"]}
    with open_store(db_url, migrate_to=6) as old:
        old.save_article(first, url_key="k1", content_hash="aaa")
        old.save_article(edited, url_key="k1", content_hash="bbb")
        old.save_article(second, url_key="k2", content_hash="ccc")
        assert old.find_duplicate("k9", "ccc").url_key == "k2"  # through the hash index
        before = {k: old.get_versions(k) for k in ("k1", "k2")}
        documents = _version_documents(old)
        assert "articles_content_hash" in _index_names(old)
    with open_store(db_url) as store:
        assert store.schema_version() == migrations.LATEST_VERSION >= 7
        assert "articles_content_hash" not in _index_names(store)
        assert {k: store.get_versions(k) for k in ("k1", "k2")} == before
        assert _version_documents(store) == documents
        ids = dict(store._execute("SELECT url_key, id FROM articles").fetchall())
        keyed = store._execute("SELECT article_id, url_key, version FROM article_versions"
                               " ORDER BY article_id, version").fetchall()
        assert keyed == [(ids["k1"], "k1", 1), (ids["k1"], "k1", 2), (ids["k2"], "k2", 1)]
        # the stored articles' exact copies are found through their new index rows
        match = store.find_duplicate("k9", "ccc")
        assert (match.url_key, match.kind, match.score) == ("k2", "exact", 1.0)
        assert store.find_duplicate("k9", "bbb").url_key == "k1"
        assert store.find_duplicate("k9", "aaa") is None  # k1's old body is not its latest
        assert store.find_by_content_hash("ccc") == second["canonical_url"]
        # and an update moves k1's row: its old body is no longer found, the new one is
        third = {**edited, "body": ["तीसरा पाठ"]}
        assert store.save_article(third, url_key="k1", content_hash="ddd") == "updated"
        assert store.find_duplicate("k9", "bbb") is None
        assert store.find_duplicate("k9", "ddd").url_key == "k1"
        assert [v["article"] for v in store.get_versions("k1")] == [first, edited, third]


def test_an_exact_bucket_shared_by_chance_is_not_an_exact_copy(store):
    from newscrawler.neardup import exact_bucket

    seen: dict[int, str] = {}
    n = 0
    while (bucket := exact_bucket(f"h{n}")) not in seen:  # ~60,000 tries (birthday bound)
        seen[bucket] = f"h{n}"
        n += 1
    first, other = seen[bucket], f"h{n}"
    store.save_article(make_article(1), url_key="k1", content_hash=first)
    assert store.find_duplicate("k9", other) is None
    assert store.find_by_content_hash(other) is None
    assert store.find_duplicate("k9", first).url_key == "k1"


def test_sqlite_user_version_and_newer_store_refused(tmp_path):
    path = tmp_path / "n.sqlite3"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(RuntimeError, match="newer than this newscrawler supports"):
        open_store(f"sqlite:///{path}")


# ---------------------------------------------------------------------------- concurrency
def _save_worker(db_url: str, numbers: list[int], barrier, results) -> None:
    barrier.wait(60)  # both open (and migrate) the new store at the same moment
    with open_store(db_url) as store:
        outcomes = [store.save_article(make_article(n), url_key=f"k{n}", content_hash=f"h{n}")
                    for n in numbers]
    results.put(outcomes)


def _run_savers(db_url: str, *batches: list[int]) -> list[str]:
    barrier, results = SPAWN.Barrier(len(batches)), SPAWN.Queue()
    procs = [SPAWN.Process(target=_save_worker, args=(db_url, batch, barrier, results))
             for batch in batches]
    for proc in procs:
        proc.start()
    outcomes: list[str] = []
    deadline = time.monotonic() + 120
    for _ in procs:
        while True:
            try:
                outcomes += results.get(timeout=0.2)
                break
            except queue.Empty:
                # a worker that died (e.g. "database is locked") fails the test at once
                assert all(p.exitcode in (None, 0) for p in procs), [p.exitcode for p in procs]
                assert time.monotonic() < deadline, "workers took too long"
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    return outcomes


def test_two_processes_write_different_articles(db_url):
    outcomes = _run_savers(db_url, list(range(200)), list(range(200, 400)))
    assert outcomes == ["new"] * 400
    with open_store(db_url) as store:
        assert store.count_articles() == 400
        assert store._execute("SELECT COUNT(*) FROM article_versions").fetchone()[0] == 400


def test_two_processes_write_the_same_articles(db_url):
    outcomes = _run_savers(db_url, list(range(100)), list(range(100)))
    assert sorted(outcomes) == ["new"] * 100 + ["unchanged"] * 100
    with open_store(db_url) as store:
        assert store.count_articles() == 100
        assert store._execute("SELECT COUNT(*) FROM article_versions").fetchone()[0] == 100


# ---------------------------------------------------------------------------- locks
def _hold_lock(db_url: str, name: str, ready) -> None:
    store = open_store(db_url)
    lock = store.try_lock(name)
    assert lock is not None
    ready.set()
    signal.pause()  # until SIGKILLed


def test_try_lock_across_processes_and_after_kill(db_url):
    ready = SPAWN.Event()
    holder = SPAWN.Process(target=_hold_lock, args=(db_url, "crawl-indiatv", ready), daemon=True)
    holder.start()
    try:
        assert ready.wait(60)
        with open_store(db_url) as store:
            assert store.try_lock("crawl-indiatv") is None
            assert f"pid {holder.pid} " in store.lock_holder("crawl-indiatv")
            other = store.try_lock("crawl-aajtak")  # another name is independent
            assert other is not None and other.held
            other.release()
            os.kill(holder.pid, signal.SIGKILL)
            holder.join(60)
            # the OS (SQLite) or the server noticing the closed connection (PostgreSQL) drops
            # the dead holder's lock; a stale record is not a holder
            deadline = time.monotonic() + 20
            while store.lock_holder("crawl-indiatv") is not None:
                assert time.monotonic() < deadline, "the killed holder's lock was not freed"
                time.sleep(0.05)
            lock = store.try_lock("crawl-indiatv")  # taken over from the killed run
            assert lock is not None and f"pid {os.getpid()} " in lock.holder_info
            lock.release()
            assert not lock.held
    finally:
        if holder.is_alive():
            holder.kill()


def test_try_lock_in_one_process(store):
    with store.try_lock("crawl https://x.in/a b") as lock:
        assert lock.held
        assert store.try_lock("crawl https://x.in/a b") is None
        assert store.lock_holder("crawl https://x.in/a b") == lock.holder_info
    assert not lock.held and store.lock_holder("crawl https://x.in/a b") is None
    again = store.try_lock("crawl https://x.in/a b")
    assert again is not None
    again.release()
    again.release()  # idempotent


def test_memory_store_lock():
    with open_store("sqlite:///:memory:") as store:
        lock = store.try_lock("crawl-x")
        assert lock is not None and store.try_lock("crawl-x") is None
        assert store.lock_holder("crawl-x") == lock.holder_info
        lock.release()
        assert store.try_lock("crawl-x") is not None


def test_lock_file_names_are_safe_and_distinct(tmp_path):
    store = SQLiteStore(str(tmp_path / "db.sqlite3"))
    try:
        a, b = store.lock_path("crawl-a/b"), store.lock_path("crawl-a_b")
        assert a != b and os.path.dirname(a) == str(tmp_path)
        assert store.lock_path("crawl-indiatv") == f"{tmp_path}/db.sqlite3.crawl-indiatv.lock"
    finally:
        store.close()
