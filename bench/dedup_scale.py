"""Dedup and storage at scale: synthetic Hindi articles through canonicalisation, exact and
near-duplicate detection and the store, on one core.

    .venv/bin/python bench/dedup_scale.py                     # 1,000,000 articles, SQLite
    .venv/bin/python bench/dedup_scale.py --n 100000 --db postgresql://user@host/db
    .venv/bin/python bench/dedup_scale.py --n 100000 --db postgres-auto   # throwaway server

Articles are generated from a word list (the words of the hand-written fixture stories,
drawn with a Zipf-like skew), 5-8 paragraphs of 20-45 words each, spread over 50 sites, with
URLs in their variant forms (tracking parameters, AMP, mobile hosts). A known share are
copies of an earlier article: ``--near`` republished copies (new site and title, an
aggregator frame, a dropped paragraph, copy-desk word changes, boilerplate) and ``--exact``
verbatim copies under another URL. Each article goes through ``canonical_key``,
``neardup.fingerprints``, ``Store.find_duplicate`` and ``Store.save_article`` (with its
signature), committed in batches. The generator keeps a bounded window of recent originals,
so its memory does not grow either.

Reports items/s (per CPU second of this process, i.e. on one core, and per wall second;
pipeline only, and wall with generation), peak RSS and RSS at each
tenth (memory must not grow with the number of articles beyond the near-duplicate index),
store size, the near-duplicate index's bytes per article (on disk, and in memory for
SQLite), and duplicates found against the known share (missed copies and originals wrongly
called copies).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import resource
import sys
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawler import neardup  # noqa: E402
from newscrawler.pipelines.dedup import hash_folded  # noqa: E402
from newscrawler.store import open_store  # noqa: E402
from newscrawler.urls import canonical_key  # noqa: E402

WINDOW = 2_000  # recent originals the generator may copy (bounded: flat memory)
FRAMES = [
    ["न्यूज इंडिया24 डेस्क | नई दिल्ली", "Image Source : File Photo"],
    ["खबर फास्ट ब्यूरो", "पढ़ने का समय: 3 मिनट"],
]
OUTROS = [
    ["डिस्क्लेमर: यह खबर सिंडिकेट फीड से सीधे प्रकाशित की गई है।", "Recent Posts",
     "सर्दियों में रोज गुड़ खाने के फायदे"],
    ["ताजा अपडेट के लिए हमारे व्हाट्सऐप चैनल से जुड़ें।", "ये भी पढ़ें- आज का राशिफल"],
]


def word_list() -> list[str]:
    words: dict[str, None] = {}
    paths = glob.glob(str(ROOT / "fixtures" / "dedup_pairs" / "stories_*.json"))
    paths += glob.glob(str(ROOT / "fixtures" / "*" / "*.expected.json"))
    for path in sorted(paths):
        text = json.dumps(json.loads(Path(path).read_text(encoding="utf-8")),
                          ensure_ascii=False)
        for w in text.replace("\\n", " ").split():
            w = w.strip("\"',.:;!?()[]{}।-–—")
            if w and all("\u0900" <= c <= "\u097f" for c in w):
                words[w] = None
    return list(words)


class Generator:
    def __init__(self, seed: int, near: float, exact: float) -> None:
        self.rng = random.Random(seed)
        self.words = word_list()
        self.rng.shuffle(self.words)
        weights = [1.0 / (rank + 20) for rank in range(len(self.words))]
        total, acc = sum(weights), 0.0
        self.cum = []
        for w in weights:
            acc += w / total
            self.cum.append(acc)
        self.near, self.exact = near, exact
        self.recent: deque = deque(maxlen=WINDOW)

    def _para(self) -> str:
        n = self.rng.randint(20, 45)
        return " ".join(self.rng.choices(self.words, cum_weights=self.cum, k=n)) + "।"

    def _url(self, site: int, n: int) -> str:
        rng = self.rng
        host = rng.choice(["www.", "www.", "www.", "m.", "amp."]) + f"site{site}.in"
        path = f"/{rng.choice(['desh', 'videsh', 'rajya', 'khel'])}/story-{n}"
        if rng.random() < 0.2:
            path = "/amp" + path
        query = rng.choice(["", "", "?utm_source=fb&utm_medium=social", "?fbclid=x1",
                            "?ref=home"])
        return f"https://{host}{path}{query}"

    def article(self, n: int) -> tuple[dict, str]:
        """An article and its truth: "original", "near" or "exact"."""
        rng = self.rng
        roll = rng.random()
        site = rng.randrange(50)
        if self.recent and roll < self.exact:
            src = rng.choice(self.recent)
            body, kind = list(src["body"]), "exact"
            title = src["title"]
        elif self.recent and roll < self.exact + self.near:
            src = rng.choice(self.recent)
            body = list(src["body"])
            del body[rng.randrange(1, len(body) - 1)]  # a dropped paragraph
            i = rng.randrange(len(body))  # copy-desk changes in one paragraph
            words = body[i].split()
            for _ in range(2):
                words[rng.randrange(len(words))] = rng.choice(self.words)
            body[i] = " ".join(words)
            body = rng.choice(FRAMES) + body + rng.choice(OUTROS)
            title, kind = "खबर: " + src["title"], "near"
        else:
            body = [self._para() for _ in range(rng.randint(5, 8))]
            title = " ".join(rng.choices(self.words, cum_weights=self.cum, k=8))
            kind = "original"
        url = self._url(site, n)
        article = {
            "url": url, "canonical_url": url, "site": f"site{site}", "site_name": None,
            "language": "hi", "title": title, "lede": None, "body": body, "authors": [],
            "published_at": "2024-12-23T15:29:00+05:30", "modified_at": None,
            "section": None, "tags": [], "images": [], "related": [], "recent_posts": [],
            "fetched_at": "2024-12-23T16:25:00+05:30", "extractor": "bench",
            "duplicate_of": None,
        }
        if kind == "original":
            self.recent.append({"body": body, "title": title})
        return article, kind


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_index_mb(store) -> float:
    """The near-duplicate index SQLite holds in memory (newscrawler/store/bucket_index.py)."""
    index = getattr(store, "_index", None)
    return index.nbytes / 2**20 if index is not None else 0.0


def store_size(store, db: str) -> tuple[int, int]:
    """(whole store bytes, near-duplicate index bytes on disk)."""
    if db.startswith("sqlite"):
        total = sum(os.path.getsize(p) for p in glob.glob(store.path + "*")
                    if not p.endswith(".lock"))
        try:
            index = store._execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name IN"
                " ('minhash_bands', 'minhash_bands_new', 'minhash_signatures',"
                " 'lsh_entries', 'lsh_entries_article')").fetchone()[0] or 0
        except Exception:  # noqa: BLE001 - dbstat not compiled in
            index = -1
        return total, index
    total = store._execute("SELECT pg_database_size(current_database())").fetchone()[0]
    index = store._execute(
        "SELECT pg_total_relation_size('minhash_bands')"
        " + pg_total_relation_size('minhash_bands_new')"
        " + pg_total_relation_size('minhash_signatures')").fetchone()[0]
    return total, index


def run(n: int, db: str, batch: int, near: float, exact: float, seed: int) -> dict:
    gen = Generator(seed, near, exact)
    store = open_store(db)
    truth = {"original": 0, "near": 0, "exact": 0}
    found = {"exact": 0, "near": 0}
    missed = wrong = 0
    pipeline_s = cpu_s = 0.0
    checkpoints = []
    start = time.perf_counter()
    done = 0
    while done < n:
        items = [gen.article(done + i) for i in range(min(batch, n - done))]
        t0, c0 = time.perf_counter(), time.process_time()
        with store.transaction():
            for article, kind in items:
                key = canonical_key(article["canonical_url"])
                folded, sig = neardup.fingerprints(article["body"])
                digest = hash_folded(folded)
                match = store.find_duplicate(key, digest, sig)
                if match is not None:
                    article["duplicate_of"] = match.canonical_url
                    found[match.kind] += 1
                store.save_article(article, url_key=key, content_hash=digest, signature=sig)
                truth[kind] += 1
                if kind == "original" and match is not None:
                    wrong += 1
                elif kind != "original" and match is None:
                    missed += 1
        pipeline_s += time.perf_counter() - t0
        cpu_s += time.process_time() - c0
        done += len(items)
        if done % max(n // 10, batch) < batch or done == n:
            index_mb = memory_index_mb(store)
            checkpoints.append((done, round(rss_mb(), 1), round(done / cpu_s),
                                round(index_mb, 1)))
            print(f"  {done:>9,} articles  {done / cpu_s:7.0f}/s CPU  {done / pipeline_s:7.0f}/s "
                  f"wall  RSS {rss_mb():7.1f} MB (index in memory {index_mb:5.1f} MB, "
                  f"the rest {rss_mb() - index_mb:5.1f} MB)", flush=True)
    wall = time.perf_counter() - start
    total_bytes, index_bytes = store_size(store, db)
    memory_index_bytes = memory_index_mb(store) * 2**20
    store.close()
    copies = truth["near"] + truth["exact"]
    return {
        "db": db.split("://", 1)[0], "n": n, "pipeline_cpu_s": round(cpu_s, 1),
        "pipeline_wall_s": round(pipeline_s, 1),
        # CPU time of this process (SQLite runs in it; PostgreSQL's server does not)
        "items_per_cpu_s": round(n / cpu_s), "items_per_wall_s": round(n / pipeline_s),
        "wall_items_per_s_with_generation": round(n / wall),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_checkpoints": checkpoints,
        "store_bytes": total_bytes, "store_bytes_per_article": round(total_bytes / n),
        "index_bytes": index_bytes,
        "index_bytes_per_article": round(index_bytes / n) if index_bytes >= 0 else None,
        "memory_index_bytes_per_article": round(memory_index_bytes / n),  # SQLite
        "known": truth, "known_copy_share": round(copies / n, 4),
        "found": found, "found_share": round((found["exact"] + found["near"]) / n, 4),
        "missed_copies": missed, "originals_called_copies": wrong,
        "recall": round(1 - missed / copies, 4) if copies else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--db", default=None,
                    help="store URL (default: a new SQLite file under /tmp); postgres-auto "
                         "starts a throwaway PostgreSQL server (tests/pg.py)")
    ap.add_argument("--batch", type=int, default=1000, help="articles per transaction")
    ap.add_argument("--near", type=float, default=0.10, help="share of near-duplicate copies")
    ap.add_argument("--exact", type=float, default=0.02, help="share of verbatim copies")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--json", type=Path, help="also write the result here")
    args = ap.parse_args(argv)
    server = None
    db = args.db
    if db is None:
        path = Path(f"/tmp/newscrawler-bench-{os.getpid()}.sqlite3")
        db = f"sqlite:///{path}"
    elif db == "postgres-auto":
        sys.path.insert(0, str(ROOT))
        from tests.pg import PgServer

        server = PgServer().start()
        db = server.new_database()
    print(f"{args.n:,} articles into {db.split('://', 1)[0]} ({neardup.SCHEME}, "
          f"threshold {neardup.THRESHOLD})", flush=True)
    try:
        result = run(args.n, db, args.batch, args.near, args.exact, args.seed)
    finally:
        if server is not None:
            server.stop()
        elif args.db is None:
            for p in glob.glob(db.split("///", 1)[1] + "*"):
                os.unlink(p)
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
