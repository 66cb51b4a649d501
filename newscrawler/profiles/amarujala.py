"""Amar Ujala (www.amarujala.com): two layout generations, both seen on real saved pages.

2020 (server HTML): `section.article-detail` holds the <h1>, a byline `.auther-time .authdesc`
("<bureau> Updated Thu, 16 Apr 2020 01:00 AM IST") and `div.article-desc`, whose text is bare
text split by <br> and ad slots (`.ad-mb-app`, label `center.vigyapan` "विज्ञापन"); a hidden
text-to-speech copy (`.auw_speak_body`) precedes it. Right column: "Spotlight" list.
2025 (revamp): `article.__article_detail` with the <h1>, byline `.auther-time .authdesc`
("<desk>, अमर उजाला Published by: <name> Updated Tue, 23 Sep 2025 03:16 PM IST"), the
standfirst in `div.khas-batei h2` under a "सार" label, and `div.article-desc` opening with the
"विस्तार" label and follow buttons, then photo slides (`.scroll_photo_view`) whose captions read
"<caption> - फोटो : <credit>". Both carry a JSON-LD NewsArticle with datePublished.
Evidence: two real pages in shared/hindi-html/amarujala (2020 and 2025); the switch date
between the layouts is not known (2023-01-01 is a guess: both layouts also parse with the other
one's rules, since they share `h1` and `div.article-desc`).
"""

import html
import re
from datetime import date
from urllib.parse import urljoin

from newscrawler.profiles.base import Discovery, Layout, Profile

_COMMON_EXCLUDE = (
    ".vigyapan", ".ad-dt", ".ad-mb", ".ad-mb-app", ".text-link-ad", ".tagsDv",
    ".promo_description", ".auw_speak_body", ".caption",
)
_BOILERPLATE = (
    r"^विस्तार$",
    r"^add as a preferred source on google$",
    r"^रहें हर खबर से अपडेट",
    r"^खबर सुनें$",
)

_CREDIT = re.compile(r"^(.*?)\s*[-–]\s*(?:फोटो|फ़ोटो)\s*:\s*(.+)$")


def _fix(article: dict, doc) -> dict:
    """Site quirks the generic layers miss:

    JSON-LD keywords come as ONE comma-joined string inside a list, and JSON-LD strings carry
    HTML entities ("City &amp; states"); photo captions sit in a `div.caption` next to
    the <figure> (the engine reads captions inside <figure> only), as
    "<caption> - फोटो : <credit>".
    """
    tags: list[str] = []
    for tag in article.get("tags") or []:
        for part in html.unescape(tag).split(","):
            part = part.strip()
            if part and part not in tags:
                tags.append(part)
    article["tags"] = tags
    if article.get("section"):
        article["section"] = html.unescape(article["section"])
    base = article.get("url") or ""
    for figure in doc.iter("figure"):
        img = figure.find(".//img")
        cap = figure.getnext()
        if img is None or cap is None or "caption" not in (cap.get("class") or "").split():
            continue
        src = urljoin(base, img.get("data-src") or img.get("src") or "")
        text = " ".join(" ".join(cap.itertext()).split())
        match = _CREDIT.match(text)
        caption, credit = (match.group(1), match.group(2)) if match else (text, None)
        for image in article.get("images") or []:
            if image["url"] == src and not image.get("caption"):
                image["caption"], image["credit"] = caption or None, credit
    return article


PROFILE = Profile(
    id="amarujala",
    name="Amar Ujala",
    domains=("www.amarujala.com",),
    alt_domains=("amarujala.com", "m.amarujala.com"),
    # story URLs end in the publish date (current) or in a city-news id such as
    # "-vns5205298178" (older city pages); /amp/ is the AMP copy of the same path
    article_url=r"^https?://(?:www\.|m\.)?amarujala\.com/(?:amp/)?(?!tags/|photo-gallery/|"
                r"videos?/|web-stories/|live/|rss/|search|editor/|user/)[a-z0-9-]+(?:/[a-z0-9-]+)*"
                r"/[a-z0-9-]+-(?:\d{4}-\d{2}-\d{2}|[a-z]{2,5}\d{9,13})/?(?:\?.*)?$",
    discovery=Discovery(
        sitemaps=("/sitemap.xml",),
        feeds=("/rss/breaking-news.xml",),
        listings=("/city-and-states",),
    ),
    layouts=(
        Layout(
            valid_until=date(2023, 1, 1),
            title=("section.article-detail h1", "h1"),
            body=("div.article-desc",),
            body_exclude=_COMMON_EXCLUDE,
            published=(".auther-time .authdesc",),
            authors=(".auther-time .authdesc a span",),
            recent_headings=(".category-title h4",),
            boilerplate=_BOILERPLATE,
        ),
        Layout(
            title=("article.__article_detail h1", "h1"),
            lede=("div.khas-batei h2",),
            body=("div.article-desc",),
            body_exclude=(*_COMMON_EXCLUDE, "h3.vistaar", ".followGoogleNews",
                          ".nxt-heading-image", ".google_follow_share_widget",
                          ".trending_video_article"),
            published=(".auther-time .authdesc",),
            authors=(".auther-time .auth_cty",),
            recent_headings=(".category-title h4",),
            boilerplate=_BOILERPLATE,
        ),
    ),
    tracking_params=("src", "utm_source", "utm_medium", "utm_campaign", "client",
                     "client_new"),
    site_names=("अमर उजाला", "Amarujala", "Amar Ujala Hindi News Live", "Amar Ujala Hindi News"),
    concurrency=2,
    download_delay=1.5,
    hook=_fix,
    evidence="real pages in shared/hindi-html/amarujala (2020 server HTML and a 2025 rendered "
             "page): selectors checked on both; dates from JSON-LD; layout switch date guessed",
)
