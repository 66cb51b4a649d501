"""Run crawls in-process: locks against overlapping runs, run history, summary, exit code.

Made for cron: a run holds a lock per store and target (a second run exits 3 at once; the OS
drops the lock of a killed run, and the next run notes and takes over), can be bounded in time
(``max_runtime`` closes the crawl cleanly), writes a log file and a JSON stats file per run
(``log_dir``), records itself in the store's run history, and says on stderr when it failed.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.ossignal import signal_names

from newscrawler.dates import IST, parse_date
from newscrawler.extensions import stop_crawl
from newscrawler.profiles import all_profiles, profile_for_url
from newscrawler.store import open_store
from newscrawler.store.base import RUN_COUNTS
from newscrawler.urls import mask_password

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
EXIT_KILLED = -1  # recorded for a run found unfinished (killed) by a later run
_ROBOTS_UNREACHABLE = "newscrawler/robots/unreachable/"
FINISHED_REASONS = ("finished", "closespider_timeout", "closespider_pagecount",
                    "closespider_itemcount")


def run_overrides(db_url: str, settings: dict | None, *, output: str | None = None,
                  since: datetime | None = None, refresh: bool = False,
                  max_runtime: float | None = None) -> dict:
    """The settings one crawl run adds to the project's: store, JSONL output, bounds."""
    overrides = {"NEWSCRAWLER_DB": db_url, **(settings or {})}
    if output:
        overrides["FEEDS"] = {output: {"format": "jsonlines", "encoding": "utf-8",
                                       "overwrite": False}}
    if since is not None:
        overrides["NEWSCRAWLER_SINCE"] = since.isoformat()
    if refresh:
        overrides["NEWSCRAWLER_REFRESH"] = True
    if max_runtime:
        overrides["CLOSESPIDER_TIMEOUT"] = max_runtime
    return overrides


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
    seconds: float = 0.0
    time_limit: float | None = None  # --max-runtime, when the run was stopped by it
    interrupted: str | None = None  # the signal (SIGINT, SIGTERM) that stopped the run
    left_for_next_run: int = 0  # requests dropped or never scheduled at the time limit
    dropped_articles: int = 0  # article requests among them
    robots_unreachable: dict = field(default_factory=dict)  # host -> why (RFC 9309: disallow)
    since: str | None = None  # --since, as the spider read it
    older_than_since: int = 0  # articles discovery found and left out as older than --since
    old_sitemaps: int = 0  # child sitemaps not read, older than --since or the window

    @classmethod
    def from_stats(cls, target: str, stats: dict, articles_requested: int) -> Summary:
        def total(prefix: str) -> int:
            return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))
        return cls(
            target=target,
            pages=stats.get("downloader/response_count", 0),
            new=stats.get("newscrawler/store/new", 0),
            updated=stats.get("newscrawler/store/updated", 0),
            # a 304 to a conditional request is an unchanged article too
            unchanged=stats.get("newscrawler/store/unchanged", 0)
            + stats.get("newscrawler/incremental/not_modified", 0),
            duplicates=stats.get("newscrawler/store/duplicate_linked", 0)
            + total("newscrawler/dedup/dropped/"),
            invalid=total("newscrawler/validate/dropped/") + total("newscrawler/invalid/"),
            skipped_known=stats.get("newscrawler/incremental/skipped_known", 0),
            errors=total("newscrawler/errors/") - total("newscrawler/errors/role_"),
            finish_reason=str(stats.get("finish_reason", "")),
            coverage_failed=stats.get("newscrawler/coverage/failed"),
            articles_requested=articles_requested,
            time_limit=stats.get("newscrawler/time_limit/reached"),
            interrupted=stats.get("newscrawler/interrupted"),
            left_for_next_run=total("newscrawler/time_limit/dropped/")
            + stats.get("newscrawler/time_limit/unscheduled", 0)
            + stats.get("newscrawler/time_limit/not_scheduled", 0),
            dropped_articles=stats.get("newscrawler/time_limit/dropped/article", 0),
            since=stats.get("newscrawler/since"),
            older_than_since=stats.get("newscrawler/since/older_articles", 0),
            old_sitemaps=stats.get("newscrawler/discovery/skipped_old_sitemaps", 0),
            robots_unreachable={k.removeprefix(_ROBOTS_UNREACHABLE): v for k, v in stats.items()
                                if k.startswith(_ROBOTS_UNREACHABLE)},
        )

    @property
    def valid(self) -> int:
        return self.new + self.updated + self.unchanged

    def counts(self) -> dict[str, int]:
        """The counts a run's row in the store keeps."""
        return {"pages": self.pages, "new": self.new, "updated": self.updated,
                "unchanged": self.unchanged, "duplicates": self.duplicates,
                "invalid": self.invalid, "errors": self.errors}

    def failure(self) -> str | None:
        """Why this crawl counts as failed (exit 1), or None."""
        if self.interrupted:
            how = "stopped" if self.finish_reason else "stopped at once by a second signal"
            return (f"interrupted by {self.interrupted}: {how}; what was fetched is stored, "
                    f"the rest ({self.left_for_next_run} request(s)) is fetched by the next run")
        if self.finish_reason not in FINISHED_REASONS:
            return f"the crawl ended with {self.finish_reason or 'no finish reason'!r}"
        if self.robots_unreachable:
            hosts = ", ".join(f"{host} ({why})" for host, why in self.robots_unreachable.items())
            return (f"robots.txt unreachable: {hosts}; nothing was fetched from that host "
                    "(RFC 9309: an unreachable robots.txt means complete disallow)")
        if self.coverage_failed:
            return f"layout drift, field coverage too low: {self.coverage_failed}"
        fetched_articles = self.valid + self.invalid + self.duplicates
        if self.articles_requested == 0 and self.skipped_known == 0 \
                and not self.older_than_since:  # all older than --since: nothing new to do
            if self.time_limit is not None:
                return (f"the time limit ({self.time_limit:g}s) was reached before discovery "
                        "found any article: give the run more time (--max-runtime)")
            return "discovery found no article at all (robots.txt, sitemaps, feeds, listings)"
        if fetched_articles and not self.valid and not self.duplicates:
            return f"none of the {fetched_articles} article pages fetched was a valid article"
        # article requests dropped at the time limit did not fail: the next run fetches them
        tried = self.articles_requested - self.dropped_articles
        if self.skipped_known == 0 and not fetched_articles and tried > 0:
            return f"every one of the {tried} article requests failed"
        return None

    def notes(self) -> list[str]:
        """Lines after the summary table: what a finished run left undone, and why."""
        lines = []
        if self.older_than_since:
            nothing_new = "nothing new: " if self.articles_requested == 0 else ""
            sitemaps = (f", and {self.old_sitemaps} sitemap(s) older than that were not read"
                        if self.old_sitemaps else "")
            lines.append(f"{self.target}: {nothing_new}{self.older_than_since} article(s) "
                         f"older than --since {_shown_time(self.since)} left out{sitemaps}")
        if self.time_limit is not None:
            lines.append(f"{self.target}: stopped at its time limit (--max-runtime "
                         f"{self.time_limit:g}s); {self.left_for_next_run} request(s) left "
                         "for the next run")
        return lines

    def exit_code(self) -> int:
        return EXIT_FAILED if self.failure() else EXIT_OK


