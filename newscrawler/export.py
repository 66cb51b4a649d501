"""Export stored articles as JSON Lines or CSV (streamed), and parse ``--since`` values."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, TextIO

from newscrawler.dates import IST
from newscrawler.store import Store, order_article

FORMATS = ("jsonl", "csv")
CSV_COLUMNS: tuple[str, ...] = (
    "url", "canonical_url", "site", "site_name", "language", "title", "lede", "body", "authors",
    "published_at", "modified_at", "section", "tags", "fetched_at", "extractor", "duplicate_of",
    # nested fields, appended so that earlier columns keep their places: one JSON value a cell
    "images", "related", "recent_posts",
)
_JSON_COLUMNS = frozenset({"images", "related", "recent_posts"})
_JOINERS = {"body": "\n\n", "authors": "; ", "tags": "; "}
_DURATION = re.compile(r"(\d+)\s*([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def export_articles(store: Store, out: TextIO, *, fmt: str = "jsonl",
                    since: datetime | None = None, site: str | None = None,
                    unique: bool = False) -> int:
    """Write the latest version of each stored article to ``out``; return how many."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    articles = store.iter_articles(since=since, site=site, unique=unique)
    return (_write_jsonl if fmt == "jsonl" else _write_csv)(articles, out)


def _write_jsonl(articles: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for article in articles:
        out.write(json.dumps(order_article(article), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(articles: Iterable[dict[str, Any]], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    n = 0
    for article in articles:
        writer.writerow([json.dumps(article.get(col) or [], ensure_ascii=False)
                         if col in _JSON_COLUMNS else _cell(article.get(col), _JOINERS.get(col))
                         for col in CSV_COLUMNS])
        n += 1
    return n


def _cell(value: Any, joiner: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return (joiner or "; ").join(str(v) for v in value if v is not None)
    return str(value)


def parse_since(value: str, now: datetime) -> datetime:
    """``--since``: an ISO 8601 date or datetime (naive means India time, +05:30) or a duration
    back from ``now``: "30m", "6h", "2d", "1w"."""
    text = value.strip()
    duration = _DURATION.fullmatch(text)
    if duration:
        now = now if now.tzinfo else now.replace(tzinfo=IST)
        return now - timedelta(**{_UNITS[duration[2]]: int(duration[1])})
    try:
        parsed = datetime.fromisoformat(text)  # a bare date is its midnight
    except ValueError:
        raise ValueError(f"{value!r} is neither an ISO date/datetime (2024-12-23, "
                         "2024-12-23T06:00:00+05:30) nor a duration (30m, 6h, 2d, 1w)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=IST)
