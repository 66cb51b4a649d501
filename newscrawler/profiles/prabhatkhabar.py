"""Prabhat Khabar (www.prabhatkhabar.com): the Ranchi-based Hindi daily (Jharkhand, Bihar,
Bengal editions).

Evidence: research notes only, and thin: article URLs carry no numeric id
(/state/<state>/<city>/<slug>, /<section>/<slug>, live blogs /live/<slug>-prt), WordPress-style
feeds (/feed, /<section>/feed) and /sitemap-index.xml; the article markup is unknown and no real
page is saved in shared/hindi-html. The layout therefore names no selectors: text comes from the
generic extractor, metadata from JSON-LD/og/article meta.
"""

from newscrawler.profiles.base import Discovery, Layout, Profile

_SECTIONS = ("national", "world", "business", "sports", "entertainment", "life-and-style",
             "religion", "education", "technology", "health", "opinion", "photos-videos")

PROFILE = Profile(
    id="prabhatkhabar",
    name="Prabhat Khabar",
    domains=("www.prabhatkhabar.com",),
    alt_domains=("prabhatkhabar.com",),
    # no id in the URL: an article is a slug of at least four words under a state/city or a
    # section (with an optional sub-section), or a live blog ending "-prt"
    article_url=r"^https?://(?:www\.)?prabhatkhabar\.com/(?:state/[a-z-]+/[a-z0-9-]+/|live/|(?:"
                + "|".join(_SECTIONS) + r")/(?:[a-z0-9-]+/)?)(?!page/)"
                r"[a-z0-9]+(?:-[a-z0-9]+){3,}/?$",
    discovery=Discovery(
        sitemaps=("/sitemap-index.xml",),
        feeds=("/feed", "/national/feed"),
        listings=("/state/jharkhand/ranchi",),
    ),
    layouts=(Layout(
        boilerplate=(r"टेलीग्राम चैनल से जुडें",),
    ),),
    site_names=("प्रभात खबर", "Prabhat Khabar Hindi News", "prabhatkhabar.com"),
    concurrency=2,
    download_delay=1.5,
    evidence="research notes only (URL shapes, feeds, sitemap index; article markup unknown, no "
             "saved real page); relies on JSON-LD/og meta and the generic extractor",
)
