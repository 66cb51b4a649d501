"""`newscrawler eval DIR`: score extraction against hand-checked expected JSON.

Cases are DIR/**/page.html + expected.json, or DIR/**/<name>.html + <name>.expected.json.
Expected files in other schemas (no "title"/"body" list) are skipped. Scores per page:
title exact, lede exact, body F1 (bag of words after normalising both sides), published_at to
the minute, recent posts F1 over post titles, and whether any must_not_contain string leaked.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from newscrawler.dates import parse_date
from newscrawler.extract import NoArticleError, extract_article
from newscrawler.text import fold_for_key, normalize_text


@dataclass
class Case:
    name: str
    html: Path
    expected: dict


@dataclass
class Score:
    name: str
    title: bool | None
    lede: bool | None
    body_f1: float
    published: bool | None  # None: the page shows no time to check
    recent_f1: float | None
    leaks: list[str]
    error: str | None = None


def find_cases(root: Path) -> list[Case]:
    cases = []
    for expected_path in sorted(root.rglob("*expected.json")):
        name = expected_path.name
        if name == "expected.json":
            html = expected_path.with_name("page.html")
        else:
            html = expected_path.with_name(name.removesuffix(".expected.json") + ".html")
        if not html.exists():
            continue
        try:
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if not isinstance(expected, dict) or not isinstance(expected.get("body"), list) \
                or "title" not in expected:
            continue
        cases.append(Case(str(html.relative_to(root)), html, expected))
    return cases


def _norm(text: str | None) -> str:
    return normalize_text(unicodedata.normalize("NFC", text or ""))


def body_f1(got: list[str], want: list[str]) -> float:
    a = Counter(fold_for_key(" ".join(got)).split())
    b = Counter(fold_for_key(" ".join(want)).split())
    if not a and not b:
        return 1.0
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _titles_f1(got: set[str], want: set[str]) -> float:
    overlap = len(got & want)
    if not overlap:
        return 0.0
    precision, recall = overlap / len(got), overlap / len(want)
    return 2 * precision * recall / (precision + recall)


def _recent_f1(got: list[dict], want: list[dict]) -> float | None:
    """Mean over the annotated blocks of the post-title F1 of our block with the same heading.

    The ground truth annotates at most two blocks per page, so further blocks we find are not
    counted against us; a missing or differently-headed block scores 0.
    """
    scores = []
    for block in want:
        want_titles = {fold_for_key(p["title"]) for p in block.get("posts", [])}
        if not want_titles:
            continue
        heading = fold_for_key(block.get("heading") or "")
        best = 0.0
        for ours in got:
            if fold_for_key(ours.get("heading") or "") != heading:
                continue
            titles = {fold_for_key(p["title"]) for p in ours.get("posts", [])}
            best = max(best, _titles_f1(titles, want_titles))
        scores.append(best)
    return sum(scores) / len(scores) if scores else None


def _same_minute(got: str | None, want: str | None) -> bool | None:
    if not want:
        return None
    a, b = parse_date(got, relative=False) if got else None, parse_date(want, relative=False)
    if a is None or b is None:
        return False
    return abs((a - b).total_seconds()) < 60 and a.replace(second=0) == b.replace(second=0)


def score_case(case: Case, site: str | None = None) -> Score:
    exp = case.expected
    fetched = parse_date(exp.get("fetched_at"), relative=False) if exp.get("fetched_at") else None
    try:
        got = extract_article(case.html.read_bytes(), exp.get("url"), fetched_at=fetched,
                              site=site)
    except NoArticleError as exc:
        return Score(case.name, False, False, 0.0, False if exp.get("published_at") else None,
                     0.0 if exp.get("recent_posts") else None, [], error=str(exc))
    body_text = " ".join(got["body"])
    leaks = [s for s in exp.get("must_not_contain") or [] if _norm(s) and _norm(s) in body_text]
    want_lede = _norm(exp.get("lede")) or None
    return Score(
        name=case.name,
        title=_norm(got["title"]) == _norm(exp["title"]),
        lede=(_norm(got["lede"]) or None) == want_lede,
        body_f1=body_f1(got["body"], [_norm(p) for p in exp["body"]]),
        published=_same_minute(got["published_at"], exp.get("published_at")),
        recent_f1=_recent_f1(got["recent_posts"], exp.get("recent_posts") or []),
        leaks=leaks,
    )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize(scores: list[Score]) -> dict:
    def share(values):
        known = [v for v in values if v is not None]
        return (sum(known) / len(known)) if known else None
    return {
        "pages": len(scores),
        "title_exact": share([s.title for s in scores]),
        "lede_exact": share([s.lede for s in scores]),
        "body_f1_mean": _mean([s.body_f1 for s in scores]),
        "body_f1_min": min((s.body_f1 for s in scores), default=None),
        "published_minute": share([s.published for s in scores]),
        "recent_posts_f1": _mean([s.recent_f1 for s in scores if s.recent_f1 is not None]),
        "pages_with_leaks": sum(1 for s in scores if s.leaks),
        "errors": sum(1 for s in scores if s.error),
    }


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def run_eval(root: Path, *, site: str | None = None, out: TextIO = sys.stdout,
             as_json: bool = False) -> dict:
    cases = find_cases(root)
    scores = [score_case(case, site) for case in cases]
    summary = summarize(scores)
    if as_json:
        json.dump({"pages": [s.__dict__ for s in scores], "summary": summary}, out,
                  ensure_ascii=False, indent=2)
        out.write("\n")
        return summary
    width = max((len(s.name) for s in scores), default=10)
    width = min(width, 70)
    header = f"{'page':<{width}}  title  lede  body_f1  date   recent  leaks"
    print(header, file=out)
    print("-" * len(header), file=out)
    for s in scores:
        name = s.name if len(s.name) <= width else "…" + s.name[-width + 1:]
        print(f"{name:<{width}}  {_fmt(s.title):<5}  {_fmt(s.lede):<4}  {_fmt(s.body_f1):<7}  "
              f"{_fmt(s.published):<5}  {_fmt(s.recent_f1):<6}  {len(s.leaks)}"
              + (f"  error: {s.error}" if s.error else ""), file=out)
    print("-" * len(header), file=out)
    for key, value in summary.items():
        print(f"{key:<18} {_fmt(value)}", file=out)
    return summary
