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
