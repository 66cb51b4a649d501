"""Downloader middlewares: incremental fetching, and serving real hosts from a local server."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from newscrawler.dates import parse_date
from newscrawler.state import crawl_store

logger = logging.getLogger(__name__)

# outcomes after which an unchanged article is not fetched again
_SETTLED = frozenset({"stored", "invalid", "not_modified", "duplicate", "gone"})


class IncrementalMiddleware:
    """Skip article pages the store already holds, unless the site says they changed.

    An article request carries meta["url_key"] and, when a sitemap or feed gave one,
    meta["lastmod"]. It is fetched when the store has never seen it, when its lastmod moved past
    the stored one, or when a refresh was asked for (then with If-None-Match/If-Modified-Since,
    so an unchanged page costs a 304 and nothing more).
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.refresh = crawler.settings.getbool("NEWSCRAWLER_REFRESH")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if request.meta.get("role") != "article" or "url_key" not in request.meta:
            return None
        if request.meta.get("conditional_done"):
            return None
        state = crawl_store(self.crawler).fetch_state(request.meta["url_key"])
        if state is None or state.outcome not in _SETTLED:
            return None
        lastmod = request.meta.get("lastmod")
        moved = bool(lastmod and _newer(lastmod, state.sitemap_lastmod)
                     and _newer(lastmod, state.fetched_at))
        if not moved and not self.refresh:
            self.stats.inc_value("newscrawler/incremental/skipped_known")
            raise IgnoreRequest(f"already stored: {request.url}")
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        self.stats.inc_value("newscrawler/incremental/refetch_changed" if moved
                             else "newscrawler/incremental/refetch_refresh")
        if not headers:
            return None
        new_headers = request.headers.copy()
        for k, v in headers.items():
            new_headers[k] = v
        return request.replace(headers=new_headers, meta={**request.meta,
                                                          "conditional_done": True})

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304 and request.meta.get("role") == "article":
            self.stats.inc_value("newscrawler/incremental/not_modified")
            crawl_store(self.crawler).record_fetch(
                request.meta["url_key"], request.meta.get("hostmap_original_url", request.url),
                "not_modified", http_status=304, sitemap_lastmod=request.meta.get("lastmod"),
                fetched_at=self.crawler.spider.now())
            raise IgnoreRequest(f"not modified: {request.url}")
        return response


def _newer(lastmod: str, stored: str | None) -> bool:
    """Is lastmod later than the stored time (a missing stored time counts as older)?"""
    if not stored:
        return True
    a, b = parse_date(lastmod, relative=False), parse_date(stored, relative=False)
    if a is None or b is None:
        return lastmod != stored
    return a > b


class HostMapMiddleware:
    """Serve chosen hosts from a local server, keeping the real URL on responses.

    NEWSCRAWLER_HOST_MAP = {"www.site.in": "http://127.0.0.1:8000"} sends
    https://www.site.in/a/b?c to http://127.0.0.1:8000/www.site.in/a/b?c; the response gets the
    real URL back, so items, links and the store all carry the site's own URLs. Used by the
    offline demo and the crawl tests.
    """

    def __init__(self, host_map: dict[str, str]):
        self.host_map = {h.lower(): base.rstrip("/") for h, base in host_map.items()}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostMapMiddleware:
        host_map = crawler.settings.getdict("NEWSCRAWLER_HOST_MAP")
        if not host_map:
            raise NotConfigured
        mw = cls(host_map)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider) -> None:
        logger.info("serving %d host(s) from local servers", len(self.host_map))

    def process_request(self, request: Request) -> Request | None:
        parts = urlsplit(request.url)
        base = self.host_map.get((parts.hostname or "").lower())
        if base is None:
            return None
        local = f"{base}/{parts.hostname}{parts.path or '/'}"
        if parts.query:
            local += "?" + parts.query
        # Returning a request reschedules it: robots.txt was already checked for the real URL
        # and the dupefilter already saw it, so neither applies to the local copy.
        return request.replace(url=local, dont_filter=True, meta={
            **request.meta, "hostmap_original_url": request.url, "dont_obey_robotstxt": True})

    def process_response(self, request: Request, response: Response) -> Response:
        original = request.meta.get("hostmap_original_url")
        if not original:
            return response
        location = response.headers.get("Location")
        if location:
            # a redirect from the local server must point back into the real site
            loc = location.decode("latin-1")
            for host, base in self.host_map.items():
                if loc.startswith(base + "/" + host):
                    loc = "https://" + loc[len(base) + 1:]
            response.headers["Location"] = loc
        return response.replace(url=original)

