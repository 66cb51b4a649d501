"""``newscrawler status --frontier URL``: what a crawl cluster is doing, from Redis alone."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import TextIO

from newscrawler.cluster import DEFAULT_LEASE_TIMEOUT, Keys, queued_per_domain


def cluster_status(client, keys: Keys, lease_timeout: float = DEFAULT_LEASE_TIMEOUT) -> dict:
    now = float(client.time()[0]) + float(client.time()[1]) / 1e6
    queues, domains = {}, Counter()
    for spider in (s.decode() for s in client.hkeys(keys.targets)):
        per_domain = queued_per_domain(client, keys.queue(spider))
        queues[spider] = sum(per_domain.values())
        domains.update(per_domain)
    names = {w.decode() for w in client.zrange(keys.workers, 0, -1)}
    names |= {w.decode() for w in client.smembers(keys.dead)}
    names |= {w.decode() for w in client.smembers(keys.finished)}
    workers = []
    for name in sorted(names):
        info = {k.decode(): v.decode() for k, v in client.hgetall(keys.worker(name)).items()}
        last = float(info.get("last_seen") or 0)
        state = info.get("state", "running")
        alive = state == "running" and now - last <= lease_timeout
        workers.append({
            "worker": name, "host": info.get("host"), "pid": _int(info.get("pid")),
            "spider": info.get("spider"), "alive": alive,
            "state": state if state != "running" or alive else "silent",
            "last_seen_s": round(now - last, 1) if last else None,
            "pages": _int(info.get("pages")), "pages_per_min": float(info.get("pages_per_min")
                                                                     or 0),
            "articles": _int(info.get("articles")), "errors": _int(info.get("errors")),
            "in_flight": client.hlen(keys.inflight(name)),
        })
    return {"crawl_id": keys.crawl_id, "queued": sum(queues.values()), "queues": queues,
            "queued_per_domain": dict(domains.most_common()),
            # a worker process runs one spider per target group, each with a row of its own
            "workers_alive": len({(w["host"], w["pid"]) for w in workers if w["alive"]}),
            "spiders_alive": sum(w["alive"] for w in workers),
            "pages_per_min": round(sum(w["pages_per_min"] for w in workers if w["alive"]), 1),
            "errors": sum(w["errors"] or 0 for w in workers), "workers": workers}


def _int(value) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def print_status(status: dict, out: TextIO = sys.stdout, as_json: bool = False) -> None:
    if as_json:
        print(json.dumps(status, ensure_ascii=False, indent=2), file=out)
        return
    print(f"crawl {status['crawl_id']}: {status['queued']} request(s) queued, "
          f"{status['workers_alive']} worker process(es) alive running "
          f"{status['spiders_alive']} spider(s), {status['pages_per_min']} pages/min, "
          f"{status['errors']} error(s)", file=out)
    print("\nqueued per domain", file=out)
    for domain, n in status["queued_per_domain"].items():
        print(f"  {domain:<40} {n}", file=out)
    if not status["queued_per_domain"]:
        print("  (none)", file=out)
    print("\nworkers", file=out)
    cols = ("worker", "spider", "state", "last_seen_s", "pages", "pages_per_min", "articles",
            "errors", "in_flight")
    rows = [[str(w.get(c) if w.get(c) is not None else "") for c in cols]
            for w in status["workers"]]
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c)
              for i, c in enumerate(cols)]
    print("  " + "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)), file=out)
    for r in rows:
        print("  " + "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)), file=out)
