"""`newscrawler demo`: an offline crawl of the bundled fixture sites into the SQLite store."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from newscrawler.fixture_server import FixtureServer
from newscrawler.profiles import all_profiles
from newscrawler.render import render_text
from newscrawler.runner import crawl
from newscrawler.store import DEFAULT_DB_URL, open_store

DEMO_CLOCK = "2024-12-23T16:25:00+05:30"  # the fetch time of the seed 004 page
# the seed 004 page: printed in the seed document's own layout
DEMO_ARTICLE_URL = ("https://www.newsindia24.in/world/"
                    "ukraine-war-russia-seeks-help-putin-letter-kim-jong-un/")


def demo_targets(server: FixtureServer) -> list[str]:
    """Profiled sites that the server serves, plus article URLs of sites with no profile."""
    hosts = set(server.hosts)
    targets = [pid for pid, p in all_profiles().items() if set(p.domains) & hosts]
    profiled = {d for p in all_profiles().values() for d in p.all_domains}
    for (host, path), _ in sorted(server.files.routes.items()):
        if host not in profiled:
            targets.append(f"https://{host}{path}")
    return targets


def run_demo(db_url: str = DEFAULT_DB_URL, out: TextIO = sys.stdout) -> int:
    with FixtureServer() as server:
        targets = demo_targets(server)
        print(f"Serving {len(server.hosts)} fixture site(s) on {server.base_url}; "
              f"crawling: {', '.join(targets)}", file=out)
        code = crawl(targets, db_url=db_url, settings={
            "NEWSCRAWLER_HOST_MAP": server.host_map(),
            "NEWSCRAWLER_CLOCK": DEMO_CLOCK,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }, out=out)
        print(f"\n{len(server.log)} requests served by the fixture server", file=out)
    with open_store(db_url) as store:
        print(f"\nStored in {db_url}:", file=out)
        for site, n in sorted(store.counts_by_site().items()):
            print(f"  {site:<32} {n} article(s)", file=out)
        sample = next((a for a in store.iter_articles(site="newsindia24")
                       if a.get("url") == DEMO_ARTICLE_URL), None)
        if sample is None:
            sample = next(iter(store.iter_articles()), None)
    if sample is not None:
        print(f"\nOne stored article ({sample['url']}), as text:\n", file=out)
        print(render_text(sample), file=out)
        print("Its metadata:", file=out)
        meta = {k: sample[k] for k in ("site", "site_name", "authors", "published_at",
                                       "section", "extractor")}
        print(json.dumps(meta, ensure_ascii=False, indent=2), file=out)
    return code
