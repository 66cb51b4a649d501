"""bench/dedup_scale.py at a small size: every known copy is found, no original is called a
copy, and the figures the closing notes quote are all reported (no timing is asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import dedup_scale  # noqa: E402


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_scale_bench_finds_the_known_copies(backend, tmp_path, request):
    db = (f"sqlite:///{tmp_path}/bench.sqlite3" if backend == "sqlite"
          else request.getfixturevalue("pg_url"))
    result = dedup_scale.run(3000, db, batch=500, near=0.10, exact=0.05, seed=7)
    known = result["known"]
    assert known["near"] > 200 and known["exact"] > 100  # the generator made copies
    assert result["found"] == {"near": known["near"], "exact": known["exact"]}
    assert result["missed_copies"] == 0 and result["originals_called_copies"] == 0
    assert [c[0] for c in result["rss_checkpoints"]] == list(range(500, 3001, 500))
    assert result["store_bytes_per_article"] > 1000 and result["index_bytes_per_article"] > 0
    if backend == "sqlite":  # the index SQLite holds in memory: 21 pairs per article
        assert 21 * 8 <= result["memory_index_bytes_per_article"] < 2000
    else:
        assert result["memory_index_bytes_per_article"] == 0
