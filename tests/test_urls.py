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


def test_bhaskar_g_prefix_and_profile_tracking_params():
    main = "https://www.bhaskar.com/national/news/cold-wave-fog-134184523.html"
    for variant in ("https://www.bhaskar.com/g/national/news/cold-wave-fog-134184523.html",
                    "https://m.bhaskar.com/g/national/news/cold-wave-fog-134184523.html?ref=x",
                    "https://bhaskar.com/amp/national/news/cold-wave-fog-134184523.html"):
        assert canonical_key(variant) == canonical_key(main)
    # /g/ is only Bhaskar's
    assert canonical_key("https://s.in/g/a-1") != canonical_key("https://s.in/a-1")
    # Amar Ujala's profile lists client= as tracking: dropped there, kept elsewhere
    assert canonical_key("https://www.amarujala.com/city/x-123?client=app") == \
        canonical_key("https://www.amarujala.com/city/x-123")
    assert canonical_key("https://s.in/x-123?client=app") != canonical_key("https://s.in/x-123")


def test_key_keeps_a_non_default_port():
    assert canonical_key("http://127.0.0.1:8080/a-1") == "https://127.0.0.1:8080/a-1"
    assert canonical_key("http://s.in:80/a-1") == canonical_key("https://s.in:443/a-1/")


# ---------------------------------------------------------------------- properties (hypothesis)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SEGMENT_CHARS = st.sampled_from(list("abcdefxyz0123456789-_.") + list("खबरदेशपहली"))
_SEGMENT = st.text(_SEGMENT_CHARS, min_size=1, max_size=12).filter(
    lambda s: s not in ("amp", "amp-news", "lite", ".", "..", "g"))
_PARAM = st.sampled_from(["id", "page", "story", "p", "q", "lang"])
_VALUE = st.text(st.sampled_from(list("abc123-खब")), max_size=6)
_SITES = st.sampled_from(["s.in", "hindi.example.com", "bhaskar.com", "amarujala.com",
                          "news18.com", "indiatv.in"])
_TRACKING = st.sampled_from(["utm_source", "utm_medium", "UTM_Campaign", "fbclid", "gclid",
                             "ref", "amp", "igshid", "_gl"])


@st.composite
def article_urls(draw):
    site = draw(_SITES)
    segments = draw(st.lists(_SEGMENT, min_size=1, max_size=4))
    params = draw(st.dictionaries(_PARAM, _VALUE, max_size=3))
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return site, segments, params, f"https://www.{site}/{'/'.join(segments)}" + (
        f"?{query}" if query else "")


@st.composite
def variants(draw):
    """An article URL and the same article as a variant: tracking parameters, AMP, mobile
    hosts, scheme, case, trailing slash, fragment, query order, Bhaskar's /g/."""
    site, segments, params, url = draw(article_urls())
    scheme = draw(st.sampled_from(["http", "https", "HTTPS"]))
    host = draw(st.sampled_from(["www.", "", "m.", "amp.", "mobile.", "www.m."])) + site
    if draw(st.booleans()):
        host = host.upper()
    path = list(segments)
    amp = draw(st.sampled_from(["", "prefix", "suffix", "query"]))
    if amp == "prefix":
        path.insert(0, "amp")
    elif amp == "suffix":
        path.append("amp")
    if site == "bhaskar.com" and draw(st.booleans()):
        path.insert(0, "g")
    pairs = list(params.items())
    pairs += [(name, draw(_VALUE)) for name in draw(st.lists(_TRACKING, max_size=3))]
    if site == "amarujala.com" and draw(st.booleans()):
        pairs.append(("client", "app"))  # the profile's own tracking parameter
    if amp == "query":
        pairs.append(("amp", ""))
    pairs = draw(st.permutations(pairs)) if pairs else []
    query = "&".join(f"{k}={v}" if v or k != "amp" else k for k, v in pairs)
    slash = "/" if draw(st.booleans()) else ""
    fragment = draw(st.sampled_from(["", "#comments", "#top"]))
    variant = f"{scheme}://{host}/{'/'.join(path)}{slash}" + (f"?{query}" if query else "") \
        + fragment
    return url, variant


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants())
def test_property_variants_share_the_key(pair):
    url, variant = pair
    assert canonical_key(variant) == canonical_key(url)


@settings(max_examples=400, deadline=None)
@given(st.one_of(variants().map(lambda p: p[1]),
                 st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                         max_size=40).map(lambda t: "https://s.in/" + t)))
def test_property_key_is_idempotent(url):
    key = canonical_key(url)
    assert canonical_key(key) == key


def test_mask_password_hides_only_the_password():
    from newscrawler.urls import mask_password

    assert mask_password("another run on postgresql://crawler:s3cr%40t@db:5432/news is going") \
        == "another run on postgresql://crawler:***@db:5432/news is going"
    assert mask_password("sqlite:///data/news.sqlite3") == "sqlite:///data/news.sqlite3"