def print_summary(summaries: list[Summary], out: TextIO = sys.stdout) -> None:
    from newscrawler.progress import format_duration

    cols = ("target", "pages", "new", "updated", "unchanged", "duplicates", "invalid",
            "skipped", "errors", "time", "exit")
    rows = [(s.target, s.pages, s.new, s.updated, s.unchanged, s.duplicates, s.invalid,
             s.skipped_known, s.errors, format_duration(s.seconds), s.exit_code())
            for s in summaries]
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(cols)]
    line = "  ".join(str(c).ljust(w) for c, w in zip(cols, widths, strict=True))
    print(line, file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)), file=out)
    for s in summaries:
        for note in s.notes():
            print(note, file=out)
        if s.coverage_failed:
            print(f"{s.target}: layout drift, field coverage too low: {s.coverage_failed}",
                  file=out)


def _slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", label.split("://", 1)[-1]).strip("._-")[:60] or "run"


def _shown_time(value) -> str:
    """A time for a message as every other message shows one: India time, to the second."""
    when = value if isinstance(value, datetime) else parse_date(str(value), relative=False) \
        if value else None
    return when.astimezone(IST).isoformat(timespec="seconds") if when else str(value)


def _take_over_killed_runs(store, label: str) -> None:
    """Runs of this target left unfinished: their process died (we hold the lock now)."""
    for run in store.recent_runs(label, limit=20):
        if run.get("finished_at") is None:
            print(f"newscrawler crawl: run #{run['id']} of {label!r} (started "
                  f"{_shown_time(run['started_at'])}) did not finish: killed; its lock is "
                  "taken over and this run completes its work", file=sys.stderr)
            # the counts its last progress line left in its row stay
            store.finish_run(run["id"], exit_code=EXIT_KILLED,
                             counts={c: run.get(c) or 0 for c in RUN_COUNTS},
                             stats={"newscrawler/killed": True})


