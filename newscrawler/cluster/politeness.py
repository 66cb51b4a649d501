"""Politeness across workers: a domain lease held by every download, and one shared robots.txt
per host.

A request popped from the frontier comes with its domain's lease (leases.py): at most
CONCURRENT_REQUESTS_PER_DOMAIN (the spider's, so profiles keep their own) downloads at once
and DOWNLOAD_DELAY seconds between two starts, over all workers together. DomainLeaseMiddleware
sits after HostMapMiddleware, right before the downloader: it takes a lease for a request that
has none (robots.txt downloads, which do not go through the frontier), waiting with
``await asyncio.sleep`` (the reactor keeps running), and returns the lease as soon as the
response or the error comes back. A request that has to wait for its host's robots.txt gives
its lease back meanwhile (LeasedRobotsTxtMiddleware): the robots.txt download needs one. The
request's download slot is named after the real domain, so local slots are per site even when
a local server serves several sites.

SharedRobotsMiddleware keeps each host's robots.txt in Redis (TTL
NEWSCRAWLER_CLUSTER_ROBOTS_TTL, default one day): the first worker to need it fetches it (the
others wait for it), every other request for that robots.txt, from Scrapy's RobotsTxtMiddleware
or from discovery, is answered from Redis.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from newscrawler.cluster import POLITE_PREFIX
from newscrawler.cluster.frontier import cluster_state, request_domain
from newscrawler.cluster.leases import ACQUIRE, TOKEN, leases_key
from newscrawler.middlewares import ConcurrentRobotsTxtMiddleware

logger = logging.getLogger(__name__)


def release_domain_lease(state, request) -> None:
    held = request.meta.pop(TOKEN, None)
    if held:
        domain, token = held
        state.redis.zrem(leases_key(POLITE_PREFIX, domain), token)


class DomainLeaseMiddleware:
    def __init__(self, crawler):
        self.state = cluster_state(crawler)
        self.acquire = self.state.redis.register_script(ACQUIRE)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("NEWSCRAWLER_FRONTIER"):
            raise NotConfigured
        return cls(crawler)

    async def process_request(self, request):
        domain = request_domain(request)
        if not domain:
            return None
        request.meta.setdefault("download_slot", domain)
        if TOKEN in request.meta:
            return None  # taken with the pop
        token = f"{self.state.keys.workers}|{self.state.worker_id}|{uuid.uuid4().hex}"
        started = time.monotonic()
        while True:
            wait = int(self.acquire(keys=[], args=[*self.state.lease_args(), domain, token]))
            if wait == 0:
                break
            await asyncio.sleep(self.state.busy_poll if wait < 0 else min(wait / 1000, 5.0))
        waited = time.monotonic() - started
        if waited > 0.001:
            self.stats.inc_value("newscrawler/cluster/domain_wait_ms", int(waited * 1000))
        request.meta[TOKEN] = (domain, token)
        return None

    def process_response(self, request, response):
        release_domain_lease(self.state, request)
        return response

    def process_exception(self, request, exception):
        release_domain_lease(self.state, request)
        return None


class LeasedRobotsTxtMiddleware(ConcurrentRobotsTxtMiddleware):
    """A request that must wait for its host's robots.txt gives its domain lease back first:
    the robots.txt download takes one, and the waiting requests may hold them all.
    DomainLeaseMiddleware takes a new one when the request reaches the downloader."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.state = cluster_state(crawler)

    async def robot_parser(self, request):
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers or isinstance(self._parsers[netloc], Deferred):
            release_domain_lease(self.state, request)
        return await super().robot_parser(request)


class SharedRobotsMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.state = cluster_state(crawler)
        self.ttl = int(crawler.settings.getfloat("NEWSCRAWLER_CLUSTER_ROBOTS_TTL", 86400))
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("NEWSCRAWLER_FRONTIER"):
            raise NotConfigured
        return cls(crawler)

    @staticmethod
    def _key(url: str) -> str | None:
        parts = urlsplit(url)
        if parts.path != "/robots.txt" or not parts.hostname:
            return None
        return f"{POLITE_PREFIX}:robots:{parts.scheme}://{parts.netloc.lower()}"

    async def process_request(self, request):
        if "hostmap_original_url" in request.meta or "robots_cache_key" in request.meta:
            return None
        key = self._key(request.url)
        if key is None:
            return None
        redis = self.state.redis
        deadline = time.monotonic() + 60
        while True:
            cached = redis.get(key)
            if cached is not None:
                self.stats.inc_value("newscrawler/cluster/robots_shared")
                return self._response(request, cached)
            if redis.set(key + ":lock", self.state.worker_id, nx=True, ex=60):
                request.meta["robots_cache_key"] = key
                return None  # this worker fetches it for everyone
            holder = redis.get(key + ":lock")
            if holder and redis.zscore(self.state.keys.workers, holder) is None:
                redis.delete(key + ":lock")  # its worker died (reaped) before filling it
                continue
            if time.monotonic() > deadline:
                return None
            await asyncio.sleep(0.05)

    @staticmethod
    def _response(request, cached: bytes):
        head, _, body = cached.partition(b"\n")
        info = json.loads(head)
        headers = Headers(info.get("headers") or {})
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, status=info["status"], headers=headers, body=body,
                   request=request)

    def process_response(self, request, response):
        key = request.meta.pop("robots_cache_key", None)
        if key is not None:
            if response.status < 500:
                ctype = response.headers.get("Content-Type")
                head = {"status": response.status,
                        "headers": {"Content-Type": ctype.decode("latin-1")} if ctype else {}}
                self.state.redis.set(key, json.dumps(head).encode() + b"\n" + response.body,
                                     ex=self.ttl)
                self.stats.inc_value("newscrawler/cluster/robots_fetched")
            self.state.redis.delete(key + ":lock")
        return response

    def process_exception(self, request, exception):
        key = request.meta.pop("robots_cache_key", None)
        if key is not None:
            self.state.redis.delete(key + ":lock")
        return None
