"""URL cleaning and the canonical key."""

import pytest

from newscrawler.urls import canonical_key, clean_url


@pytest.mark.parametrize(("url", "expected"), [
    ("https://s.in/a-1?utm_source=fb&utm_medium=x", "https://s.in/a-1"),
    ("https://s.in/a-1?id=5&fbclid=abc#top", "https://s.in/a-1?id=5"),
    ("https://s.in/a-1?b=2&a=1", "https://s.in/a-1?b=2&a=1"),  # untouched when nothing removed
])
def test_clean_url(url, expected):
    assert clean_url(url) == expected


@pytest.mark.parametrize("variant", [
    "https://www.s.in/world/story-123",
    "http://www.s.in/world/story-123/",
    "https://s.in/world/story-123?utm_campaign=x",
    "https://m.s.in/world/story-123",
    "https://amp.s.in/world/story-123",
    "https://www.s.in/amp/world/story-123",
    "https://www.s.in/world/story-123/amp",
    "https://www.s.in/world/story-123?amp",
    "https://WWW.S.IN/world/story-123#comments",
])
def test_variants_share_one_key(variant):
    assert canonical_key(variant) == canonical_key("https://www.s.in/world/story-123")


def test_key_is_idempotent_and_keeps_devanagari_paths_apart():
    key = canonical_key("https://s.in/खबर/पहली-123")
    assert canonical_key(key) == key
    assert key != canonical_key("https://s.in/खबर/दूसरी-123")


def test_site_specific_tracking_params():
    assert canonical_key("https://s.in/a-1?pid=9", ["pid"]) == canonical_key("https://s.in/a-1")
    assert canonical_key("https://s.in/a-1?pid=9") != canonical_key("https://s.in/a-1")
