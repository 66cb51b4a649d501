"""The `newscrawler` command line (DESIGN section 2)."""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import tempfile
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from newscrawler import __version__
from newscrawler.dates import IST, parse_date
from newscrawler.urls import mask_password

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A check failed: main() prints the message as one line on stderr and exits with code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class UnreadableSource(OSError):
    """A SOURCE URL that cannot be fetched (malformed, or a broken HTTP response)."""


def _fetched_at(value: str | None) -> datetime:
    if not value:
        return datetime.now(IST).replace(microsecond=0)
    dt = parse_date(value, relative=False)
    if dt is None:
        raise CliError(f"--fetched-at {value!r} is not an ISO 8601 time")
    return dt


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host."""
    try:
        parts = urlsplit(value)
    except ValueError:  # "http://[::1"
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _read_source(source: str) -> tuple[bytes, str | None, str | None]:
    """(body, url, content type) of a file path, '-' or an http(s) URL."""
    if source == "-":
        return sys.stdin.buffer.read(), None, None
    if source.startswith(("http://", "https://")):
        from newscrawler.settings import USER_AGENT
        try:
            request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.read(16 * 1024 * 1024), response.geturl(), \
                    response.headers.get("Content-Type")
        except (ValueError, http.client.HTTPException) as exc:
            raise UnreadableSource(f"cannot fetch it: {str(exc) or type(exc).__name__}") from None
    return Path(source).read_bytes(), None, None


def _check_extract_args(args: argparse.Namespace) -> None:
    from newscrawler.profiles import all_profiles

    if args.url and len(args.sources) > 1:
        raise CliError("--url applies to one SOURCE only")
    if args.url is not None and not is_http_url(args.url):
        raise CliError(f"--url {args.url!r}: give the page's absolute http(s) URL")
    if args.site is not None and args.site != "generic" and args.site not in all_profiles():
        known = ", ".join(sorted(all_profiles()))
        raise CliError(f"--site: unknown site {args.site!r}; give a profile id ({known}) "
                       "or 'generic'")


def cmd_extract(args: argparse.Namespace) -> int:
    from newscrawler.extract import NoArticleError, extract_article
    from newscrawler.render import render_text

    _check_extract_args(args)
    fetched_at = _fetched_at(args.fetched_at)
    status = EXIT_OK
    printed = 0
    for source in args.sources:
        try:
            body, fetched_url, ctype = _read_source(source)
            article = extract_article(body, args.url or fetched_url, fetched_at=fetched_at,
                                      site=args.site, content_type=ctype)
        except (NoArticleError, OSError, KeyError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            print(f"newscrawler extract: {source}: {message}", file=sys.stderr)
            status = EXIT_FAILED
            continue
        if args.format == "text":
            # several articles: one blank line between them, as between blocks (DESIGN 4)
            sys.stdout.write(("\n" if printed else "") + render_text(article))
        elif len(args.sources) == 1:
            print(json.dumps(article, ensure_ascii=False, indent=2))
        else:
            print(json.dumps(article, ensure_ascii=False))
        sys.stdout.flush()
        printed += 1
    return status


_RUNTIME = re.compile(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?")


def parse_runtime(value: str) -> float:
    """Seconds from "900", "90s", "15m", "2h", "1h30m"."""
    match = _RUNTIME.fullmatch(value.strip().lower().replace(" ", ""))
    if not match or not any(match.groups()):
        raise ValueError(f"{value!r} is not a duration (like 900, 90s, 15m, 2h, 1h30m)")
    hours, minutes, secs = (float(g) if g else 0.0 for g in match.groups())
    seconds = hours * 3600 + minutes * 60 + secs
    if seconds <= 0:
        raise ValueError(f"{value!r}: the time limit must be positive")
    return seconds


def parse_settings(assignments: list[str] | None) -> dict:
    """``-s NAME=VALUE`` pairs (JSON values allowed), checked against the setting's default:
    a dict setting needs a JSON object, a number setting a number (Scrapy would otherwise
    fail at start-up with a traceback)."""
    from newscrawler.runner import project_settings

    defaults = project_settings()
    settings = {}
    for assignment in assignments or ():
        name, sep, value = assignment.partition("=")
        if not sep:
            raise CliError(f"-s takes NAME=VALUE, not {assignment!r}")
        try:
            settings[name] = json.loads(value)
        except ValueError:
            settings[name] = value
        _check_setting_type(name, settings[name], defaults.get(name))
        if name == "NEWSCRAWLER_SITE_SETTINGS":
            _check_site_settings(settings[name], defaults)
    return settings


def _check_site_settings(per_site: dict, defaults) -> None:
    """``NEWSCRAWLER_SITE_SETTINGS``: site ids (a profile's, or "generic" for sites with no
    profile), each with an object of settings whose values are of the right type."""
    from newscrawler.profiles import all_profiles

    ids = {*all_profiles(), "generic"}
    for site, overrides in per_site.items():
        if site not in ids:
            raise CliError(f"-s NEWSCRAWLER_SITE_SETTINGS: {site!r} is not a site id (see "
                           "newscrawler sites; \"generic\" for sites with no profile)")
        if not isinstance(overrides, dict):
            raise CliError(f"-s NEWSCRAWLER_SITE_SETTINGS: {site!r} needs a JSON object of "
                           f"settings, not {overrides!r}")
        for name, value in overrides.items():
            _check_setting_type(f"NEWSCRAWLER_SITE_SETTINGS {site} {name}", value,
                                defaults.get(name))


def _check_setting_type(name: str, value, default) -> None:
    from scrapy.settings import BaseSettings

    if isinstance(default, dict | BaseSettings) and not isinstance(value, dict):
        raise CliError(f"-s {name}: needs a JSON object (like {name}='{{\"key\": ...}}'), "
                       f"not {value!r}")
    if isinstance(default, bool) or not isinstance(default, int | float):
        return
    # an int setting may be a flag (TELNETCONSOLE_ENABLED = 1): Scrapy's getbool spellings
    flag = isinstance(default, int) and value in ("True", "False")
    if not isinstance(value, int | float) and not flag:
        raise CliError(f"-s {name}: needs a number, not {value!r}")


def _check_targets(targets: list[str]) -> list[str]:
    """The targets without repeats, in order (a repeat would wait for its own lock)."""
    from newscrawler.runner import resolve_target

    unique = list(dict.fromkeys(targets))
    for target in unique:
        try:
            resolve_target(target)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    return unique


def _check_output(output: str | None) -> None:
    """--output must be a file we can append to: checked now, because the feed exporter
    fails only item by item, after the crawl has stored them."""
    if not output or "://" in output:  # a feed URI (s3://, ftp://, file://): Scrapy's own
        return
    path = Path(output)
    if path.is_dir():
        raise CliError(f"--output {output}: is a directory, not a file")
    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # as the feed exporter does
        with path.open("ab"):
            pass
    except OSError as exc:
        raise CliError(f"--output {output}: cannot write there ({exc.strerror or exc})") \
            from None
    if not existed:
        path.unlink()


def _check_log_dir(log_dir: str | None) -> None:
    if log_dir is None:
        return
    try:
        Path(log_dir).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=log_dir):
            pass
    except OSError as exc:
        raise CliError(f"--log-dir {log_dir}: cannot write log files there "
                       f"({exc.strerror or exc})") from None


def cmd_crawl(args: argparse.Namespace) -> int:
    from newscrawler.runner import crawl

    max_runtime = None
    if args.max_runtime:
        try:
            max_runtime = parse_runtime(args.max_runtime)
        except ValueError as exc:
            raise CliError(f"--max-runtime: {exc}") from None
    if args.max_pages is not None and args.max_pages < 1:
        raise CliError("--max-pages must be at least 1")
    since = _since(args.since)
    settings = parse_settings(args.set)
    args.targets = _check_targets(args.targets)
    _check_output(args.output)
    _check_log_dir(args.log_dir)
    check_store(args.db)
    if args.log_level:
        settings["LOG_LEVEL"] = args.log_level
    if args.progress_interval is not None:
        settings["NEWSCRAWLER_PROGRESS_INTERVAL"] = args.progress_interval
    if getattr(args, "frontier", None):  # a crawl cluster (newscrawler/cluster)
        from newscrawler.cluster.cli import crawl_with_frontier
        return crawl_with_frontier(args, settings=settings, since=since, max_runtime=max_runtime)
    return crawl(args.targets, db_url=args.db, output=args.output, max_pages=args.max_pages,
                 since=since, settings=settings, backfill=args.backfill, refresh=args.refresh,
                 max_runtime=max_runtime, log_dir=args.log_dir, quiet=args.quiet)


def cmd_sites(args: argparse.Namespace) -> int:
    from newscrawler.profiles import all_profiles

    for profile in all_profiles().values():
        print(f"{profile.id}\t{profile.name}\t{profile.domains[0]}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from newscrawler.export import export_articles

    since = _since(args.since)
    with open_cli_store(args.db, must_exist=True) as store:
        _check_export_site(store, args.site)
        export_articles(store, sys.stdout, fmt=args.format, since=since, site=args.site,
                        unique=args.unique)
    return EXIT_OK


def _since(value: str | None) -> datetime | None:
    """--since as a time (None when not given); CliError for a bad value."""
    from newscrawler.export import parse_since

    if value is None:
        return None
    try:
        if not value.strip():  # an unset variable in a cron line: it would filter nothing
            raise ValueError("empty: give a date, a datetime or a duration such as 6h")
        return parse_since(value, datetime.now(IST))
    except ValueError as exc:
        raise CliError(f"--since: {exc}") from None


def _check_export_site(store, site: str | None) -> None:
    """--site is a profile id (stored articles or not) or the site of some stored article
    (a generic site's host name); anything else is a typo."""
    from newscrawler.profiles import all_profiles

    if site is None or site in all_profiles():
        return
    if next(store.iter_articles(site=site, batch_size=1), None) is None:
        known = ", ".join(sorted(all_profiles()))
        raise CliError(f"--site: unknown site {site!r}: neither a profile id ({known}) nor "
                       "the site of a stored article")


def open_cli_store(db_url: str, *, must_exist: bool = False):
    """The store at --db, or CliError with one line: exit 2 for a malformed URL, a missing
    driver, a SQLite file that cannot be opened (or, ``must_exist``, does not exist: the
    read-only commands never create a store) or a PostgreSQL URL psycopg cannot parse;
    exit 1 for a PostgreSQL server that cannot be connected to (down, unknown host, refused)."""
    import sqlite3

    from newscrawler.store import is_postgres_url, open_store, postgres_store_exists, sqlite_path

    def failed(why: str, code: int = EXIT_USAGE) -> CliError:
        return CliError(mask_password(f"--db {db_url}: {why}"), code)

    def first_line(exc: Exception) -> str:
        return (str(exc).strip().splitlines() or [type(exc).__name__])[0]

    try:
        path = sqlite_path(db_url)
        if must_exist and path not in (None, ":memory:") and not Path(path).is_file():
            raise failed(f"no store at {path} (this command does not create one)")
        if must_exist and path is None and is_postgres_url(db_url) \
                and not postgres_store_exists(db_url):
            raise failed("no newscrawler store in this database (this command does not "
                         "create one)")
        return open_store(db_url)
    except CliError:
        raise
    except (ValueError, NotImplementedError, RuntimeError) as exc:  # URL, driver, schema
        raise failed(first_line(exc)) from None
    except (OSError, sqlite3.Error) as exc:
        raise failed(f"cannot open the SQLite store ({first_line(exc)})") from None
    except Exception as exc:
        psycopg = sys.modules.get("psycopg")
        if psycopg is None or not isinstance(exc, psycopg.Error):
            raise
        if isinstance(exc, psycopg.OperationalError):  # refused, unknown host, timeout ...
            raise failed(f"cannot connect to PostgreSQL ({first_line(exc)})", EXIT_FAILED) from None
        raise failed(first_line(exc)) from None


def check_store(db_url: str) -> None:
    """Open and close the store once, so a bad --db fails before any work (see above)."""
    open_cli_store(db_url).close()


def _run_row(run: dict, store) -> dict:
    """One run as shown by `newscrawler runs`: local start time, duration, exit code or state."""
    from newscrawler.progress import format_duration
    from newscrawler.runner import EXIT_KILLED

    def when(value):
        dt = parse_date(value, relative=False) if value else None
        return dt.astimezone(IST) if dt else None

    start, end = when(run.get("started_at")), when(run.get("finished_at"))
    row = {k: run.get(k) for k in ("id", "target", "pages", "new", "updated", "duplicates",
                                   "invalid", "errors")}
    row["started"] = start.isoformat(timespec="seconds") if start else ""
    if end is None:
        running = store.lock_holder(f"crawl-{run.get('target')}") is not None
        row["duration"] = format_duration((datetime.now(IST) - start).total_seconds()) \
            if start and running else ""
        row["exit"] = "running" if running else "killed"
    else:
        row["duration"] = format_duration((end - start).total_seconds()) if start else ""
        code = run.get("exit_code")
        row["exit"] = "killed" if code == EXIT_KILLED else str(code)
    return row


def cmd_runs(args: argparse.Namespace) -> int:
    with open_cli_store(args.db, must_exist=True) as store:
        rows = [_run_row(run, store) for run in store.recent_runs(args.site, limit=args.limit)]
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return EXIT_OK
    if not rows:  # no table, just the line (stdout stays empty for scripts)
        print(f"no runs{' of ' + repr(args.site) if args.site else ''} in {mask_password(args.db)}",
              file=sys.stderr)
        return EXIT_OK
    cols = ("id", "target", "started", "duration", "pages", "new", "updated", "duplicates",
            "invalid", "errors", "exit")
    table = [[str(row.get(c) if row.get(c) is not None else "") for c in cols] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in table)) for i, c in enumerate(cols)]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip())
    for r in table:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from newscrawler.demo import run_demo

    check_store(args.db)
    return run_demo(args.db)


