"""Navbharat Times (navbharattimes.indiatimes.com): Times Internet's Hindi portal, React SSR.

Evidence is thin: the research notes (URL shape /<section>/…/<slug>/articleshow/<msid>.cms,
the 48-hour news sitemap, section RSS feeds, body in the first div classed
`story-card-container`, author card / ad / social children to drop) and one real home page
from 2020 in shared/hindi-html/navbharattimes (react-helmet meta tags, `news-card` teasers,
/photo/msid-…/pic.jpg images). No real article page was available, so the Layout keeps to
those leads and relies on JSON-LD / og / article:* meta and the generic extractor for the rest.
"""

from newscrawler.profiles.base import Discovery, Layout, Profile

PROFILE = Profile(
    id="navbharattimes",
    name="Navbharat Times",
    domains=("navbharattimes.indiatimes.com",),
    alt_domains=("m.navbharattimes.indiatimes.com",),
    article_url=r"^https?://(?:m\.)?navbharattimes\.indiatimes\.com/(?:[a-z0-9-]+/){1,5}"
                r"(?:articleshow|amp_articleshow)/\d{6,10}\.cms$",
    discovery=Discovery(
        news_sitemaps=("/staticsitemap/nbt/news/sitemap-48hours.xml",),
        feeds=("/india/rssfeed/1564454.xml",),
        listings=("/india/articlelist/1564454.cms",),
    ),
    layouts=(Layout(
        title=("h1",),
        body=("div.story-card-container", "div[class*='articleshow']"),
        body_exclude=("[class*='author-card']", "[class*='ad_']", "[class*='social']",
                      ".embedarticle-title"),
        authors=("[class*='author-card'] [class*='name'] a",),
        recent_headings=(".news-list-heading", ".section-heading h2"),
        boilerplate=(r"^(लेटेस्ट|ताजा) .{0,40} न्यूज .{0,40} पढें",),
    ),),
    tracking_params=("utm_source", "utm_medium", "utm_campaign", "from"),
    site_names=("NBT", "नवभारत टाइम्स", "Navbharat Times Hindi"),
    concurrency=2,
    download_delay=1.5,
    evidence="research notes only (URL shape, sitemap, feeds, story-card-container body) and "
             "one 2020 home page; relies on JSON-LD/meta and the generic extractor",
)
