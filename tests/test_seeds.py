"""`newscrawler extract --format text` on the seed fixtures reproduces the seed documents:
the same title, lede, body paragraphs and recent-posts entries, in the seed's order, with only
the page furniture (captions, credits, also-read list, taglines, site name) left out.
Run through the site profile and through the generic extractor.
"""

from __future__ import annotations

import json
import unicodedata

import pytest

from newscrawler.dates import parse_date
from newscrawler.extract import extract_article
from newscrawler.render import render_text
from tests.conftest import FIXTURES, ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
CASES = [
    # (fixture page, seed file, seed blocks that are furniture, not article text)
    ("newsindia24/putin-letter-kim-jong-un", "004_9874ed3304b3fba7.txt",
     ("Image Source : AP", "यह भी पढ़ें", "भारत और अमेरिका की नौसेनाओं",
      "अमेरिका और उत्तर कोरिया आए आमने-सामने", "Latest World News", "India TV पर हिंदी में",
      "News India24")),
    ("generic/putin-apology-kazakhstan", "000_6ff836afcbb5f45f.txt", ()),
]


def blocks(text: str) -> list[str]:
    return [" ".join(unicodedata.normalize("NFC", b).split()) for b in text.split("\n\n")
            if b.strip()]


def is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(item == other for other in it) for item in short)


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds is not here")
@pytest.mark.parametrize("site", [None, "generic"], ids=["profile", "generic"])
@pytest.mark.parametrize(("page", "seed", "furniture"), CASES, ids=[c[0] for c in CASES])
def test_text_layout_reproduces_the_seed(page, seed, furniture, site):
    html = FIXTURES / f"{page}.html"
    expected = json.loads((FIXTURES / f"{page}.expected.json").read_text(encoding="utf-8"))
    article = extract_article(html.read_bytes(), expected["url"],
                              fetched_at=parse_date(expected["fetched_at"]), site=site)
    ours = blocks(render_text(article))
    theirs = blocks((SEEDS / seed).read_text(encoding="utf-8"))
    assert is_subsequence(ours, theirs), "our blocks are not the seed's blocks in seed order"
    left_out = [b for b in theirs if b not in ours]
    assert all(b.startswith(furniture) for b in left_out), f"seed text missing: {left_out}"
    assert len(left_out) == len(furniture)
