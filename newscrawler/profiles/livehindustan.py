"""Live Hindustan (www.livehindustan.com): Hindustan (HT Media) Hindi portal.

Evidence is thin: research notes only (no saved page). URL shape
/<section>/<city>/story-<slug>-<7-15 digits>.html; news sitemap /news-sitemap.xml; section feeds
on api.livehindustan.com; current body container div.storyArticle with the text in div.stryCnt
(re-verified by one public scraper); older template (calibre) h1.page-hdng, summary
.stry-shrt-head, author .athr-info, time .tm-stmp, body .stry-bdy. Local copy is wrapped as
"Newswrap हिन्दुस्तान, <city>" with the date glued after it ("…सुल्तानपुरMon, 24 Feb 2025 12:17 AM")
and a summary starting "<City> News - ". Selectors are the research leads; dates and authors come
from structured data first. Hosts m. and react-qa. (a staging host that leaks into indexes) are
aliases of www.
"""

from newscrawler.profiles.base import Discovery, Layout, Profile

PROFILE = Profile(
    id="livehindustan",
    name="Live Hindustan",
    domains=("www.livehindustan.com",),
    alt_domains=("livehindustan.com", "m.livehindustan.com", "react-qa.livehindustan.com"),
    article_url=r"^https?://(?:www\.|m\.|react-qa\.)?livehindustan\.com/(?:amp/)?"
                r"(?:[a-z0-9-]+/){1,4}story-[a-z0-9-]+-\d{7,15}\.html$",
    discovery=Discovery(
        news_sitemaps=("/news-sitemap.xml",),
        # section feeds live on another host: https://api.livehindustan.com/feeds/rss/<section>/rssfeed.xml
        listings=("/national",),
    ),
    layouts=(Layout(
        title=("h1", "h1.page-hdng"),
        lede=(".sortDec", ".stry-shrt-head"),
        body=("div.storyArticle div.stryCnt", "div.storyArticle", "div.stry-bdy"),
        body_exclude=(".prlads", ".ads", ".storyShare", ".byLine",
                      "section.glry-cnt"),
        authors=(".byLine .athrName a", ".athr-info a"),
        published=(".byLine time", ".tm-stmp"),
        recent_headings=(".lstHdng", ".wdgtHdng"),
        boilerplate=(r"^newswrap हिन्दुस्तान", r"^इस खबर को अंग्रेजी में पढें"),
    ),),
    tracking_params=("utm_source", "utm_medium", "utm_campaign"),
    site_names=("लाइव हिन्दुस्तान", "Hindustan", "हिन्दुस्तान", "LiveHindustan"),
    concurrency=2,
    download_delay=1.5,
    evidence="research notes only (URL shape, news sitemap, storyArticle/stryCnt body, "
             "byline/date shape); relies on JSON-LD/meta and the generic extractor",
)
