"""The shared frontier: scrapy-redis's scheduler and dupefilter, with a queue per domain and
leases.

Each spider's requests wait in one Redis sorted set per domain (priority order); a sorted set of
the domains that have work, scored by their best request, says where to look. One Lua script
per pop picks the first domain (by priority) whose domain lease is free (politeness across
workers, see leases.py), takes that lease and moves the request into this worker's "in flight"
hash under a lease id: one round trip, and a request only leaves Redis when it can be
downloaded at once. When no domain is free the scheduler wakes the engine when one will be
(Scrapy's engine asks the scheduler again only on its 5 s heartbeat or when a download ends).

The in-flight lease is acked when the request has been processed completely (callback or
errback run, items through the pipelines, new requests pushed), or handed over when the
request goes back to the frontier (a retry, a redirect). Every worker heartbeats; a worker
whose heartbeat is older than the lease timeout is dead, and any live worker's reaper moves its
in-flight requests back to their queues. The store decides the rest: an article already stored
is skipped (IncrementalMiddleware), so a requeued request is never stored twice.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
import warnings
from collections import deque
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured, ScrapyDeprecationWarning
from scrapy.http import Request
from scrapy.utils.asyncio import call_later
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from newscrawler.cluster import (
    DEFAULT_HEARTBEAT,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_LEASE_TIMEOUT,
    POLITE_PREFIX,
    Keys,
    connect,
    queued_per_domain,
)
from newscrawler.cluster.leases import LEASE_LUA, TOKEN

logger = logging.getLogger(__name__)
LEASE = "frontier_lease"  # request.meta key of the in-flight lease id
MAX_DOMAINS_PER_POP = 256  # domains a pop looks at, best priority first
EMPTY_POLL = 0.25  # s: how soon to look again when the frontier is empty (other workers push)

# KEYS: the spider's domains, the seen-set (or none: dont_filter); ARGV: score, member,
# domain, fingerprint. The seen-set check and the push in one round trip; 0: seen before.
_PUSH = """
if KEYS[2] and redis.call('SADD', KEYS[2], ARGV[4]) == 0 then return 0 end
local added = redis.call('ZADD', KEYS[1] .. ':' .. ARGV[3], ARGV[1], ARGV[2])
if added == 1 then redis.call('ZADD', KEYS[1], 'LT', ARGV[1], ARGV[3]) end
return 1
"""
# KEYS: the spider's domains, in-flight hash, lease sequence; ARGV: the lease prelude's, then
# the most domains to look at. Returns {lease id, domain token, request}, or the ms until a
# domain may be free (-1: all at their limit), or nil when no request is queued.
_POP = LEASE_LUA + """
local busy = false
local soonest
for _, domain in ipairs(redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[8]) - 1)) do
  local wait = domain_wait(domain)
  if wait == 0 then
    local queue = KEYS[1] .. ':' .. domain
    local popped = redis.call('ZPOPMIN', queue)
    local head = redis.call('ZRANGE', queue, 0, 0, 'WITHSCORES')
    if #head == 0 then redis.call('ZREM', KEYS[1], domain)
    else redis.call('ZADD', KEYS[1], head[2], domain) end
    local id = redis.call('INCR', KEYS[3])
    local token = ARGV[6] .. '|' .. ARGV[7] .. '|' .. id
    take_domain(domain, token)
    redis.call('HSET', KEYS[2], id,
               KEYS[1] .. '\\n' .. domain .. '\\n' .. popped[2] .. '\\n' .. popped[1])
    return {tostring(id), token, popped[1]}
  end
  busy = true
  if wait > 0 and (not soonest or wait < soonest) then soonest = wait end
