"""ABP Live Hindi (www.abplive.com): ABP Network's Hindi portal.

Evidence is thin: research notes only (no saved page). URL shape /news/<section>/<slug>-<7
digits>; news sitemap /news-sitemap.xml and daily /news-DD-MM-YYYY.xml; feeds /news/feed and
/news/<section>/feed; body div.abp-story-article (also div.abp-story-detail), author
div.abp-article-byline-author a, meta article:published_time / article:section / keywords (from
public scrapers of the same platform). A "read full article" expander may hide part of the text
on the client; the server HTML is expected to hold it. Selectors are the research leads;
structured data first.
"""

from newscrawler.profiles.base import Discovery, Layout, Profile

PROFILE = Profile(
    id="abplive",
    name="ABP Live",
    domains=("www.abplive.com",),
    alt_domains=("abplive.com", "m.abplive.com"),
    article_url=r"^https?://(?:www\.|m\.)?abplive\.com/(?:amp/)?news/(?:[a-z0-9-]+/){1,3}"
                r"[a-z0-9-]+-\d{6,8}(?:/amp)?$",
    discovery=Discovery(
        news_sitemaps=("/news-sitemap.xml",),
        daily_sitemaps=("/news-{dd}-{mm}-{yyyy}.xml",),
        feeds=("/news/feed",),
        listings=("/news/india",),
    ),
    layouts=(Layout(
        title=("h1.article-title", "h1"),
        lede=("h2.article-excerpt", ".abp-story-excerpt"),
        body=("div.abp-story-article", "div.abp-story-detail"),
        body_exclude=(".abp-article-byline", ".article-social", ".ad-slot", ".readMore",
                      ".abp-story-article-more", "figure"),
        authors=(".abp-article-byline-author a",),
        recent_headings=(".other-news-heading", ".uk-heading"),
        boilerplate=(r"^(और पढें|read more)$",),
    ),),
    tracking_params=("utm_source", "utm_medium", "utm_campaign"),
    site_names=("ABP Live Hindi", "एबीपी लाइव", "ABP News", "abp news"),
    concurrency=2,
    download_delay=1.5,
    evidence="research notes only (URL shape, sitemaps, feeds, abp-story-article body, "
             "byline selector); relies on JSON-LD/meta and the generic extractor",
)
