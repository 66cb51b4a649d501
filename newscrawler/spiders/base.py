"""The shared crawl engine: discovery (robots.txt, sitemaps, feeds, listings) and articles.

Site spiders are this class plus a profile; the generic spider is this class with start URLs.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawler.dates import IST, parse_date
from newscrawler.discovery import (
    DiscoveryError,
    Entry,
    feed_entries,
    parse_xml,
    robots_sitemaps,
    sitemap_entries,
    xml_kind,
)
from newscrawler.downloader import TimeLimitReached
from newscrawler.extract import NoArticleError
from newscrawler.extract.article import extract_article
from newscrawler.items import Article
from newscrawler.profiles import Profile
from newscrawler.urls import canonical_key, clean_url, looks_like_article_url

_NEXT_TEXT = re.compile(r"^(next|next page|older posts|अगला|अगले|आगे|›|»|>)\W*$", re.I)
# links in a home page's navigation that are not sections
_NOT_SECTION = re.compile(
    r"/(tag|tags|topic|author|search|login|signup|register|account|about|about-us|contact|"
    r"contact-us|privacy|privacy-policy|terms|disclaimer|feed|rss|epaper|live-tv|videos?|"
    r"photos?|gallery|web-stories?|shorts|podcasts?|games?|careers?|advertise)(/|$)|\.[a-z0-9]{2,4}$",
    re.I)


class NewsSpider(scrapy.Spider):
    """Crawl one site (a profile) or a start URL, yielding articles."""

    name = ""  # a base class: `scrapy list` shows only the generic and the site spiders
    profile: Profile | None = None

    def __init__(self, *args, start_url: str | None = None, url: str | None = None,
                 max_pages: int | str | None = None, since: str | None = None,
                 backfill: bool | str = False, refresh: bool | str = False, **kwargs):
        super().__init__(*args, **kwargs)
        start = start_url or url
        self.start_urls = [u for u in (start.split(",") if start else []) if u]
        self.max_pages = int(max_pages) if max_pages not in (None, "") else None
        self.since = parse_date(since, relative=False) if since else None
        self.backfill = _truthy(backfill)
        self.refresh = _truthy(refresh)
        self.articles_requested = 0
        self.seen_article_keys: set[str] = set()
        self.skipped_keys: set[str] = set()  # stored and unchanged: not fetched
        self.seen_discovery: set[str] = set()  # robots.txt and the profile may name one sitemap
        # with --since, links without a date (listings) wait until the dated sources are read
        self.entry_dates: dict[str, datetime] = {}
        self.deferred: dict[str, Entry] = {}
        self.old_keys: set[str] = set()  # articles left out as older than --since
        self.article_candidates = 0  # articles to fetch found so far (requested or held)
        # --max-pages: the newest candidates of all sources, requested when discovery is done
        self._budget = NewestFirst(self.max_pages or 0)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    @classmethod
    def update_settings(cls, settings) -> None:
        """Per-site politeness: the profile's concurrency, delay and optional Scrapy settings
        (a ``settings`` mapping on the profile, e.g. AUTOTHROTTLE_MAX_DELAY), then the user's
        NEWSCRAWLER_SITE_SETTINGS[site id]. All at spider priority: ``-s`` still wins."""
        super().update_settings(settings)
        site_id = cls.profile.id if cls.profile is not None else cls.name
        if cls.profile is not None:
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", cls.profile.concurrency,
                         priority="spider")
            if settings.getpriority("DOWNLOAD_DELAY") <= 20:  # project level or lower
                settings.set("DOWNLOAD_DELAY", cls.profile.download_delay, priority="spider")
            for name, value in (getattr(cls.profile, "settings", None) or {}).items():
                settings.set(name, value, priority="spider")
        site_settings = settings.getdict("NEWSCRAWLER_SITE_SETTINGS").get(site_id) or {}
        for name, value in site_settings.items():
            settings.set(name, value, priority="spider")

    # ------------------------------------------------------------------ clock
    def now(self) -> datetime:
        """The fetch time; NEWSCRAWLER_CLOCK pins it for demos and tests."""
        pinned = self.settings.get("NEWSCRAWLER_CLOCK")
        if pinned:
            return parse_date(pinned, relative=False) or datetime.now(IST)
        return datetime.now(IST).replace(microsecond=0)

    # ------------------------------------------------------------------ start
    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.since is None and self.settings.get("NEWSCRAWLER_SINCE"):
            self.since = parse_date(self.settings.get("NEWSCRAWLER_SINCE"), relative=False)
        self.backfill = self.backfill or self.settings.getbool("NEWSCRAWLER_BACKFILL")
        self.refresh = self.refresh or self.settings.getbool("NEWSCRAWLER_REFRESH")
        if self.since is not None:
            self.crawler.stats.set_value("newscrawler/since", self.since.isoformat())
        if self.backfill:
            self.logger.info("backfill: walking the whole sitemap history%s",
                             f" back to {self.since.isoformat()}" if self.since else "")
        if self.start_urls:
            for url in self.start_urls:
                for request in self._follow(url, self.parse_start, "start"):
                    yield request.replace(errback=self.start_failed)
            return
        if self.profile is None:
            raise ValueError("the generic spider needs a start URL: -a start_url=https://…")
        for request in self.discovery_requests(self.profile):
            yield request

    def discovery_requests(self, profile: Profile) -> Iterable[scrapy.Request]:
        d = profile.discovery
        base = profile.start_url
        if d.robots_sitemaps:
            yield from self._follow(urljoin(base, "/robots.txt"), self.parse_robots, "robots",
                                dont_obey_robotstxt=True)
        for url in (*d.news_sitemaps, *d.sitemaps):
            yield from self._follow(urljoin(base, url), self.parse_sitemap, "sitemap")
        for url in self._daily_sitemaps(d.daily_sitemaps):
            yield from self._follow(urljoin(base, url), self.parse_sitemap, "sitemap",
                                    daily=True)
        for url in d.feeds:
            yield from self._follow(urljoin(base, url), self.parse_feed, "feed")
        for url in d.listings:
            yield from self._follow(urljoin(base, url), self.parse_listing, "listing")

    def _daily_sitemaps(self, templates: tuple[str, ...]) -> Iterable[str]:
        if not templates:
            return
        today = self.now().date()
        if self.since:
            first = self.since.date()
        elif self.backfill:
            first = today - timedelta(days=self.settings.getint("NEWSCRAWLER_BACKFILL_DAYS", 365))
        else:
            first = today - timedelta(days=1)
        day = today
        while day >= first:
            for template in templates:
                # {mm}/{dd} zero-padded, {m}/{d} not (sitemap.xml?yyyy=2024&mm=1)
                yield template.format(yyyy=f"{day.year:04d}", mm=f"{day.month:02d}",
                                      dd=f"{day.day:02d}", m=str(day.month), d=str(day.day))
            day -= timedelta(days=1)

    def _follow(self, url: str, callback, role: str, **meta) -> Iterable[scrapy.Request]:
        """A request for url, unless this run already asked for that discovery page.

        Discovery pages (robots.txt, sitemaps, feeds, listings) are read every run, so they
        bypass the dupefilter; robots.txt and the profile may both name one sitemap, though.
        """
        if role != "article":
            if url in self.seen_discovery:
                return
            self.seen_discovery.add(url)
        yield scrapy.Request(url, callback=callback, errback=self.on_error,
                             meta={"role": role, **meta}, dont_filter=role != "article")

    # ------------------------------------------------------------------ discovery
    def parse_start(self, response: Response):
        """A start URL of unknown kind: sitemap, feed, article or listing/home page."""
        if _is_xml(response):
            yield from self.parse_xml_discovery(response)
            return
        if not _is_html(response):
            self.count("errors/not_html")
            self.logger.error("start URL is neither HTML nor XML: %s", response.url)
            return
        yield from self._links_from_html(response, follow_feeds=True)
        robots = urljoin(response.url, "/robots.txt")
        yield from self._follow(robots, self.parse_robots, "robots", dont_obey_robotstxt=True)
        if urlsplit(response.url).path in ("", "/"):
            yield from self._section_links(response)
        try:
            article = self.extract(response)
        except NoArticleError:
            return
        if self._structured_article(response):
            yield article

    def parse_robots(self, response: Response):
        if response.status != 200:
            return
        for url in robots_sitemaps(response.text if hasattr(response, "text") else ""):
            self.count("discovery/robots_sitemaps")
            yield from self._follow(url, self.parse_sitemap, "sitemap")

    def parse_sitemap(self, response: Response):
        yield from self.parse_xml_discovery(response, expected="sitemap")

    def parse_feed(self, response: Response):
        yield from self.parse_xml_discovery(response, expected="feed")

    def parse_xml_discovery(self, response: Response, expected: str | None = None):
        what = expected or "xml"
        problems: list[str] = []
        try:
            root = parse_xml(response.body, problems)
            kind = xml_kind(root)
        except DiscoveryError as exc:
            root, kind, error = None, None, exc
        if kind in ("sitemapindex", "urlset", "rss", "atom") and problems:
            # lxml recovered what it could: use it, but say the document is broken
            self.count(f"errors/broken_{what}")
            self.logger.error("broken XML in %s %s (%s); using what could be read",
                              what, response.url, problems[0])
        if kind in ("sitemapindex", "urlset"):
            self.count("discovery/sitemaps")
            children, entries = sitemap_entries(root)
            for child in children:
                if self._sitemap_too_old(child):
                    self.count("discovery/skipped_old_sitemaps")
                    continue
                yield from self._follow(child.url, self.parse_sitemap, "sitemap")
            yield from self._article_requests(entries)
        elif kind in ("rss", "atom"):
            self.count("discovery/feeds")
            yield from self._article_requests(feed_entries(root))
        elif _is_html(response):
            # an HTML "sitemap" or a feed URL that answers with a web page
            self.count(f"errors/{what}_is_html")
            self.logger.warning("%s is HTML, not XML: reading it as a listing", response.url)
            yield from self._links_from_html(response, follow_feeds=False)
        elif root is None:
            self.count(f"errors/broken_{what}")
            self.logger.error("unreadable %s %s: %s", what, response.url, error)
        else:
            self.count(f"errors/unknown_{what}")
            self.logger.error("%s is XML but neither a sitemap nor a feed", response.url)

    def parse_listing(self, response: Response):
        if not _is_html(response):
            self.count("errors/listing_not_html")
            return
        yield from self._links_from_html(response, follow_feeds=False)

    def _links_from_html(self, response: Response, follow_feeds: bool):
        depth = response.meta.get("listing_depth", 0)
        entries: list[Entry] = []
        for href in response.css("a::attr(href)").getall():
            url = clean_url(urljoin(response.url, href))
            if self._is_article_url(url, response.url):
                entries.append(Entry(url=url))
        self.count("discovery/listings")
        before = self.article_candidates
        yield from self._article_requests(entries)
        fresh = self.article_candidates - before
        if follow_feeds:
            for href in response.css('link[rel="alternate"][type*="rss"]::attr(href), '
                                     'link[rel="alternate"][type*="atom"]::attr(href)').getall():
                yield from self._follow(urljoin(response.url, href), self.parse_feed, "feed")
        if self.backfill:
            limit = self.settings.getint("NEWSCRAWLER_BACKFILL_LISTING_PAGES", 100)
        else:
            limit = self.settings.getint("NEWSCRAWLER_MAX_LISTING_PAGES", 5)
        if depth + 1 < limit:
            next_url = _next_page(response)
            if next_url and entries and not fresh and not self.backfill:
                # newest first: a page whose every article is already stored (or too old)
                # means the older pages hold nothing new either
                self.count("discovery/listing_stopped_nothing_new")
            elif next_url:
                yield from self._follow(next_url, self.parse_listing, "listing",
                                        listing_depth=depth + 1)

    def _section_links(self, response: Response):
        """A home page's navigation links to its sections, read as listings (generic spider)."""
        if self.profile is not None:
            return
        limit = self.settings.getint("NEWSCRAWLER_MAX_SECTIONS", 20)
        found = 0
        home = urlsplit(response.url)
        for href in response.css("nav a::attr(href), header a::attr(href), "
                                 "[class*=menu] a::attr(href)").getall():
            url = clean_url(urljoin(response.url, href))
            parts = urlsplit(url)
            if (parts.scheme not in ("http", "https") or parts.path in ("", "/")
                    or (parts.hostname or "").removeprefix("www.")
                    != (home.hostname or "").removeprefix("www.")
                    or parts.query or _NOT_SECTION.search(parts.path)
                    or looks_like_article_url(url)
                    or len([p for p in parts.path.split("/") if p]) > 2):
                continue
            if url in self.seen_discovery:
                continue
            found += 1
            self.count("discovery/sections")
            yield from self._follow(url, self.parse_listing, "listing")
            if found >= limit:
                break

    # ------------------------------------------------------------------ articles
    def _is_article_url(self, url: str, page_url: str) -> bool:
        if self.profile is not None:
            return self.profile.owns(url) and self.profile.is_article_url(url)
        same = (urlsplit(url).hostname or "").removeprefix("www.") == \
            (urlsplit(page_url).hostname or "").removeprefix("www.")
        return same and looks_like_article_url(url)

    @staticmethod
    def _entry_date(entry: Entry) -> datetime | None:
        """The newest date an entry carries (a modification counts as well as publication)."""
        dates = [parse_date(v, relative=False) for v in (entry.lastmod, entry.published) if v]
        dates = [d for d in dates if d is not None]
        return max(dates) if dates else None

    def _too_old(self, entry: Entry) -> bool:
        if self.since is None:
            return False
        when = self._entry_date(entry)
        return when is not None and when < self.since

    def _sitemap_too_old(self, child: Entry) -> bool:
        """Skip a child sitemap whose lastmod is before --since or, unless in backfill mode,
        before the history window (NEWSCRAWLER_SITEMAP_WINDOW_DAYS): a cron run reads the
        sitemaps that can hold new articles, not ten years of archive every time."""
        when = self._entry_date(child)
        if when is None:
            return False
        if self.since is not None:
            return when < self.since
        if self.backfill:
            return False
        window = self.settings.getfloat("NEWSCRAWLER_SITEMAP_WINDOW_DAYS", 30)
        return bool(window) and when < self.now() - timedelta(days=window)

    def _article_requests(self, entries: Iterable[Entry]):
        from newscrawler.middlewares import SKIP, fetch_decision
        from newscrawler.state import crawl_store

        store = crawl_store(self.crawler)
        candidates = []
        for entry in entries:
            when = self._entry_date(entry)
            url = clean_url(entry.url, self.profile.tracking_params if self.profile else ())
            if self.profile is not None and not (self.profile.owns(url)
                                                 and self.profile.is_article_url(url)):
                self.count("discovery/skipped_not_article")
                continue
            key = canonical_key(url)
            if when is not None:
                if key not in self.entry_dates or when > self.entry_dates[key]:
                    self.entry_dates[key] = when
                self.deferred.pop(key, None)
            if self._too_old(entry):
                self._left_out_as_old(key, "discovery/skipped_old")
                continue
            candidates.append((when, entry, url, key))
        # what the store knows of them, in one query per few hundred entries
        states = store.fetch_states(key for *_, key in candidates
                                    if key not in self.seen_article_keys)
        for when, entry, url, key in candidates:
            if key in self.seen_article_keys:
                continue
            lastmod = entry.lastmod or entry.published
            decision = fetch_decision(states.get(key), lastmod, self.refresh)
            if decision == SKIP:
                # not remembered as seen: a later entry with a newer date may still fetch it
                if key not in self.skipped_keys:
                    self.skipped_keys.add(key)
                    self.count("incremental/skipped_known")
                continue
            if when is None and self.since is not None:
                known = self.entry_dates.get(key)
                if known is not None and known < self.since:
                    self._left_out_as_old(key, "discovery/skipped_old")
                    continue
                if known is None:
                    # undated (a listing link): wait until the sitemaps and feeds have been read
                    if key not in self.deferred:
                        self.deferred[key] = Entry(url=url)
                        self.article_candidates += 1
                    continue
            if self.max_pages is not None:
                self._budget.offer(key, when, url, lastmod)
                continue
            self.article_candidates += 1
            yield from self._request_article(key, url, lastmod)

    def _request_article(self, key: str, url: str, lastmod: str | None):
        self.seen_article_keys.add(key)
        if key in self.skipped_keys:  # skipped earlier in this run, changed after all
            self.skipped_keys.discard(key)
            self.count("incremental/skipped_known", -1)
        self.articles_requested += 1
        yield from self._follow(url, self.parse_article, "article", url_key=key,
                                lastmod=lastmod)

    def _left_out_as_old(self, key: str, stat: str) -> None:
        """An article older than --since: counted per source entry and, once, per article
        (the summary's "N articles older than --since")."""
        self.count(stat)
        if key not in self.old_keys:
            self.old_keys.add(key)
            self.count("since/older_articles")

    def on_idle(self, spider) -> None:
        """Discovery is done: decide on the links held back until now (undated links under
        --since, then the --max-pages picks), and go on when that requests anything."""
        if spider is not self:
            return
        requests = self._undated_requests() + self._budget_requests()
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def _undated_requests(self) -> list[scrapy.Request]:
        """The undated (listing) links held back by --since.

        When the site has dated sources (sitemaps, feeds), a link none of them dated is old:
        it sits in a sitemap skipped as older than --since. Only on a site with no dated
        source at all are undated links fetched (their age cannot be known beforehand)."""
        if not self.deferred:
            return []
        pending, self.deferred = list(self.deferred.values()), {}
        if self.entry_dates:
            for entry in pending:
                self._left_out_as_old(canonical_key(entry.url), "discovery/skipped_undated")
            self.logger.info("--since: %d listing link(s) not dated by any sitemap or feed "
                             "left out as older", len(pending))
            return []
        since, self.since = self.since, None  # their dates are unknown: nothing to compare
        try:
            requests = list(self._article_requests(pending))
        finally:
            self.since = since
        self.count("discovery/undated_fetched", len(requests))
        return requests

    def _budget_requests(self) -> list[scrapy.Request]:
        """--max-pages: the newest articles of every source, once discovery is done. A link
        robots.txt forbids gives its place back (on_error), so the next idle takes another."""
        if self.max_pages is None or not self._budget:
            return []
        room = max(0, self.max_pages - self.articles_requested)
        picks = self._budget.take(room, self.entry_dates)
        if not room or not picks:
            self.count("discovery/skipped_max_pages", self._budget.clear())
            return []
        requests = []
        for key, url, lastmod in picks:
            requests.extend(self._request_article(key, url, lastmod))
        return requests

    def parse_article(self, response: Response):
        if not _is_html(response):
            self.count("invalid/not_html")
            self.logger.warning("not an HTML page, skipped: %s (%s)", response.url,
                                response.headers.get("Content-Type", b"?").decode("latin-1"))
            self._record_invalid(response, "not_html")
            return
        try:
            item = self.extract(response)
        except NoArticleError as exc:
            self.count("invalid/no_article")
            self.logger.warning("no article on %s: %s", response.url, exc)
            self._record_invalid(response, "no_article")
            if self.profile is None and response.meta.get("listing_depth", 0) < 1:
                yield from self._links_from_html(response, follow_feeds=False)
            return
        yield item

    def extract(self, response: Response):
        data = extract_article(
            response.body, response.url, fetched_at=self.now(),
            site=self.profile.id if self.profile else None,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None)
        item = Article(data)  # extract_article's values have been through the loader already
        item._fetch = {
            "url": response.url,
            "url_key": response.meta.get("url_key") or canonical_key(response.url),
            "etag": _header(response, "ETag"),
            "last_modified": _header(response, "Last-Modified"),
            "lastmod": response.meta.get("lastmod"),
        }
        return item

    def _structured_article(self, response: Response) -> bool:
        types = " ".join(response.css('script[type="application/ld+json"]::text').getall())
        og_type = response.css('meta[property="og:type"]::attr(content)').get("")
        return "Article" in types or "BlogPosting" in types or og_type == "article"

    def _record_invalid(self, response: Response, reason: str) -> None:
        from newscrawler.state import crawl_store
        key = response.meta.get("url_key")
        if key:
            crawl_store(self.crawler).record_fetch(
                key, response.url, "invalid", http_status=response.status,
                sitemap_lastmod=response.meta.get("lastmod"), fetched_at=self.now())

    # ------------------------------------------------------------------ errors
    def start_failed(self, failure: Failure):
        """A start URL that fails (a home page answering 404, say) is counted like any failed
        page; the sitemaps its site's robots.txt names are still read, as they would have been
        after the page (a sitemap or feed start URL needs no robots.txt: the link is lost)."""
        self.on_error(failure)
        url = failure.request.meta.get("hostmap_original_url", failure.request.url)
        if not _looks_like_xml_url(url):
            yield from self._follow(urljoin(url, "/robots.txt"), self.parse_robots, "robots",
                                    dont_obey_robotstxt=True)

    def on_error(self, failure: Failure):
        from newscrawler.middlewares import AlreadyStored, NotModified, RobotsUnreachable

        request = failure.request
        url = request.meta.get("hostmap_original_url", request.url)
        exc = failure.value
        reason = exc.__class__.__name__
        response = getattr(exc, "response", None)
        if response is not None:
            reason = f"http_{response.status}"
            if response.status in (404, 410) and request.meta.get("daily"):
                # today's sitemap may not exist yet (just after midnight), nor a quiet day's
                self.count("discovery/daily_sitemap_missing")
                self.logger.debug("no daily sitemap (yet): %s", url)
                return
        elif isinstance(exc, AlreadyStored | NotModified):
            return  # the incremental middleware at work, counted there
        elif isinstance(exc, RobotsUnreachable):
            self.count("skipped/robots_unreachable")  # the middleware logged it, once a host
            return
        elif isinstance(exc, TimeLimitReached):
            # dropped when the run stopped (--max-runtime, a signal): nothing is recorded, so
            # the next run fetches it
            self.count(f"time_limit/dropped/{request.meta.get('role', 'unknown')}")
            self.logger.debug("%s", exc)
            return
        elif isinstance(exc, IgnoreRequest):
            message = str(exc)
            if "robots.txt" in message:
                self.count("skipped/robots_txt")
                self.logger.debug("forbidden by robots.txt: %s", url)
                if request.meta.get("role") == "article" and self.max_pages is not None:
                    self.articles_requested -= 1  # not fetched: its place goes to the next
                    self.count("discovery/max_pages_robots_returned")
                return
            if "redirect" not in message:
                self.count("skipped/ignored")
                self.logger.info("request ignored (%s): %s", message, url)
                return
            reason = "redirect_loop"
        self.count(f"errors/{reason}")
        self.count(f"errors/role_{request.meta.get('role', 'unknown')}")
        self.logger.error("fetch failed (%s): %s", reason, url)
        if response is not None and response.status in (404, 410) and "url_key" in request.meta:
            # a missing article is remembered, so the next run does not ask again
            from newscrawler.state import crawl_store
            crawl_store(self.crawler).record_fetch(
                request.meta["url_key"], url, "gone", http_status=response.status,
                sitemap_lastmod=request.meta.get("lastmod"), fetched_at=self.now())

    def count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"newscrawler/{key}", n)