end
if soonest then return soonest end
if busy then return -1 end
return false
"""
# Requeue the in-flight requests of dead workers (or of ARGV[4] when given).
# KEYS: workers, dead set; ARGV: timeout (s), prefix, own worker, only worker
_REAP = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local dead
if ARGV[4] ~= '' then dead = {ARGV[4]} else
  dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
end
local n = 0
for _, w in ipairs(dead) do
  if w ~= ARGV[3] or ARGV[4] ~= '' then
    local h = ARGV[2] .. ':inflight:' .. w
    local entries = redis.call('HGETALL', h)
    for i = 2, #entries, 2 do
      local v = entries[i]  -- domains key, domain, score, request
      local a = string.find(v, '\\n', 1, true)
      local b = string.find(v, '\\n', a + 1, true)
      local c = string.find(v, '\\n', b + 1, true)
      local domains, domain = string.sub(v, 1, a - 1), string.sub(v, a + 1, b - 1)
      local score = string.sub(v, b + 1, c - 1)
      if redis.call('ZADD', domains .. ':' .. domain, score, string.sub(v, c + 1)) == 1 then
        redis.call('ZADD', domains, 'LT', score, domain)
      end
      n = n + 1
    end
    redis.call('DEL', h)
    if ARGV[4] == '' then
      redis.call('ZREM', KEYS[1], w)
      redis.call('SADD', KEYS[2], w)
      redis.call('HSET', ARGV[2] .. ':worker:' .. w, 'state', 'dead', 'requeued', n)
    end
  end
end
return n
"""
# KEYS: workers zset, worker hash; ARGV: worker id, JSON-free flat field/value pairs...
_HEARTBEAT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('HSET', KEYS[2], 'last_seen', tostring(now), unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[2], 7 * 86400)
return tostring(now)
"""


def request_domain(request) -> str:
    """The real host of a request (the local server's address is not the site)."""
    url = request.meta.get("hostmap_original_url") or request.url
    return (urlsplit(url).hostname or "").lower()


class ClusterState:
    """Per crawler: the Redis client, the keys, this worker's id and its in-flight leases."""

    def __init__(self, crawler):
        settings = crawler.settings
        self.frontier = settings.get("NEWSCRAWLER_FRONTIER") or settings.get("REDIS_URL")
        if not self.frontier:
            raise NotConfigured("no NEWSCRAWLER_FRONTIER")
        self.crawler = crawler
        self.redis = connect(self.frontier)
        self.keys = Keys(settings.get("NEWSCRAWLER_CRAWL_ID") or "default")
        host = socket.gethostname()
        spider = crawler.spidercls.name
        self.worker_id = f"{host}:{os.getpid()}:{spider}:{uuid.uuid4().hex[:6]}"
        self.idle_timeout = settings.getfloat("NEWSCRAWLER_CLUSTER_IDLE_TIMEOUT",
                                              DEFAULT_IDLE_TIMEOUT)
        self.lease_timeout = settings.getfloat("NEWSCRAWLER_CLUSTER_LEASE_TIMEOUT",
                                               DEFAULT_LEASE_TIMEOUT)
        self.heartbeat_interval = settings.getfloat(
            "NEWSCRAWLER_CLUSTER_HEARTBEAT", min(DEFAULT_HEARTBEAT, self.lease_timeout / 4))
        # per-domain politeness over all workers: the spider's limit, so profiles keep theirs
        self.domain_limit = settings.getint("NEWSCRAWLER_CLUSTER_DOMAIN_CONCURRENCY") or \
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2)
        self.delay_ms = int(settings.getfloat("DOWNLOAD_DELAY", 0) * 1000)
        # a domain lease outlives any download (a dead worker's leases are dropped sooner)
        self.domain_lease_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT", 180) + 30) * 1000)
        # how soon to look again when every domain with queued work is at its limit
        self.busy_poll = settings.getfloat("NEWSCRAWLER_CLUSTER_POLL", 0.01)
        self.push_script = self.redis.register_script(_PUSH)
        self.pop_script = self.redis.register_script(_POP)
        self.reap_script = self.redis.register_script(_REAP)
        self.heartbeat_script = self.redis.register_script(_HEARTBEAT)

    @property
    def inflight_key(self) -> str:
        return self.keys.inflight(self.worker_id)

    def lease_args(self) -> list:
        """The first ARGV of every domain lease script (leases.LEASE_LUA)."""
        return [POLITE_PREFIX, self.domain_limit, self.delay_ms, self.domain_lease_ms,
                self.lease_timeout, self.keys.workers, self.worker_id]

    def ack(self, request) -> None:
        lease = request.meta.get(LEASE)
        if lease is not None:
            self.redis.hdel(self.inflight_key, lease)

    def reap(self) -> int:
        """Requeue the in-flight requests of workers whose heartbeat stopped."""
        return int(self.reap_script(
            keys=[self.keys.workers, self.keys.dead],
            args=[self.lease_timeout, self.keys.prefix, self.worker_id, ""]))

    def requeue_own(self) -> int:
        return int(self.reap_script(
            keys=[self.keys.workers, self.keys.dead],
            args=[self.lease_timeout, self.keys.prefix, self.worker_id, self.worker_id]))

    def heartbeat(self, **fields) -> None:
        flat: list = [self.worker_id]
        for k, v in fields.items():
            flat += [k, v if isinstance(v, (int, float, str)) else json.dumps(v)]
        self.heartbeat_script(keys=[self.keys.workers, self.keys.worker(self.worker_id)],
                              args=flat)

    def busy_elsewhere(self) -> bool:
        """Does any live worker hold requests in flight (that may yield more work)?"""
        workers = [w.decode() for w in self.redis.zrange(self.keys.workers, 0, -1)]
        pipe = self.redis.pipeline(transaction=False)
        for w in workers:
            pipe.hlen(self.keys.inflight(w))
        return any(pipe.execute())


