"""Politeness across workers: a per-domain lease in Redis before every download, and one shared
robots.txt per host.

DomainLeaseMiddleware sits after HostMapMiddleware, right before the downloader. Before a
request leaves, it takes a lease on the request's real domain from a Lua script that holds, in
Redis, the domain's current downloads (a sorted set of lease tokens with an expiry) and the
earliest time the next one may start: at most CONCURRENT_REQUESTS_PER_DOMAIN (the spider's, so
profiles keep their own) downloads at once and DOWNLOAD_DELAY seconds between two starts, over
all workers together. Waiting is ``await asyncio.sleep`` (the reactor keeps running). The lease
is returned when the response or the error comes back; a lease held by a worker that dies
expires after DOWNLOAD_TIMEOUT + 30 s. The Redis clock (TIME) is used, so hosts whose clocks
differ still agree. The request's download slot is named after the real domain, so local
slots are per site even when a local server serves several sites.

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

from newscrawler.cluster import POLITE_PREFIX
from newscrawler.cluster.frontier import cluster_state, request_domain
from newscrawler.middlewares import ConcurrentRobotsTxtMiddleware  # noqa: F401 (settings path)

logger = logging.getLogger(__name__)
TOKEN = "domain_lease"

# KEYS: the domain's lease set, its next-start key
# ARGV: limit, delay (ms), token, lease ttl (ms), worker lease timeout (s)
# A token is "<workers key>|<worker id>|<random>": a token whose worker is no longer alive
# (reaped, or silent for the worker lease timeout) is dropped at once, so a SIGKILLed worker
# does not hold the domain until the token's own ttl.
# Returns 0 (taken) or the ms to wait (-1: the domain is at its limit).
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, token in ipairs(held) do
  local a = string.find(token, '|', 1, true)
  local b = a and string.find(token, '|', a + 1, true)
  if b then
    local seen = redis.call('ZSCORE', string.sub(token, 1, a - 1), string.sub(token, a + 1, b - 1))
    if not seen or tonumber(seen) * 1000 < now - tonumber(ARGV[5]) * 1000 then
      redis.call('ZREM', KEYS[1], token)
    end
  end
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return -1 end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt > now then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) * 2)
local delay = tonumber(ARGV[2])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay + 60000) end
return 0
"""


class DomainLeaseMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.state = cluster_state(crawler)
        settings = crawler.settings
        self.limit = settings.getint("NEWSCRAWLER_CLUSTER_DOMAIN_CONCURRENCY") or \
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2)
        self.delay_ms = int(settings.getfloat("DOWNLOAD_DELAY", 0) * 1000)
        self.ttl_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT", 180) + 30) * 1000)
        self.poll = settings.getfloat("NEWSCRAWLER_CLUSTER_POLL", 0.01)
        self.acquire = self.state.redis.register_script(_ACQUIRE)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("NEWSCRAWLER_FRONTIER"):
            raise NotConfigured
        return cls(crawler)

    @staticmethod
    def _keys(domain: str) -> list[str]:
        return [f"{POLITE_PREFIX}:{domain}:leases", f"{POLITE_PREFIX}:{domain}:next"]

    async def process_request(self, request):
        domain = request_domain(request)
        if not domain:
            return None
        request.meta.setdefault("download_slot", domain)
        token = f"{self.state.keys.workers}|{self.state.worker_id}|{uuid.uuid4().hex}"
        keys = self._keys(domain)
        started = time.monotonic()
        while True:
            wait = int(self.acquire(keys=keys, args=[self.limit, self.delay_ms, token,
                                                     self.ttl_ms, self.state.lease_timeout]))
            if wait == 0:
                break
            await asyncio.sleep(self.poll if wait < 0 else min(wait / 1000, 5.0))
        waited = time.monotonic() - started
        if waited > 0.001:
            self.stats.inc_value("newscrawler/cluster/domain_wait_ms", int(waited * 1000))
        request.meta[TOKEN] = (domain, token)
        return None

    def _release(self, request) -> None:
        held = request.meta.pop(TOKEN, None)
        if held:
            domain, token = held
            self.state.redis.zrem(self._keys(domain)[0], token)

    def process_response(self, request, response):
        self._release(request)
        return response

    def process_exception(self, request, exception):
        self._release(request)
        return None


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
