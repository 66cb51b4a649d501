"""Article storage: ``open_store(db_url)`` returns a ``Store``: SQLite (embedded, the default)
or PostgreSQL (one store shared by several crawl hosts)."""

from __future__ import annotations

from newscrawler.store.base import (
    ARTICLE_FIELDS,
    Duplicate,
    FetchState,
    Lock,
    Store,
    order_article,
)
from newscrawler.store.sqlite import SQLiteStore

__all__ = [
    "ARTICLE_FIELDS",
    "DEFAULT_DB_URL",
    "Duplicate",
    "FetchState",
    "Lock",
    "SQLiteStore",
    "Store",
    "open_store",
    "order_article",
    "sqlite_path",
]

DEFAULT_DB_URL = "sqlite:///data/newscrawler.sqlite3"

_SQLITE = "sqlite://"
_POSTGRES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def open_store(db_url: str | None = None, *, migrate_to: int | None = None) -> Store:
    """Open the store at ``db_url`` (default ``DEFAULT_DB_URL``), migrating it if needed.

    ``sqlite:///relative/path``, ``sqlite:////absolute/path``, ``sqlite:///:memory:`` or
    ``postgresql://user:password@host:port/dbname?...`` (any libpq URL; ``postgres://`` and
    ``postgresql+psycopg://`` too). ``migrate_to`` applies migrations only up to that version
    (tests and tooling)."""
    url = db_url or DEFAULT_DB_URL
    if is_postgres_url(url):
        from newscrawler.store.postgres import PostgresStore

        return PostgresStore(_postgres_dsn(url), migrate_to=migrate_to)
    path = sqlite_path(url)
    if path is not None:
        return SQLiteStore(path, migrate_to=migrate_to)
    scheme = url.split("://", 1)[0] if "://" in url else None
    what = f"unknown database URL scheme {scheme!r}" if scheme else "not a database URL"
    raise ValueError(f"{what}: {url!r}; expected sqlite:///path/to/file.sqlite3 "
                     "or postgresql://user@host/dbname")


def is_postgres_url(db_url: str) -> bool:
    return db_url.startswith(_POSTGRES)


def postgres_store_exists(db_url: str) -> bool:
    """Does the PostgreSQL database at ``db_url`` hold a newscrawler store (its migrations
    table)? Asked without opening the store, which would create one."""
    from newscrawler.store.postgres import table_exists

    return table_exists(_postgres_dsn(db_url), "schema_migrations")


def _postgres_dsn(db_url: str) -> str:
    """The libpq URL of a postgres:// or postgresql+psycopg:// URL."""
    return "postgresql://" + db_url.split("://", 1)[1]


def sqlite_path(db_url: str) -> str | None:
    """The database file of a ``sqlite://`` URL (``":memory:"`` for an in-memory store), None
    for any other URL; ValueError for a malformed SQLite URL."""
    if not db_url.startswith(_SQLITE):
        return None
    rest = db_url[len(_SQLITE):]
    if rest == "":
        return ":memory:"
    if not rest.startswith("/"):
        raise ValueError(f"bad SQLite URL {db_url!r}: expected sqlite:///relative/path, "
                         "sqlite:////absolute/path or sqlite:///:memory:")
    if not rest[1:]:
        raise ValueError(f"bad SQLite URL {db_url!r}: no database path")
    return rest[1:]