class _StoppingProcess(CrawlerProcess):
    """On SIGINT or SIGTERM a crawl stops as at its time limit (extensions.stop_crawl): the
    queue is dropped and downloads in flight get a few seconds, instead of Scrapy's graceful
    close, which downloads every queued request first (minutes behind a slow site's delay).
    A second signal still stops at once."""

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        from twisted.internet import reactor

        reactor.callFromThread(self._stop_crawls, signal_names.get(signum, str(signum)))
        super()._signal_shutdown(signum, frame)

    def _stop_crawls(self, signame: str) -> None:
        for crawler in self.crawlers:
            if crawler.engine is None or not crawler.crawling:
                continue
            crawler.stats.set_value("newscrawler/interrupted", signame)
            dropped, _, unscheduled = stop_crawl(crawler)
            logging.getLogger(__name__).warning(
                "%s received: stopping the run; %d queued request(s) dropped, %d not yet "
                "scheduled; what is stored stays, the rest is fetched by the next run (send it "
                "again to stop at once)", signame, dropped, unscheduled)


def crawl(targets: list[str], *, db_url: str, output: str | None = None,
          max_pages: int | None = None, since: datetime | None = None,
          settings: dict | None = None, out: TextIO = sys.stdout,
          backfill: bool = False, refresh: bool = False, max_runtime: float | None = None,
          log_dir: str | os.PathLike | None = None, quiet: bool = False) -> int:
    """Crawl the targets into the store; print a summary; return the exit code.

    ``max_runtime`` (seconds) closes the crawl cleanly when reached (CLOSESPIDER_TIMEOUT);
    ``log_dir`` gets one log file per run and one JSON stats file per target; ``quiet`` prints
    the summary only when a target failed (cron mails only the failures).
    """
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
            holder = store.lock_holder(f"crawl-{target.label}") or "holder unknown"
            print(f"newscrawler crawl: another run on {mask_password(db_url)} for "
                  f"{target.label!r} is still going ({holder}); exiting", file=sys.stderr)
            for held in locks:
                held.release()
            store.close()
            return EXIT_LOCKED
        locks.append(lock)
    for target in resolved:
        _take_over_killed_runs(store, target.label)

    overrides = run_overrides(db_url, settings, output=output, since=since, refresh=refresh,
                              max_runtime=max_runtime)
    stamp = datetime.now(IST).strftime("%Y%m%d-%H%M%S")
    log_path = None
    if log_dir is not None:
        log_dir = Path(log_dir)
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"{'+'.join(_slug(t.label) for t in resolved)[:100]}-{stamp}.log"
        overrides["LOG_FILE"] = str(log_path)
        overrides["LOG_FILE_APPEND"] = False
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawler.settings")
    process = _StoppingProcess(project_settings(overrides))
    crawlers = []
    run_ids = []
    for target in resolved:
        kwargs = dict(target.kwargs)
        if max_pages is not None:
            kwargs["max_pages"] = max_pages
        if backfill:
            kwargs["backfill"] = True
        run_ids.append(store.start_run(target.label))
        kwargs["run_id"] = run_ids[-1]  # the progress lines keep the run's row up to date
        crawler = process.create_crawler(target.spider)
        process.crawl(crawler, **kwargs)
        crawlers.append((target, crawler))
    started = datetime.now(IST)
    clock = time.monotonic()
    process.start()
    seconds = time.monotonic() - clock
    summaries = []
    for (target, crawler), run_id in zip(crawlers, run_ids, strict=True):
        stats = crawler.stats.get_stats()
        spider = crawler.spider
        summary = Summary.from_stats(target.label, stats,
                                     getattr(spider, "articles_requested", 0))
        start_time, finish_time = stats.get("start_time"), stats.get("finish_time")
        summary.seconds = (finish_time - start_time).total_seconds() \
            if isinstance(start_time, datetime) and isinstance(finish_time, datetime) \
            else seconds
        summaries.append(summary)
        counts = summary.counts()
        plain = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in stats.items()}
        if log_path is not None:
            stats_path = log_path.parent / f"{_slug(target.label)}-{stamp}.stats.json"
            plain["newscrawler/log_file"] = str(log_path)
            plain["newscrawler/stats_file"] = str(stats_path)
            record = {"target": target.label, "run_id": run_id,
                      "started_at": started.isoformat(timespec="seconds"),
                      "seconds": round(summary.seconds, 3), "exit_code": summary.exit_code(),
                      "failure": summary.failure(), "summary": asdict(summary), "stats": plain}
            stats_path.write_text(json.dumps(record, ensure_ascii=False, indent=2,
                                             default=str) + "\n", encoding="utf-8")
        store.finish_run(run_id, exit_code=summary.exit_code(), counts=counts, stats=plain)
    for lock in locks:
        lock.release()
    store.close()
    logging.getLogger(__name__).info("crawl took %s", datetime.now(IST) - started)
    failed = [s for s in summaries if s.failure()]
    if not quiet or failed:
        print_summary(summaries, out)
    for s in failed:
        where = f"; log: {log_path}" if log_path else ""
        print(f"newscrawler crawl: {s.target} FAILED: {s.failure()}{where}", file=sys.stderr)
    return max((s.exit_code() for s in summaries), default=EXIT_OK)
