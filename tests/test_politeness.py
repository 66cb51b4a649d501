"""Politeness and failures, and the cron-facing run options: real crawls in subprocesses
against the generated site with injected faults (429 + Retry-After, 503, time-outs, a redirect
loop, an HTML sitemap, a broken feed, robots.txt forbidding everything), plus --max-runtime,
--log-dir, progress output and `newscrawler runs`. Unit tests for the pieces underneath.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scrapy.settings import Settings

from newscrawler.cli import parse_runtime
from newscrawler.fixture_server import Fault, FixtureServer
from newscrawler.middlewares import (
    CHANGED,
    FETCH,
    REFRESH,
    SKIP,
    fetch_decision,
    retry_after_seconds,
)
from newscrawler.store import FetchState
from tests.sites import (
    HOST,
    ROOT,
    SyntheticSite,
    article_paths,
    last_run_stats,
    run_crawl,
    stored_articles,
)


@pytest.fixture
def site(tmp_path):
    return SyntheticSite(tmp_path / "www", articles_count=30, per_sitemap=10).write()


def test_faults_are_counted_and_the_crawl_goes_on(site, tmp_path):
    newest = site.newest()
    throttled, busy, down, slow, looping = newest[0], newest[1], newest[2], newest[3], newest[4]
    loop_back = f"https://{HOST}/desh/loop-elsewhere-redirect-999999/"
    html_sitemap_links = "".join(f'<a href="{a.path}">{a.title}</a>'
                                 for a in site.articles[10:20])
    with FixtureServer([site.folder]) as server:
        server.faults.update({
            (HOST, throttled.path): Fault(429, {"Retry-After": "1"}, times=1),
            (HOST, busy.path): Fault(503, times=1),
            (HOST, down.path): Fault(503),
            (HOST, slow.path): Fault(delay=2.5),
            (HOST, looping.path): Fault(301, {"Location": loop_back}),
            (HOST, "/desh/loop-elsewhere-redirect-999999/"):
                Fault(302, {"Location": looping.url()}),
            (HOST, "/sitemaps/posts-2.xml.gz"): Fault(200, {
                "Content-Type": "text/html; charset=utf-8"},
                f"<!doctype html><html><body>{html_sitemap_links}</body></html>".encode()),
            (HOST, "/feed/"): Fault(200, {"Content-Type": "application/rss+xml"},
                                    site.rss()[:-300]),
        })
        db = tmp_path / "news.sqlite3"
        result = run_crawl(server, db, "-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_TIMES=1",
                           "-s", "NEWSCRAWLER_BACKOFF_BASE=0.2")
        # the server logs a request when it answers: the slow page answers after the
        # client gave up, possibly after the crawl ended
        deadline = time.monotonic() + 5
        while slow.path not in {e.path for e in server.entries_for(HOST)} \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        entries = server.entries_for(HOST)
    assert result.returncode == 0, result.stderr[-3000:]  # finished, with valid articles
    stats = last_run_stats(db)

    # 429 + Retry-After: the host paused for the header's second, then the retry succeeded
    hits = [e for e in entries if e.path == throttled.path]
    assert [e.status for e in hits] == [429, 200]
    assert hits[1].received - hits[0].at >= 0.95
    window = (hits[0].at + 0.4, hits[0].at + 0.9)
    during = [e for e in entries if window[0] < e.received < window[1]]
    assert not during, f"requests went out while the host was paused: {during}"
    assert stats["newscrawler/retry_after/http_429"] == 1
    assert stats["newscrawler/retry_after/header"] == 1
    # 503 without Retry-After: exponential backoff, then the retry succeeded
    assert [e.status for e in entries if e.path == busy.path] == [503, 200]
    # a 503 that never ends, a page slower than the time-out, a redirect loop: counted
    assert [e.status for e in entries if e.path == down.path] == [503, 503]
    assert stats["newscrawler/errors/http_503"] == 1
    assert any("Timeout" in k for k in stats if k.startswith("newscrawler/errors/"))
    assert stats["newscrawler/errors/redirect_loop"] == 1
    # an HTML sitemap is read as a listing; a broken feed gives what can be read
    assert stats["newscrawler/errors/sitemap_is_html"] == 1
    assert stats["newscrawler/errors/broken_feed"] == 1

    urls = set(stored_articles(db))
    assert urls == site.urls() - {down.url(), slow.url(), looping.url()}
    assert len(set(article_paths(entries, site))) == 30  # every article was tried
    summary = result.stdout.splitlines()
    header, row = summary[0].split(), summary[2].split()
    assert int(row[header.index("errors")]) >= 5
    assert int(row[header.index("new")]) == 27


def crawl_with_robots_txt(site, tmp_path, robots: Fault, *extra: str):
    """A crawl of the site whose robots.txt answers ``robots``: (result, paths requested)."""
    with FixtureServer([site.folder]) as server:
        server.faults[(HOST, "/robots.txt")] = robots
        result = run_crawl(server, tmp_path / "news.sqlite3", *extra)
        return result, server.requests_for()


def test_no_request_where_robots_txt_forbids(site, tmp_path):
    result, requested = crawl_with_robots_txt(site, tmp_path, Fault(
        200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /\n"))
    assert requested == ["/robots.txt"]
    assert result.returncode == 1  # nothing could be discovered: a failure, said loudly
    assert "FAILED" in result.stderr and "discovery found no article" in result.stderr


def test_robots_txt_answering_5xx_means_complete_disallow(site, tmp_path):
    # RFC 9309: unreachable (5xx) is complete disallow; it was read as "allow everything".
    # The host is paused and robots.txt retried, once per step (the spider asked for it too)
    result, requested = crawl_with_robots_txt(site, tmp_path, Fault(503), "-s", "RETRY_TIMES=2",
                                              "-s", "NEWSCRAWLER_BACKOFF_BASE=0.1")
    assert requested == ["/robots.txt"] * 3  # the first try and two retries, nothing else
    assert result.returncode == 1
    assert ("FAILED: robots.txt unreachable: www.khabarsansar.in (HTTP 503)"
            in result.stderr), result.stderr[-3000:]
    assert "robots.txt of www.khabarsansar.in unreachable (HTTP 503): assuming complete " \
        "disallow" in result.stderr
    stats = last_run_stats(tmp_path / "news.sqlite3")
    assert stats["newscrawler/skipped/robots_unreachable"] >= 1
    assert not stored_articles(tmp_path / "news.sqlite3")


def test_robots_txt_answering_4xx_allows_everything(site, tmp_path):
    # RFC 9309: unavailable (4xx) means no rules, whatever the error page says
    result, requested = crawl_with_robots_txt(site, tmp_path, Fault(
        404, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /\n"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert requested.count("/robots.txt") == 1  # once a run, though the spider reads it too
    assert "/private/gupt-report-staff-notes-900001/" in requested
    assert len(stored_articles(tmp_path / "news.sqlite3")) == 31  # the private page too


def test_max_runtime_log_dir_progress_and_runs(site, tmp_path):
    db, logs = tmp_path / "news.sqlite3", tmp_path / "logs"
    with FixtureServer([site.folder], latency=0.05) as server:
        started = time.monotonic()
        # a polite delay: about five requests a second, so the 45 pages need ~9 s
        result = run_crawl(server, db, "--max-runtime", "2s", "--log-dir", str(logs),
                           "--progress-interval", "0.5", "-s", "NEWSCRAWLER_PROGRESS_BAR=true",
                           "-s", "DOWNLOAD_DELAY=0.2")
        elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-3000:]
    assert elapsed < 15
    assert 0 < len(stored_articles(db)) < 30  # stopped early, cleanly
    # nothing left for the network after the limit (Scrapy alone emptied its queues first)
    assert not requests_after_time_limit(server.entries_for(), last_run_stats(db))
    assert "stopped at its time limit (--max-runtime 2s)" in result.stdout

    (log_file,) = logs.glob("*.log")
    (stats_file,) = logs.glob("*.stats.json")
    log = log_file.read_text(encoding="utf-8")
    assert "progress: " in log and "pages (" in log and "errors" in log
    record = json.loads(stats_file.read_text(encoding="utf-8"))
    assert record["exit_code"] == 0 and record["stats"]["finish_reason"] == "closespider_timeout"
    assert record["summary"]["new"] == len(stored_articles(db))
    assert last_run_stats(db)["newscrawler/log_file"] == str(log_file)
    assert "\x1b[K" in result.stderr and "articles  " in result.stderr  # the bar, forced on

    assert_the_next_run_fetches_the_rest(site, db)

    runs = subprocess.run([sys.executable, "-m", "newscrawler", "runs", "--db",
                           f"sqlite:///{db}", "--site", f"https://{HOST}/"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert runs.returncode == 0, runs.stderr
    lines = runs.stdout.splitlines()
    assert lines[0].split() == ["id", "target", "started", "duration", "pages", "new",
                                "updated", "duplicates", "invalid", "errors", "exit"]
    assert len(lines) == 3 and all(line.split()[-1] == "0" for line in lines[1:])


def assert_the_next_run_fetches_the_rest(site, db) -> None:
    """After a run stopped early, the next run stores every article of the site."""
    with FixtureServer([site.folder]) as server:
        assert run_crawl(server, db, "--quiet").returncode == 0
    assert set(stored_articles(db)) == site.urls()


def requests_after_time_limit(entries, stats: dict, slack: float = 0.3) -> list:
    """The requests the server received after the run reached its time limit."""
    reached = datetime.fromisoformat(stats["newscrawler/time_limit/reached_at"]).timestamp()
    reached_monotonic = reached - (time.time() - time.monotonic())
    return [e for e in entries if e.received > reached_monotonic + slack]


def test_max_runtime_ends_the_run_while_a_host_is_paused(site, tmp_path):
    # cron overlap: a 429 with Retry-After: 60 kept a 3 s run going for minutes (the pause,
    # then a retry after the close, then another pause); a download in flight is cancelled
    db, logs = tmp_path / "news.sqlite3", tmp_path / "logs"
    # the home page's links are fetched oldest first (Scrapy's queue is last-in first-out):
    # the slow page holds one of the host's two connections when the 429 pauses the host
    throttled, slow = site.newest()[1], site.newest()[3]
    with FixtureServer([site.folder], latency=0.05) as server:
        server.faults[(HOST, slow.path)] = Fault(delay=40)
        server.faults[(HOST, throttled.path)] = Fault(429, {"Retry-After": "60"})
        started = time.monotonic()
        result = run_crawl(server, db, "--max-runtime", "4s", "--log-dir", str(logs),
                           "-s", "DOWNLOAD_DELAY=0.2", "-s", "DOWNLOAD_TIMEOUT=60",
                           "-s", "NEWSCRAWLER_STOP_GRACE=1", timeout=150)
        elapsed = time.monotonic() - started
        entries = server.entries_for(HOST)
    assert result.returncode == 0, result.stderr[-3000:]  # stopped by its own limit: finished
    assert elapsed < 20, f"the run went on {elapsed:.0f} s with a 4 s limit"
    stats = last_run_stats(db)
    assert stats["finish_reason"] == "closespider_timeout"
    assert [e.status for e in entries if e.path == throttled.path] == [429]  # no retry
    assert not requests_after_time_limit(entries, stats)
    assert stats["newscrawler/time_limit/paused_dropped"] >= 1  # the pause was cut short
    assert stats["newscrawler/time_limit/dropped/article"] >= 2  # the retry, the slow one
    assert not any(k.startswith("newscrawler/errors/") for k in stats)  # dropped, not failed
    (log_file,) = logs.glob("*.log")
    log = log_file.read_text(encoding="utf-8")
    assert "time limit of 4s reached: stopping the run" in log
    assert "cancelling 1 download(s) still in flight" in log
    assert "stopped at its time limit (--max-runtime 4s)" in result.stdout
    stored = set(stored_articles(db))
    assert stored and throttled.url() not in stored and slow.url() not in stored

    assert_the_next_run_fetches_the_rest(site, db)


def test_ctrl_c_stops_the_run_at_once_and_says_so(site, tmp_path):
    # Scrapy's graceful close downloaded every queued request first: with a 2 s delay and
    # dozens queued, minutes of crawling after Ctrl-C, then "FAILED: ... 'shutdown'"
    import signal

    from tests.sites import crawl_command

    db = tmp_path / "news.sqlite3"
    with FixtureServer([site.folder]) as server:
        crawl = subprocess.Popen(crawl_command(server, db, "-s", "DOWNLOAD_DELAY=2",
                                               "-s", "NEWSCRAWLER_STOP_GRACE=1"),
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        deadline = time.monotonic() + 60
        while len(server.entries_for(HOST)) < 4 and time.monotonic() < deadline:
            time.sleep(0.1)  # robots.txt, the home page, the sitemaps: articles queued
        crawl.send_signal(signal.SIGINT)
        signalled = time.monotonic()
        out, err = crawl.communicate(timeout=120)
        stopped_after = time.monotonic() - signalled
        requests = len(server.entries_for(HOST))
    assert crawl.returncode == 1, err[-3000:]
    assert stopped_after < 10, f"the run went on {stopped_after:.0f} s after Ctrl-C"
    assert requests < len(site.articles)  # it did not download the queue first
    assert "SIGINT received: stopping the run" in err
    assert "interrupted by SIGINT: stopped; what was fetched is stored" in out + err
    assert last_run_stats(db)["newscrawler/interrupted"] == "SIGINT"

    assert_the_next_run_fetches_the_rest(site, db)


def test_a_home_page_that_fails_still_leads_to_the_robots_sitemaps(site, tmp_path):
    db = tmp_path / "news.sqlite3"
    with FixtureServer([site.folder]) as server:
        server.faults[(HOST, "/")] = Fault(404)
        result = run_crawl(server, db, target=f"https://{HOST}/")
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(stored_articles(db)) == site.urls()  # every article, through the sitemaps
    assert last_run_stats(db)["newscrawler/errors/role_start"] == 1  # and the 404 is counted


def test_quiet_prints_nothing_when_all_is_well(site, tmp_path):
    with FixtureServer([site.folder]) as server:
        result = run_crawl(server, tmp_path / "news.sqlite3", "--quiet", "--log-dir",
                           str(tmp_path / "logs"))
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""


# ---------------------------------------------------------------------- units
def test_retry_after_header_forms():
    assert retry_after_seconds(b"120") == 120
    now = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(later, now=now.timestamp()) == pytest.approx(90)
    past = format_datetime(now - timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(past, now=now.timestamp()) == 0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def _state(outcome="stored", lastmod="2025-01-01T10:00:00+05:30",
           fetched="2025-01-01T06:00:00+00:00"):
    return FetchState("k", "https://s.in/a", outcome, 200, '"e"', None, lastmod, fetched)


def test_fetch_decision():
    assert fetch_decision(None, None, False) == FETCH
    assert fetch_decision(_state(outcome="error"), None, False) == FETCH
    assert fetch_decision(_state(), None, False) == SKIP
    assert fetch_decision(_state(), "2025-01-01T10:00:00+05:30", False) == SKIP
    assert fetch_decision(_state(), None, True) == REFRESH
    assert fetch_decision(_state(), "2025-01-02T10:00:00+05:30", False) == CHANGED
    # a lastmod newer than the stored one but older than our fetch: the same page we have
    assert fetch_decision(_state(), "2025-01-01T11:00:00+05:30", False) == SKIP


def test_parse_runtime():
    assert parse_runtime("900") == 900 and parse_runtime("15m") == 900
    assert parse_runtime("1h30m") == 5400 and parse_runtime("90s") == 90
    for bad in ("", "soon", "15x", "0"):
        with pytest.raises(ValueError):
            parse_runtime(bad)


def test_site_settings_apply_per_profile_and_command_line_wins():
    from newscrawler.spiders.generic import GenericSpider
    from newscrawler.spiders.sites import SPIDERS

    settings = Settings({"AUTOTHROTTLE_MAX_DELAY": 30.0, "DOWNLOAD_DELAY": 1.0},
                        priority="project")
    site_settings = {"AUTOTHROTTLE_MAX_DELAY": 90, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}
    settings.set("NEWSCRAWLER_SITE_SETTINGS", {"newsindia24": site_settings}, priority="cmdline")
    SPIDERS["newsindia24"].update_settings(settings)
    assert settings.getfloat("AUTOTHROTTLE_MAX_DELAY") == 90
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1

    settings = Settings({"AUTOTHROTTLE_MAX_DELAY": 30.0}, priority="project")
    settings.set("AUTOTHROTTLE_MAX_DELAY", 5, priority="cmdline")
    settings.set("NEWSCRAWLER_SITE_SETTINGS", {"generic": {"AUTOTHROTTLE_MAX_DELAY": 90}},
                 priority="project")
    GenericSpider.update_settings(settings)
    assert settings.getfloat("AUTOTHROTTLE_MAX_DELAY") == 5


def test_daily_sitemaps_follow_since_and_backfill():
    from scrapy.utils.test import get_crawler

    from newscrawler.profiles import Discovery, Profile
    from newscrawler.spiders.base import NewsSpider

    profile = Profile(id="daily", name="Daily", domains=("www.daily.in",), article_url=r"/\d+",
                      discovery=Discovery(daily_sitemaps=("/sitemap-{yyyy}-{mm}-{dd}.xml",),
                                          robots_sitemaps=False))
    spider_cls = type("DailySpider", (NewsSpider,), {"name": "daily", "profile": profile})
    clock = {"NEWSCRAWLER_CLOCK": "2025-03-02T09:00:00+05:30", "NEWSCRAWLER_BACKFILL_DAYS": 5}

    def urls(**kwargs):
        spider = spider_cls.from_crawler(get_crawler(spider_cls, clock), **kwargs)
        return [r.url for r in spider.discovery_requests(profile)]

    assert urls() == ["https://www.daily.in/sitemap-2025-03-02.xml",
                      "https://www.daily.in/sitemap-2025-03-01.xml"]
    assert len(urls(since="2025-02-27T00:00:00+05:30")) == 4
    assert urls(backfill="true")[-1] == "https://www.daily.in/sitemap-2025-02-25.xml"


def max_in_flight(entries) -> int:
    """Most requests the server was answering at the same moment (from its timed log)."""
    events = sorted([(e.received, 1) for e in entries] + [(e.at, -1) for e in entries])
    current = most = 0
    for _, change in events:
        current += change
        most = max(most, current)
    return most


@pytest.mark.parametrize("limit", [1, 2])
def test_per_domain_limit_holds_even_with_no_download_delay(site, tmp_path, limit):
    # Scrapy 2.19 alone started every queued request of a host at once with a 0 delay
    with FixtureServer([site.folder], latency=0.1) as server:
        result = run_crawl(server, tmp_path / "news.sqlite3", "-s", "DOWNLOAD_DELAY=0",
                           "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={limit}")
        entries = server.entries_for(HOST)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(entries) > 30
    assert max_in_flight(entries) == limit


@pytest.mark.parametrize(("daily", "counted"), [
    (True, "newscrawler/discovery/daily_sitemap_missing"), (False, "newscrawler/errors/http_404")])
def test_a_missing_daily_sitemap_is_no_error(daily, counted):
    from scrapy import Request
    from scrapy.http import HtmlResponse
    from scrapy.spidermiddlewares.httperror import HttpError
    from scrapy.utils.test import get_crawler
    from twisted.python.failure import Failure

    from newscrawler.spiders.generic import GenericSpider

    crawler = get_crawler(GenericSpider)
    spider = GenericSpider.from_crawler(crawler, start_url="https://www.daily.in/")
    request = Request("https://www.daily.in/sitemap-2026-12-07.xml",
                      meta={"role": "sitemap", "daily": daily})
    response = HtmlResponse(request.url, status=404, request=request, body=b"")
    try:
        raise HttpError(response, "not found")
    except HttpError:
        failure = Failure()
    failure.request = request
    spider.on_error(failure)
    stats = crawler.stats.get_stats()
    assert stats.get(counted) == 1
    assert daily == (not any(k.startswith("newscrawler/errors/") for k in stats))
