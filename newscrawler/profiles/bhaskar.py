"""Dainik Bhaskar (www.bhaskar.com): a React (server-rendered) portal with hashed CSS class names.

Evidence: five real article pages of May and September 2024 in shared/hindi-html/bhaskar (three
saved by fundus, two from the magic-html benchmark). Structured data is reliable: JSON-LD
NewsArticle (headline sometimes cut with "...", datePublished/dateModified in +05:30,
articleSection in capitals, author = the organisation), og:*, article:published_time.

The page is one <article>: breadcrumb <ul>, <h1> (a coloured kicker <span> + the headline),
dateline city + relative age ("4 दिन पहले") + share bar, lead image + caption, ad slots, the
<p style="word-break:break-word"> paragraphs (the rest of a paywalled story sits in
div.paywallBlockedContent, still in the server HTML), an app-install overlay, and the
"खबरें और भी हैं..." list. The hashed class names below were the same in May and September 2024
but are perishable; the structural selectors (article, h1, [id^=Ad--], .paywallBlockedContent)
are not. The hook drops the organisation author, video running times in card titles
and card thumbnails from the images.
The same story is listed under /g/<path> and /<path>; both match article_url and the canonical
link names the /<path> form.
"""

import re

from newscrawler.extract.dom import select
from newscrawler.profiles.base import Discovery, Layout, Profile

_SITE_NAMES = ("Dainik Bhaskar", "दैनिक भास्कर", "Bhaskar", "भास्कर")


_DURATION = re.compile(r"\s+\d{1,2}:\d{2}$")  # "… 1:04": a video card's running time


def _tidy(article: dict, doc) -> dict:
    """Fix three things the generic layers get wrong on Bhaskar pages.

    * JSON-LD names the publisher as author on stories without a byline: that is no author.
    * The "खबरें और भी हैं..." cards print a video's running time inside the link.
    * Pictures are <div class=f3e032cb><picture> + a caption <div>, not <figure>; the cards'
      <figure> thumbnails sit inside the <article> but are not article images.
    """
    names = {n.casefold() for n in _SITE_NAMES}
    article["authors"] = [a for a in article.get("authors") or [] if a.casefold() not in names]
    for block in article.get("recent_posts") or []:
        for post in block.get("posts") or []:
            post["title"] = _DURATION.sub("", post["title"])
    # the lead image (JSON-LD, a larger crop) and the in-body pictures, each followed by its
    # caption <div><span>; the cards' thumbnails are not article images
    images = (article.get("images") or [])[:1]
    seen = {im["url"] for im in images}
    for i, box in enumerate(select(doc, "article .f3e032cb")):
        pic = box.find(".//img")
        caption_box = box.getnext()
        caption = " ".join(" ".join(caption_box.itertext()).split()) \
            if caption_box is not None and "f46ba790" in (caption_box.get("class") or "") else ""
        if i == 0 and images:
            images[0]["caption"] = images[0]["caption"] or caption or None
        elif pic is not None and pic.get("src") and pic.get("src") not in seen:
            seen.add(pic.get("src"))
            images.append({"url": pic.get("src"), "caption": caption or None, "credit": None})
    article["images"] = images
    return article


PROFILE = Profile(
    id="bhaskar",
    name="Dainik Bhaskar",
    domains=("www.bhaskar.com",),
    alt_domains=("bhaskar.com", "m.bhaskar.com"),
    article_url=r"^https?://(?:www\.|m\.)?bhaskar\.com/(?:g/|amp/)?(?:[a-z0-9-]+/){1,5}"
                r"news/[a-z0-9-]+-\d{8,9}\.html$",
    discovery=Discovery(
        sitemaps=("/sitemap.xml",),
        # category feeds: 1061 देश, 1125 विदेश, 1051 बिजनेस, 1053 स्पोर्ट्स, 5707 tech, ...
        feeds=("/rss-v1--category-1061.xml",),
        listings=("/local/rajasthan/jaipur/",),
    ),
    layouts=(Layout(
        title=("article h1", "h1"),
        body=("article.bf64dc76", "article"),
        body_exclude=(
            # breadcrumb, headline, dateline + share bar
            "article h1", ".fba199c3", ".a88a1c42", ".d1172d9b", ".edd8d071",
            ".f3e032cb", ".f46ba790",  # image and its caption
            "[id^='Ad--']", ".fe1b7d06", ".cf559a0e",  # ad slots
            ".ddb849c5", ".paywallBlockedContent > div:first-child",  # app-install overlay, "."
            ".a0a8c070", ".cda600a0",  # "खबरें और भी हैं..." list
        ),
        published=("meta[property='article:published_time']",),
        modified=("meta[property='article:modified_time']",),
        recent_headings=(".e8c0a4b7",),
        boilerplate=(r"^अधूरा नहीं पढिए पूरा", r"पढें पूरी खबर दैनिक भास्कर ऐप पर",
                     r"^ऐप डाउनलोड करने के लिए qr", r"^प्रीमियम मेंबरशिप है तो",
                     r"^कॉपी लिंक$", r"^खबरें और भी हैं$"),
    ),),
    tracking_params=("ref",),
    site_names=_SITE_NAMES[1:] + ("Dainik Bhaskar Hindi",),
    concurrency=2,
    download_delay=1.5,
    evidence="five real article pages (May and Sep 2024) in shared/hindi-html/bhaskar; dates, "
             "section and image from JSON-LD/meta; body = the <article> minus hashed-class "
             "furniture (classes stable across the two dates but perishable); feeds from the "
             "research notes",
    hook=_tidy,
)
