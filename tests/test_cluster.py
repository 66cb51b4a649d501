"""Crawl clusters: real `newscrawler crawl --frontier --seed-only` and `newscrawler worker`
processes on one real redis-server (started here on a free loopback port; installed by
scripts/ensure-redis.sh when missing) and one real PostgreSQL store (tests/pg.py), against
generated multi-host sites (4 hosts, 500 articles).

Asserted on the store (every article exactly once, one version each), on the server's timed
request log (never more requests in progress on one host than the per-domain limit, robots.txt
fetched once per host and obeyed) and on `newscrawler status`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.cluster_support import (
    RedisServer,
    TimedFixtureServer,
    cluster_command,
    make_sites,
    spawn,
)
from tests.sites import ROOT

HOSTS, PER_HOST, LIMIT = 4, 125, 2
DEBUG = ("--log-level", "DEBUG") if os.environ.get("NEWSCRAWLER_TEST_DEBUG") else ()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    return make_sites(tmp_path_factory.mktemp("cluster-sites"), HOSTS, PER_HOST)


@pytest.fixture
def server(sites):
    with TimedFixtureServer([s.folder for s in sites], delay=0.02) as srv:
        yield srv


@pytest.fixture
def frontier(redis_server):
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushdb()
    yield redis_server.url
    client.flushdb()
    client.close()


@pytest.fixture
def db_url(pg_url):
    """The shared store: a fresh database on the session's real PostgreSQL server."""
    return pg_url


def expected_urls(sites) -> set[str]:
    return set().union(*(s.urls() for s in sites))


def stored_rows(db_url: str) -> tuple[list[str], int]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
        (versions,) = conn.execute("SELECT COUNT(*) FROM article_versions").fetchone()
    return urls, versions