def cluster_state(crawler) -> ClusterState:
    state = getattr(crawler, "_newscrawler_cluster", None)
    if state is None:
        state = ClusterState(crawler)
        crawler._newscrawler_cluster = state
    return state


class LeasedQueue(PriorityQueue):
    """A queue per domain under scrapy-redis's queue key (which holds the domains that have
    work); pop takes a request only from a domain whose lease is free, with the lease."""

    state: ClusterState | None = None

    def __len__(self) -> int:
        return sum(queued_per_domain(self.server, self.key).values())

    def clear(self) -> None:
        domains = queued_per_domain(self.server, self.key)
        self.server.delete(self.key, *(f"{self.key}:{d}" for d in domains))

    def push(self, request, seen_key: str | None = None, fingerprint: str = "") -> bool:
        """Queue the request; with a seen-set, only when its fingerprint is new there
        (False: seen before, not queued)."""
        keys = [self.key] if seen_key is None else [self.key, seen_key]
        return bool(self.state.push_script(keys=keys, args=[
            -request.priority, self._encode_request(request), request_domain(request),
            fingerprint]))

    def pop_or_wait(self) -> tuple[Request | None, float | None]:
        """(a request with its in-flight lease and its domain lease, None), or (None, seconds
        until a domain may be free), or (None, None) when nothing is queued."""
        state = self.state
        found = state.pop_script(keys=[self.key, state.inflight_key, state.keys.lease_seq],
                                 args=[*state.lease_args(), MAX_DOMAINS_PER_POP])
        if found is None:
            return None, None
        if isinstance(found, int):
            return None, found / 1000 if found > 0 else state.busy_poll
        lease, token, data = found
        request = self._decode_request(data)
        request.meta[LEASE] = lease.decode()
        request.meta[TOKEN] = (request_domain(request), token.decode())
        return request, None


