"""Run a process of a crawl cluster: ``crawl --frontier`` (register and seed, then work) and
``worker`` (join). One Scrapy crawler per spider; all of them stop when the frontier has been
empty (and no live worker has a request in flight) for the idle timeout."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from typing import TextIO

from newscrawler.cluster import (
    DEFAULT_CRAWL_ID,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_LEASE_TIMEOUT,
    FrontierError,
    Keys,
    cluster_settings,
    connect,
)
from newscrawler.runner import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    FINISHED_REASONS,
    Summary,
    print_summary,
    project_settings,
    resolve_target,
    run_overrides,
)


class ClusterSummary(Summary):
    """A process of a cluster sees only its share of the work: it fails when it did not finish
    or the layout drift guard tripped, not because another worker got the articles."""

    def failure(self) -> str | None:
        if self.finish_reason not in FINISHED_REASONS:
            return f"the crawl ended with {self.finish_reason or 'no finish reason'!r}"
        if self.coverage_failed:
            return f"layout drift, field coverage too low: {self.coverage_failed}"
        return None


def group_targets(targets: list[str]) -> dict[str, dict]:
    """Spider name -> {"targets": [...], "kwargs": {...}}: one crawler per spider, the start
    URLs of one spider joined (the generic spider takes a comma-separated list)."""
    groups: dict[str, dict] = {}
    for label in targets:
        target = resolve_target(label)
        group = groups.setdefault(target.spider.name, {"targets": [], "kwargs": {}})
        group["targets"].append(label)
        start = target.kwargs.get("start_url")
        if start:
            known = group["kwargs"].get("start_url")
            group["kwargs"]["start_url"] = f"{known},{start}" if known else start
    return groups


def frontier_idle(client, keys: Keys, lease_timeout: float) -> bool:
    """No request queued, none in flight, no live worker: a new crawl run may start afresh."""
    now = float(client.time()[0])
    if client.zcount(keys.workers, now - lease_timeout, "+inf"):
        return False
    for spider in client.hkeys(keys.targets):
        if client.zcard(keys.queue(spider.decode())):
            return False
    return True


def register_targets(client, keys: Keys, groups: dict, lease_timeout: float) -> None:
    """Register the spider groups of a crawl. On an idle frontier this is a new crawl run: the
    previous run's seen-sets, worker records and targets are forgotten (the store remembers
    the articles), so workers do not start the spiders of an earlier crawl again."""
    if frontier_idle(client, keys, lease_timeout):
        for spider in list(groups) + [s.decode() for s in client.hkeys(keys.targets)]:
            client.delete(keys.dupefilter(spider))
        client.delete(keys.dead, keys.finished, keys.targets)
    for spider, group in groups.items():
        client.hset(keys.targets, spider, json.dumps(group))


def run_cluster(targets: list[str] | None, *, frontier: str, db_url: str,
                crawl_id: str = DEFAULT_CRAWL_ID, idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
                lease_timeout: float = DEFAULT_LEASE_TIMEOUT, settings: dict | None = None,
                output: str | None = None, max_pages: int | None = None,
                since: datetime | None = None, backfill: bool = False, refresh: bool = False,
                max_runtime: float | None = None, out: TextIO = sys.stdout,
                quiet: bool = False, seed_only: bool = False) -> int:
    """``targets``: seed them (crawl); None: join the running crawl (worker). Exit code."""
    from scrapy.crawler import CrawlerProcess

    from newscrawler.store import open_store

    command = "crawl" if targets else "worker"
    try:
        client = connect(frontier)
    except FrontierError as exc:
        print(f"newscrawler {command}: {exc}", file=sys.stderr)
        return exc.exit_code
    keys = Keys(crawl_id)
    if targets:
        try:
            groups = group_targets(targets)
        except ValueError as exc:
            print(f"newscrawler crawl: {exc}", file=sys.stderr)
            return EXIT_USAGE
        register_targets(client, keys, groups, lease_timeout)
    else:
        deadline = time.monotonic() + idle_timeout
        while not client.hlen(keys.targets):
            if time.monotonic() > deadline:
                print(f"newscrawler worker: no crawl registered on {frontier} "
                      f"(crawl id {crawl_id!r}) within {idle_timeout:.0f} s", file=sys.stderr)
                return EXIT_FAILED
            time.sleep(0.5)
        groups = {k.decode(): json.loads(v) for k, v in client.hgetall(keys.targets).items()}
    client.close()
    try:
        store = open_store(db_url)
    except (ValueError, NotImplementedError) as exc:
        print(f"newscrawler {command}: --db {db_url}: {exc}", file=sys.stderr)
        return EXIT_USAGE

    overrides = run_overrides(db_url, settings, output=output, since=since, refresh=refresh,
                              max_runtime=max_runtime)
    base = project_settings(overrides)
    overrides.update(cluster_settings(
        frontier, crawl_id=crawl_id, seed=bool(targets), seed_only=seed_only and bool(targets),
        idle_timeout=idle_timeout,
        lease_timeout=lease_timeout,
        base={name: base.getdict(name) for name in ("DOWNLOADER_MIDDLEWARES",
                                                    "SPIDER_MIDDLEWARES", "EXTENSIONS")}))
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawler.settings")
    process = CrawlerProcess(project_settings(overrides))
    crawlers = []
    for spider_name, group in groups.items():
        spider_cls = resolve_target(group["targets"][0]).spider
        kwargs = dict(group.get("kwargs") or {})
        if max_pages is not None:
            kwargs["max_pages"] = max_pages
        if backfill:
            kwargs["backfill"] = True
        label = ", ".join(group["targets"]) + (" (seed)" if seed_only else "" if targets
                                               else " (worker)")
        run_id = kwargs["run_id"] = store.start_run(label)
        crawler = process.create_crawler(spider_cls)
        process.crawl(crawler, **kwargs)
        crawlers.append((label, crawler, run_id))
        del spider_name
    clock = time.monotonic()
    process.start()
    seconds = time.monotonic() - clock
    summaries = []
    status = EXIT_OK
    for label, crawler, run_id in crawlers:
        stats = crawler.stats.get_stats()
        summary = ClusterSummary.from_stats(label, stats,
                                            getattr(crawler.spider, "articles_requested", 0))
        summary.seconds = seconds
        summaries.append(summary)
        code = summary.exit_code()
        status = max(status, code)
        counts = summary.counts()
        plain = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in stats.items()}
        store.finish_run(run_id, exit_code=code, counts=counts, stats=plain)
        if code != EXIT_OK:
            print(f"newscrawler {command}: {label} FAILED: {summary.failure()}", file=sys.stderr)
    store.close()
    if not quiet or status:
        print_summary(summaries, out)
    return status
