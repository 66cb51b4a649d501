"""Regenerate fixture golden JSON from the extractor, fundus-style: print the diff, review it.

    python -m newscrawler.goldens [SITE ...]          # show what would change (exit 1 if any)
    python -m newscrawler.goldens --write [SITE ...]  # rewrite the expected JSON files

A fixture's url and fetched_at are read from its current expected JSON (for a new page, from
a stub {"url": ..., "fetched_at": ...}). Never rubber-stamp: read the diff.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from newscrawler.dates import parse_date
from newscrawler.extract import NoArticleError, extract_article
from newscrawler.fixture_server import FIXTURES_DIR


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def regenerate(expected_path: Path) -> tuple[str, str]:
    """(current text, regenerated text) of one expected JSON file."""
    html = expected_path.with_name(expected_path.name.removesuffix(".expected.json") + ".html")
    current = expected_path.read_text(encoding="utf-8")
    stub = json.loads(current)
    # a stub without "extractor" lets the URL choose the profile
    extractor = stub.get("extractor") or ""
    site = stub.get("site") if extractor.startswith("profile:") else (
        "generic" if extractor == "generic" else None)
    article = extract_article(html.read_bytes(), stub["url"],
                              fetched_at=parse_date(stub["fetched_at"], relative=False),
                              site=site)
    return current, dumps(article)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawler.goldens")
    parser.add_argument("sites", nargs="*", help="fixture folders (default: all)")
    parser.add_argument("--write", action="store_true", help="rewrite the expected JSON")
    args = parser.parse_args(argv)
    folders = [FIXTURES_DIR / s for s in args.sites] if args.sites else \
        sorted(p for p in FIXTURES_DIR.iterdir() if p.is_dir())
    changed = 0
    for folder in folders:
        for expected_path in sorted(folder.glob("*.expected.json")):
            try:
                current, fresh = regenerate(expected_path)
            except NoArticleError as exc:
                print(f"{expected_path}: no article: {exc}", file=sys.stderr)
                changed += 1
                continue
            if current == fresh:
                continue
            changed += 1
            sys.stdout.writelines(difflib.unified_diff(
                current.splitlines(keepends=True), fresh.splitlines(keepends=True),
                str(expected_path), str(expected_path) + " (regenerated)"))
            if args.write:
                expected_path.write_text(fresh, encoding="utf-8")
    print(f"{changed} file(s) {'rewritten' if args.write else 'differ'}", file=sys.stderr)
    return 1 if changed and not args.write else 0


if __name__ == "__main__":
    raise SystemExit(main())
