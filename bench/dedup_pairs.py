"""Precision and recall of the near-duplicate detector on the labelled pairs, per threshold.

    .venv/bin/python bench/dedup_pairs.py [--pairs fixtures/dedup_pairs/pairs.json]

For every pair the left article is indexed and the right one looked up, as the crawl does:
a pair is called a duplicate when LSH makes them candidates (a shared band bucket) and the
score (max of estimated Jaccard and containment) reaches the threshold. Prints the table,
the estimated similarity per kind of pair, and the threshold this measurement supports: the
middle of the widest run of thresholds with precision >= 0.99 and recall >= 0.95 (the
margin on both sides is what protects against pairs unlike these).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawler import neardup  # noqa: E402

PAIRS = ROOT / "fixtures" / "dedup_pairs" / "pairs.json"
THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 20)]
TARGET_P, TARGET_R = 0.99, 0.95


def load_pairs(path: Path = PAIRS) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def scored(pairs: list[dict]) -> list[tuple[dict, bool, float]]:
    """(pair, LSH candidate?, score) for each pair."""
    out = []
    for pair in pairs:
        left = neardup.signature(pair["left"]["body"])
        right = neardup.signature(pair["right"]["body"])
        candidate = bool(set(neardup.band_buckets(left)) & set(neardup.band_buckets(right)))
        usable = left.usable and right.usable
        out.append((pair, candidate and usable, neardup.score(left, right) if usable else 0.0))
    return out


def precision_recall(results, threshold: float) -> tuple[float, float, int, int, int]:
    tp = fp = fn = 0
    for pair, candidate, score in results:
        predicted = candidate and score >= threshold
        actual = pair["label"] == "duplicate"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def choose_threshold(results, thresholds=THRESHOLDS) -> float | None:
    """The middle of the widest run of thresholds that meet both targets."""
    ok = [t for t in thresholds
          if (lambda p, r: p >= TARGET_P and r >= TARGET_R)(*precision_recall(results, t)[:2])]
    if not ok:
        return None
    runs, run = [], [ok[0]]
    for t in ok[1:]:
        if round(t - run[-1], 2) <= 0.05:
            run.append(t)
        else:
            runs.append(run)
            run = [t]
    runs.append(run)
    best = max(runs, key=len)
    return best[len(best) // 2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    args = ap.parse_args(argv)
    pairs = load_pairs(args.pairs)
    results = scored(pairs)
    labels = [p["label"] for p in pairs]
    print(f"{len(pairs)} pairs: {labels.count('duplicate')} duplicate, "
          f"{labels.count('different')} different; scheme {neardup.SCHEME}\n")
    print("score by kind (min / max), LSH candidates")
    for kind in dict.fromkeys(p["kind"] for p in pairs):
        rows = [(c, s) for p, c, s in results if p["kind"] == kind]
        print(f"  {kind:<18} {labels[[p['kind'] for p in pairs].index(kind)]:<10} "
              f"{min(s for _, s in rows):.2f} / {max(s for _, s in rows):.2f}   "
              f"{sum(c for c, _ in rows)}/{len(rows)}")
    print("\nthreshold  precision  recall   tp  fp  fn")
    for t in THRESHOLDS:
        p, r, tp, fp, fn = precision_recall(results, t)
        mark = "  *" if t == neardup.THRESHOLD else ""
        print(f"  {t:.2f}      {p:.3f}     {r:.3f}  {tp:3d} {fp:3d} {fn:3d}{mark}")
    chosen = choose_threshold(results)
    print(f"\nthresholds meeting P >= {TARGET_P} and R >= {TARGET_R}: middle of the widest run "
          f"= {chosen}; neardup.THRESHOLD = {neardup.THRESHOLD} (*)")
    p, r = precision_recall(results, neardup.THRESHOLD)[:2]
    print(f"at {neardup.THRESHOLD}: precision {p:.3f}, recall {r:.3f}")
    return 0 if p >= TARGET_P and r >= TARGET_R else 1


if __name__ == "__main__":
    sys.exit(main())