class NewestFirst:
    """Candidates for a --max-pages budget, kept so that the newest win across all sources.

    Memory stays bounded: past ``2 * keep`` candidates (keep: twice the budget, at least 200)
    only the newest ``keep`` stay; the others could never be picked (the spares stand in for
    links robots.txt turns out to forbid). An article no source dates ranks below every dated
    one; among those, the first found comes first (listings are newest first).
    """

    def __init__(self, budget: int):
        self.keep = max(2 * budget, 200)
        # key -> (newest date given, order found, url, lastmod)
        self.candidates: dict[str, tuple[datetime | None, int, str, str | None]] = {}
        self._found = 0
        self.pruned = 0  # candidates dropped to keep memory bounded

    def __len__(self) -> int:
        return len(self.candidates)

    def offer(self, key: str, when: datetime | None, url: str, lastmod: str | None) -> None:
        held = self.candidates.get(key)
        if held is not None:
            if when is not None and (held[0] is None or when > held[0]):
                self.candidates[key] = (when, held[1], url, lastmod)
            return
        self._found += 1
        self.candidates[key] = (when, self._found, url, lastmod)
        if len(self.candidates) > 2 * self.keep:
            for stale in self._ranked({})[self.keep:]:
                del self.candidates[stale]
                self.pruned += 1

    def take(self, n: int, dates: dict[str, datetime]) -> list[tuple[str, str, str | None]]:
        """The n newest as (key, url, lastmod), by the newest date any source gave them
        (``dates``); they leave the candidates."""
        picked = []
        for key in self._ranked(dates)[:n]:
            _, _, url, lastmod = self.candidates.pop(key)
            picked.append((key, url, lastmod))
        return picked

    def clear(self) -> int:
        """Forget the candidates left; returns how many were never picked (pruned too)."""
        left = len(self.candidates) + self.pruned
        self.candidates.clear()
        self.pruned = 0
        return left

    def _ranked(self, dates: dict[str, datetime]) -> list[str]:
        def rank(item):
            key, (when, found, _, _) = item
            known = dates.get(key)
            if known is not None and (when is None or known > when):
                when = known
            return (when is not None, when.timestamp() if when else 0.0, -found)
        return [key for key, _ in sorted(self.candidates.items(), key=rank, reverse=True)]


