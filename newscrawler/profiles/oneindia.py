"""OneIndia Hindi (hindi.oneindia.com): Oneindia's Hindi portal on the Greynium CMS.

Evidence: one real AMP page (shared/hindi-html/oneindia-hindi, a 2020 story archived in 2022)
shows the AMP markup: `h1.oneindia-article-heading`, the byline `div.author-profile` ("By …")
and `<time itemprop=dateModified>` ("Updated: Sun, Jun 28, 2020, 16:41 [IST]"), the text in
`div#article-content-div` inside `div#story`, the Dailymotion title `div.assigned_video_heading`,
flying-carpet ad markers, the in-body promo `div.oi-articlepage-relatedlink span.deepLinkPromo`,
the Telegram line `div.tele-text`, the "More News" carousel (`h2.widgetHeading`), the topic list
"Read more about:" and an "English Summary" box. JSON-LD NewsArticle with articleBody; its
dateModified and article:modified_time carry no offset (IST). AMP pages live under /amphtml/ on
the same host. The desktop selectors (`div.oi-article-lt`, `div.heading h1`,
`div.author-detail time`, `div.big_center_img`, `div.oicustomcontent`) come from a public
scraper of the sister Oneindia sites on the same CMS (Bengali/Telugu, 2023): medium confidence.
No research notes for this portal; sitemap and feed paths are the CMS's usual ones (low).
"""

from newscrawler.profiles.base import Discovery, Layout, Profile

PROFILE = Profile(
    id="oneindia",
    name="Oneindia Hindi",
    domains=("hindi.oneindia.com",),
    # hindi2.oneindia.com serves the video embeds; AMP pages are /amphtml/<path> on the main host
    alt_domains=("hindi2.oneindia.com",),
    # [/amphtml]/<news/<section or city>|samachar|opinion|...>/<slug>-<5-7 digit id>.html
    article_url=r"^https?://hindi\.oneindia\.com/(?:amphtml/)?(?:news/[a-z0-9-]+|samachar|"
                r"opinion|motivational-stories|astrology/[a-z0-9-]+|[a-z-]+/news)/"
                r"[a-z0-9-]+-\d{5,7}\.html$",
    discovery=Discovery(
        news_sitemaps=("/news-sitemap.xml",),
        feeds=("/rss/hindi-news-fb.xml",),
        listings=("/news/india/",),
    ),
    layouts=(Layout(
        title=("div.oi-article-lt div.heading h1", "h1.oneindia-article-heading"),
        body=("div.oi-article-lt div.oicustomcontent", "div#story"),
        body_exclude=(".assigned_video_heading", ".cms-videos-wrapper", ".amp-flying-carpet",
                      ".amp-inner-ad", ".oi-ad-slot", ".big_center_img", ".article_image",
                      ".tele-text", ".english_summary_content", ".tags_content"),
        published=("meta[property='article:published_time']",),
        modified=("div.author-detail time", "time[itemprop=dateModified]"),
        authors=("div.author-detail .author-name a", "div.author-profile.written-by a"),
        recent_headings=("h2.widgetHeading", "div.oi-morenews .oi-widget-title"),
        related=("div.oi-articlepage-relatedlink",),  # the in-body promo has no label
        boilerplate=(r"^ताजा खबरें अपडेट्स और समाचार विश्लेषण के लिए ज्वाइन करें",
                     r"^read more about$", r"^english summary$"),
    ),),
    tracking_params=("ref_source", "ref_medium", "ref_campaign"),
    site_names=("Hindi Oneindia", "Oneindia Hindi", "वनइंडिया हिंदी", "Oneindia"),
    concurrency=2,
    download_delay=1.5,
    evidence="real AMP page in shared/hindi-html/oneindia-hindi (2020 story, 2022 capture) for "
             "AMP markup and JSON-LD; desktop selectors from a public scraper of sister "
             "Oneindia sites (same CMS); sitemap/feed paths unverified",
)