def cmd_worker(args: argparse.Namespace) -> int:
    """`newscrawler worker` (newscrawler/cluster/cli.py) after the checks `crawl` makes."""
    from newscrawler.cluster.cli import cmd_worker as run_worker

    parse_settings(args.set)
    _check_output(args.output)
    check_store(args.db)
    return run_worker(args)


def cmd_eval(args: argparse.Namespace) -> int:
    from newscrawler.evaluate import run_eval

    root = Path(args.dir)
    if not root.is_dir():
        print(f"newscrawler eval: {root} is not a directory", file=sys.stderr)
        return EXIT_USAGE
    summary = run_eval(root, site=args.site, as_json=args.json)
    return EXIT_OK if summary["pages"] else EXIT_FAILED


DB_HELP = ("sqlite:///path or postgresql://user:pass@host/db (default %(default)s); "
           "exit 2 when it is malformed or cannot be opened, 1 when the PostgreSQL server "
           "cannot be reached")


def build_parser() -> argparse.ArgumentParser:
    from newscrawler.store import DEFAULT_DB_URL

    parser = argparse.ArgumentParser(prog="newscrawler",
                                     description="Crawl Hindi news portals into clean articles.")
    parser.add_argument("--version", action="version", version=f"newscrawler {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract one article from saved HTML or a URL")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="HTML file, '-' or URL")
    p.add_argument("--url", help="the page's original URL (one SOURCE)")
    p.add_argument("--fetched-at", help="ISO 8601 'now' for relative times")
    p.add_argument("--site", help="profile id, or 'generic' for the generic extractor")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("crawl", help="crawl sites or start URLs into the store")
    p.add_argument("targets", nargs="+", metavar="TARGET", help="site id or start URL")
    p.add_argument("--db", default=DEFAULT_DB_URL, help=DB_HELP)
    p.add_argument("--output", help="also write the articles to this JSON Lines file")
    p.add_argument("--max-pages", type=int, help="at most N article pages this run")
    p.add_argument("--since", help="skip articles older than this (ISO date or 6h, 2d)")
    p.add_argument("--refresh", action="store_true",
                   help="recheck stored articles with conditional requests")
    p.add_argument("--backfill", action="store_true",
                   help="walk the whole sitemap history (down to --since if given)")
    p.add_argument("--max-runtime", metavar="DURATION",
                   help="close the crawl cleanly after this long (900, 15m, 1h30m)")
    p.add_argument("--log-dir", metavar="DIR",
                   help="write a log file and a JSON stats file per run into DIR")
    p.add_argument("--quiet", action="store_true",
                   help="print the summary only when something failed (for cron)")
    p.add_argument("--progress-interval", type=float, metavar="SECONDS",
                   help="a progress log line every SECONDS (default 60; 0: none)")
    p.add_argument("--log-level", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE",
                   help="a Scrapy/newscrawler setting (JSON values allowed), like scrapy -s")
    from newscrawler.cluster.cli import add_cluster_commands, add_frontier_arguments
    add_frontier_arguments(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("sites", help="list the site profiles")
    p.set_defaults(func=cmd_sites)

    p = sub.add_parser("export", help="stored articles to stdout")
    p.add_argument("--db", default=DEFAULT_DB_URL, help=DB_HELP)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("--since")
    p.add_argument("--site")
    p.add_argument("--unique", action="store_true", help="leave out duplicates")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("runs", help="recent crawl runs (start, duration, counts, exit code)")
    p.add_argument("--db", default=DEFAULT_DB_URL, help=DB_HELP)
    p.add_argument("--site", help="only the runs of this target (site id or start URL)")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true", help="one JSON object per run")
    p.set_defaults(func=cmd_runs)

    p = sub.add_parser("demo", help="offline demo crawl of the bundled fixture sites")
    p.add_argument("--db", default=DEFAULT_DB_URL, help=DB_HELP)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("eval", help="score extraction on DIR of pages + expected JSON")
    p.add_argument("dir")
    p.add_argument("--site", help="force a profile, or 'generic'")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)

    add_cluster_commands(sub, DEFAULT_DB_URL)  # worker, status
    sub.choices["worker"].set_defaults(func=cmd_worker)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    try:
        return args.func(args)
    except CliError as exc:
        print(f"newscrawler {args.command}: {exc}", file=sys.stderr)
        return exc.code
