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
