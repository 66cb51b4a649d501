"""News18 हिंदी (hindi.news18.com): Network18's Hindi portal, a Next.js site with hashed
`jsx-…` class names. Evidence is thin: the research notes give the URL shape, the sitemap and
the RSS feeds (high/medium confidence) but no verified article markup, and no real page is saved
in shared/hindi-html. So the layout names no body/title selectors: the profile relies on the
JSON-LD NewsArticle / og:* / article:* data and on the generic extractor, and only adds the
also-read and footer-line boilerplate the notes mention.
"""

from newscrawler.profiles.base import Discovery, Layout, Profile

PROFILE = Profile(
    id="news18",
    name="News18 हिंदी",
    domains=("hindi.news18.com",),
    alt_domains=(),
    # /news/<section>[/<city>]/<slug>-<7-8 digit id>.html (Local18 slugs end "-local18-<id>")
    article_url=r"^https?://hindi\.news18\.com/news/(?:[a-z0-9-]+/){1,3}[a-z0-9-]+-\d{7,8}\.html$",
    discovery=Discovery(
        sitemaps=("/allstory-sitemap-data.xml",),
        # the notes list nation/world/business/sports/tech/health/entertainment/lifestyle/career/
        # auto and state feeds; the crawl reads the national and the Uttar Pradesh feed
        feeds=("/commonfeeds/v1/hin/rss/nation.xml",
               "/commonfeeds/v1/hin/rss/uttar-pradesh/uttar-pradesh.xml"),
        listings=("/news/uttar-pradesh/",),
    ),
    layouts=(Layout(
        published=("meta[property='article:published_time']",),
        modified=("div.article_timestamp time",),
        # "Location : Lucknow,Uttar Pradesh" / "First Published : …" lines under the story
        boilerplate=(r"^location ", r"^first published ", r"^agency "),
    ),),
    tracking_params=("utm_source", "utm_medium", "utm_campaign"),
    site_names=("News18 Hindi", "News18 हिन्दी", "न्यूज18 हिंदी", "News18"),
    concurrency=2,
    download_delay=1.5,
    evidence="research notes only (URL shape, sitemap, feeds; no verified markup, no saved real "
             "page); relies on JSON-LD/og meta and the generic extractor",
)
