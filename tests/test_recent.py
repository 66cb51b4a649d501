"""The cheap heading-word filter of the recent-posts search."""

from __future__ import annotations

import pytest

from newscrawler.extract.recent import _may_be_heading


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
