"""Scrapy settings: polite by default (robots.txt, AutoThrottle, 2 requests per domain)."""

import os

from newscrawler import __version__

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["newscrawler.spiders"]
NEWSPIDER_MODULE = "newscrawler.spiders"

# An honest user agent that says who we are; override with NEWSCRAWLER_USER_AGENT or -s.
USER_AGENT = os.environ.get(
    "NEWSCRAWLER_USER_AGENT",
    f"newscrawler/{__version__} (+https://github.com/newscrawler/newscrawler; Hindi news research)",
)
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
# keeps CONCURRENT_REQUESTS_PER_DOMAIN even with DOWNLOAD_DELAY = 0 (a Scrapy 2.19 bug)
DOWNLOADER = "newscrawler.downloader.PoliteDownloader"
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # 16 MB: no news page is bigger; sitemaps can be 10 MB
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening port (nor job files) per cron run

FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
# A response yields at most one article and our pipelines are synchronous, so the default of
# 100 only costs 100 asyncio tasks per response (~5 ms of CPU each time).
CONCURRENT_ITEMS = 4
# Scrapy re-parses the callback's source with `ast` for every response (its cache is keyed by
# the bound method, a new object each time); our callbacks are ours and tested.
WARN_ON_GENERATOR_RETURN_VALUE = False
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
LOG_FORMATTER = "newscrawler.logformatter.NewsLogFormatter"  # a dropped page: one line

DOWNLOADER_MIDDLEWARES = {
    # robots.txt for every request that waits on it, not only the first (a Scrapy 2.19 bug)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newscrawler.middlewares.ConcurrentRobotsTxtMiddleware": 100,
    # Retry-After and backoff on 429/503, pausing the whole host; Scrapy's retry otherwise
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawler.middlewares.PoliteRetryMiddleware": 550,
    "newscrawler.middlewares.IncrementalMiddleware": 560,
    "newscrawler.middlewares.HostMapMiddleware": 950,
}

ITEM_PIPELINES = {
    "newscrawler.pipelines.validate.ValidatePipeline": 100,
    "newscrawler.pipelines.normalise.NormalisePipeline": 200,
    "newscrawler.pipelines.dedup.DedupPipeline": 300,
    "newscrawler.pipelines.store.StorePipeline": 400,
}
EXTENSIONS = {
    # --max-runtime (CLOSESPIDER_TIMEOUT) that ends the run, paused hosts and queues included
    "scrapy.extensions.closespider.CloseSpider": None,
    "newscrawler.extensions.TimeLimitCloseSpider": 0,
    "newscrawler.extensions.CoverageMonitor": 500,
    "newscrawler.progress.Progress": 510,
}
LOGSTATS_INTERVAL = 0  # replaced by newscrawler.progress (pages/min, articles, errors)

# newscrawler's own settings
NEWSCRAWLER_DB = os.environ.get("NEWSCRAWLER_DB", "sqlite:///data/newscrawler.sqlite3")
NEWSCRAWLER_HOST_MAP = {}  # {"www.site.in": "http://127.0.0.1:8000"}: serve a site locally
NEWSCRAWLER_REFRESH = False  # refetch stored articles with conditional requests
NEWSCRAWLER_SINCE = None  # ISO datetime: skip sitemap/feed entries older than this
NEWSCRAWLER_BACKFILL = False  # walk the whole sitemap history (and deep listing pagination)
NEWSCRAWLER_BACKFILL_DAYS = 365  # how far back daily sitemaps go in a backfill without --since
NEWSCRAWLER_BACKFILL_LISTING_PAGES = 100
NEWSCRAWLER_SITEMAP_WINDOW_DAYS = 30  # outside backfill: skip child sitemaps older than this
NEWSCRAWLER_MAX_LISTING_PAGES = 5  # pagination depth on section pages
NEWSCRAWLER_MAX_SECTIONS = 20  # section links followed from a home page (generic spider)
NEWSCRAWLER_SITE_SETTINGS = {}  # {"site id": {"AUTOTHROTTLE_MAX_DELAY": 60, ...}}
# 429/503: pause the host for Retry-After seconds (or NEWSCRAWLER_BACKOFF_BASE * 2**retries)
NEWSCRAWLER_PAUSE_HTTP_CODES = [429, 503]
NEWSCRAWLER_RETRY_AFTER_MAX = 300.0
NEWSCRAWLER_BACKOFF_BASE = 2.0
# at --max-runtime: seconds the downloads in flight get to finish before they are cancelled
NEWSCRAWLER_STOP_GRACE = 5.0
NEWSCRAWLER_PROGRESS_INTERVAL = 60.0  # seconds between progress log lines (0: none)
NEWSCRAWLER_PROGRESS_BAR = None  # None: a bar when stderr is a terminal; True/False to force
NEWSCRAWLER_MIN_BODY_CHARS = 200
