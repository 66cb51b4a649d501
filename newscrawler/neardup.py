"""Near-duplicate detection: MinHash signatures over word shingles, banded for LSH.

The same story republished by another site (a changed title, the aggregator's own frame
around it, a dropped paragraph, extra boilerplate) shares most of its word n-grams with the
original, while two independently written stories about the same event share few. So:

* body -> its story paragraphs (``core_text``: bylines, image credits, "also read" lines,
  recent-post titles and syndication disclaimers left out, so a frame dilutes less) ->
  ``fold_for_key`` (NFC, nukta folded, ZWJ/ZWNJ removed, digits unified, punctuation
  and spacing collapsed) -> words -> the set of ``SHINGLE``-word shingles, each hashed once
  (a polynomial hash of its UTF-8 bytes mod 2**64, then a multiplicative mix: stable across
  processes and machines, unlike ``hash()``);
* one-permutation MinHash (Li, Owen, Zhang 2012): the top bits of a shingle's hash pick one
  of ``NUM_PERM`` bins, each bin keeps its smallest value; empty bins borrow from the next
  full one (rotation densification, Shrivastava & Li 2014). One hash per shingle instead of
  ``NUM_PERM``, computed with numpy array operations (~45 us for a 400-word article; the
  pure-Python version took ~110), and the share of equal bins still estimates the Jaccard
  similarity of the two shingle sets;
* LSH: the first ``BANDS * ROWS`` bins are cut into ``BANDS`` bands of ``ROWS``; each band
  is hashed into one 31-bit bucket number (multiply-xor with a per-band salt: the band index
  is part of the hash, so all bands share one index column). Two articles are candidates
  when any bucket is equal, and a duplicate when their estimated ``score`` reaches
  ``THRESHOLD``. 20 bands of 2 bins find a pair of Jaccard 0.3/0.4/0.5 with probability
  0.85/0.97/0.997 (42 bands of 3 did 0.68/0.94/0.996) with half the index entries (each
  one is memory in SQLite's index, a B-tree row in PostgreSQL's).

The score is the larger of the estimated Jaccard similarity and the estimated containment of
the smaller article in the larger one (from the Jaccard estimate and the two shingle counts):
a copy that keeps the whole story but doubles it with a frame and boilerplate has a low
Jaccard but a high containment. ``THRESHOLD`` is chosen from the labelled pairs in
``fixtures/dedup_pairs`` (``bench/dedup_pairs.py`` prints precision and recall per threshold).
Everything is deterministic (no random seed to keep) and the index lives in the store
(``minhash_signatures``; the buckets as ``lsh_entries`` rows that SQLite reads into memory,
or as ``minhash_bands`` rows that PostgreSQL searches), so duplicates are found across runs
and sites.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from newscrawler.text import fold_for_key

SHINGLE = 4  # words per shingle
NUM_PERM = 128  # bins in a signature
BANDS, ROWS = 20, 2  # LSH over the first BANDS * ROWS bins (40 of 128)
MIN_PARA_WORDS = 12  # shorter lines are bylines, credits, "also read" and recent-post titles
THRESHOLD = 0.50  # score from which a candidate is a duplicate: bench/dedup_pairs.py chose it
MIN_SHINGLES = 8  # below this an article is too short to call anything a copy of it
SCHEME = f"oph-poly64-k{SHINGLE}-p{NUM_PERM}-b{BANDS}x{ROWS}"

_BIN_BITS = (NUM_PERM - 1).bit_length()
_VALUE_BITS = 32 - _BIN_BITS
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_EMPTY = 0xFFFFFFFF
_P = 0x100000001B3  # the 64-bit FNV prime: odd, so it has an inverse mod 2**64
_P_INV = pow(_P, -1, 1 << 64)
_POW = _INV_POW = np.ones(1, np.uint64)
_BINS = np.arange(NUM_PERM, dtype=np.uint64)
_MIX64 = 0x9E3779B97F4A7C15  # the 64-bit golden-ratio constant (odd): a bijection mod 2**64
_M64 = (1 << 64) - 1
# one salt per band, fixed by the scheme name (stable across processes and machines)
_BAND_SALT = [int.from_bytes(hashlib.blake2b(f"{SCHEME}/{b}".encode(), digest_size=8).digest(),
                             "little") for b in range(BANDS)]
assert BANDS * ROWS <= NUM_PERM and NUM_PERM & (NUM_PERM - 1) == 0
# Lines that are a portal's furniture, not the story: also-read links, syndication
# disclaimers, follow/app/WhatsApp prompts. Matched on the raw paragraph: the first kind at
# its start, the second anywhere (only searched when a plain substring test finds a hint:
# a regex scan of every paragraph cost more than the rest of the paragraph selection).
_FURNITURE_START = re.compile(
    r"\W*(?:ये भी|यह भी|इसे भी|ये खबर भी|also read|read also|डिस्क्लेमर|disclaimer|अस्वीकरण)",
    re.I)
_FURNITURE_ANYWHERE = re.compile(r"सिंडिकेट फ़?ीड|फ़?ॉलो करें|ऐप डाउनलोड|व्हाट्स\S* चैनल")
_FURNITURE_HINTS = ("सिंडिकेट", "ॉलो करें", "ऐप डाउनलोड", "व्हाट्स")


def _is_furniture(para: str) -> bool:
    if _FURNITURE_START.match(para):
        return True
    h1, h2, h3, h4 = _FURNITURE_HINTS  # unrolled: a generator per paragraph cost more
    return (h1 in para or h2 in para or h3 in para or h4 in para) and bool(
        _FURNITURE_ANYWHERE.search(para))


@dataclass(frozen=True)
class Signature:
    """A MinHash signature and the number of distinct shingles it was made from."""

    values: tuple[int, ...]
    shingles: int

    @cached_property
    def buckets(self) -> list[int]:
        """``band_buckets(self)``, computed once (lookup and indexing both need them)."""
        return _band_buckets(self.values)

    def to_bytes(self) -> bytes:
        return array("I", self.values).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, shingles: int) -> Signature:
        values = array("I")
        values.frombytes(bytes(data))
        return cls(tuple(values), shingles)

    @property
    def usable(self) -> bool:
        """Long enough for near-duplicate matching (short texts only match exactly)."""
        return self.shingles >= MIN_SHINGLES


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**j and P**-j mod 2**64 for j < n (at least), grown on demand."""
    global _POW, _INV_POW
    if len(_POW) < n:
        size = max(n, 2 * len(_POW))
        _POW, _INV_POW = (np.cumprod(np.insert(np.full(size - 1, x, np.uint64), 0, 1))
                          for x in (_P, _P_INV))
    return _POW, _INV_POW


