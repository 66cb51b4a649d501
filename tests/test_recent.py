"""Pieces of the recent-posts search: the heading-word filter, link URLs."""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin

import pytest

from newscrawler.extract.recent import _absolute_url, _may_be_heading


@pytest.mark.parametrize(("text", "expected"), [
    ("Latest NEWS", True),
    ("ज़्यादा पढ़ी गईं", True),  # nukta as a combining sign
    ("\u095b\u094dयादा पठित", True),  # precomposed ज़
    ("बड़ी ख़बरें", True),
    ("राहत शिविरों में भोजन", False),
    ("खबर " * 60, False),  # longer than any heading
])
def test_heading_word_filter(text, expected):
    assert _may_be_heading(text) is expected


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
