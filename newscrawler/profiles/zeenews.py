"""Zee News Hindi (zeenews.india.com/hindi): the Hindi edition on the English site's host.

Evidence: one real article page (October 2020, Drupal server HTML) in shared/hindi-html/
zeenews-hindi, plus the research notes (URL shapes, news sitemap, section feeds, and the
`article_content` body class reported for the newer template). Structured data on the real page:
JSON-LD NewsArticle (headline, description, datePublished/dateModified in +05:30, Person
author, no articleBody), og:*, article:published_time, article:section, article:tag.

The 2020 template: breadcrumb, topic link (h5.article-tag-link), h1.article-heading, the
standfirst <p> under it, lead image with a caption bar, a left column (share links, "Written By:"
author, "Updated: Oct 9, 2020, 10:59 AM IST", the "खास बातें" key points), the body field
(div.field-name-body .field-item: <p><strong>City:</strong> …</p>, bold one-line subheadings, a
trailing "LIVE टीवी" heading + player), tags, an "अगली खबर" next-story box, a "Must Watch"
video list. Only article paths under /hindi/ belong to this profile; the English site shares
the host. The newer template is known only by its body class (`article_content`), kept as a
fallback selector; structured data carries the rest. The hook takes the section name from
the article block's data-section (JSON-LD gives the slug) and the lead caption from the caption bar.
"""

from newscrawler.extract.dom import select
from newscrawler.profiles.base import Discovery, Layout, Profile


def _tidy(article: dict, doc) -> dict:
    """Section and lead caption as the page shows them.

    JSON-LD articleSection is the URL slug ("india"); the article block's data-section (as
    article:section and the breadcrumb) names it ("देश"). The
    lead image's caption is a <div class="black-bg-bt"> under the picture, not a <figure>.
    """
    shown = select(doc, "div.left-block[data-section]")
    if shown and shown[0].get("data-section", "").strip():
        article["section"] = shown[0].get("data-section").strip()
    caption = select(doc, ".article-image-block .black-bg-bt")
    images = article.get("images") or []
    if caption and images and not images[0].get("caption"):
        images[0]["caption"] = " ".join(" ".join(caption[0].itertext()).split()) or None
    return article

PROFILE = Profile(
    id="zeenews",
    name="Zee News Hindi",
    domains=("zeenews.india.com",),
    alt_domains=(),
    article_url=r"^https?://zeenews\.india\.com/hindi/(?!(?:[a-z0-9-]+/)*(?:video|photos|"
                r"live-tv|tags|author|web-stories)/)(?:[a-z0-9-]+/){1,4}[a-z0-9-]+/\d{6,8}"
                r"(?:/amp)?/?$",
    discovery=Discovery(
        news_sitemaps=("/hindi/sitemaps/news-sitemap.xml",),
        # section feeds /hindi/<india|world|business|sports|technology|entertainment|religion>.xml
        feeds=("/hindi/india.xml", "/hindi/business.xml"),
        listings=("/hindi",),
    ),
    layouts=(Layout(
        title=("h1.article-heading", "h1"),
        lede=(".article-head-block > p", ".article-head-block h2"),
        body=("div.article .field-name-body .field-item", ".field-name-body .field-item",
              "div[class*='article_content']"),
        body_exclude=(".article-special-block", ".black-bg-bt", ".article-share-block",
                      ".tag-block", ".next-story-block"),
        published=("meta[property='article:published_time']",),
        modified=("meta[property='article:modified_time']",),
        authors=(".article-share-block .write-block a[href*='/author/']",),
        recent_headings=(".next-story-heading", "h2.other-story"),
        boilerplate=(r"^live टीवी$", r"^live tv$"),
    ),),
    tracking_params=("ref",),
    site_names=("Zee News", "ज़ी न्यूज़", "Hindi News, Zee News Hindi", "ज़ी न्यूज़ हिंदी"),
    concurrency=2,
    download_delay=1.5,
    hook=_tidy,
    evidence="one real 2020 article page (Drupal template) in shared/hindi-html/zeenews-hindi "
             "and the research notes; JSON-LD/meta for dates, author and section; newer "
             "template only via the research notes' article_content body class",
)
