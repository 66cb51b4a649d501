"""Progress during a crawl: a log line every N seconds, and a bar when stderr is a terminal.

    progress: 1234 pages (412/min), articles: 300 new, 2 updated, 5 unchanged, 1500 known;
    312/420 article pages done; 3 errors; 3m00s

NEWSCRAWLER_PROGRESS_INTERVAL sets N (0 turns the lines off); NEWSCRAWLER_PROGRESS_BAR forces
the bar on or off (default: on when stderr is a TTY, so cron logs never get one).
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

logger = logging.getLogger(__name__)

BAR_WIDTH = 24
BAR_INTERVAL = 1.0


def _stat_total(stats: dict, prefix: str, exclude: str | None = None) -> int:
    return sum(v for k, v in stats.items()
               if k.startswith(prefix) and isinstance(v, int)
               and not (exclude and k.startswith(exclude)))


def format_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


class Progress:
    def __init__(self, crawler: Crawler, interval: float, bar: bool, out: TextIO):
        self.crawler = crawler
        self.interval = interval
        self.bar = bar
        self.out = out
        self.started = time.monotonic()
        self.article_responses = 0
        self._last_pages = 0
        self._last_tick = self.started
        self._tasks = []
        self._bar_drawn = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        settings = crawler.settings
        interval = settings.getfloat("NEWSCRAWLER_PROGRESS_INTERVAL", 60.0)
        forced = settings.get("NEWSCRAWLER_PROGRESS_BAR")
        if forced is None or forced == "":
            bar = sys.stderr.isatty()
        else:
            bar = settings.getbool("NEWSCRAWLER_PROGRESS_BAR")
        if not interval and not bar:
            raise NotConfigured
        ext = cls(crawler, interval, bar, sys.stderr)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    # ------------------------------------------------------------------ signals
    def spider_opened(self, spider) -> None:
        self.started = self._last_tick = time.monotonic()
        if self.interval:
            task = create_looping_call(self.log_line)
            task.start(self.interval, now=False)
            self._tasks.append(task)
        if self.bar:
            task = create_looping_call(self.draw_bar)
            task.start(BAR_INTERVAL, now=False)
            self._tasks.append(task)

    def spider_closed(self, spider, reason) -> None:
        for task in self._tasks:
            if task.running:
                task.stop()
        self._tasks = []
        if self.bar and self._bar_drawn:
            self.draw_bar()
            self.out.write("\n")
            self.out.flush()

    def response_received(self, response, request, spider) -> None:
        if request.meta.get("role") == "article":
            self.article_responses += 1

    # ------------------------------------------------------------------ numbers
    def snapshot(self) -> dict:
        stats = self.crawler.stats.get_stats()
        spider = self.crawler.spider
        elapsed = max(time.monotonic() - self.started, 1e-6)
        pages = stats.get("downloader/response_count", 0)
        failed_articles = stats.get("newscrawler/errors/role_article", 0)
        return {
            "elapsed": elapsed,
            "pages": pages,
            "pages_per_min": pages * 60.0 / elapsed,
            "new": stats.get("newscrawler/store/new", 0),
            "updated": stats.get("newscrawler/store/updated", 0),
            "unchanged": stats.get("newscrawler/store/unchanged", 0),
            "known": stats.get("newscrawler/incremental/skipped_known", 0),
            "errors": _stat_total(stats, "newscrawler/errors/", "newscrawler/errors/role_"),
            "requested": getattr(spider, "articles_requested", 0),
            "done": self.article_responses + failed_articles,
        }

    def log_line(self) -> None:
        s = self.snapshot()
        now = time.monotonic()
        rate = (s["pages"] - self._last_pages) * 60.0 / max(now - self._last_tick, 1e-6)
        self._last_pages, self._last_tick = s["pages"], now
        logger.info(
            "progress: %d pages (%d/min), articles: %d new, %d updated, %d unchanged, "
            "%d known; %d/%d article pages done; %d errors; %s",
            s["pages"], rate, s["new"], s["updated"], s["unchanged"], s["known"],
            min(s["done"], s["requested"]), s["requested"], s["errors"],
            format_duration(s["elapsed"]),
            extra={"spider": self.crawler.spider})
        self.save_counts()

    def save_counts(self) -> None:
        """Write the run's counts so far into its row in the store (a run killed later keeps
        them: `newscrawler runs` then shows what it did before it died)."""
        from newscrawler.runner import Summary
        from newscrawler.state import store_writer

        spider = self.crawler.spider
        run_id = getattr(spider, "run_id", None)
        if run_id is None:
            return
        counts = Summary.from_stats("", self.crawler.stats.get_stats(),
                                    getattr(spider, "articles_requested", 0)).counts()
        future = store_writer(self.crawler).submit(
            lambda store: store.update_run_counts(int(run_id), counts))
        future.add_done_callback(_log_failure)

    def render_bar(self, s: dict) -> str:
        total = max(s["requested"], 1)
        done = min(s["done"], s["requested"])
        filled = int(BAR_WIDTH * done / total) if s["requested"] else 0
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        name = getattr(self.crawler.spider, "name", "")
        return (f"{name} [{bar}] {done}/{s['requested']} articles  "
                f"{s['pages_per_min']:.0f} pages/min  new {s['new']}  "
                f"errors {s['errors']}  {format_duration(s['elapsed'])}")

    def draw_bar(self) -> None:
        self.out.write("\r\033[K" + self.render_bar(self.snapshot()))
        self.out.flush()
        self._bar_drawn = True


def _log_failure(future) -> None:
    exc = future.exception()
    if exc is not None:
        logger.warning("could not save the run's progress counts: %s", exc)
