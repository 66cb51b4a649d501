"""Downloader middlewares: incremental fetching, polite retries (Retry-After, backoff), and
serving real hosts from a local server."""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from newscrawler.dates import parse_date
from newscrawler.downloader import TimeLimitReached
from newscrawler.state import crawl_store
from newscrawler.store import FetchState

logger = logging.getLogger(__name__)

# outcomes after which an unchanged article is not fetched again
_SETTLED = frozenset({"stored", "invalid", "not_modified", "duplicate", "gone"})

FETCH, SKIP, CHANGED, REFRESH = "fetch", "skip", "changed", "refresh"


class AlreadyStored(IgnoreRequest):
    """The store holds this article and the site does not say it changed."""


class NotModified(IgnoreRequest):
    """A conditional request was answered 304: the stored article is current."""


def fetch_decision(state: FetchState | None, lastmod: str | None, refresh: bool) -> str:
    """What to do with an article URL, given what the store remembers of it.

    FETCH: never fetched (or its last fetch failed); CHANGED: its sitemap/feed date moved past
    both the stored date and our last fetch; REFRESH: unchanged, but a refresh was asked for;
    SKIP: unchanged. CHANGED and REFRESH fetch with conditional headers.
    """
    if state is None or state.outcome not in _SETTLED:
        return FETCH
    if lastmod and _newer(lastmod, state.sitemap_lastmod) and _newer(lastmod, state.fetched_at):
        return CHANGED
    return REFRESH if refresh else SKIP


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
        refresh = self.refresh or bool(getattr(self.crawler.spider, "refresh", False))
        decision = fetch_decision(state, request.meta.get("lastmod"), refresh)
        if decision == FETCH:
            return None
        if decision == SKIP:
            self.stats.inc_value("newscrawler/incremental/skipped_known")
            raise AlreadyStored(f"already stored: {request.url}")
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        self.stats.inc_value(f"newscrawler/incremental/refetch_{decision}")
        if not headers:
            return None
        new_headers = request.headers.copy()
        for k, v in headers.items():
            new_headers[k] = v
        # a returned request is rescheduled: the dupefilter has seen it already
        return request.replace(headers=new_headers, dont_filter=True,
                               meta={**request.meta, "conditional_done": True})

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304 and request.meta.get("role") == "article":
            self.stats.inc_value("newscrawler/incremental/not_modified")
            crawl_store(self.crawler).record_fetch(
                request.meta["url_key"], request.meta.get("hostmap_original_url", request.url),
                "not_modified", http_status=304, sitemap_lastmod=request.meta.get("lastmod"),
                fetched_at=self.crawler.spider.now())
            raise NotModified(f"not modified: {request.url}")
        return response


def _newer(lastmod: str, stored: str | None) -> bool:
    """Is lastmod later than the stored time (a missing stored time counts as older)?"""
    if not stored:
        return True
    a, b = parse_date(lastmod, relative=False), parse_date(stored, relative=False)
    if a is None or b is None:
        return lastmod != stored
    return a > b


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, plus: on 429/503 the whole host (download slot) pauses.

    The pause is the response's Retry-After (seconds or an HTTP date) when there is one,
    otherwise an exponential backoff (NEWSCRAWLER_BACKOFF_BASE * 2**retries); both are capped by
    NEWSCRAWLER_RETRY_AFTER_MAX. The pause holds the host's download slot for that long (no
    request to that host leaves meanwhile; other hosts and the reactor carry on), then the
    retried request goes out. Counted in stats under newscrawler/retry_after/.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler.settings)
        self.crawler = crawler
        settings = crawler.settings
        self.pause_codes = {int(c) for c in settings.getlist("NEWSCRAWLER_PAUSE_HTTP_CODES",
                                                             [429, 503])}
        self.max_wait = settings.getfloat("NEWSCRAWLER_RETRY_AFTER_MAX", 300.0)
        self.backoff_base = settings.getfloat("NEWSCRAWLER_BACKOFF_BASE", 2.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PoliteRetryMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None):
        if response.status not in self.pause_codes or request.meta.get("dont_retry"):
            return super().process_response(request, response)
        stats = self.crawler.stats
        stats.inc_value(f"newscrawler/retry_after/http_{response.status}")
        retries = request.meta.get("retry_times", 0)
        header = retry_after_seconds(response.headers.get("Retry-After"))
        if header is not None:
            stats.inc_value("newscrawler/retry_after/header")
            wait = header
        else:
            wait = self.backoff_base * (2 ** retries)
        if wait > self.max_wait:
            stats.inc_value("newscrawler/retry_after/capped")
            wait = self.max_wait
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response  # retries used up: the spider's errback counts the failure
        retry.meta["retry_after_wait"] = wait
        self._pause_slot(request, wait)
        stats.inc_value("newscrawler/retry_after/waited_ms", int(wait * 1000))
        logger.info("HTTP %s on %s: pausing the host for %.1f s (%s), then retrying",
                    response.status, request.meta.get("hostmap_original_url", request.url),
                    wait, "Retry-After" if header is not None else "backoff")
        return retry

    def _retry(self, request: Request, reason):
        if _downloads_stopped(self.crawler):
            # once the run is stopping (time limit, signal) nothing is retried: the next run
            # fetches it
            raise TimeLimitReached(f"run stopping, not retried: {request.url}")
        return super()._retry(request, reason)

    def _pause_slot(self, request: Request, wait: float) -> None:
        """Hold the request's download slot for ``wait`` seconds (see PoliteDownloader)."""
        downloader = getattr(getattr(self.crawler, "engine", None), "downloader", None)
        if hasattr(downloader, "pause_slot"):
            downloader.pause_slot(request, wait)
        else:  # another DOWNLOADER: no host pause, the retry still waits in the queue
            logger.debug("the downloader cannot pause a host (%s)", type(downloader).__name__)


