"""DOM helpers: page parsing from bytes, and the indexed page selector."""

from __future__ import annotations

import pytest

from newscrawler.extract.dom import (
    PageSelector,
    collect_blocks,
    is_walked_into,
    parse_html,
    parse_page,
    run_text,
    select,
    text_of,
)


def _paragraphs(doc):
    return [text_of(p) for p in doc.iter("p")]


@pytest.mark.parametrize("body", [
    "<html><head><meta charset='utf-8'></head><body><p>नमस्ते दुनिया</p></body></html>".encode(),
    "<html><body><p>नमस्ते दुनिया</p></body></html>".encode(),  # undeclared
    b"\xef\xbb\xbf" + "<html><body><p>नमस्ते दुनिया</p></body></html>".encode(),  # BOM
    "<html><body><p>नमस्ते दुनिया</p></body></html>".encode("utf-16"),
    "<html><head><meta charset='windows-1252'></head><body><p>café</p></body></html>"
    .encode("cp1252"),
])
def test_parse_page_reads_each_encoding(body):
    expected = "café" if b"1252" in body else "नमस्ते दुनिया"
    assert _paragraphs(parse_page(body)) == [expected]


def test_invalid_utf8_bytes_become_replacement_characters():
    body = "<html><body><p>एक ".encode() + b"\xff" + " दो</p><p>तीन</p></body></html>".encode()
    assert _paragraphs(parse_page(body)) == ["एक \ufffd दो", "तीन"]


def test_http_header_charset_wins_over_the_page():
    body = "<html><head><meta charset='utf-8'></head><body><p>café</p></body></html>"
    assert _paragraphs(parse_page(body.encode("cp1252"), "text/html; charset=cp1252")) == ["café"]


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
    # descendants by tag below nested outer elements: each once, in document order
    "div p", "div span", "div div p", "article div p", ".x span", "section div span", "div a",
    ".missing p", "body *", "div h1",
    # children of simple selections
    "article > h1", ".x > p", ".x > .p", "div > p:first-child", ".x > p.q:first-child",
    "body > div", "div > div", "div > *", "div.x > span", ".a1 > h2:first-child",
    ".missing > p", ".x>p", "section .x > span.p",
    # not simple: answered by cssselect
    "[class*='sid']", "p:first-child", "a[href]", "div > p > a", ".x > p a",
    "div[class] > p", "a[title='>'] p",
])
def test_page_selector_matches_cssselect(selector):
    doc = parse_html(PAGE)
    expected = select(doc, selector)
    got = PageSelector(doc)(selector)
    assert [id(el) for el in got] == [id(el) for el in expected]


def test_page_selector_reports_a_bad_selector():
    with pytest.raises(ValueError, match="bad CSS selector"):
        PageSelector(parse_html(PAGE))("div[")


BLOCKS_PAGE = """<html><body>
<div class="story"><h2>Heading</h2>loose text<p>One <a href="/x">link</a><br>two</p>
  <span>inline <div>block in inline</div> after</span>
  <a href="/card"><div>card in a link</div></a>
  <nav><div>menu</div></nav>
  <ul><li>item <b>bold</b></li><li><p>para in item</p></li></ul>
</div><footer><p>foot</p></footer></body></html>"""


def test_blocks_of_a_walked_element_are_the_pages_blocks_inside_it():
    body = parse_html(BLOCKS_PAGE).find("body")
    page_blocks = collect_blocks(body)
    walked = [el for el in body.iter() if is_walked_into(el, body)]
    assert {el.tag for el in walked} >= {"div", "p", "ul", "li", "h2", "span"}
    assert not any(el.tag in ("a", "b", "nav", "footer") for el in walked)
    for el in walked:
        inside = set(el.iter())
        expected = [(b.owner, b.text, b.link_chars) for b in page_blocks if b.owner in inside]
        assert [(b.owner, b.text, b.link_chars) for b in collect_blocks(el)] == expected


def test_run_text_and_text_of_read_every_piece():
    body = parse_html(BLOCKS_PAGE).find("body")
    for el in body.iter():
        assert run_text(el) == "".join(el.itertext())
        assert text_of(el) == " ".join(" ".join(el.itertext()).split())


def test_a_row_of_short_cells_is_one_line_label_then_figure():
    doc = parse_page("<html><body><table><tr><td>कुल मामले</td><td>6835655&nbsp;</td></tr>"
                     "<tr><th>मौतें</th><td><b>1,05,526</b></td></tr></table></body></html>")
    assert [b.text for b in collect_blocks(doc)] == ["कुल मामले 6835655", "मौतें 1,05,526"]


def test_cells_of_a_layout_table_stay_blocks_of_their_own():
    doc = parse_page("<html><body><table><tr><td><p>पहला अनुच्छेद यहाँ है।</p></td>"
                     "<td>बाईं ओर की सूची</td></tr></table></body></html>")
    assert [b.text for b in collect_blocks(doc)] == ["पहला अनुच्छेद यहाँ है।", "बाईं ओर की सूची"]


def test_figures_of_a_statistics_table_stay_in_the_body():
    from datetime import datetime

    from newscrawler.dates import IST
    from newscrawler.extract import extract_article

    paragraph = "<p>स्वास्थ्य मंत्रालय ने गुरुवार सुबह नए आंकड़े जारी किए हैं जो इस प्रकार हैं।</p>"
    page = ("<html><head><title>आंकड़े</title></head><body><article><h1>कोरोना के नए आंकड़े"
            f" जारी</h1>{paragraph * 3}<table><tr><td>कुल मरीज</td><td>6835655</td></tr>"
            "<tr><td>ठीक हुए</td><td>5827704</td></tr></table>"
            f"{paragraph}</article></body></html>")
    body = extract_article(page, "https://example.in/news/a-1.html",
                           fetched_at=datetime(2024, 1, 1, tzinfo=IST))["body"]
    assert "कुल मरीज 6835655" in body and "ठीक हुए 5827704" in body


def test_an_embedded_tweet_is_one_block_with_its_attribution():
    doc = parse_page('<html><body><blockquote class="twitter-tweet"><p lang="en">'
                     '<a href="/hashtag/Rain">#Rain</a><br>Heavy rain in Delhi today.</p>'
                     '— Weather Desk (@desk) <a href="/s/1">July 8, 2024</a></blockquote>'
                     '<blockquote><p>उद्धरण</p></blockquote></body></html>')
    assert [b.text for b in collect_blocks(doc)] == [
        "#Rain Heavy rain in Delhi today. — Weather Desk (@desk) July 8, 2024", "उद्धरण"]


def test_an_undeclared_windows_1252_page_is_not_read_as_utf8():
    body = "<html><body><p>Café crème brûlée</p></body></html>".encode("cp1252")
    assert _paragraphs(parse_page(body)) == ["Café crème brûlée"]
