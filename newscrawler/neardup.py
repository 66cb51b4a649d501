"""Near-duplicate detection: MinHash signatures over word shingles, banded for LSH.

The same story republished by another site (a changed title, the aggregator's own frame
around it, a dropped paragraph, extra boilerplate) shares most of its word n-grams with the
original, while two independently written stories about the same event share few. So:

* body -> its story paragraphs (``core_text``: bylines, image credits, "also read" lines,
  recent-post titles and syndication disclaimers left out, so a frame dilutes less) ->
  ``fold_for_key`` (NFC, nukta folded, ZWJ/ZWNJ removed, digits unified, punctuation
  and spacing collapsed) -> words -> the set of ``SHINGLE``-word shingles, each hashed once
  (CRC-32 of its UTF-8, then a multiplicative mix: stable across processes and machines,
  unlike ``hash()``);
* one-permutation MinHash (Li, Owen, Zhang 2012): the top bits of a shingle's hash pick one
  of ``NUM_PERM`` bins, each bin keeps its smallest value; empty bins borrow from the next
  full one (rotation densification, Shrivastava & Li 2014). One hash per shingle instead of
  ``NUM_PERM`` keeps this pure Python and fast (~0.2 ms for a 400-word article), and the
  share of equal bins still estimates the Jaccard similarity of the two shingle sets;
* LSH: the first ``BANDS * ROWS`` bins are cut into ``BANDS`` bands of ``ROWS``; each band
  is hashed into one 63-bit bucket number (the band index and the scheme are part of the
  hash, so all bands share one index column). Two articles are candidates when any bucket
  is equal, and a duplicate when their estimated ``score`` reaches ``THRESHOLD``.

The score is the larger of the estimated Jaccard similarity and the estimated containment of
the smaller article in the larger one (from the Jaccard estimate and the two shingle counts):
a copy that keeps the whole story but doubles it with a frame and boilerplate has a low
Jaccard but a high containment. ``THRESHOLD`` is chosen from the labelled pairs in
``fixtures/dedup_pairs`` (``bench/dedup_pairs.py`` prints precision and recall per threshold).
Everything is deterministic (no random seed to keep) and the index lives in the store
(``minhash_signatures``, ``minhash_bands``), so duplicates are found across runs and sites.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from newscrawler.text import fold_for_key

SHINGLE = 4  # words per shingle
NUM_PERM = 128  # bins in a signature
BANDS, ROWS = 42, 3  # LSH over the first BANDS * ROWS bins (126 of 128)
MIN_PARA_WORDS = 12  # shorter lines are bylines, credits, "also read" and recent-post titles
THRESHOLD = 0.55  # score from which a candidate is a duplicate: bench/dedup_pairs.py chose it
MIN_SHINGLES = 8  # below this an article is too short to call anything a copy of it
SCHEME = f"oph-crc32-k{SHINGLE}-p{NUM_PERM}-b{BANDS}x{ROWS}"

_BIN_BITS = (NUM_PERM - 1).bit_length()
_VALUE_BITS = 32 - _BIN_BITS
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_EMPTY = 0xFFFFFFFF
_MIX = 0x9E3779B1  # Knuth's multiplicative constant: an odd number, a bijection on 32 bits
_M32 = 0xFFFFFFFF
_BAND_PACK = struct.Struct(f"<{ROWS}I")
_BAND_SALT = [f"{SCHEME}/{b}".encode() for b in range(BANDS)]
assert BANDS * ROWS <= NUM_PERM and NUM_PERM & (NUM_PERM - 1) == 0
# Lines that are a portal's furniture, not the story: also-read links, syndication
# disclaimers, follow/app/WhatsApp prompts. Matched on the raw paragraph.
_FURNITURE = re.compile(
    r"^\W*(?:ये भी|यह भी|इसे भी|ये खबर भी|also read|read also|डिस्क्लेमर|disclaimer|अस्वीकरण)"
    r"|सिंडिकेट फ़?ीड|फ़?ॉलो करें|ऐप डाउनलोड|व्हाट्स\S* चैनल", re.I)


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


def shingle_hashes(folded: str, k: int = SHINGLE) -> set[int]:
    """The mixed 32-bit hashes of the k-word shingles of already folded text (one hash for
    the whole text when it has fewer than k words)."""
    data = folded.encode("utf-8")
    words = data.split()
    n = len(words)
    if n == 0:
        return set()
    if n <= k:
        return {(zlib.crc32(b" ".join(words)) * _MIX) & _M32}
    # byte offsets of each word in the single-spaced folded text: slices, not joins
    starts = [0] * (n + 1)
    pos = 0
    for i, word in enumerate(words):
        starts[i] = pos
        pos += len(word) + 1
    starts[n] = pos
    crc = zlib.crc32
    return {(crc(data[starts[i]:starts[i + k] - 1]) * _MIX) & _M32 for i in range(n - k + 1)}


def signature_of_hashes(hashes: Iterable[int]) -> Signature:
    """One-permutation MinHash of shingle hashes, densified."""
    mins = [_EMPTY] * NUM_PERM
    count = 0
    shift, mask = _VALUE_BITS, _VALUE_MASK
    for h in hashes:
        count += 1
        b = h >> shift
        v = h & mask
        if v < mins[b]:
            mins[b] = v
    if count and _EMPTY in mins:
        # rotation densification: an empty bin takes the next full bin's value (circularly),
        # marked with the distance so that it never equals a real value of another bin
        out = list(mins)
        nxt = -1
        for i in range(2 * NUM_PERM - 1, -1, -1):
            idx = i % NUM_PERM
            if mins[idx] != _EMPTY:
                nxt = idx
            elif i < NUM_PERM:
                dist = (nxt - idx) % NUM_PERM
                out[idx] = ((dist << _VALUE_BITS) | mins[nxt]) & _M32
        mins = out
    return Signature(tuple(mins), count)


def _core_indexes(body: Sequence[str]) -> list[int] | None:
    """Which paragraphs are the story (see ``core_text``); None: use them all."""
    total = kept_words = 0
    kept = []
    for i, para in enumerate(body):
        words = len(para.split())
        total += words
        if words >= MIN_PARA_WORDS and not _FURNITURE.search(para):
            kept.append(i)
            kept_words += words
    if kept_words >= 30 and kept_words >= 0.4 * total and len(kept) < len(body):
        return kept
    return None


def core_text(body: str | Sequence[str]) -> str:
    """The story part of a body for near-duplicate matching: paragraphs of at least
    ``MIN_PARA_WORDS`` words that are not portal furniture (see ``_FURNITURE``), so an
    aggregator's frame and boilerplate dilute the similarity less. When that leaves under
    40 % of the words (or under 30 words: a body of short lines), the whole body is used."""
    if isinstance(body, str):
        return body
    kept = _core_indexes(body)
    return " ".join(body if kept is None else [body[i] for i in kept])


def signature(body: str | Sequence[str]) -> Signature:
    """The signature of an article body (a list of paragraphs, or one text)."""
    return signature_of_hashes(shingle_hashes(fold_for_key(core_text(body))))


def fingerprints(body: Sequence[str]) -> tuple[str, Signature]:
    """(folded whole body, signature) with one ``fold_for_key`` pass over each paragraph:
    the dedup pipeline hashes the first (exact duplicates) and indexes the second."""
    folded = [fold_for_key(para) for para in body]
    whole = " ".join(f for f in folded if f)
    kept = _core_indexes(body)
    core = whole if kept is None else " ".join(folded[i] for i in kept if folded[i])
    return whole, signature_of_hashes(shingle_hashes(core))


def band_buckets(sig: Signature) -> list[int]:
    """The LSH bucket number of each band (non-negative 63-bit: fits BIGINT and SQLite's
    INTEGER)."""
    return sig.buckets


def _band_buckets(values: Sequence[int]) -> list[int]:
    out = []
    blake, pack, salts = hashlib.blake2b, _BAND_PACK.pack, _BAND_SALT
    for b in range(BANDS):
        digest = blake(pack(*values[b * ROWS:(b + 1) * ROWS]), digest_size=8,
                       key=salts[b]).digest()
        out.append(int.from_bytes(digest, "little") >> 1)
    return out


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
