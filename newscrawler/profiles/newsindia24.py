"""News India24: a WordPress (tagDiv Newspaper) portal that republishes stories from other
portals (India TV, News18) inside its own frame. Evidence: the seed 004 page; the theme's
markup is the common tagDiv layout. Structured data is Yoast's JSON-LD @graph (no articleBody).
"""

from newscrawler.profiles.base import Discovery, Layout, Profile

PROFILE = Profile(
    id="newsindia24",
    name="News India24",
    domains=("www.newsindia24.in",),
    alt_domains=("newsindia24.in",),
    article_url=r"^https?://(www\.)?newsindia24\.in/(?!category/|tag/|author/|page/|feed/|"
                r"wp-content/|about-us/)[a-z0-9-]+/[a-z0-9-]+/?$",
    discovery=Discovery(
        sitemaps=("/sitemap_index.xml",),
        feeds=("/feed/",),
        listings=("/category/world/",),
    ),
    layouts=(Layout(
        title=("h1.tdb-title-text", ".td-post-title h1.entry-title", "h1.entry-title"),
        body=("div.td-post-content", "div.tdb_single_content .tdb-block-inner"),
        body_exclude=(".td-post-sharing", ".td-a-rec", ".td-post-featured-image",
                      ".td_block_related_posts"),
        published=("time.entry-date",),
        authors=(".td-post-author-name a", ".tdb-author-name"),
        recent_headings=(".td-block-title", ".widget-title", ".block-title"),
        boilerplate=(r"^latest [a-z ]+ news$", r"पर हिंदी में ब्रेकिंग न्यूज"),
    ),),
    site_names=("NewsIndia24", "News India 24"),
    concurrency=2,
    download_delay=1.0,
    evidence="seed 004 page (tagDiv Newspaper theme, Yoast JSON-LD); selectors are the theme's",
)
