"""Pieces of the recent-posts search: the heading-word filter, link URLs, excerpts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin

import pytest
from lxml import etree

from newscrawler.extract.recent import (
    _HEADING_WORDS,
    _absolute_url,
    _excerpt_and_time,
    _prefix_tree_pattern,
    _with_heading_word,
)

HEADING_WORD_CASES = [
    ("Latest NEWS", True),
    ("ज़्यादा पढ़ी गईं", True),  # nukta as a combining sign
    ("\u095b\u094dयादा पठित", True),  # precomposed ज़
    ("बड़ी ख़बरें", True),
    ("राहत शिविरों में भोजन", False),
    ("खबर " * 60, True),  # long texts are left out before the search, not by it
    ("ज़रूर", True),
    ("मौसम", False),
    ("lat\x00est", False),  # a text holding the separator: the word is not read across it
    ("more", True),
]


@pytest.mark.parametrize(("text", "expected"), HEADING_WORD_CASES)
def test_heading_word_filter(text, expected):
    assert _with_heading_word([text]) == ([0] if expected else [])


@pytest.mark.parametrize("words", [_HEADING_WORDS, ["news", "new", "newsletter", "ne"],
                                   ["a", "ab", "b"], ["re.ad", "re+"]])
def test_prefix_tree_pattern_finds_what_the_plain_alternation_finds(words):
    tree = re.compile(_prefix_tree_pattern(words))
    plain = re.compile("|".join(map(re.escape, words)))
    for text in ["", "renew the newsletter", "new ne n", "ab ba", "re.ad read re+", "latest news",
                 "ताजा खबरें और अन्य समाचार", "रेडियो", *words]:
        assert bool(tree.search(text)) == bool(plain.search(text)), text
        assert {m.start() for m in tree.finditer(text)} <= {
            i for i in range(len(text)) if plain.match(text, i)}


def test_heading_word_filter_tells_which_texts_match():
    texts = [text for text, _ in HEADING_WORD_CASES]
    expected = [i for i, (_, match) in enumerate(HEADING_WORD_CASES) if match]
    assert _with_heading_word(texts) == expected
    assert _with_heading_word(["News", "", "x", "news news", ""]) == [0, 3]
    assert _with_heading_word([]) == []


BASES = ["https://www.khabar-example.in/rajya/bihar-12345.html", "http://x.in/a/b?q=1#f",
         "https://x.in", "", "https://x.in/a;p/b"]
HREFS = ["/a/b-1.html", "/a/b?id=2#top", "https://y.in/c/d?x=1#f", "http://x.in/e",
         "/a/./b", "/a/../b", "//cdn.y.in/i.jpg", "/a//b", "/a?", "/a?#f", "/a#", "/a;p",
         "HTTPS://X.in/a", "https://x.in", "https://x.in?q=1", "https://user@x.in/a",
         "https://[::1]/a", "https://x.in/a b", "/", "/.well-known/x", "/a/..",
         "https://x.in//a/../b", "https://x.in/a?#", "https://x.in:8080/a", "/खबर/१",
         "https://x.in/खबर", "https://खबर.in/a", "/a?q=1?x", "?q=1", "a/b", "../b"]


@pytest.mark.parametrize("base", BASES)
def test_absolute_url_is_what_urllib_gives(base):
    for href in HREFS:
        assert _absolute_url(base, href) == urldefrag(urljoin(base, href)).url, href


FETCHED = datetime(2024, 9, 5, 12, tzinfo=UTC)


def _item(html: str):
    li = etree.fromstring(f"<ul>{html}</ul>", etree.HTMLParser()).find(".//li")
    return li, li.find("a")


def test_excerpt_may_be_a_tail_text_and_the_time_a_span():
    li, a = _item('<li><a href="/a/1.html">Title of the first post</a><span>5 घंटे पहले</span>'
                  " the excerpt, written after the time<p>\xa0\x0c</p></li>")
    assert _excerpt_and_time(li, [a], "Title of the first post", FETCHED) == (
        "the excerpt, written after the time", "2024-09-05T07:00:00+00:00")


def test_excerpt_may_sit_in_another_link_but_not_in_the_posts_own():
    li, a = _item('<li><a href="/a/1.html"><span>Title of the first post, with many more words'
                  '</span></a><a href="/topic"><span>a label inside another link</span></a></li>')
    assert _excerpt_and_time(li, [a], "Title", FETCHED) == ("a label inside another link", None)
