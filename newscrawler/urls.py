"""URL cleaning and the canonical key that identifies an article across URL variants."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "ref",
    "ref_src", "ref_url", "referrer", "cmpid", "cmp", "at_medium", "at_campaign", "at_custom1",
    "at_custom2", "at_custom3", "at_custom4", "ito", "pfrom", "src", "source", "from", "amp",
    "amp_js_v", "usqp", "outputtype", "_gl", "share", "s_cid", "utm", "taid", "sh",
})
# an AMP/lite path segment anywhere ("/amp/world/x", "/world/x/amp"); lookarounds keep the
# slashes, so "/amp/amp/x" loses both segments in one pass (idempotence)
_AMP_SEGMENT = re.compile(r"(?<=/)(?:amp|amp-news|lite)(?=/|$)")
_MOBILE_HOST = re.compile(r"^(?:(?:m|mobile|amp|www-amp)\.)+")
# Site-specific path prefixes that list the same story under a second path. Dainik Bhaskar
# serves /g/<path> and /<path> for one story (its canonical link names /<path>).
# what can make w3lib's output change on a second pass: parameters, percent escapes,
# backslashes, dot segments
_UNSETTLED = re.compile(r"[;%\\]|/\.")
PATH_PREFIXES: dict[str, tuple[str, ...]] = {
    "bhaskar.com": ("/g/",),
}


def _is_tracking(name: str, extra: Iterable[str]) -> bool:
    lower = name.lower()
    return lower.startswith("utm_") or lower in TRACKING_PARAMS or lower in extra


def clean_url(url: str, extra_params: Iterable[str] = ()) -> str:
    """Drop tracking parameters and the fragment; keep everything else as written."""
    extra = frozenset(p.lower() for p in extra_params)
    parts = urlsplit(url.strip())
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _is_tracking(k, extra)]
    # rebuild the query only when something was removed, so the rest stays as written
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def key_host(host: str) -> str:
    """The host as the key has it: lower case, no trailing dot, no www./m./amp. prefix."""
    host = host.lower().rstrip(".")
    host = _MOBILE_HOST.sub("", host)
    host = host.removeprefix("www.")
    return _MOBILE_HOST.sub("", host)  # "www.m.site.in"


@lru_cache(maxsize=1)
def _profile_params() -> dict[str, frozenset[str]]:
    """Key host -> the site profile's own tracking parameters (``Profile.tracking_params``)."""
    from newscrawler.profiles import all_profiles  # lazy: profiles may import this module

    table: dict[str, set[str]] = {}
    for profile in all_profiles().values():
        if profile.tracking_params:
            for domain in profile.all_domains:
                table.setdefault(key_host(domain), set()).update(
                    p.lower() for p in profile.tracking_params)
    return {host: frozenset(params) for host, params in table.items()}


def site_tracking_params(host: str) -> frozenset[str]:
    """The profile tracking parameters of the site that owns ``host`` (a subdomain counts)."""
    table = _profile_params()
    host = key_host(host)
    while host:
        if host in table:
            return table[host]
        host = host.partition(".")[2]
    return frozenset()


def _site_prefixes(host: str) -> tuple[str, ...]:
    while host:
        if host in PATH_PREFIXES:
            return PATH_PREFIXES[host]
        host = host.partition(".")[2]
    return ()


def canonical_key(url: str, extra_params: Iterable[str] = ()) -> str:
    """One key for every variant of an article URL.

    Tracking parameters (utm_*, fbclid, gclid, ref, ... and the owning site profile's
    ``tracking_params``, plus ``extra_params``), AMP forms (/amp/, /amp suffix, ?amp, amp.
    hosts), mobile hosts, site path prefixes (Bhaskar's /g/), scheme, a leading "www.", a
    default port, trailing slashes, the fragment and query order do not change the key.
    Idempotent: canonical_key(canonical_key(u)) == canonical_key(u).
    """
    key = _key_once(url, extra_params)
    if not _UNSETTLED.search(url) and not _UNSETTLED.search(key):
        return key
    # w3lib's canonical form is not always a fixed point ("/;/." -> "/;" -> "/"): settle it
    for _ in range(3):
        again = _key_once(key, extra_params)
        if again == key:
            break
        key = again
    return key


def _key_once(url: str, extra_params: Iterable[str]) -> str:
    url = url.strip()
    if "://" not in url:
        url = "https://" + url.lstrip("/")
    parts = urlsplit(url)
    host = key_host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    extra = frozenset(p.lower() for p in extra_params) | site_tracking_params(host)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode([(k, v) for k, v in pairs if not _is_tracking(k, extra)])
    path = _AMP_SEGMENT.sub("", parts.path.replace("\\", "/"))  # browsers read \ as /
    path = re.sub(r"/{2,}", "/", path)
    for prefix in _site_prefixes(host):
        while path.startswith(prefix):
            path = path[len(prefix) - 1:]
    path = path.rstrip("/") or "/"
    key = canonicalize_url(urlunsplit(("https", netloc, path, query, "")), keep_fragments=False)
    head, sep, tail = key.partition("?")
    if head.endswith("/") and head.count("/") > 3:  # w3lib resolved "/x/." to "/x/"
        key = head.rstrip("/") + sep + tail
    return key


def same_host(a: str, b: str) -> bool:
    def host(u: str) -> str:
        return (urlsplit(u).hostname or "").lower().removeprefix("www.")
    return host(a) == host(b)


_NOT_ARTICLE_PATH = re.compile(
    r"/(tag|tags|topic|topics|category|categories|author|authors|page|search|login|signup|"
    r"about|about-us|contact|contact-us|privacy|privacy-policy|terms|disclaimer|feed|rss|"
    r"wp-admin|wp-login|cart|account|subscribe|epaper|live-tv|videos?|photos?|gallery|"
    r"web-stories?|shorts)(/|$)", re.I)
_MEDIA_EXT = re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf|mp4|mp3|zip|xml|gz|css|js|json)$", re.I)


def looks_like_article_url(url: str) -> bool:
    """Generic guess from URL shape: a long slug or a numeric id, not a section or tag page."""
    parts = urlsplit(url)
    path = parts.path
    if parts.scheme not in ("http", "https") or _MEDIA_EXT.search(path):
        return False
    if _NOT_ARTICLE_PATH.search(path):
        return False
    last = [s for s in path.split("/") if s]
    if not last:
        return False
    slug = last[-1]
    if re.search(r"\d{5,}", path) and len(path) > 12:
        return True
    return slug.count("-") >= 3 or (slug.endswith((".html", ".cms", ".ece")) and "-" in slug)


def mask_password(text: str) -> str:
    """Text for a message (or a cron mail) with the password of any URL in it masked."""
    return re.sub(r"(://[^:/@\s]*:)[^@/\s]*@", r"\1***@", text)
