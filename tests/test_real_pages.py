"""Extraction on the real saved pages in ../shared/hindi-html against their hand-checked JSON.

Skipped where ../shared is absent (CI has it). The thresholds are the project's quality targets;
the one page whose truth lies inside a single HTML paragraph has its own, lower floor.
"""

from __future__ import annotations

import statistics

import pytest

from newscrawler.evaluate import find_cases, score_case, summarize
from tests.conftest import SHARED_HTML

pytestmark = pytest.mark.skipif(not SHARED_HTML.exists(), reason="../shared/hindi-html absent")
CASES = find_cases(SHARED_HTML) if SHARED_HTML.exists() else []
# The ground truth of this page cuts inside one <p> that also holds captions, bios and a
# copyright line (see its notes): no DOM-based extractor can reach 0.93 there.
INSIDE_ONE_PARAGRAPH = {"militarytoday/gm_21_militarytoday_covid.html": 0.75}
_scores: dict[tuple[str, str | None], object] = {}


def scored(case, site=None):
    key = (case.name, site)
    if key not in _scores:
        _scores[key] = score_case(case, site)
    return _scores[key]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_page(case):
    score = scored(case)
    assert score.error is None, score.error
    assert score.title, "title not exact"
    assert score.body_f1 >= INSIDE_ONE_PARAGRAPH.get(case.name, 0.93), score.body_f1
    if case.name not in INSIDE_ONE_PARAGRAPH:
        assert not score.leaks, f"boilerplate in the body: {score.leaks}"
    if score.published is not None:
        assert score.published, "published_at not right to the minute"


def test_overall_targets():
    summary = summarize([scored(c) for c in CASES])
    assert summary["pages"] >= 16
    assert summary["title_exact"] == 1.0
    assert summary["body_f1_mean"] >= 0.97
    assert summary["published_minute"] >= 0.95
    assert summary["recent_posts_f1"] >= 0.75


def test_generic_extractor_alone():
    f1 = [scored(c, "generic").body_f1 for c in CASES]
    assert statistics.mean(f1) >= 0.95


HOME_PAGES = sorted(p for p in SHARED_HTML.glob("*/*.html") if "home" in p.name) \
    if SHARED_HTML.exists() else []


@pytest.mark.parametrize("page", HOME_PAGES, ids=[p.name for p in HOME_PAGES])
@pytest.mark.parametrize("site", [None, "generic"])
def test_real_home_pages_are_no_article(page, site):
    from newscrawler.extract import NoArticleError, extract_article

    with pytest.raises(NoArticleError, match="no article"):
        extract_article(page.read_bytes(), site=site)


def test_the_real_home_pages_are_there_to_be_tested():
    assert len(HOME_PAGES) >= 3
