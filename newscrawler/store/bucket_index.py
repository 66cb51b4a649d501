"""The near-duplicate index of an embedded (SQLite) store, held in memory.

LSH needs "which articles have this bucket?" for 21 buckets per lookup (20 bands and the
exact-duplicate bucket, ``neardup``). As SQL rows that is 21 B-tree probes per lookup and
21 random inserts per stored article; at a million articles those were the largest cost of
storing one (``bench/dedup_scale.py``). Here the (bucket, article id) pairs sit in two
sorted numpy arrays (8 bytes a pair, so about 170 bytes per article), answered with two
``searchsorted`` calls, plus a dict of the pairs added since the arrays were last rebuilt.
The arrays are rebuilt one at a time, so a merge holds at most one extra copy of one of them.

The store stays the truth: each article's buckets are one row of ``lsh_entries``, written in
the article's transaction; the index is read from there when first needed and catches up
with the rows written since (by this connection or another process) before each lookup.
A pair that is no longer true (an article updated since, a rolled-back write) only makes a
candidate that the store then checks against the article's current signature or hash.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

# pairs kept in the dict before they are merged into the sorted arrays: a merge copies the
# arrays (about 40 ms per million articles), so not too often; the dict costs ~70 bytes a
# pair, so not too late (this is ~10,000 articles, ~14 MB)
MERGE_AT = 200_000


class BucketIndex:
    """bucket -> the ids of the articles that have it (both unsigned 32-bit)."""

    def __init__(self) -> None:
        self._keys = np.empty(0, np.uint32)  # sorted
        self._ids = np.empty(0, np.uint32)  # the article of each key
        # the recent pairs: bucket -> its first article, and bucket -> the further ones (a
        # bucket shared by two articles is rarer: copies and chance)
        self._recent: dict[int, int] = {}
        self._recent_more: dict[int, list[int]] = {}
        self._recent_pairs = 0

    def __len__(self) -> int:
        return len(self._keys) + self._recent_pairs

    @property
    def nbytes(self) -> int:
        """Memory held, about: the arrays, and the recent pairs at ~70 bytes each."""
        return self._keys.nbytes + self._ids.nbytes + 70 * self._recent_pairs

    def add(self, article_id: int, buckets: Iterable[int]) -> None:
        recent = self._recent
        for bucket in buckets:
            first = recent.get(bucket)
            if first is None:
                recent[bucket] = article_id
            elif first == article_id:
                continue  # two equal bands
            else:
                more = self._recent_more.setdefault(bucket, [])
                if article_id in more:
                    continue
                more.append(article_id)
            self._recent_pairs += 1
        if self._recent_pairs >= MERGE_AT:
            self.merge()

    def add_packed(self, packed: np.ndarray) -> None:
        """Add many pairs given as ``pack(ids, keys)`` (sorted here, in place)."""
        self.merge()
        self._merge_sorted(*_unpack_sorted(packed))

    def merge(self) -> None:
        """Move the recent pairs into the sorted arrays."""
        if not self._recent_pairs:
            return
        recent, more = self._recent, self._recent_more
        keys = np.fromiter(recent.keys(), np.uint32, len(recent))
        ids = np.fromiter(recent.values(), np.uint32, len(recent))
        if more:
            extra = [(bucket, i) for bucket, ids in more.items() for i in ids]
            keys = np.concatenate((keys, np.fromiter((b for b, _ in extra), np.uint32)))
            ids = np.concatenate((ids, np.fromiter((i for _, i in extra), np.uint32)))
        self._recent, self._recent_more, self._recent_pairs = {}, {}, 0
        self._merge_sorted(*_unpack_sorted(pack(ids, keys)))

    def _merge_sorted(self, keys: np.ndarray, ids: np.ndarray) -> None:
        if not len(self._keys):
            self._keys, self._ids = keys, ids
            return
        at = np.searchsorted(self._keys, keys, side="right")  # after equal keys: id order
        self._keys = np.insert(self._keys, at, keys)
        self._ids = np.insert(self._ids, at, ids)

    def candidates(self, buckets: Sequence[int]) -> set[int]:
        """The ids of the articles that have any of these buckets."""
        found: set[int] = set()
        if len(self._keys):
            wanted = np.array(buckets, np.uint32)
            lo = self._keys.searchsorted(wanted, "left")
            hi = self._keys.searchsorted(wanted, "right")
            for i in np.flatnonzero(hi > lo).tolist():
                found.update(self._ids[lo[i]:hi[i]].tolist())
        recent, more = self._recent, self._recent_more
        for bucket in buckets:
            first = recent.get(bucket)
            if first is not None:
                found.add(first)
                if bucket in more:
                    found.update(more[bucket])
        return found


def pack(ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """(bucket, article id) pairs as one 64-bit number each, bucket in the high half: sorting
    them sorts by bucket, then id (in place, ~5x faster than an argsort of the buckets)."""
    return (np.asarray(keys, np.uint32).astype(np.uint64) << np.uint64(32)) | np.asarray(
        ids, np.uint32)


def _unpack_sorted(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort packed pairs in place; (buckets, ids), each a 32-bit array."""
    packed.sort()
    halves = packed.view(np.uint32)  # little-endian: id, bucket, id, bucket, ...
    if np.little_endian:
        return halves[1::2].copy(), halves[0::2].copy()
    return halves[0::2].copy(), halves[1::2].copy()
