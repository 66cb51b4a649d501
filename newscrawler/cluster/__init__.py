"""Scale-out: many crawl workers on one shared frontier in Redis (scrapy-redis scheduler and
dupefilter), politeness that holds across workers, and a status view.

    newscrawler crawl TARGET... --frontier redis://host:6379/0 --db postgresql://...   # seed + work
    newscrawler worker --frontier redis://host:6379/0 --db postgresql://...            # join
    newscrawler status --frontier redis://host:6379/0

Keys live under ``newscrawler:<crawl id>:`` (``--crawl-id``, default "default"); the per-domain
politeness keys under ``newscrawler:polite:`` are shared by every crawl on that Redis database,
so two crawls of one site do not add up either.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CRAWL_ID = "default"
DEFAULT_IDLE_TIMEOUT = 30.0  # seconds the frontier stays empty before a worker stops
DEFAULT_LEASE_TIMEOUT = 60.0  # a worker silent this long is dead: its requests are requeued
DEFAULT_HEARTBEAT = 2.0


class FrontierError(RuntimeError):
    """The frontier (Redis) cannot be used: bad URL or missing extra (bad usage, exit 2)."""

    exit_code = 2


class FrontierUnreachable(FrontierError):
    """The frontier's server does not answer (down, refused): the run fails, exit 1, as for
    a PostgreSQL store that cannot be reached."""

    exit_code = 1


def connect(url: str):
    """A Redis client (bytes replies) for a redis:// URL, checked with PING."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise FrontierError(f"--frontier takes a redis://host:port/db URL, not {url!r}")
    try:
        import redis
    except ImportError as exc:  # pragma: no cover - the extra is not installed
        raise FrontierError("the cluster needs the 'cluster' extra: "
                            "pip install 'newscrawler[cluster]'") from exc
    client = redis.Redis.from_url(url, socket_connect_timeout=10, socket_timeout=30,
                                  health_check_interval=30)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise FrontierUnreachable(f"cannot reach the frontier at {url}: {exc}") from exc
    return client


@dataclass(frozen=True)
class Keys:
    """Every Redis key of one crawl."""

    crawl_id: str = DEFAULT_CRAWL_ID

    @property
    def prefix(self) -> str:
        return f"newscrawler:{self.crawl_id}"

    @property
    def queue_pattern(self) -> str:  # scrapy-redis SCHEDULER_QUEUE_KEY
        return f"{self.prefix}:%(spider)s:requests"

    @property
    def dupefilter_pattern(self) -> str:  # scrapy-redis SCHEDULER_DUPEFILTER_KEY
        return f"{self.prefix}:%(spider)s:dupefilter"

    def queue(self, spider: str) -> str:  # sorted set: domains with requests, by best priority
        return self.queue_pattern % {"spider": spider}

    def dupefilter(self, spider: str) -> str:
        return self.dupefilter_pattern % {"spider": spider}

    def domain_queue(self, spider: str, domain: str) -> str:  # sorted set: that domain's requests
        return f"{self.queue(spider)}:{domain}"

    @property
    def lease_seq(self) -> str:
        return f"{self.prefix}:lease-seq"

    @property
    def workers(self) -> str:  # sorted set: worker id -> last heartbeat (Redis clock)
        return f"{self.prefix}:workers"

    @property
    def dead(self) -> str:  # set of workers found dead (their requests were requeued)
        return f"{self.prefix}:dead"

    @property
    def finished(self) -> str:  # set of workers that stopped by themselves
        return f"{self.prefix}:finished"

    @property
    def targets(self) -> str:  # hash: spider name -> JSON (targets, spider arguments)
        return f"{self.prefix}:targets"

    def inflight(self, worker: str) -> str:  # hash: lease id -> queue\nscore\nmember
        return f"{self.prefix}:inflight:{worker}"

    def worker(self, worker: str) -> str:  # hash: the worker's heartbeat record
        return f"{self.prefix}:worker:{worker}"


POLITE_PREFIX = "newscrawler:polite"


def queued_per_domain(client, queue_key: str) -> dict[str, int]:
    """Domain -> requests waiting, for one spider's queue key."""
    domains = [d.decode() for d in client.zrange(queue_key, 0, -1)]
    pipe = client.pipeline(transaction=False)
    for domain in domains:
        pipe.zcard(f"{queue_key}:{domain}")
    return dict(zip(domains, pipe.execute(), strict=True))


def cluster_settings(frontier: str, *, crawl_id: str = DEFAULT_CRAWL_ID, seed: bool = True,
                     seed_only: bool = False,
                     idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
                     lease_timeout: float = DEFAULT_LEASE_TIMEOUT,
                     base: dict | None = None) -> dict:
    """Settings that put a crawl on the shared frontier. ``base`` holds the project's
    DOWNLOADER_MIDDLEWARES / SPIDER_MIDDLEWARES / EXTENSIONS, which are extended, not replaced."""
    keys = Keys(crawl_id)
    base = base or {}
    return {
        "SCHEDULER": "newscrawler.cluster.frontier.FrontierScheduler",
        "SCHEDULER_QUEUE_CLASS": "newscrawler.cluster.frontier.LeasedQueue",
        "DUPEFILTER_CLASS": "newscrawler.cluster.frontier.FrontierDupeFilter",
        "SCHEDULER_PERSIST": True,  # a worker that stops must not clear the shared queue
        "SCHEDULER_QUEUE_KEY": keys.queue_pattern,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter_pattern,
        "REDIS_URL": frontier,
        "NEWSCRAWLER_FRONTIER": frontier,
        "NEWSCRAWLER_CRAWL_ID": crawl_id,
        "NEWSCRAWLER_CLUSTER_SEED": seed,
        "NEWSCRAWLER_CLUSTER_SEED_ONLY": seed_only,
        "NEWSCRAWLER_CLUSTER_IDLE_TIMEOUT": idle_timeout,
        "NEWSCRAWLER_CLUSTER_LEASE_TIMEOUT": lease_timeout,
        "DOWNLOADER_MIDDLEWARES": {
            **(base.get("DOWNLOADER_MIDDLEWARES") or {}),
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "newscrawler.middlewares.ConcurrentRobotsTxtMiddleware": None,
            "newscrawler.cluster.politeness.LeasedRobotsTxtMiddleware": 100,
            "newscrawler.cluster.politeness.SharedRobotsMiddleware": 940,
            "newscrawler.cluster.politeness.DomainLeaseMiddleware": 990,
        },
        "SPIDER_MIDDLEWARES": {
            **(base.get("SPIDER_MIDDLEWARES") or {}),
            "newscrawler.cluster.frontier.SeedGate": 10,
        },
        "EXTENSIONS": {
            **(base.get("EXTENSIONS") or {}),
            "newscrawler.cluster.frontier.ClusterWorker": 520,
        },
    }