def _shingle_array(folded: str, k: int = SHINGLE) -> np.ndarray:
    """The distinct 32-bit hashes of the k-word shingles of folded (single-spaced) text,
    sorted (one hash for the whole text when it has k words or fewer).

    A shingle's hash is its UTF-8 bytes as a polynomial in ``_P`` mod 2**64, read off the
    text's prefix sums (so every shingle costs the same few array operations, whatever its
    length), then multiplied by an odd constant, keeping the top 32 bits."""
    data = folded.encode("utf-8")
    m = len(data)
    if not m:
        return np.empty(0, np.uint64)
    text = np.frombuffer(data, np.uint8)
    pw, inv = _powers(m)
    prefix = np.zeros(m + 1, np.uint64)
    np.cumsum(text * pw[:m], out=prefix[1:])  # wraps mod 2**64, as intended
    spaces = np.flatnonzero(text == 32)
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces, [m]))
    n = len(starts)
    s, e = (starts[:1], ends[-1:]) if n <= k else (starts[:n - k + 1], ends[k - 1:])
    return _sorted_distinct(((prefix[e] - prefix[s]) * inv[s] * _MIX64) >> 32)


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of a few hundred values, in a sixth of its time (2.3 vs 14 us: numpy 2's
    unique hashes, then sorts)."""
    if len(values) < 2:
        return values
    values = np.sort(values)
    keep = np.empty(len(values), bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _minhash(hashes: np.ndarray) -> Signature:
    """One-permutation MinHash of sorted distinct 32-bit hashes, densified."""
    if not len(hashes):
        return Signature((_EMPTY,) * NUM_PERM, 0)
    bins = hashes >> _VALUE_BITS
    first = np.empty(len(hashes), bool)  # the smallest hash of each bin starts its run
    first[0] = True
    np.not_equal(bins[1:], bins[:-1], out=first[1:])
    full, values = bins[first], hashes[first] & _VALUE_MASK
    # rotation densification: each bin takes the value of the first full bin at or after it
    # (circularly), marked with the distance so that a borrowed value never equals a real
    # value of another bin (a full bin is at distance 0 from itself)
    nxt = np.searchsorted(full, _BINS) % len(full)
    dist = (full[nxt] - _BINS) % NUM_PERM
    return Signature(tuple(((dist << _VALUE_BITS) | values[nxt]).tolist()), len(hashes))


def shingle_hashes(folded: str, k: int = SHINGLE) -> set[int]:
    """The 32-bit hashes of the k-word shingles of already folded text."""
    return set(_shingle_array(folded, k).tolist())


def signature_of_hashes(hashes: Iterable[int]) -> Signature:
    """One-permutation MinHash of shingle hashes, densified."""
    return _minhash(_sorted_distinct(np.fromiter(hashes, np.uint64)))


def _core_indexes(body: Sequence[str]) -> list[int] | None:
    """Which paragraphs are the story (see ``core_text``); None: use them all."""
    total = kept_words = 0
    kept = []
    for i, para in enumerate(body):
        words = len(para.split())
        total += words
        if words >= MIN_PARA_WORDS and not _is_furniture(para):
            kept.append(i)
            kept_words += words
    if kept_words >= 30 and kept_words >= 0.4 * total and len(kept) < len(body):
        return kept
    return None


def core_text(body: str | Sequence[str]) -> str:
    """The story part of a body for near-duplicate matching: paragraphs of at least
    ``MIN_PARA_WORDS`` words that are not portal furniture (see ``_is_furniture``), so an
    aggregator's frame and boilerplate dilute the similarity less. When that leaves under
    40 % of the words (or under 30 words: a body of short lines), the whole body is used."""
    if isinstance(body, str):
        return body
    kept = _core_indexes(body)
    return " ".join(body if kept is None else [body[i] for i in kept])


def signature(body: str | Sequence[str]) -> Signature:
    """The signature of an article body (a list of paragraphs, or one text)."""
    return _minhash(_shingle_array(fold_for_key(core_text(body))))


def fingerprints(body: Sequence[str]) -> tuple[str, Signature]:
    """(folded whole body, signature): the dedup pipeline hashes the first (exact
    duplicates) and indexes the second. Folding works character by character, so the joined
    body is folded in one call (a test checks it equals folding each paragraph); the story
    part is folded separately only when it leaves paragraphs out."""
    whole = fold_for_key(" ".join(body))
    kept = _core_indexes(body)
    core = whole if kept is None else fold_for_key(" ".join([body[i] for i in kept]))
    return whole, _minhash(_shingle_array(core))


def band_buckets(sig: Signature) -> list[int]:
    """The LSH bucket number of each band: non-negative 31-bit, so SQLite stores it in 4
    bytes (8 for 63 bits) and more of the index stays in the page cache. Unrelated articles
    share a bucket with chance BANDS * 2**-31 per pair (0.01 candidates per lookup in a
    store of a million): an extra candidate only costs its score."""
    return sig.buckets


def _band_buckets(values: Sequence[int]) -> list[int]:
    # per row: xor the 32-bit bin value in, multiply by an odd constant mod 2**64; the top
    # 31 bits are the bucket
    out = []
    mix, m64 = _MIX64, _M64
    for b, salt in enumerate(_BAND_SALT):
        x = salt
        for v in values[b * ROWS:(b + 1) * ROWS]:
            x = ((x ^ v) * mix) & m64
        out.append(x >> 33)
    return out


def exact_bucket(content_hash: str) -> int:
    """The article's 21st bucket in the near-duplicate index (schema 7), beside its bands: a
    31-bit hash of its content hash. One lookup then finds exact and near copies, and no index
    of its own on the 40-character hash (a random insert per saved article) is needed. A
    bucket shared by chance costs one more candidate, whose hash is compared."""
    digest = hashlib.blake2b(content_hash.encode("utf-8"), digest_size=4,
                             person=b"exact").digest()
    return int.from_bytes(digest, "little") >> 1


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets: the share of equal bins."""
    return sum(x == y for x, y in zip(a.values, b.values, strict=True)) / NUM_PERM


def score(a: Signature, b: Signature) -> float:
    """max(estimated Jaccard, estimated containment of the smaller set in the larger)."""
    if not a.shingles or not b.shingles:
        return 0.0
    j = jaccard(a, b)
    # |A n B| = J |A u B| and |A u B| = (|A| + |B|) / (1 + J)
    inter = j * (a.shingles + b.shingles) / (1.0 + j)
    containment = min(1.0, inter / min(a.shingles, b.shingles))
    return max(j, containment)


def candidate_probability(similarity: float) -> float:
    """The chance that LSH makes two articles of this Jaccard similarity candidates."""
    return 1.0 - (1.0 - similarity ** ROWS) ** BANDS
