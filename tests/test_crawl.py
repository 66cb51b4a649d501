"""A real Scrapy crawl, in a subprocess, against the fixture site served on 127.0.0.1.

The site has robots.txt (with a disallowed page linked from the home page), a sitemap index,
a feed, paginated listings, articles, a broken page, a 404 and a PDF. The second run must fetch
no article page again and store nothing twice.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from tests.conftest import ROOT, fixture_pages

SITE = "www.newsindia24.in"
ARTICLE_PATHS = {expected["url"].split(SITE, 1)[1] for _, expected in fixture_pages()
                 if expected["site"] == "newsindia24"}


def run_crawl(server, db, output, *extra):
    cmd = [sys.executable, "-m", "newscrawler", "crawl", "newsindia24", "--db", f"sqlite:///{db}",
           "--output", str(output),
           "-s", "NEWSCRAWLER_HOST_MAP=" + json.dumps(server.host_map()),
           "-s", "NEWSCRAWLER_CLOCK=2024-12-23T16:25:00+05:30",
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false", *extra]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=180)


def stored(db):
    with sqlite3.connect(db) as conn:
        return [json.loads(row[0]) for row in conn.execute("SELECT data FROM articles")]


def test_crawl_then_incremental_recrawl(fixture_server, tmp_path):
    db, out = tmp_path / "news.sqlite3", tmp_path / "articles.jsonl"
    first = run_crawl(fixture_server, db, out)
    assert first.returncode == 0, first.stderr[-3000:]

    articles = stored(db)
    assert {a["url"].split(SITE, 1)[1] for a in articles} == ARTICLE_PATHS
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {a["url"] for a in lines} == {a["url"] for a in articles}
    assert "\\u0" not in out.read_text(encoding="utf-8")  # Devanagari is not escaped

    requested = fixture_server.requests_for(SITE)
    assert "/robots.txt" in requested
    assert not any(p.startswith("/private/") for p in requested), "robots.txt was ignored"
    assert "/world/missing-story/" in requested  # the 404 was tried ...
    assert "/world/broken-story/" in requested  # ... and the broken page
    assert "/wp-content/uploads/2024/12/report.pdf" not in requested  # not an article URL
    # ... and neither the 404 nor the broken page became an article, each counted with a reason
    stats = last_run_stats(db)
    assert stats["newscrawler/errors/http_404"] >= 1
    assert stats["newscrawler/validate/dropped/body_too_short"] == 1
    assert stats["newscrawler/store/new"] == len(ARTICLE_PATHS)
    assert "newsindia24" in first.stdout and "invalid" in first.stdout  # the summary table

    # second run: discovery pages again, but no article page, nothing new stored
    before = len(requested)
    second = run_crawl(fixture_server, db, out)
    assert second.returncode == 0, second.stderr[-3000:]
    again = fixture_server.requests_for(SITE)[before:]
    assert again, "the second run fetched nothing at all (discovery must run every time)"
    fetched_again = set(again) & ARTICLE_PATHS
    assert not fetched_again, f"article pages fetched again: {fetched_again}"
    assert "/world/missing-story/" not in again  # a 404 is remembered too
    assert last_run_stats(db)["newscrawler/incremental/skipped_known"] >= len(ARTICLE_PATHS)
    assert len(stored(db)) == len(articles)
    with sqlite3.connect(db) as conn:
        (versions,) = conn.execute("SELECT COUNT(*) FROM article_versions").fetchone()
    assert versions == len(articles)


def last_run_stats(db) -> dict:
    with sqlite3.connect(db) as conn:
        (raw,) = conn.execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    return json.loads(raw)


def test_unknown_target_is_bad_usage(tmp_path):
    result = subprocess.run([sys.executable, "-m", "newscrawler", "crawl", "no-such-site",
                             "--db", f"sqlite:///{tmp_path}/x.sqlite3"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "unknown target" in result.stderr
