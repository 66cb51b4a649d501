"""`export_articles` (JSON Lines, CSV) and `parse_since`, against real SQLite and PostgreSQL
stores."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newscrawler.export import CSV_COLUMNS, export_articles, parse_since
from newscrawler.store import ARTICLE_FIELDS, open_store

IST = timezone(timedelta(hours=5, minutes=30))
T0 = datetime(2024, 12, 23, 16, 25, tzinfo=IST)


def article(n: int, *, site: str = "indiatv", fetched_at: datetime = T0, **extra) -> dict:
    url = f"https://www.{site}.in/world/story-{n}"
    data = {
        "url": url, "canonical_url": url, "site": site, "site_name": "India TV",
        "language": "hi", "title": f"नई दिल्ली: \"बड़ी\" ख़बर, भाग {n}", "lede": None,
        "body": ["पहला अनुच्छेद, अल्पविराम के साथ", "दूसरा\tअनुच्छेद", "तीसरा"],
        "authors": ["राम कुमार", "सीता देवी"], "published_at": "2024-12-23T15:29:00+05:30",
        "modified_at": None, "section": "दुनिया", "tags": ["भारत", "दिल्ली"],
        "images": [{"url": f"{url}.jpg", "caption": "चित्र", "credit": None}],
        "related": [], "recent_posts": [], "fetched_at": fetched_at.isoformat(),
        "extractor": f"profile:{site}", "duplicate_of": None,
    }
    data.update(extra)
    return data


@pytest.fixture
def store(any_db_url):
    with open_store(any_db_url) as opened:
        opened.save_article(article(1), url_key="k1", content_hash="h1")
        opened.save_article(article(2, site="aajtak", fetched_at=T0 + timedelta(hours=2)),
                            url_key="k2", content_hash="h2")
        opened.save_article(article(3, duplicate_of="https://www.indiatv.in/world/story-1"),
                            url_key="k3", content_hash="h1")
        yield opened


def test_jsonl_keeps_devanagari_and_design_order(store):
    out = io.StringIO()
    assert export_articles(store, out) == 3
    text = out.getvalue()
    assert "नई दिल्ली" in text and "\\u0" not in text
    lines = text.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["url"][-1] for r in rows] == ["1", "2", "3"]
    assert all(list(r) == list(ARTICLE_FIELDS) for r in rows)
    assert rows[0] == article(1)
    assert rows[2]["duplicate_of"] == "https://www.indiatv.in/world/story-1"


def test_export_filters(store):
    def urls(**kw):
        out = io.StringIO()
        n = export_articles(store, out, **kw)
        got = [json.loads(line)["url"][-1] for line in out.getvalue().splitlines()]
        assert n == len(got)
        return got

    assert urls(unique=True) == ["1", "2"]
    assert urls(site="aajtak") == ["2"]
    assert urls(since=T0 + timedelta(hours=1)) == ["2"]
    assert urls(site="indiatv", unique=True, fmt="jsonl") == ["1"]


def test_csv_round_trips_through_csv_reader(store):
    out = io.StringIO()
    assert export_articles(store, out, fmt="csv", unique=True) == 2
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0] == list(CSV_COLUMNS) == [
        "url", "canonical_url", "site", "site_name", "language", "title", "lede", "body",
        "authors", "published_at", "modified_at", "section", "tags", "fetched_at", "extractor",
        "duplicate_of", "images", "related", "recent_posts"]
    assert len(rows) == 3
    first = dict(zip(rows[0], rows[1], strict=True))
    expected = article(1)
    assert first["title"] == expected["title"]  # quotes and commas survive
    assert first["body"].split("\n\n") == expected["body"]
    assert first["authors"] == "राम कुमार; सीता देवी" and first["tags"] == "भारत; दिल्ली"
    assert first["lede"] == "" and first["duplicate_of"] == ""
    assert first["fetched_at"] == expected["fetched_at"]
    for nested in ("images", "related", "recent_posts"):  # one JSON value a cell
        assert json.loads(first[nested]) == expected[nested]


def test_export_writes_as_it_reads():
    """Each article is written before the next is read: nothing is collected first."""
    out = io.StringIO()

    class FakeStore:
        def iter_articles(self, **kw):
            for n in range(1, 4):
                assert out.getvalue().count("\n") == n - 1
                yield article(n)

    assert export_articles(FakeStore(), out) == 3


def test_unknown_format(store):
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export_articles(store, io.StringIO(), fmt="xml")


NOW = datetime(2024, 12, 23, 16, 25, tzinfo=IST)


@pytest.mark.parametrize(("value", "expected"), [
    ("30m", NOW - timedelta(minutes=30)),
    ("6h", NOW - timedelta(hours=6)),
    ("2d", NOW - timedelta(days=2)),
    ("1w", NOW - timedelta(weeks=1)),
    (" 2d ", NOW - timedelta(days=2)),
    ("0h", NOW),
    ("2024-12-20", datetime(2024, 12, 20, tzinfo=IST)),
    ("2024-12-20T06:30:00", datetime(2024, 12, 20, 6, 30, tzinfo=IST)),
    ("2024-12-20 06:30", datetime(2024, 12, 20, 6, 30, tzinfo=IST)),
    ("2024-12-20T06:30:00+00:00", datetime(2024, 12, 20, 12, 0, tzinfo=IST)),
    ("2024-12-20T01:00:00Z", datetime(2024, 12, 20, 1, tzinfo=UTC)),
])
def test_parse_since(value, expected):
    got = parse_since(value, NOW)
    assert got == expected and got.tzinfo is not None


def test_parse_since_naive_now_is_india_time():
    assert parse_since("1h", datetime(2024, 12, 23, 16, 25)) == NOW - timedelta(hours=1)


@pytest.mark.parametrize("value", ["", "yesterday", "5y", "-2d", "2 days", "2d ago", "h",
                                   "2024-13-01", "23/12/2024"])
def test_parse_since_rejects(value):
    with pytest.raises(ValueError, match="neither an ISO date/datetime"):
        parse_since(value, NOW)
