"""TV9 Bharatvarsh (www.tv9hindi.com): the TV9 network's Hindi portal, a WordPress back end
with the network's own "tv9bharavarsh" theme.

Evidence: one real video-article page and the home page (shared/hindi-html/tv9hindi, Sep 2025)
show the markup: `h1.article-HD`, the byline `section.author-box` ("Updated on: Sep 09, 2025
1:31 PM IST"), the standfirst `h2.short_desc`, the text in `div.ArticleBodyCont`, empty ad
slots `div.adsCont`, "Related …" cards in `div.relatedNews_Widget` and right-column blocks under
`div.tv9common-heading span.h2`. Structured data: a NewsArticle JSON-LD with articleBody (its
JSON is sometimes broken by unescaped quotes), article:published_time and
article:modified_date (sic) meta. Keywords are joined with " . " instead of commas; the hook
splits them. The URL shape, daily sitemap and feeds come from the research notes (H/M).
"""

import re

from newscrawler.profiles.base import Discovery, Layout, Profile

_KEYWORD_SEP = re.compile(r"\s+\.\s+")


def _split_dotted_keywords(article: dict, doc) -> dict:
    """TV9 joins keywords with " . " ("Shinshinto . Japanese politics . LDP Japan")."""
    tags: list[str] = []
    for tag in article.get("tags") or []:
        for part in _KEYWORD_SEP.split(tag):
            part = part.strip(" .")
            if part and part not in tags:
                tags.append(part)
    article["tags"] = tags
    return article


PROFILE = Profile(
    id="tv9hindi",
    name="TV9 Bharatvarsh",
    domains=("www.tv9hindi.com",),
    alt_domains=("tv9hindi.com",),
    # /<section>[/<sub>]/<slug>[-auNNN]-<7 digit id>.html; galleries under /photo-gallery/,
    # videos under /videos/ (video articles carry text too); AMP adds "/amp"
    article_url=r"^https?://(?:www\.)?tv9hindi\.com/(?!topic/|author/|tag/|webstories/)"
                r"(?:[a-z0-9-]+/){1,3}[a-z0-9-]+-\d{7}\.html(?:/amp)?$",
    discovery=Discovery(
        daily_sitemaps=("/sitemap.xml?yyyy={yyyy}&mm={mm}&dd={dd}",),
        feeds=("/feed", "/world/feed"),
        listings=("/state/uttar-pradesh",),
    ),
    layouts=(Layout(
        title=("h1.article-HD",),
        lede=("h2.short_desc",),
        body=("div.ArticleBodyCont",),
        body_exclude=(".adsCont", ".relatedNews_Widget"),
        published=("meta[property='article:published_time']",),
        modified=("meta[property='article:modified_date']",),
        authors=("section.author-box figcaption a[rel=author]",),
        recent_headings=(".relatedNews_Widget > span.h2", ".tv9common-heading span.h2"),
        boilerplate=(r"^देखें वीडियो$", r"^advertisement$", r"^विज्ञापन$"),
    ),),
    tracking_params=("src", "utm_source", "utm_medium", "utm_campaign"),
    site_names=("TV9 Hindi", "TV9 भारतवर्ष", "टीवी9 भारतवर्ष"),
    concurrency=2,
    download_delay=1.5,
    evidence="real pages in shared/hindi-html/tv9hindi (a 2025 video article and the home "
             "page) for markup and JSON-LD; URL shape, daily sitemap and feeds from the "
             "research notes",
    hook=_split_dotted_keywords,
)