def _downloads_stopped(crawler: Crawler) -> bool:
    """Has the run stopped the downloader (PoliteDownloader.stop: time limit or signal)?"""
    downloader = getattr(getattr(crawler, "engine", None), "downloader", None)
    return bool(getattr(downloader, "stopped", False))


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

    def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        base = self.host_map.get((parts.hostname or "").lower())
        if base is None:
            return None
        local = f"{base}/{parts.hostname}{parts.path or '/'}"
        if parts.query:
            local += "?" + parts.query
        # Rewritten in place (Request.url has no public setter): a returned copy would go
        # through the scheduler and every middleware again. robots.txt, the dupefilter and the
        # incremental check have seen the real URL, so copies of the local request (retries,
        # redirects) skip the first two, as the rescheduled copy used to. The download slot
        # stays the real host's, so per-domain limits work as they would on the web.
        request.meta.update({"hostmap_original_url": request.url, "dont_obey_robotstxt": True})
        request.meta.setdefault("download_slot", parts.hostname)
        request.dont_filter = True
        request._set_url(local)
        return None

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


class RobotsUnreachable(IgnoreRequest):
    """The host's robots.txt could not be read (5xx, 429, network error): RFC 9309 says
    assume complete disallow, so nothing of that host is fetched this run."""


class _DisallowAll:
    """The robots.txt parser of an unreachable robots.txt."""

    def __init__(self, why: str):
        self.why = why

    def allowed(self, url, user_agent) -> bool:
        return False


class ConcurrentRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, fixed for many requests waiting on one robots.txt, for
    robots.txt answering 5xx, and fetching each host's robots.txt once per run.

    In Scrapy 2.19 every request that arrives while a host's robots.txt is being fetched awaits
    the same Deferred through ``Deferred.asFuture``, whose callback consumes the result: the
    first waiter gets the parser, every other one gets None, which means "allowed" - robots.txt
    is silently ignored for them. A worker that takes a batch of one host's requests from the
    frontier hits this at once. Here each waiter gets its own Deferred, fed without consuming.

    Scrapy parses whatever body comes back, so a 503 page means "allow all". RFC 9309: a
    robots.txt that is unreachable (5xx, and 429 as Google reads it, or a network error after
    the retries) means complete disallow; one that is unavailable (4xx) means allow all.

    The spider asks for robots.txt itself (its Sitemap: lines): that request is answered from
    the copy fetched here, so under a 503 each backoff step does not hit the host twice.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self._robots_responses: dict[str, Response] = {}  # netloc -> its robots.txt

    async def process_request(self, request: Request) -> Response | None:
        if request.meta.get("role") == "robots" and urlsplit(request.url).path == "/robots.txt":
            return await self._robots_response(request)
        return await super().process_request(request)

    async def _robots_response(self, request: Request) -> Response | None:
        """The spider's own robots.txt request, answered from this middleware's fetch."""
        netloc = urlparse_cached(request).netloc
        parser = await self.robot_parser(request)
        if isinstance(parser, _DisallowAll):
            raise RobotsUnreachable(f"robots.txt unreachable ({parser.why}): {request.url}")
        response = self._robots_responses.get(netloc)
        if response is None:
            return None  # not fetched here (dropped at the time limit): the request goes on
        self.crawler.stats.inc_value("newscrawler/robots/served_from_fetch")
        request.meta["dont_retry"] = True  # a 408 answer must not loop back here
        return response.replace(request=request)

    def process_request_2(self, rp, request: Request) -> None:
        if isinstance(rp, _DisallowAll):
            raise RobotsUnreachable(f"robots.txt unreachable ({rp.why}): {request.url}")
        super().process_request_2(rp, request)

    async def robot_parser(self, request):
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(pending, Deferred):
            waiter: Deferred = Deferred()

            def relay(result):
                waiter.callback(result)
                return result

            pending.addBoth(relay)
            return await maybe_deferred_to_future(waiter)
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        self._robots_responses[netloc] = response
        if response.status >= 500 or response.status == 429:
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._unreachable(netloc, f"HTTP {response.status}")
            return
        if response.status >= 400:  # unavailable: no rules at all, whatever the error page says
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):  # not asked (the run's time limit): no verdict
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._unreachable(netloc, type(exc).__name__)

    def _unreachable(self, netloc: str, why: str) -> None:
        logger.error("robots.txt of %s unreachable (%s): assuming complete disallow (RFC 9309),"
                     " nothing is fetched from this host this run", netloc, why)
        self._stats.set_value(f"newscrawler/robots/unreachable/{netloc}", why)
        waiting = self._parsers[netloc]
        self._parsers[netloc] = parser = _DisallowAll(why)
        if isinstance(waiting, Deferred):
            waiting.callback(parser)
