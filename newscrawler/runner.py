"""Run crawls in-process: locks against overlapping runs, run history, summary, exit code."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from newscrawler.dates import IST
from newscrawler.profiles import all_profiles, profile_for_url
from newscrawler.store import open_store

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


def project_settings(overrides: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("newscrawler.settings", priority="project")
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings


@dataclass
class Target:
    """What one crawl runs: a profile spider or the generic spider with a start URL."""

    label: str
    spider: type
    kwargs: dict = field(default_factory=dict)


def resolve_target(target: str) -> Target:
    from newscrawler.spiders.generic import GenericSpider
    from newscrawler.spiders.sites import SPIDERS

    if target in SPIDERS:
        return Target(target, SPIDERS[target])
    if target.startswith(("http://", "https://")):
        profile = profile_for_url(target)
        if profile is not None:
            return Target(target, SPIDERS[profile.id], {"start_url": target})
        return Target(target, GenericSpider, {"start_url": target})
    known = ", ".join(sorted(all_profiles()))
    raise ValueError(f"unknown target {target!r}: give a site id ({known}) or an http(s) URL")


@dataclass
class Summary:
    target: str
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    invalid: int = 0
    skipped_known: int = 0
    errors: int = 0
    finish_reason: str = ""
    coverage_failed: str | None = None
    articles_requested: int = 0

    @classmethod
    def from_stats(cls, target: str, stats: dict, articles_requested: int) -> Summary:
        def total(prefix: str) -> int:
            return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))
        return cls(
            target=target,
            pages=stats.get("downloader/response_count", 0),
            new=stats.get("newscrawler/store/new", 0),
            updated=stats.get("newscrawler/store/updated", 0),
            unchanged=stats.get("newscrawler/store/unchanged", 0),
            duplicates=stats.get("newscrawler/store/duplicate_linked", 0)
            + total("newscrawler/dedup/dropped/"),
            invalid=total("newscrawler/validate/dropped/") + total("newscrawler/invalid/"),
            skipped_known=stats.get("newscrawler/incremental/skipped_known", 0),
            errors=total("newscrawler/errors/") - total("newscrawler/errors/role_"),
            finish_reason=str(stats.get("finish_reason", "")),
            coverage_failed=stats.get("newscrawler/coverage/failed"),
            articles_requested=articles_requested,
        )

    @property
    def valid(self) -> int:
        return self.new + self.updated + self.unchanged

    def exit_code(self) -> int:
        if self.finish_reason not in ("finished", "closespider_timeout", "closespider_pagecount",
                                      "closespider_itemcount"):
            return EXIT_FAILED
        if self.coverage_failed:
            return EXIT_FAILED
        fetched_articles = self.valid + self.invalid + self.duplicates
        if self.articles_requested == 0 and self.skipped_known == 0:
            return EXIT_FAILED  # discovery found nothing at all: the site is broken for us
        if fetched_articles and not self.valid and not self.duplicates:
            return EXIT_FAILED  # pages came back, none was a valid article
        if self.skipped_known == 0 and not fetched_articles and self.articles_requested:
            return EXIT_FAILED  # every article request failed
        return EXIT_OK


def print_summary(summaries: list[Summary], out: TextIO = sys.stdout) -> None:
    cols = ("target", "pages", "new", "updated", "unchanged", "duplicates", "invalid",
            "skipped", "errors", "exit")
    rows = [(s.target, s.pages, s.new, s.updated, s.unchanged, s.duplicates, s.invalid,
             s.skipped_known, s.errors, s.exit_code()) for s in summaries]
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(cols)]
    line = "  ".join(str(c).ljust(w) for c, w in zip(cols, widths, strict=True))
    print(line, file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)), file=out)
    for s in summaries:
        if s.coverage_failed:
            print(f"{s.target}: layout drift, field coverage too low: {s.coverage_failed}",
                  file=out)


def crawl(targets: list[str], *, db_url: str, output: str | None = None,
          max_pages: int | None = None, since: datetime | None = None,
          settings: dict | None = None, out: TextIO = sys.stdout) -> int:
    """Crawl the targets into the store; print a summary; return the exit code."""
    try:
        resolved = [resolve_target(t) for t in targets]
    except ValueError as exc:
        print(f"newscrawler crawl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    store = open_store(db_url)
    locks = []
    for target in resolved:
        lock = store.try_lock(f"crawl-{target.label}")
        if lock is None:
            print(f"newscrawler crawl: another run on {db_url} for {target.label!r} is still "
                  f"going ({store.lock_holder(f'crawl-{target.label}') or 'holder unknown'}); "
                  "exiting", file=sys.stderr)
            for held in locks:
                held.release()
            store.close()
            return EXIT_LOCKED
        locks.append(lock)

    overrides = {"NEWSCRAWLER_DB": db_url, **(settings or {})}
    if output:
        overrides["FEEDS"] = {output: {"format": "jsonlines", "encoding": "utf-8",
                                       "overwrite": False}}
    if since is not None:
        overrides["NEWSCRAWLER_SINCE"] = since.isoformat()
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawler.settings")
    process = CrawlerProcess(project_settings(overrides))
    crawlers = []
    run_ids = []
    for target in resolved:
        kwargs = dict(target.kwargs)
        if max_pages is not None:
            kwargs["max_pages"] = max_pages
        crawler = process.create_crawler(target.spider)
        process.crawl(crawler, **kwargs)
        crawlers.append((target, crawler))
        run_ids.append(store.start_run(target.label))
    started = datetime.now(IST)
    process.start()
    summaries = []
    for (target, crawler), run_id in zip(crawlers, run_ids, strict=True):
        stats = crawler.stats.get_stats()
        spider = crawler.spider
        summary = Summary.from_stats(target.label, stats,
                                     getattr(spider, "articles_requested", 0))
        summaries.append(summary)
        counts = {"pages": summary.pages, "new": summary.new, "updated": summary.updated,
                  "duplicates": summary.duplicates, "invalid": summary.invalid,
                  "errors": summary.errors}
        store.finish_run(run_id, exit_code=summary.exit_code(), counts=counts,
                         stats={k: (v.isoformat() if isinstance(v, datetime) else v)
                                for k, v in stats.items()})
    for lock in locks:
        lock.release()
    store.close()
    logging.getLogger(__name__).info("crawl took %s", datetime.now(IST) - started)
    print_summary(summaries, out)
    return max((s.exit_code() for s in summaries), default=EXIT_OK)
