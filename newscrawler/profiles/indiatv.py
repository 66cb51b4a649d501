"""India TV Hindi (www.indiatv.in), the Hindi site of India TV (English sister: indiatvnews.com).

Evidence is medium-low. URL shape `/<section>/<sub>/<slug>-YYYY-MM-DD-<id>`, the daily
`/xmlsitemap/sitemap/generic-articles-YYYY-MM-DD.xml` sitemaps, `/rssnews/topstory[-<sec>].xml`
feeds, the `div.content` body and images on `resize.indiatv.in` come from the research notes
(public scrapers and feed lists). The article furniture comes from seed 004, an India TV story
republished by another portal: the lead image credit "Image Source : AP", the in-body
"यह भी पढ़ें" list, a "Latest World News" link and the "India TV पर हिंदी में ब्रेकिंग न्यूज़ …"
tagline at the end of the body. No saved India TV page was available, so the headline / date /
byline class names (`h1.arttitle`, `h2.artsubtitle`, `.dattime`) are unverified: dates, author,
section and keywords are taken from JSON-LD / article:* meta first and the generic extractor
covers the rest.
"""

from newscrawler.profiles.base import Discovery, Layout, Profile

PROFILE = Profile(
    id="indiatv",
    name="India TV",
    domains=("www.indiatv.in",),
    alt_domains=("indiatv.in", "www.khabarindiatv.com", "khabarindiatv.com"),
    # /<section>/<sub>/<slug>-YYYY-MM-DD-<5..8 digit id>, optionally under /amp/
    article_url=r"^https?://(?:www\.)?(?:indiatv\.in|khabarindiatv\.com)/(?:amp/)?"
                r"(?!topic/|author/|video/|photos?/|livetv)[a-z0-9-]+(?:/[a-z0-9-]+)*/"
                r"[a-z0-9-]+-\d{4}-\d{2}-\d{2}-\d{5,8}/?(?:[?#].*)?$",
    discovery=Discovery(
        sitemaps=("/sitemap.xml",),
        daily_sitemaps=("/xmlsitemap/sitemap/generic-articles-{yyyy}-{mm}-{dd}.xml",),
        # more section feeds exist (topstory-<paisa|sports|tech|health|entertainment|
        # lifestyle|religion|uttar-pradesh>.xml); the sitemaps already give full recall
        feeds=("/rssnews/topstory.xml", "/rssnews/topstory-india.xml",
               "/rssnews/topstory-world.xml"),
        listings=("/world", "/india"),
    ),
    layouts=(Layout(
        title=("h1.arttitle", "article h1"),
        lede=("h2.artsubtitle",),
        body=("article div#content", "div.content"),
        body_exclude=(".lead-img", "figure", ".imgsource", ".ad-slot", ".latest_news",
                      ".seo-tagline", ".share-box", ".tags-box"),
        published=(".dattime .pub-date",),
        modified=(".dattime .upd-date",),
        authors=(".author-name a[rel=author]",),
        recent_headings=(".widget-title",),
        boilerplate=(r"^latest [a-z ]+ news$", r"पर हिंदी में ब्रेकिंग न्यूज",
                     r"^image source\s"),
    ),),
    tracking_params=("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"),
    site_names=("India TV Hindi", "IndiaTV", "इंडिया टीवी", "इंडिया टीवी हिंदी"),
    concurrency=2,
    download_delay=1.5,
    evidence="research notes (URL shape, daily sitemaps, rssnews feeds, div.content) and the "
             "India TV furniture in seed 004; no saved India TV page, so headline/date/byline "
             "classes are unverified and JSON-LD + generic carry dates, author and section",
)
