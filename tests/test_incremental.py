"""Incremental crawls from cron: real `newscrawler crawl` subprocesses against a generated site
served on 127.0.0.1 (tests/sites.py), asserting on the server's request log and the store.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from datetime import datetime, timedelta

import pytest

from newscrawler.dates import IST
from newscrawler.fixture_server import Fault, FixtureServer
from tests.sites import (
    ROOT,
    SyntheticSite,
    article_paths,
    crawl_command,
    last_run_stats,
    run_crawl,
    stored_articles,
    version_rows,
)


@pytest.fixture
def site(tmp_path):
    return SyntheticSite(tmp_path / "www", articles_count=60).write()


@pytest.fixture
def server(site):
    with FixtureServer([site.folder]) as srv:
        yield srv


def paths(entries) -> set[str]:
    return {e.path for e in entries}


def test_first_second_and_third_run(site, server, tmp_path):
    db = tmp_path / "news.sqlite3"

    # first run: everything is discovered and stored
    first = run_crawl(server, db)
    assert first.returncode == 0, first.stderr[-3000:]
    stored = stored_articles(db)
    assert set(stored) == site.urls()
    assert all(a["data"]["title"] and len(a["data"]["body"]) >= 5 for a in stored.values())
    requested = server.entries_for()
    seen = paths(requested)
    assert [e.path for e in requested].count("/robots.txt") == 1  # once a run and host
    # every discovery source was read: robots.txt, the three-level index (with the
    # mislabelled index and gzip urlsets), the news sitemap, RSS, Atom, listings + pagination
    for path in ("/robots.txt", "/sitemap_index.xml", "/sitemaps/post-index.xml",
                 "/sitemaps/archive.xml", "/sitemaps/posts-1.xml.gz", "/sitemaps/posts-3.xml",
                 "/news-sitemap.xml", "/feed/", "/atom.xml", "/", "/desh/", "/desh/page/2/"):
        assert path in seen, f"{path} was not fetched"
    assert not any(p.startswith("/private/") for p in seen), "robots.txt was ignored"
    fetched = article_paths(requested, site)
    assert len(fetched) == len(set(fetched)) == 60, "an article page was fetched twice"
    stats = last_run_stats(db)
    assert stats["newscrawler/store/new"] == 60
    assert stats["newscrawler/skipped/robots_txt"] >= 1
    assert "new" in first.stdout and "https://www.khabarsansar.in/" in first.stdout

    # second run: discovery again, no article page, nothing stored
    mark = server.mark()
    second = run_crawl(server, db)
    assert second.returncode == 0, second.stderr[-3000:]
    again = server.since(mark)
    assert {"/robots.txt", "/sitemap_index.xml", "/news-sitemap.xml", "/feed/", "/"} \
        <= paths(again), "discovery pages must be read every run"
    assert article_paths(again, site) == [], "an article page was fetched again"
    stats = last_run_stats(db)
    assert stats.get("newscrawler/store/new", 0) == 0
    assert stats["newscrawler/incremental/skipped_known"] == 60
    assert stats["newscrawler/discovery/listing_stopped_nothing_new"] >= 1
    assert "/desh/page/2/" not in paths(again)  # newest first: page 1 held nothing new
    assert stored_articles(db) == stored
    assert len(version_rows(db)) == 60

    # the site moves on: one new article, one changed (new lastmod, new text)
    time.sleep(1.1)  # the change is stamped after the first run's fetch, to the second
    added = site.add_article()
    changed = site.change_article(10)
    site.write()
    mark = server.mark()
    third = run_crawl(server, db)
    assert third.returncode == 0, third.stderr[-3000:]
    assert sorted(article_paths(server.since(mark), site)) == sorted([added.path, changed.path])
    stats = last_run_stats(db)
    assert stats["newscrawler/store/new"] == 1
    assert stats["newscrawler/store/updated"] == 1
    now_stored = stored_articles(db)
    assert set(now_stored) == site.urls()
    url = changed.url()
    assert now_stored[url]["version"] == 2
    assert now_stored[url]["data"]["body"] != stored[url]["data"]["body"]
    assert now_stored[url]["modified_at"] > stored[url]["modified_at"]
    assert now_stored[url]["data"]["modified_at"].startswith(changed.modified.isoformat()[:16])
    with sqlite3.connect(db) as conn:
        versions = conn.execute(
            "SELECT v.version, v.data FROM article_versions v JOIN articles a"
            " ON a.url_key = v.url_key WHERE a.url = ? ORDER BY v.version", (url,)).fetchall()
    assert [v for v, _ in versions] == [1, 2]
    assert json.loads(versions[0][1])["body"] == stored[url]["data"]["body"]  # old text kept
    assert len(version_rows(db)) == 62

    # the run history
    runs = subprocess.run([os.sys.executable, "-m", "newscrawler", "runs", "--db",
                           f"sqlite:///{db}", "--json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert runs.returncode == 0, runs.stderr
    rows = [json.loads(line) for line in runs.stdout.splitlines()]
    assert [(r["new"], r["updated"], r["exit"]) for r in rows] == \
        [(1, 1, "0"), (0, 0, "0"), (60, 0, "0")]
    assert all(r["duration"] and r["started"] for r in rows)


def test_refresh_uses_conditional_requests(site, server, tmp_path):
    db = tmp_path / "news.sqlite3"
    assert run_crawl(server, db).returncode == 0
    before = stored_articles(db)
    mark = server.mark()
    refresh = run_crawl(server, db, "--refresh")
    assert refresh.returncode == 0, refresh.stderr[-3000:]
    articles = [e for e in server.since(mark) if e.path in {a.path for a in site.articles}]
    assert len(articles) == 60
    assert all(e.status == 304 and e.headers.get("If-None-Match") for e in articles)
    stats = last_run_stats(db)
    assert stats["newscrawler/incremental/not_modified"] == 60
    assert stats.get("newscrawler/store/new", 0) == 0
    assert stored_articles(db) == before
    assert len(version_rows(db)) == 60


def test_since_and_max_pages_skip_old_articles_without_fetching_them(site, server, tmp_path):
    db = tmp_path / "news.sqlite3"
    result = run_crawl(server, db, "--since", "6h")
    assert result.returncode == 0, result.stderr[-3000:]
    since = datetime.now(IST) - timedelta(hours=6)
    fresh = {a.path for a in site.articles if a.published >= since + timedelta(minutes=5)}
    stale = {a.path for a in site.articles if a.published < since - timedelta(minutes=5)}
    fetched = set(article_paths(server.entries_for(), site))
    assert fresh and fresh <= fetched
    assert not fetched & stale, "old articles were fetched"
    # the sitemaps that hold only old articles were not even read
    assert "/sitemaps/posts-1.xml.gz" not in paths(server.entries_for())
    assert last_run_stats(db)["newscrawler/discovery/skipped_old_sitemaps"] >= 1

    db2 = tmp_path / "capped.sqlite3"
    mark = server.mark()
    capped = run_crawl(server, db2, "--max-pages", "5")
    assert capped.returncode == 0, capped.stderr[-3000:]
    assert len(article_paths(server.since(mark), site)) == 5
    assert len(stored_articles(db2)) == 5
    # the next capped run takes the next five, not the same ones again
    mark = server.mark()
    assert run_crawl(server, db2, "--max-pages", "5").returncode == 0
    assert len(article_paths(server.since(mark), site)) == 5
    assert len(stored_articles(db2)) == 10


def test_max_pages_takes_the_newest_across_sources(tmp_path):
    # each sitemap was sorted on its own: the first one parsed used up the budget
    # (ids 100181-100200 of 300); a link robots.txt forbids used a place too (19 fetched)
    site = SyntheticSite(tmp_path / "www", articles_count=300).write()
    newest = [a.url() for a in site.newest()]

    def stored_after(*args, target=None, robots=None) -> tuple[list[str], dict]:
        db = tmp_path / f"news-{len(list(tmp_path.glob('news-*')))}.sqlite3"
        with FixtureServer([site.folder]) as server:
            if robots:
                server.faults[(site.host, "/robots.txt")] = Fault(
                    200, {"Content-Type": "text/plain"}, robots.encode())
            result = run_crawl(server, db, *args, target=target)
        assert result.returncode == 0, result.stderr[-3000:]
        return sorted(stored_articles(db)), last_run_stats(db)

    stored, _ = stored_after("--max-pages", "20", target=f"https://{site.host}/sitemap_index.xml")
    assert stored == sorted(newest[:20])

    robots = (f"User-agent: *\nDisallow: /desh/\n\nSitemap: https://{site.host}/sitemap_index.xml"
              f"\nSitemap: https://{site.host}/news-sitemap.xml\n")
    stored, stats = stored_after("--max-pages", "20", robots=robots)  # the home page
    allowed = [url for url in newest if "/desh/" not in url]
    assert stored == sorted(allowed[:20])
    assert stats["newscrawler/skipped/robots_txt"] >= 5  # newest 20 hold 5 from /desh/
    assert stats["newscrawler/discovery/max_pages_robots_returned"] >= 5


def test_since_with_nothing_new_is_a_finished_run(site, server, tmp_path):
    # every article discovery found is older than --since: nothing to do, not a failure
    db = tmp_path / "news.sqlite3"
    result = run_crawl(server, db, "--since", "2030-01-01")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "FAILED" not in result.stderr
    assert not article_paths(server.entries_for(), site)
    stats = last_run_stats(db)
    older = stats["newscrawler/since/older_articles"]
    assert 20 <= older <= len(site.articles) + 1  # once each (+1: the private page linked)
    assert stats["newscrawler/discovery/skipped_old"] + \
        stats["newscrawler/discovery/skipped_undated"] >= older
    assert f"nothing new: {older} article(s) older than --since 2030-01-01T00:00:00+05:30 " \
        "left out, and 1 sitemap(s) older than that were not read" in result.stdout


def test_backfill_walks_the_whole_sitemap_history(tmp_path):
    # 40 articles two days apart: the oldest urlsets are months old
    site = SyntheticSite(tmp_path / "www", articles_count=40, spacing=timedelta(days=2),
                         per_sitemap=10, per_listing_page=3, listing_pages=2).write()
    with FixtureServer([site.folder]) as server:
        db = tmp_path / "news.sqlite3"
        normal = run_crawl(server, db)
        assert normal.returncode == 0, normal.stderr[-3000:]
        assert "/sitemaps/posts-1.xml.gz" not in paths(server.entries_for())
        assert len(stored_articles(db)) < 40
        mark = server.mark()
        backfill = run_crawl(server, db, "--backfill")
        assert backfill.returncode == 0, backfill.stderr[-3000:]
        assert "/sitemaps/posts-1.xml.gz" in paths(server.since(mark))
        assert set(stored_articles(db)) == site.urls()
        assert len(version_rows(db)) == 40


def test_two_runs_started_together_one_exits_3(site, tmp_path):
    db = tmp_path / "news.sqlite3"
    with FixtureServer([site.folder], latency=0.03) as server:
        cmd = crawl_command(server, db)
        started = time.monotonic()
        procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            results.append((proc.returncode, out, err, time.monotonic() - started))
    codes = sorted(r[0] for r in results)
    assert codes == [0, 3], [(r[0], r[2][-2000:]) for r in results]
    locked = next(r for r in results if r[0] == 3)
    done = next(r for r in results if r[0] == 0)
    assert "still going" in locked[2] and "pid" in locked[2]
    assert len(stored_articles(db)) == 60
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
    assert done[3] > 0


def _wait_for_articles(db, n: int, proc, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the crawl ended before it could be killed"
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    if conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] >= n:
                        return
            except sqlite3.OperationalError:
                pass  # the schema is being created
        time.sleep(0.05)
    raise AssertionError(f"{n} articles were not stored within {timeout}s")


def _wait_for_run_row(db, proc, timeout: float = 60.0) -> None:
    """Until the run has recorded its start in the store (a loaded machine starts slowly)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(db) as conn:
                if conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]:
                    return
        except sqlite3.Error:
            pass  # not created or not migrated yet
        time.sleep(0.02)
    raise AssertionError(f"the crawl did not record its start within {timeout}s")