def _truthy(value: bool | str | None) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _is_html(response: Response) -> bool:
    ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    if "html" in ctype:
        return True
    if ctype and not ctype.startswith("text/plain"):
        return False
    head = response.body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _is_xml(response: Response) -> bool:
    ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    if "xml" in ctype or "rss" in ctype or "atom" in ctype or response.body[:2] == b"\x1f\x8b":
        return True
    return response.body[:200].lstrip().startswith(b"<?xml") and b"<html" not in \
        response.body[:500].lower()


def _next_page(response: Response) -> str | None:
    href = response.css('link[rel="next"]::attr(href), a[rel="next"]::attr(href)').get()
    if not href:
        for a in response.css("a"):
            text = " ".join(a.css("::text").getall()).strip()
            cls = a.attrib.get("class", "")
            if _NEXT_TEXT.match(text) or "next" in cls.split():
                href = a.attrib.get("href")
                if href:
                    break
    return urljoin(response.url, href) if href else None


def _looks_like_xml_url(url: str) -> bool:
    """A sitemap or feed URL by its path (.xml, .xml.gz, .rss, /feed, /rss)."""
    path = urlsplit(url).path.lower().rstrip("/")
    return path.endswith((".xml", ".xml.gz", ".rss", ".atom", "/feed", "/rss"))
