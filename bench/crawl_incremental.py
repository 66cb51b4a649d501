"""First crawl vs. a second crawl with nothing new, on a generated site served locally.

    python bench/crawl_incremental.py [--articles 2000] [--per-sitemap 500] [--keep DIR]

Generates the synthetic site of tests/sites.py (robots.txt, nested sitemap index with gzip
urlsets, news sitemap, RSS + Atom, paginated section listings, article pages), serves it on
127.0.0.1 with the fixture server, and runs `newscrawler crawl` twice as a subprocess, the way
cron would, into a fresh SQLite store. Prints, for each run: wall time (process start to exit,
what cron sees), the crawl's own time, requests split into article pages and discovery pages,
articles stored; then the ratios. Target: the second run requests no article page and takes
under a tenth of the first run's time.

Both runs use DOWNLOAD_DELAY=0 and AutoThrottle off (a local server; the real defaults are
polite and would measure the delay, not newscrawler).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawler.fixture_server import FixtureServer  # noqa: E402
from tests.sites import SyntheticSite, crawl_command  # noqa: E402


def run(server: FixtureServer, site: SyntheticSite, db: Path) -> dict:
    article_paths = {a.path for a in site.articles}
    mark = server.mark()
    started = time.monotonic()
    result = subprocess.run(crawl_command(server, db), cwd=ROOT, capture_output=True,
                            text=True, timeout=3600)
    wall = time.monotonic() - started
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr[-5000:])
        raise SystemExit(f"crawl exited {result.returncode}")
    entries = server.since(mark)
    with sqlite3.connect(db) as conn:
        (raw,) = conn.execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    stats = json.loads(raw)
    articles = sum(1 for e in entries if e.path in article_paths)
    return {"wall_s": wall, "crawl_s": stats.get("elapsed_time_seconds", 0.0),
            "requests": len(entries), "article_requests": articles,
            "discovery_requests": len(entries) - articles,
            "new": stats.get("newscrawler/store/new", 0),
            "skipped_known": stats.get("newscrawler/incremental/skipped_known", 0),
            "stored_total": stored}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--per-sitemap", type=int, default=500)
    parser.add_argument("--keep", help="generate into DIR and keep it (default: a temp dir)")
    args = parser.parse_args()

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nc-bench-"))
    try:
        t = time.monotonic()
        # 15 minutes apart: 2,000 articles span three weeks, inside the default sitemap window
        site = SyntheticSite(workdir / "site", articles_count=args.articles,
                             per_sitemap=args.per_sitemap, per_listing_page=20,
                             listing_pages=5, spacing=timedelta(minutes=15)).write()
        print(f"generated {args.articles} articles in {time.monotonic() - t:.1f} s "
              f"({workdir})")
        db = workdir / "bench.sqlite3"
        db.unlink(missing_ok=True)
        with FixtureServer([site.folder]) as server:
            first = run(server, site, db)
            second = run(server, site, db)
        cols = ("run", "wall_s", "crawl_s", "requests", "article_requests",
                "discovery_requests", "new", "skipped_known", "stored_total")
        print("  ".join(f"{c:>18}" for c in cols))
        for name, r in (("first", first), ("second (nothing new)", second)):
            values = [name] + [f"{r[c]:.2f}" if isinstance(r[c], float) else str(r[c])
                               for c in cols[1:]]
            print("  ".join(f"{v:>18}" for v in values))
        print(f"second/first wall time: {second['wall_s'] / first['wall_s']:.3f}  "
              f"crawl time: {second['crawl_s'] / max(first['crawl_s'], 1e-9):.3f}  "
              f"requests: {second['requests']}/{first['requests']}")
        ok = second["article_requests"] == 0 and second["wall_s"] < first["wall_s"] / 10
        print("target (no article request, under a tenth of the time):",
              "met" if ok else "NOT met")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
