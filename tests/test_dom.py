"""DOM helpers: the indexed page selector agrees with lxml's cssselect."""

from __future__ import annotations

import pytest

from newscrawler.extract.dom import PageSelector, parse_html, select

PAGE = """<html><body>
<div id="main" class="wrap story"><article class="a1">
  <h1 class="t">Headline</h1>
  <div class="x x y"><p class="p">One</p><p class="p q">Two</p></div>
  <section class="y"><div class="x"><span class="p">Three</span></div></section>
</article></div>
<div class="a1 side"><h2>Side</h2><a href="/a" id="lnk" class="p">link</a></div>
</body></html>"""


@pytest.mark.parametrize("selector", [
    "h1", "p", ".p", ".x", ".x.y", "p.q", "div.x p", "article .x .p", "#main", "div#main",
    "#main h1", ".wrap .a1 .p", "html", "body div", ".missing", "div .missing", "span.y",
    # not simple: answered by cssselect
    "article > h1", "[class*='sid']", "p:first-child", "a[href]",
])
def test_page_selector_matches_cssselect(selector):
    doc = parse_html(PAGE)
    expected = select(doc, selector)
    got = PageSelector(doc)(selector)
    assert [id(el) for el in got] == [id(el) for el in expected]


def test_page_selector_reports_a_bad_selector():
    with pytest.raises(ValueError, match="bad CSS selector"):
        PageSelector(parse_html(PAGE))("div[")
