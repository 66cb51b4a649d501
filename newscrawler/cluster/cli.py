"""Command-line parts of the cluster: ``crawl --frontier``, ``worker`` and ``status``."""

from __future__ import annotations

import argparse
import json
import sys

from newscrawler.cluster import (
    DEFAULT_CRAWL_ID,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_LEASE_TIMEOUT,
    FrontierError,
    Keys,
    connect,
)

EXIT_OK, EXIT_USAGE = 0, 2


def add_frontier_arguments(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument("--frontier", metavar="redis://HOST:PORT/DB", required=required,
                   help="share the crawl through this Redis frontier (crawl cluster)")
    p.add_argument("--crawl-id", default=DEFAULT_CRAWL_ID,
                   help="name of the crawl on the frontier (default %(default)s)")
    p.add_argument("--idle-timeout", type=float, default=DEFAULT_IDLE_TIMEOUT,
                   metavar="SECONDS", help="stop when the frontier has been empty this long")
    p.add_argument("--lease-timeout", type=float, default=DEFAULT_LEASE_TIMEOUT,
                   metavar="SECONDS",
                   help="a worker silent this long is dead; its requests are requeued")
    if not required:  # crawl
        p.add_argument("--seed-only", action="store_true",
                       help="with --frontier: register and seed the crawl, then exit "
                            "(the workers do the rest)")


def add_cluster_commands(sub, default_db: str) -> None:
    p = sub.add_parser("worker", help="join a running crawl cluster (--frontier)")
    add_frontier_arguments(p, required=True)
    p.add_argument("--db", default=default_db)
    p.add_argument("--output", help="also write this worker's articles to a JSON Lines file")
    p.add_argument("--log-level", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    p.add_argument("--quiet", action="store_true",
                   help="print the summary only when something failed")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE",
                   help="a Scrapy/newscrawler setting (JSON values allowed)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("status", help="a crawl cluster: queue per domain, workers, pages/min")
    p.add_argument("--frontier", metavar="redis://HOST:PORT/DB", required=True)
    p.add_argument("--crawl-id", default=DEFAULT_CRAWL_ID)
    p.add_argument("--lease-timeout", type=float, default=DEFAULT_LEASE_TIMEOUT)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)


def parse_set(assignments, command: str) -> dict | None:
    settings = {}
    for assignment in assignments or ():
        name, sep, value = assignment.partition("=")
        if not sep:
            print(f"newscrawler {command}: -s takes NAME=VALUE, not {assignment!r}",
                  file=sys.stderr)
            return None
        try:
            settings[name] = json.loads(value)
        except ValueError:
            settings[name] = value
    return settings


def cmd_worker(args: argparse.Namespace) -> int:
    from newscrawler.cluster.run import run_cluster

    settings = parse_set(args.set, "worker")
    if settings is None:
        return EXIT_USAGE
    if args.log_level:
        settings["LOG_LEVEL"] = args.log_level
    return run_cluster(None, frontier=args.frontier, db_url=args.db, crawl_id=args.crawl_id,
                       idle_timeout=args.idle_timeout, lease_timeout=args.lease_timeout,
                       settings=settings, output=args.output, quiet=args.quiet)


def crawl_with_frontier(args: argparse.Namespace, *, settings: dict, since, max_runtime) -> int:
    """``newscrawler crawl TARGET... --frontier URL``: register and seed, then work."""
    from newscrawler.cluster.run import run_cluster

    return run_cluster(args.targets, frontier=args.frontier, db_url=args.db,
                       crawl_id=args.crawl_id, idle_timeout=args.idle_timeout,
                       lease_timeout=args.lease_timeout, settings=settings, output=args.output,
                       max_pages=args.max_pages, since=since, backfill=args.backfill,
                       refresh=args.refresh, max_runtime=max_runtime, quiet=args.quiet,
                       seed_only=args.seed_only)


def cmd_status(args: argparse.Namespace) -> int:
    from newscrawler.cluster.status import cluster_status, print_status

    try:
        client = connect(args.frontier)
    except FrontierError as exc:
        print(f"newscrawler status: {exc}", file=sys.stderr)
        return exc.exit_code
    print_status(cluster_status(client, Keys(args.crawl_id), args.lease_timeout),
                 as_json=args.json)
    return EXIT_OK
