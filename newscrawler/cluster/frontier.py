"""The shared frontier: scrapy-redis's scheduler and dupefilter, with leases.

A request popped by a worker is not simply removed from Redis: one Lua script moves it from the
queue into that worker's "in flight" hash under a lease id. The lease is acked when the request
has been processed completely (callback or errback run, items through the pipelines, new
requests pushed), or handed over when the request goes back to the scheduler (a retry, a
rewritten URL). Every worker heartbeats; a worker whose heartbeat is older than the lease
timeout is dead, and any live worker's reaper moves its in-flight requests back to the queue.
The store decides the rest: an article already stored is skipped (IncrementalMiddleware), so a
requeued request is never stored twice.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from collections import deque
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from newscrawler.cluster import (
    DEFAULT_HEARTBEAT,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_LEASE_TIMEOUT,
    Keys,
    connect,
)

logger = logging.getLogger(__name__)
LEASE = "frontier_lease"  # request.meta key of the lease id

# KEYS: queue, queued-per-domain; ARGV: score, member, domain
_PUSH = """
local added = redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
if added == 1 then redis.call('HINCRBY', KEYS[2], ARGV[3], 1) end
return added
"""
# KEYS: queue, queued-per-domain, in-flight hash, lease sequence
_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local nl = string.find(r[1], '\\n', 1, true)
if nl then redis.call('HINCRBY', KEYS[2], string.sub(r[1], 1, nl - 1), -1) end
local id = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[3], id, KEYS[1] .. '\\n' .. r[2] .. '\\n' .. r[1])
return {tostring(id), r[1]}
"""
# Requeue the in-flight requests of dead workers (or of ARGV[4] when given).
# KEYS: workers, queued-per-domain, dead set; ARGV: timeout (s), prefix, own worker, only worker
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
      local v = entries[i]
      local a = string.find(v, '\\n', 1, true)
      local b = string.find(v, '\\n', a + 1, true)
      local member = string.sub(v, b + 1)
      if redis.call('ZADD', string.sub(v, 1, a - 1), string.sub(v, a + 1, b - 1), member) == 1 then
        local nl = string.find(member, '\\n', 1, true)
        if nl then redis.call('HINCRBY', KEYS[2], string.sub(member, 1, nl - 1), 1) end
      end
      n = n + 1
    end
    redis.call('DEL', h)
    if ARGV[4] == '' then
      redis.call('ZREM', KEYS[1], w)
      redis.call('SADD', KEYS[3], w)
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
        self.push_script = self.redis.register_script(_PUSH)
        self.pop_script = self.redis.register_script(_POP)
        self.reap_script = self.redis.register_script(_REAP)
        self.heartbeat_script = self.redis.register_script(_HEARTBEAT)

    @property
    def inflight_key(self) -> str:
        return self.keys.inflight(self.worker_id)

    def ack(self, request) -> None:
        lease = request.meta.get(LEASE)
        if lease is not None:
            self.redis.hdel(self.inflight_key, lease)

    def reap(self) -> int:
        """Requeue the in-flight requests of workers whose heartbeat stopped."""
        return int(self.reap_script(
            keys=[self.keys.workers, self.keys.queued, self.keys.dead],
            args=[self.lease_timeout, self.keys.prefix, self.worker_id, ""]))

    def requeue_own(self) -> int:
        return int(self.reap_script(
            keys=[self.keys.workers, self.keys.queued, self.keys.dead],
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
    """scrapy-redis's priority queue; pop moves the request into this worker's in-flight hash.

    Members are ``domain\\n`` + the serialized request, so the per-domain counts used by
    ``newscrawler status`` stay exact without decoding the queue.
    """

    state: ClusterState | None = None

    def _encode_request(self, request):
        return request_domain(request).encode() + b"\n" + super()._encode_request(request)

    def _decode_request(self, encoded_request):
        _domain, _, data = encoded_request.partition(b"\n")
        return super()._decode_request(data)

    def push(self, request):
        self.state.push_script(keys=[self.key, self.state.keys.queued],
                               args=[-request.priority, self._encode_request(request),
                                     request_domain(request)])

    def pop(self, timeout=0):
        state = self.state
        found = state.pop_script(keys=[self.key, state.keys.queued, state.inflight_key,
                                       state.keys.lease_seq])
        if not found:
            return None
        lease, data = found
        request = self._decode_request(data)
        request.meta[LEASE] = lease.decode()
        return request


class FrontierDupeFilter(RFPDupeFilter):
    """scrapy-redis's shared seen-set (one per crawl and spider, cleared when a new crawl run
    seeds an idle frontier), built from the crawler without deprecated paths."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls.from_spider(crawler.spider) if crawler.spider else super().from_crawler(crawler)

    def log(self, request, spider):  # scrapy-redis's log() passes the removed spider argument
        self.logdupes = False


class FrontierScheduler(Scheduler):
    """scrapy-redis's scheduler on our leased queue; pushing a request that holds a lease (a
    retry, a rewritten request) hands the lease over; leftover leases go back on close."""

    @classmethod
    def from_crawler(cls, crawler):
        instance = cls.from_settings(crawler.settings)
        instance.stats = crawler.stats
        instance.crawler = crawler
        instance.state = cluster_state(crawler)
        # `crawl --seed-only`: push the start requests, take nothing from the frontier
        instance.seed_only = crawler.settings.getbool("NEWSCRAWLER_CLUSTER_SEED_ONLY")
        return instance

    def open(self, spider):
        result = super().open(spider)
        self.queue.state = self.state
        return result

    def close(self, reason):
        moved = self.state.requeue_own()
        if moved:
            logger.info("%d in-flight request(s) returned to the frontier", moved)
        return super().close(reason)

    def enqueue_request(self, request):
        lease = request.meta.pop(LEASE, None)
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.stats.inc_value("newscrawler/cluster/filtered_duplicate")
                return False
            self.queue.push(request)
            self.stats.inc_value("scheduler/enqueued/redis")
            return True
        finally:
            if lease is not None:  # the new request is in the queue: the old lease is done
                self.state.redis.hdel(self.state.inflight_key, lease)

    def has_pending_requests(self):
        return False if self.seed_only else super().has_pending_requests()

    def next_request(self):
        if self.seed_only:
            return None
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


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
    * a poll nudges the engine every 0.25 s, so requests pushed by other workers are taken at
      once (Scrapy's own heartbeat is 5 s);
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
        poll = task.LoopingCall(self.poll)
        poll.start(0.25, now=False)
        self.loops = [beat, poll]

    def poll(self) -> None:
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        if slot is not None and not engine.downloader.needs_backout():
            slot.nextcall.schedule()

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
