"""Every fixture page's extraction equals its expected JSON, field by field.

The page keeps its real URL and the clock is the fixture's fetch time. The seed layouts must
also come out right through the generic extractor, not only through a profile.
"""

from __future__ import annotations

import pytest

from newscrawler.dates import parse_date
from newscrawler.evaluate import body_f1
from newscrawler.extract import extract_article
from newscrawler.items import ARTICLE_FIELDS
from tests.conftest import fixture_pages

PAGES = fixture_pages()
_cache: dict[tuple[str, str | None], dict] = {}


def extracted(html, expected, site=None) -> dict:
    key = (str(html), site)
    if key not in _cache:
        _cache[key] = extract_article(
            html.read_bytes(), expected["url"],
            fetched_at=parse_date(expected["fetched_at"], relative=False), site=site)
    return _cache[key]


def test_there_are_fixtures_for_every_profile():
    from newscrawler.profiles import all_profiles

    sites = {expected["site"] for _, expected in PAGES}
    missing = [pid for pid in all_profiles() if pid not in sites]
    assert not missing, f"profiles without fixture pages: {missing}"


@pytest.mark.parametrize("field", ARTICLE_FIELDS)
@pytest.mark.parametrize(("html", "expected"), PAGES, ids=[p.stem for p, _ in PAGES])
def test_field_matches_expected(html, expected, field):
    got = extracted(html, expected)
    assert got[field] == expected[field], f"{html.name}: {field}"


GENERIC_FIELDS = ("title", "lede", "body", "related", "recent_posts")
# The seed layouts must come out exactly through the generic extractor too.
SEED_LAYOUT_PAGES = [(p, e) for p, e in PAGES if p.parent.name in ("generic", "newsindia24")]


@pytest.mark.parametrize("field", GENERIC_FIELDS)
@pytest.mark.parametrize(("html", "expected"), SEED_LAYOUT_PAGES,
                         ids=[p.stem for p, _ in SEED_LAYOUT_PAGES])
def test_generic_extractor_gets_the_same_text(html, expected, field):
    got = extracted(html, expected, site="generic")
    assert got[field] == expected[field], f"{html.name}: {field} (generic extractor)"


@pytest.mark.parametrize(("html", "expected"), PAGES, ids=[p.stem for p, _ in PAGES])
def test_generic_extractor_is_close_on_every_profile_page(html, expected):
    """Without its profile a page still gives the headline and nearly all of the body."""
    got = extracted(html, expected, site="generic")
    assert got["title"] == expected["title"]
    assert body_f1(got["body"], expected["body"]) >= 0.85
