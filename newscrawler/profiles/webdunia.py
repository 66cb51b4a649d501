"""Webdunia (hindi.webdunia.com): one of the oldest Hindi portals.

Evidence is thin: the research notes give the article URL shape (medium confidence: id =
"1" + YYMMDD + a 5-digit sequence, "_1.html" suffix; legacy `/news/news/regional/YYMM/DD/
<10 digits>_1.htm`), the RSS feeds `/rss/news.rss` and `/rss/rss-samachar.xml`, and an AJAX
listing; body markup is unknown and no real page is saved in shared/hindi-html. So the layout
names no title/body selectors: the profile relies on the JSON-LD NewsArticle / og:* /
article:* data and on the generic extractor, and only adds boilerplate lines.
"""

from newscrawler.profiles.base import Discovery, Layout, Profile

PROFILE = Profile(
    id="webdunia",
    name="Webdunia",
    domains=("hindi.webdunia.com",),
    alt_domains=("m-hindi.webdunia.com",),
    article_url=r"^https?://hindi\.webdunia\.com/(?:[a-z0-9-]+/)+[a-z0-9-]+-1\d{11}_1\.html$"
                r"|^https?://hindi\.webdunia\.com/news/news/regional/\d{4}/\d{2}/\d{10}_1\.htm$",
    discovery=Discovery(
        feeds=("/rss/news.rss", "/rss/rss-samachar.xml"),
        listings=("/national-hindi-news",),
    ),
    layouts=(Layout(
        boilerplate=(r"^(?:edited by|एडिटेड बाय)\b", r"^वेबदुनिया पर पढ़ें"),
    ),),
    site_names=("वेबदुनिया", "Webdunia", "Webdunia Hindi", "वेबदुनिया हिंदी"),
    concurrency=2,
    download_delay=1.5,
    evidence="research notes only (URL shape M, feeds M; no verified markup, no saved real "
             "page); relies on JSON-LD/og meta and the generic extractor",
)