@pytest.mark.parametrize("kill_after", [0, 20])
def test_sigkill_mid_run_then_rerun_completes(site, tmp_path, kill_after):
    clean_db, db = tmp_path / "clean.sqlite3", tmp_path / "news.sqlite3"
    with FixtureServer([site.folder]) as server:
        assert run_crawl(server, clean_db).returncode == 0
    clean = stored_articles(clean_db)

    with FixtureServer([site.folder], latency=0.05) as slow:
        proc = subprocess.Popen(crawl_command(slow, db, "--progress-interval", "0.2"), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if kill_after:
                _wait_for_articles(db, kill_after, proc)
            else:
                _wait_for_run_row(db, proc)  # during start-up or discovery
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    if kill_after:
        assert kill_after <= len(stored_articles(db)) < 60

    with FixtureServer([site.folder]) as server:
        rerun = run_crawl(server, db)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        # nothing stored before the kill is fetched again
        refetched = set(article_paths(server.entries_for(), site))
    after = stored_articles(db)
    assert {u: a["content_hash"] for u, a in after.items()} == \
        {u: a["content_hash"] for u, a in clean.items()}
    assert all(a["version"] == 1 for a in after.values())
    keys = [k for k, _ in version_rows(db)]
    assert len(keys) == len(set(keys)) == 60, "an article was stored twice"
    assert len(refetched) == 60 - (len(after) - last_run_stats(db)["newscrawler/store/new"])
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT exit_code, finished_at FROM runs ORDER BY id").fetchall()
    assert runs[0][0] == -1 and runs[0][1] is not None  # the killed run, noted by the rerun
    if kill_after:  # it keeps the counts of its last progress line
        with sqlite3.connect(db) as conn:
            pages, new = conn.execute("SELECT pages, new FROM runs ORDER BY id").fetchone()
        assert pages > 0 and 0 < new <= len(stored_articles(db))
    assert runs[-1][0] == 0
    assert "did not finish" in rerun.stderr
    assert re.search(r"\(started \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30\) did not finish",
                     rerun.stderr)  # India time to the second, as every message shows times
