"""Crawl-cluster throughput: pages/s with 1, 2 and 4 workers on one Redis frontier, against a
local server that adds 50 ms to every answer and serves several hosts (each its own domain),
with the per-domain limit checked on the server's request log; and one process with our
extraction and storage against a bare Scrapy spider that only downloads the same pages.

    .venv/bin/python bench/cluster.py [--hosts 8] [--per-host 60] [--workers 1 2 4]

Needs redis-server (scripts/ensure-redis.sh) and PostgreSQL (scripts/ensure-postgres.sh); the
store is a fresh PostgreSQL database per run (SQLite with --sqlite).
"""

from __future__ import annotations

import argparse
import json
import subprocess
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
BARE_SPIDER = '''
import json, sys, scrapy
from scrapy.crawler import CrawlerProcess

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for url in json.load(open(sys.argv[1])):
            yield scrapy.Request(url, callback=self.parse)
    def parse(self, response):
        pass

settings = {"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": %(limit)d,
            "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor"}
process = CrawlerProcess(settings)
process.crawl(Bare)
process.start()
'''


def rate(server, mark: int = 0) -> tuple[int, float]:
    timed = server.timed[mark:]
    span = max(t.end for t in timed) - min(t.start for t in timed)
    return len(timed), len(timed) / span


def fresh_db(args, pg, tmp: Path, name: str) -> str:
    if pg is None:
        return f"sqlite:///{tmp / (name + '.sqlite3')}"
    return pg.new_database()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--per-host", type=int, default=60)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    pg = None
    if not args.sqlite:
        from tests.pg import PgServer
        pg = PgServer().start()
    redis_server = RedisServer(tmp / "redis").start()
    sites = make_sites(tmp / "sites", args.hosts, args.per_host)
    targets = [f"https://{s.host}/" for s in sites]
    extra = ("-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={LIMIT}", "-s", "LOG_LEVEL=WARNING")
    results = {}
    try:
        import redis

        for n in args.workers:
            with TimedFixtureServer([s.folder for s in sites], delay=args.delay) as server:
                redis.Redis.from_url(redis_server.url).flushdb()
                db = fresh_db(args, pg, tmp, f"w{n}")
                procs = [spawn(cluster_command("worker", server, redis_server.url, db, *extra,
                                               crawl_id="bench", idle=6.0),
                               tmp / f"w{n}-{i}.log") for i in range(n)]
                time.sleep(3)  # the workers are up and waiting: time the crawl, not imports
                seed = spawn(cluster_command("crawl", server, redis_server.url, db, *extra,
                                             "--seed-only", targets=targets, crawl_id="bench"),
                             tmp / f"w{n}-seed.log")
                for p in [seed, *procs]:
                    p.wait(600)
                pages, per_s = rate(server)
                peak = max(server.max_concurrency().values())
                results[f"cluster_{n}"] = {"pages": pages, "pages_per_s": round(per_s, 1),
                                           "max_per_domain": peak}
                print(f"{n} worker(s): {pages} pages, {per_s:.1f} pages/s, "
                      f"max concurrent per domain {peak} (limit {LIMIT})", flush=True)
        # one plain process (no frontier), our extraction and storage on
        with TimedFixtureServer([s.folder for s in sites], delay=args.delay) as server:
            db = fresh_db(args, pg, tmp, "plain")
            cmd = [sys.executable, "-m", "newscrawler", "crawl", *targets, "--db", db,
                   "-s", "NEWSCRAWLER_HOST_MAP=" + json.dumps(server.host_map()),
                   *TEST_SETTINGS, *extra]
            subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=900)
            pages, ours = rate(server)
            urls = sorted(f"{server.base_url}/{t.host}{t.path}" for t in server.timed)
        results["ours_single"] = {"pages": pages, "pages_per_s": round(ours, 1)}
        print(f"newscrawler crawl, one process: {pages} pages, {ours:.1f} pages/s", flush=True)
        # bare Scrapy: the same pages, downloaded only (same limits)
        with TimedFixtureServer([s.folder for s in sites], delay=args.delay) as server:
            url_file = tmp / "urls.json"
            base = urls[0].split("/www.")[0]
            url_file.write_text(json.dumps([u.replace(base, server.base_url) for u in urls]))
            script = tmp / "bare.py"
            script.write_text(BARE_SPIDER % {"limit": LIMIT})
            subprocess.run([sys.executable, str(script), str(url_file)], cwd=tmp,
                           capture_output=True, timeout=900)
            pages, bare = rate(server)
        results["bare_scrapy"] = {"pages": pages, "pages_per_s": round(bare, 1)}
        print(f"bare Scrapy (download only): {pages} pages, {bare:.1f} pages/s; "
              f"ours/bare = {ours / bare:.2f}", flush=True)
        print(json.dumps(results, indent=2))
    finally:
        redis_server.stop()
        if pg is not None:
            pg.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
