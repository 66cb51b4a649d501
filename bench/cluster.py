"""Crawl-cluster throughput against a local server that adds 50 ms to every answer and serves
each host on a loopback address of its own (127.0.0.2, 127.0.0.3, ...).

1. Scaling: pages/s with 1, 2 and 4 workers on one Redis frontier, the per-domain limit checked
   on the server's request log, CPU per worker. ``--worker-concurrency`` (CONCURRENT_REQUESTS
   per worker) is kept low by default so one worker cannot fill the hosts' slots (8 hosts x 2)
   and the run measures the cluster, not one process's CPU: pages here cost ~15 ms of CPU, so
   on a small machine the cores, not the frontier, cap what more workers can add.
2. One process, same limits (CONCURRENT_REQUESTS 16, 2 per host): bare Scrapy that only
   downloads the pages (Scrapy's default scheduler, our PoliteDownloader so the per-host limit
   holds), our plain crawl (extraction and storage on), and one cluster worker. Without a
   download delay all three are CPU-bound on a small machine; with ``--polite-delay`` seconds
   between two requests to a host (no jitter), as a real crawl has, the politeness binds.

Variants run interleaved, ``--rounds`` times, best and median reported.

    .venv/bin/python bench/cluster.py [--hosts 8] [--per-host 150] [--workers 1 2 4] [--rounds 2]

Needs redis-server (scripts/ensure-redis.sh) and PostgreSQL (scripts/ensure-postgres.sh); the
store is a fresh PostgreSQL database per run (SQLite with --sqlite).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cluster_support import (  # noqa: E402
    RedisServer,
    TimedFixtureServer,
    cluster_command,
    make_sites,
    spawn,
)
from tests.sites import TEST_SETTINGS  # noqa: E402

LIMIT = 2
TICK = os.sysconf("SC_CLK_TCK")
BARE_SPIDER = '''
import json, sys
sys.path.insert(0, %(root)r)  # newscrawler.downloader
import scrapy
from scrapy.crawler import CrawlerProcess

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for url in json.load(open(sys.argv[1])):
            yield scrapy.Request(url, callback=self.parse)
    def parse(self, response):
        pass

settings = {"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": %(limit)d,
            "DOWNLOAD_DELAY": %(delay)r, "DOWNLOAD_DELAY_JITTER": 0,
            "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,
            "DOWNLOADER": "newscrawler.downloader.PoliteDownloader",
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor"}
process = CrawlerProcess(settings)
process.crawl(Bare)
process.start()
'''


def ours(delay: float) -> tuple[str, ...]:
    """Our settings on top of the test ones (no AutoThrottle), as the bare spider has them."""
    return ("-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={LIMIT}", "-s", f"DOWNLOAD_DELAY={delay}",
            "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "LOG_LEVEL=WARNING")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def watch(server, procs, timeout: float = 900) -> float:
    """Wait for the processes; return their CPU seconds from the first request the server saw
    to the last one (sampled every 20 ms while the request log grows)."""
    deadline = time.monotonic() + timeout
    seen, first_cpu, last_cpu = 0, None, 0.0
    latest = {p.pid: 0.0 for p in procs}  # a process that ended keeps its last reading
    while any(p.poll() is None for p in procs):
        if time.monotonic() > deadline:
            for p in procs:
                p.kill()
            raise RuntimeError("a bench process did not finish")
        count = len(server.timed)
        for p in procs:
            latest[p.pid] = max(latest[p.pid], cpu_seconds(p.pid))
        cpu = sum(latest.values())
        if count and first_cpu is None:
            first_cpu = cpu
        if count != seen:
            seen, last_cpu = count, cpu
        time.sleep(0.02)
    return last_cpu - (first_cpu or 0.0)


def rate(server) -> tuple[int, float]:
    timed = server.timed
    span = max(t.end for t in timed) - min(t.start for t in timed)
    return len(timed), len(timed) / span


def steady_rate(server) -> float:
    """Pages/s between the 10th and the 90th percentile of request starts: the crawl without
    its ramp-up (robots.txt, home, sitemaps: a chain of answers before articles queue up) and
    its tail (the last hosts' queues drain one at a time, two requests per host)."""
    starts = sorted(t.start for t in server.timed)
    lo, hi = starts[len(starts) // 10], starts[len(starts) * 9 // 10]
    return (len(starts) * 9 // 10 - len(starts) // 10) / (hi - lo)


class Bench:
    def __init__(self, args, tmp: Path, pg):
        self.args, self.tmp, self.pg = args, tmp, pg
        self.sites = make_sites(tmp / "sites", args.hosts, args.per_host)
        self.targets = [f"https://{s.host}/" for s in self.sites]
        self.redis = RedisServer(tmp / "redis").start()
        self.pages: list[tuple[str, str]] = []  # (host, path) our plain crawl fetched
        self.runs = 0

    def server(self) -> TimedFixtureServer:
        return TimedFixtureServer([s.folder for s in self.sites], delay=self.args.delay,
                                  own_addresses=True)

    def db(self) -> str:
        self.runs += 1
        if self.pg is None:
            return f"sqlite:///{self.tmp / f'run{self.runs}.sqlite3'}"
        return self.pg.new_database()

    def log(self, name: str) -> Path:
        return self.tmp / f"{name}-{self.runs}.log"

    def cluster(self, workers: int, concurrency: int, delay: float = 0.0) -> dict:
        import redis

        extra = (*ours(delay), "-s", f"CONCURRENT_REQUESTS={concurrency}")
        with self.server() as server:
            redis.Redis.from_url(self.redis.url).flushdb()
            db = self.db()
            procs = [spawn(cluster_command("worker", server, self.redis.url, db, *extra,
                                           crawl_id="bench", idle=6.0),
                           self.log(f"w{workers}-{i}")) for i in range(workers)]
            time.sleep(2.5)  # the workers are up and waiting: time the crawl, not imports
            seed = spawn(cluster_command("crawl", server, self.redis.url, db, *extra,
                                         "--seed-only", targets=self.targets,
                                         crawl_id="bench"), self.log(f"w{workers}-seed"))
            cpu = watch(server, [seed, *procs])
            return self.result(server, cpu, workers)

    def plain(self, delay: float = 0.0) -> dict:
        with self.server() as server:
            cmd = [sys.executable, "-m", "newscrawler", "crawl", *self.targets, "--db", self.db(),
                   "-s", "NEWSCRAWLER_HOST_MAP=" + json.dumps(server.host_map()),
                   *TEST_SETTINGS, *ours(delay)]
            cpu = watch(server, [spawn(cmd, self.log("plain"))])
            self.pages = sorted({(t.host, t.path) for t in server.timed})
            return self.result(server, cpu)

    def bare(self, delay: float = 0.0) -> dict:
        with self.server() as server:
            local = server.host_map()
            urls = self.tmp / "urls.json"
            urls.write_text(json.dumps([f"{local[h]}/{h}{p}" for h, p in self.pages]))
            script = self.tmp / "bare.py"
            script.write_text(BARE_SPIDER % {"limit": LIMIT, "root": str(ROOT), "delay": delay})
            cpu = watch(server, [spawn([sys.executable, str(script), str(urls)],
                                       self.log("bare"))])
            return self.result(server, cpu)

    def result(self, server, cpu: float, workers: int = 1) -> dict:
        pages, per_s = rate(server)
        span = pages / per_s
        return {"pages": pages, "pages_per_s": round(per_s, 1),
                "steady_pages_per_s": round(steady_rate(server), 1),
                "max_per_host": max(server.max_concurrency().values()),
                "cpu_ms_per_page": round(cpu * 1000 / pages, 1),
                "cpu_per_worker": round(cpu / span / workers, 2)}


def summary(runs: list[dict]) -> dict:
    rates = [r["pages_per_s"] for r in runs]
    best = max(runs, key=lambda r: r["pages_per_s"])
    return {**best, "median_pages_per_s": round(statistics.median(rates), 1),
            "all_pages_per_s": rates}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--per-host", type=int, default=150)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--worker-concurrency", type=int, default=2,
                        help="CONCURRENT_REQUESTS per worker in the scaling runs")
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--polite-delay", type=float, default=0.25,
                        help="also compare the single processes with this DOWNLOAD_DELAY "
                             "(0: only without a delay)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--skip-single", action="store_true")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    pg = None
    if not args.sqlite:
        from tests.pg import PgServer
        pg = PgServer().start()
    bench = Bench(args, tmp, pg)
    results: dict[str, list[dict]] = {}
    try:
        for _ in range(args.rounds):
            if not args.skip_scaling:
                for n in args.workers:
                    run = bench.cluster(n, args.worker_concurrency)
                    results.setdefault(f"scaling_{n}_workers", []).append(run)
                    print(f"{n} worker(s) x {args.worker_concurrency} concurrent: {run}",
                          flush=True)
            for delay in [] if args.skip_single else sorted({0.0, args.polite_delay}):
                for name, step in (("plain", bench.plain), ("bare_scrapy", bench.bare),
                                   ("one_cluster_worker", lambda d: bench.cluster(1, 16, d))):
                    run = step(delay)
                    results.setdefault(f"{name}_delay_{delay:g}", []).append(run)
                    print(f"{name}, 16 concurrent, delay {delay:g} s: {run}", flush=True)
        report = {name: summary(runs) for name, runs in results.items()}
        for name, run in report.items():
            bare = report.get(name.replace("plain", "bare_scrapy")
                              .replace("one_cluster_worker", "bare_scrapy"))
            if bare is not None and bare is not run:
                run["vs_bare"] = round(run["pages_per_s"] / bare["pages_per_s"], 2)
            one = report.get("scaling_1_workers")
            if name.startswith("scaling_") and one is not None:  # best run against best run
                run["vs_1_worker"] = round(run["pages_per_s"] / one["pages_per_s"], 2)
                run["steady_vs_1_worker"] = round(
                    run["steady_pages_per_s"] / one["steady_pages_per_s"], 2)
        print(json.dumps(report, indent=2))
    finally:
        bench.redis.stop()
        if pg is not None:
            pg.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