def finish(procs, timeout=90) -> list[str]:
    deadline = time.monotonic() + timeout
    for proc in procs:
        try:
            proc.wait(max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise AssertionError(f"cluster process {proc.args[3]} did not stop") from None
    return []


def check_politeness(server, sites) -> None:
    peaks = server.max_concurrency()
    assert peaks, "the server saw no request"
    assert max(peaks.values()) <= LIMIT, f"per-domain limit {LIMIT} exceeded: {peaks}"
    for site in sites:
        paths = [t.path for t in server.timed if t.host == site.host]
        assert paths.count("/robots.txt") == 1, "robots.txt is fetched once per host and shared"
        assert not any(p.startswith("/private/") for p in paths), "robots.txt was not obeyed"


def test_three_workers_store_every_article_once(server, sites, frontier, db_url, tmp_path):
    targets = [f"https://{s.host}/" for s in sites]
    extra = ("-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={LIMIT}", *DEBUG)
    workers = [spawn(cluster_command("worker", server, frontier, db_url, *extra),
                     tmp_path / f"worker{i}.log") for i in range(3)]
    seeder = spawn(cluster_command("crawl", server, frontier, db_url, *extra, "--seed-only",
                                   targets=targets), tmp_path / "crawl.log")
    finish([seeder, *workers])
    logs = {p.name: p.read_text(errors="replace") for p in tmp_path.glob("*.log")}
    for name, proc in [("crawl.log", seeder)] + [(f"worker{i}.log", w)
                                                 for i, w in enumerate(workers)]:
        assert proc.returncode == 0, logs[name][-3000:]
        assert "Traceback" not in logs[name], logs[name][-3000:]

    urls, versions = stored_rows(db_url)
    assert len(urls) == len(set(urls))
    assert set(urls) == expected_urls(sites)
    assert versions == len(urls) == HOSTS * PER_HOST
    check_politeness(server, sites)

    status = subprocess.run([sys.executable, "-m", "newscrawler", "status", "--frontier",
                             frontier, "--crawl-id", "test", "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=30)
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert report["queued"] == 0 and report["workers_alive"] == 0
    workers = [w for w in report["workers"] if w["pid"] in {p.pid for p in workers}]
    assert len(workers) == 3 and all(w["state"] == "finished" for w in workers), report
    assert sum(w["pages"] for w in workers) >= HOSTS * PER_HOST
    # the work was shared: every worker fetched pages and stored articles
    assert all(w["pages"] > 0 and w["articles"] > 0 for w in workers), report


def test_sigkilled_worker_loses_nothing_and_stores_nothing_twice(frontier, db_url, tmp_path):
    import redis

    sites = make_sites(tmp_path / "sites", 2, 120)
    server = TimedFixtureServer([s.folder for s in sites], delay=0.02).start()
    try:
        _kill_one_worker(server, sites, frontier, db_url, tmp_path, redis)
    finally:
        server.stop()


def _kill_one_worker(server, sites, frontier, db_url, tmp_path, redis):
    targets = [f"https://{s.host}/" for s in sites]
    extra = ("-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={LIMIT}", *DEBUG)
    victim = spawn(cluster_command("worker", server, frontier, db_url, *extra),
                   tmp_path / "victim.log")
    workers = [spawn(cluster_command("worker", server, frontier, db_url, *extra),
                     tmp_path / f"worker{i}.log") for i in range(2)]
    seeder = spawn(cluster_command("crawl", server, frontier, db_url, *extra, "--seed-only",
                                   targets=targets), tmp_path / "crawl.log")
    client = redis.Redis.from_url(frontier)
    deadline = time.monotonic() + 60
    victim_key = None
    # kill the victim while it holds requests in flight, a good way into the crawl
    while time.monotonic() < deadline and victim_key is None:
        time.sleep(0.05)
        if len(server.timed) < 60:
            continue
        for key in client.scan_iter("newscrawler:test:inflight:*"):
            if f":{victim.pid}:" in key.decode() and client.hlen(key) > 0:
                victim_key = key
    assert victim_key is not None, "the victim worker never held a request"
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    finish([seeder, *workers])
    for proc, name in [(seeder, "crawl.log"), (workers[0], "worker0.log"),
                       (workers[1], "worker1.log")]:
        assert proc.returncode == 0, (tmp_path / name).read_text(errors="replace")[-3000:]

    urls, versions = stored_rows(db_url)
    assert len(urls) == len(set(urls))
    assert set(urls) == expected_urls(sites)
    assert versions == len(urls)
    assert client.hlen(victim_key) == 0, "the dead worker's requests were not requeued"
    dead = {w.decode() for w in client.smembers("newscrawler:test:dead")}
    assert any(f":{victim.pid}:" in w for w in dead)
    check_politeness(server, sites)
    client.close()


def test_pop_takes_a_free_domain_and_its_lease(frontier):
    """A domain at its limit does not block the queue: the pop takes the next domain's
    request; with every domain busy it says how long to wait; a response frees the domain."""
    from scrapy import Request, Spider
    from scrapy.utils.test import get_crawler

    from newscrawler.cluster import Keys, cluster_settings, queued_per_domain
    from newscrawler.cluster.frontier import LeasedQueue, cluster_state
    from newscrawler.cluster.leases import TOKEN
    from newscrawler.cluster.politeness import release_domain_lease

    class News(Spider):
        name = "news"

    settings = cluster_settings(frontier, crawl_id="unit")
    crawler = get_crawler(News, {**settings, "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
                                 "DOWNLOAD_DELAY": 0})
    state = cluster_state(crawler)
    state.heartbeat()  # a live worker: its leases count
    queue = LeasedQueue(state.redis, News(), Keys("unit").queue_pattern)
    queue.state = state
    for i in range(3):  # the busy domain's requests come first in priority order
        queue.push(Request(f"https://a.example/{i}", priority=10))
    queue.push(Request("https://b.example/0"))
    assert queued_per_domain(state.redis, queue.key) == {"a.example": 3, "b.example": 1}

    first, _ = queue.pop_or_wait()
    second, _ = queue.pop_or_wait()
    assert (first.url, second.url) == ("https://a.example/0", "https://b.example/0")
    assert queue.pop_or_wait() == (None, state.busy_poll)  # both domains at their limit
    assert state.redis.hlen(state.inflight_key) == 2
    release_domain_lease(state, first)
    assert TOKEN not in first.meta
    third, _ = queue.pop_or_wait()
    assert third.url == "https://a.example/1"
    assert len(queue) == 1

    # with a seen-set, the check and the push are one step: a request seen before stays out
    seen = Keys("unit").prefix + ":seen-test"
    assert queue.push(Request("https://c.example/1"), seen, "fp-1")
    assert not queue.push(Request("https://c.example/1"), seen, "fp-1")
    assert queued_per_domain(state.redis, queue.key)["c.example"] == 1


def test_frontier_must_be_reachable(tmp_path):
    # a server that is down fails the run (exit 1, as for PostgreSQL); a bad URL is bad usage
    def worker(frontier):
        return subprocess.run([sys.executable, "-m", "newscrawler", "worker", "--frontier",
                               frontier, "--db", f"sqlite:///{tmp_path}/x.db"],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)

    down = worker("redis://127.0.0.1:1/0")
    assert down.returncode == 1
    assert "cannot reach the frontier" in down.stderr
    wrong = worker("http://127.0.0.1:1/0")
    assert wrong.returncode == 2
    assert "--frontier takes a redis://host:port/db URL" in wrong.stderr


def test_a_worker_joining_a_queued_frontier_raises_no_deprecation_warning(frontier):
    """scrapy-redis announces a resumed crawl with Scrapy's deprecated Spider.log()."""
    import warnings

    from scrapy import Request, Spider
    from scrapy.exceptions import ScrapyDeprecationWarning
    from scrapy.utils.test import get_crawler

    from newscrawler.cluster import Keys, cluster_settings
    from newscrawler.cluster.frontier import FrontierScheduler, LeasedQueue, cluster_state

    class News(Spider):
        name = "news"

    crawler = get_crawler(News, cluster_settings(frontier, crawl_id="join"))
    state = cluster_state(crawler)
    queue = LeasedQueue(state.redis, News(), Keys("join").queue_pattern % {"spider": "news"})
    queue.state = state
    queue.push(Request("https://a.example/queued"))
    scheduler = FrontierScheduler.from_crawler(crawler)
    spider = News.from_crawler(crawler)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scheduler.open(spider)
    assert len(scheduler.queue) == 1
    assert not [w for w in caught if issubclass(w.category, ScrapyDeprecationWarning)]


def test_status_counts_worker_processes_not_their_spiders(frontier):
    import io

    from newscrawler.cluster import Keys, connect
    from newscrawler.cluster.status import cluster_status, print_status

    client, keys = connect(frontier), Keys("t")
    now = float(client.time()[0])
    # two processes on one host; the first runs two spiders (one per target group)
    for name, pid, spider in [("h:1:indiatv:a", 1, "indiatv"), ("h:1:aajtak:b", 1, "aajtak"),
                              ("h:2:indiatv:c", 2, "indiatv")]:
        client.zadd(keys.workers, {name: now})
        client.hset(keys.worker(name), mapping={
            "host": "h", "pid": pid, "spider": spider, "last_seen": now, "state": "running",
            "pages": 5, "pages_per_min": 2, "articles": 1, "errors": 0})
    status = cluster_status(client, keys)
    assert status["workers_alive"] == 2 and status["spiders_alive"] == 3
    out = io.StringIO()
    print_status(status, out)
    assert "2 worker process(es) alive running 3 spider(s)" in out.getvalue()
    assert "aajtak" in out.getvalue()


def test_a_new_crawl_run_forgets_the_previous_runs_targets(frontier):
    from newscrawler.cluster import Keys, connect
    from newscrawler.cluster.run import register_targets

    client, keys = connect(frontier), Keys("t")
    register_targets(client, keys, {"indiatv": {"targets": ["indiatv"]}}, 30)
    client.zadd(keys.queue("indiatv"), {b"request": 0})  # still queued: the same run
    register_targets(client, keys, {"aajtak": {"targets": ["aajtak"]}}, 30)
    assert {k.decode() for k in client.hkeys(keys.targets)} == {"indiatv", "aajtak"}
    client.delete(keys.queue("indiatv"))  # the run is over: the frontier is idle
    register_targets(client, keys, {"ndtv": {"targets": ["ndtv"]}}, 30)
    assert {k.decode() for k in client.hkeys(keys.targets)} == {"ndtv"}
