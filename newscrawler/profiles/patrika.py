"""Patrika (www.patrika.com): Rajasthan Patrika's portal, a Next.js site with CSS-module class
names (`storybody_component_container__…`, `two-column-layout_center_widget_container__…`).

Evidence: research notes only, no saved real page. One recent public scraper states that
JSON-LD is the source of truth on Patrika (the byline is not in the server-rendered HTML), so
title, dates, author, section and image come from the NewsArticle JSON-LD. The body selectors
match CSS-module prefixes only (`[class*=…]`), since the hash suffixes change with every build.
The article URL shape is not confirmed by the notes: the rule accepts /<section>/<slug>-<id>.
The notes' RSS feeds live on cms.patrika.com (another host), so discovery uses the (nested,
partly mislabelled) sitemap and a city listing.
"""

from newscrawler.profiles.base import Discovery, Layout, Profile

PROFILE = Profile(
    id="patrika",
    name="Patrika News",
    domains=("www.patrika.com",),
    alt_domains=("patrika.com",),
    article_url=r"^https?://(?:www\.)?patrika\.com/(?!amp/|topic/|author/|photo|video)"
                r"(?:[a-z0-9-]+/){1,2}[a-z0-9-]+-\d{7,9}/?$",
    discovery=Discovery(
        sitemaps=("/sitemap.xml",),
        listings=("/jaipur-news/",),
    ),
    layouts=(Layout(
        body=("div[class*='storybody_component_container']", "div[class*='story_story_section']"),
        body_exclude=("[class^='ad_component_']", "[class*='share_component']",
                      "[class*='tags_component']", "[class*='googlenews_component']"),
    ),),
    site_names=("Patrika", "पत्रिका", "Rajasthan Patrika", "राजस्थान पत्रिका"),
    concurrency=2,
    download_delay=1.5,
    evidence="research notes only (JSON-LD as the source of truth, CSS-module body classes from "
             "two public scrapers; URL shape unconfirmed; no saved real page); relies on JSON-LD "
             "and the generic extractor",
)
