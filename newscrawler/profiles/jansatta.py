"""Jansatta (www.jansatta.com): the Indian Express group's Hindi daily, on WordPress.

Evidence: research notes only, no saved real page. The URL shape (/<section>/<slug>/<7-digit
post id>/, live blogs with a /lite/ view) and the daily sitemap are medium-to-high confidence;
the body container `.wp-block-post-content` comes from one recent public scraper config. The RSS
feeds are reported to redirect to the home page, so discovery uses the daily sitemaps and the
latest-news listing. Everything else (title, dates, authors, section, tags) comes from
structured data and the generic extractor.
"""

import re

from newscrawler.profiles.base import Discovery, Layout, Profile

# captions end with the credit in brackets: "… छाई धुंध। (फोटो: पीटीआई)"
_CAPTION_CREDIT = re.compile(r"^(?P<caption>.*?)\s*\((?:फोटो|फ़ोटो|photo|express photo|तस्वीर)"
                             r"\s*[:\-–]\s*(?P<credit>[^()]{1,60})\)$", re.I)


def _hook(article: dict, doc) -> dict:
    """Split the bracketed photo credit off the caption."""
    for image in article.get("images") or ():
        match = _CAPTION_CREDIT.match(image.get("caption") or "")
        if match and not image.get("credit"):
            image["caption"] = match["caption"] or None
            image["credit"] = match["credit"].strip()
    return article


PROFILE = Profile(
    id="jansatta",
    name="Jansatta",
    domains=("www.jansatta.com",),
    alt_domains=("jansatta.com",),
    article_url=r"^https?://(?:www\.)?jansatta\.com/(?!about/|author/|tag/|page/|wp-content/)"
                r"(?:[a-z0-9-]+/){1,3}[a-z0-9-]+/\d{6,8}/?(?:lite/?)?(?:\?.*)?$",
    discovery=Discovery(
        daily_sitemaps=("/sitemap.xml?yyyy={yyyy}&mm={mm}&dd={dd}",),
        listings=("/latest-news/",),
    ),
    layouts=(Layout(
        body=(".wp-block-post-content",),
        body_exclude=(".ie-network-ad-slot", ".wp-block-embed"),
    ),),
    site_names=("जनसत्ता", "Jansatta.com"),
    concurrency=2,
    download_delay=1.5,
    evidence="research notes only (URL shape, daily sitemap, `.wp-block-post-content` from one "
             "scraper config; no saved real page); relies on JSON-LD/og meta and the generic "
             "extractor",
    hook=_hook,
)
