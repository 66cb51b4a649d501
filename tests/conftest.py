"""Shared test helpers: fixture pages, the shared real-page corpus, the local fixture server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED_HTML = ROOT.parent / "shared" / "hindi-html"


def fixture_pages() -> list[tuple[Path, dict]]:
    """Every fixture article page with its expected JSON."""
    pages = []
    for expected in sorted(FIXTURES.glob("*/*.expected.json")):
        html = expected.with_name(expected.name.removesuffix(".expected.json") + ".html")
        if html.exists():
            pages.append((html, json.loads(expected.read_text(encoding="utf-8"))))
    return pages


@pytest.fixture
def fixture_server():
    from newscrawler.fixture_server import FixtureServer

    with FixtureServer() as server:
        yield server


# ---------------------------------------------------------------------------- PostgreSQL
@pytest.fixture(scope="session")
def pg_server():
    """One throwaway PostgreSQL server for the whole session (see tests/pg.py). Fails, never
    skips, when none can be had: the PostgreSQL backend must be tested in CI."""
    from tests.pg import PgServer, PgUnavailable

    server = PgServer()
    try:
        server.start()
    except PgUnavailable as exc:
        pytest.fail(f"PostgreSQL test server unavailable: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server):
    """A fresh database on the session's PostgreSQL server."""
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, tmp_path):
    """A fresh store URL on each backend."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    return f"sqlite:///{tmp_path}/store/news.sqlite3"
