"""URL cleaning and the canonical key that identifies an article across URL variants."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "ref",
    "ref_src", "ref_url", "referrer", "cmpid", "cmp", "at_medium", "at_campaign", "at_custom1",
    "at_custom2", "at_custom3", "at_custom4", "ito", "pfrom", "src", "source", "from", "amp",
    "amp_js_v", "usqp", "outputtype", "_gl", "share", "s_cid", "utm", "taid", "sh",
})
_AMP_PATH = re.compile(r"(^|/)(amp|amp-news|lite)(/|$)")
_MOBILE_HOST = re.compile(r"^(m|mobile|amp|www-amp)\.")


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


def canonical_key(url: str, extra_params: Iterable[str] = ()) -> str:
    """One key for every variant of an article URL.

    Tracking parameters, AMP forms (/amp/, /amp suffix, ?amp, amp. hosts), mobile hosts,
    scheme, a leading "www.", trailing slashes and query order do not change the key.
    Idempotent: canonical_key(canonical_key(u)) == canonical_key(u).
    """
    if "://" not in url:
        url = "https://" + url.lstrip("/")
    parts = urlsplit(clean_url(url, extra_params))
    host = (parts.hostname or "").lower().rstrip(".")
    host = _MOBILE_HOST.sub("", host)
    host = host.removeprefix("www.")
    path = _AMP_PATH.sub(r"\1", parts.path)
    path = re.sub(r"/{2,}", "/", path).rstrip("/") or "/"
    key = urlunsplit(("https", host, path, parts.query, ""))
    return canonicalize_url(key, keep_fragments=False)


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