class FrontierDupeFilter(RFPDupeFilter):
    """scrapy-redis's shared seen-set (one per crawl and spider, cleared when a new crawl run
    seeds an idle frontier), built from the crawler without deprecated paths."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls.from_spider(crawler.spider) if crawler.spider else super().from_crawler(crawler)

    def log(self, request, spider):  # scrapy-redis's log() passes the removed spider argument
        self.logdupes = False


class FrontierScheduler(Scheduler):
    """scrapy-redis's scheduler on our leased queue.

    A request that comes back still holding its domain lease (the incremental check's
    conditional refetch) goes out next, from memory; any other request pushed while it holds an
    in-flight lease (a retry, a redirect) goes to the frontier and hands the lease over.
    Leftover leases go back on close.
    """

    @classmethod
    def from_crawler(cls, crawler):
        instance = cls.from_settings(crawler.settings)
        instance.stats = crawler.stats
        instance.crawler = crawler
        instance.state = cluster_state(crawler)
        # `crawl --seed-only`: push the start requests, take nothing from the frontier
        instance.seed_only = crawler.settings.getbool("NEWSCRAWLER_CLUSTER_SEED_ONLY")
        instance.ready: deque[Request] = deque()
        instance.wake_at: float | None = None
        return instance

    def open(self, spider):
        with warnings.catch_warnings():
            # scrapy-redis announces a resumed crawl with the deprecated Spider.log()
            warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated",
                                    category=ScrapyDeprecationWarning)
            result = super().open(spider)
        self.queue.state = self.state
        return result

    def close(self, reason):
        moved = self.state.requeue_own()
        if moved:
            logger.info("%d in-flight request(s) returned to the frontier", moved)
        return super().close(reason)

    def enqueue_request(self, request):
        if TOKEN in request.meta:
            self.ready.append(request)
            return True
        lease = request.meta.pop(LEASE, None)
        try:
            if request.dont_filter:
                self.queue.push(request)
            elif not self.queue.push(request, self.df.key, self.df.request_fingerprint(request)):
                self.stats.inc_value("newscrawler/cluster/filtered_duplicate")
                return False
            self.stats.inc_value("scheduler/enqueued/redis")
            return True
        finally:
            if lease is not None:  # the new request is in the queue: the old lease is done
                self.state.redis.hdel(self.state.inflight_key, lease)

    def has_pending_requests(self):
        if self.seed_only:
            return False
        return bool(self.ready) or self.state.redis.exists(self.queue.key) > 0

    def next_request(self):
        if self.seed_only:
            return None
        if self.ready:
            return self.ready.popleft()
        request, wait = self.queue.pop_or_wait()
        if request is None:
            self.wake_engine_in(EMPTY_POLL if wait is None else wait)
            return None
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def wake_engine_in(self, seconds: float) -> None:
        """Have the engine ask again in ``seconds``: it would otherwise wait for a download of
        its own to end, or for its 5 s heartbeat."""
        due = time.monotonic() + seconds
        if self.wake_at is not None and self.wake_at <= due:
            return
        self.wake_at = due
        call_later(seconds, self._wake, due)

    def _wake(self, due: float) -> None:
        if self.wake_at != due:
            return  # superseded by an earlier wake-up
        self.wake_at = None
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()


class SeedGate:
    """Only a seeding process (``newscrawler crawl --frontier``) runs the spider's async
    start(); a joining worker (``newscrawler worker``) takes its work from the frontier."""

    def __init__(self, seed: bool):
        self.seed = seed

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("NEWSCRAWLER_FRONTIER"):
            raise NotConfigured
        return cls(crawler.settings.getbool("NEWSCRAWLER_CLUSTER_SEED", True))

    async def process_start(self, start):
        if not self.seed:
            return
        async for item_or_request in start:
            yield item_or_request


def _errors(stats: dict) -> int:
    return sum(v for k, v in stats.items() if isinstance(v, int)
               and k.startswith("newscrawler/errors/")
               and not k.startswith("newscrawler/errors/role_"))


class ClusterWorker:
    """Heartbeats (pages/min, articles, errors), the reaper, acks, and stopping when idle.

    * acks: a request's lease is released once Scrapy has processed it completely;
    * the reaper runs with every heartbeat and requeues the requests of dead workers;
    * the spider stays open while the frontier has work or any live worker has requests in
      flight, and closes after NEWSCRAWLER_CLUSTER_IDLE_TIMEOUT seconds without either.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.state = cluster_state(crawler)
        self.idle_since: float | None = None
        self.samples: deque[tuple[float, int]] = deque()
        self.started = time.time()
        self.loops = []
        self.finished = False

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("NEWSCRAWLER_FRONTIER"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def engine_started(self) -> None:
        from twisted.internet import task

        engine = self.crawler.engine
        scraper = engine.scraper
        original = scraper._scrape
        state = self.state

        async def scrape_then_ack(result, request):
            try:
                return await original(result, request)
            finally:
                state.ack(request)

        scraper._scrape = scrape_then_ack
        self.beat()
        beat = task.LoopingCall(self.beat)
        beat.start(self.state.heartbeat_interval, now=False)
        self.loops = [beat]

    def beat(self) -> None:
        try:
            stats = self.crawler.stats.get_stats()
            now = time.time()
            pages = stats.get("downloader/response_count", 0)
            self.samples.append((now, pages))
            while len(self.samples) > 2 and self.samples[0][0] < now - 60:
                self.samples.popleft()
            t0, p0 = self.samples[0]
            span = now - t0
            per_min = (pages - p0) * 60.0 / span if span >= 1 else 0.0
            self.state.heartbeat(
                host=socket.gethostname(), pid=os.getpid(),
                spider=self.crawler.spidercls.name, started=self.started,
                state="finished" if self.finished else "running",
                pages=pages, pages_per_min=round(per_min, 1),
                articles=stats.get("newscrawler/store/new", 0)
                + stats.get("newscrawler/store/updated", 0),
                errors=_errors(stats), inflight=self.state.redis.hlen(self.state.inflight_key))
            moved = self.state.reap()
            if moved:
                self.crawler.stats.inc_value("newscrawler/cluster/requeued_from_dead", moved)
                logger.warning("a worker died: %d of its requests returned to the frontier",
                               moved)
        except Exception:  # noqa: BLE001 - a Redis hiccup must not kill the crawl
            logger.exception("cluster heartbeat failed")

    def spider_idle(self, spider) -> None:
        if self.crawler.settings.getbool("NEWSCRAWLER_CLUSTER_SEED_ONLY"):
            return  # seeded: done
        state = self.state
        # the engine is idle: a lease this worker still holds was never acked (none should be)
        stale = state.requeue_own()
        if stale:
            self.crawler.stats.inc_value("newscrawler/cluster/stale_leases_requeued", stale)
        queued = state.redis.zcard(state.keys.queue(spider.name))
        if queued or state.busy_elsewhere():
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < state.idle_timeout:
            raise DontCloseSpider
        logger.info("the frontier has been empty for %.0f s: this worker stops",
                    now - self.idle_since)

    def spider_closed(self, spider, reason) -> None:
        for loop in self.loops:
            if loop.running:
                loop.stop()
        self.finished = True
        self.beat()
        self.state.redis.zrem(self.state.keys.workers, self.state.worker_id)
        self.state.redis.sadd(self.state.keys.finished, self.state.worker_id)
