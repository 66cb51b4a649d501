"""BBC News हिंदी (www.bbc.com/hindi), rendered by the BBC World Service app Simorgh.

Evidence: the research notes, which rest on BBC's own open-source renderer (bbc/simorgh) for the
JSON-LD shape (an @graph Article with headline, description, datePublished/dateModified in UTC,
author Person(s) or the organisation, image; no articleBody) and the Hindi UI strings
(visually-hidden "इमेज स्रोत, " / "इमेज कैप्शन, " prefixes, "टॉप स्टोरी", "पढ़ना जारी रखें",
"सबसे ज़्यादा पढ़ी गईं"). No real BBC Hindi page is saved in shared/hindi-html, and Simorgh's
class names are hashed (bbc-xxxx), so the layout names no classes: text comes from the generic
extractor, metadata from JSON-LD/meta. The hook drops the visually-hidden caption prefix that
Simorgh puts in every <figcaption>.

bbc.com hosts every BBC service, so the profile owns the host but article_url is limited to
/hindi/. robots.txt of www.bbc.com lists sitemaps of all of bbc.com, so robots sitemaps are
not followed. The main RSS feed lives on feeds.bbci.co.uk (another host); discovery uses the
same-host legacy feed /hindi/index.xml and /hindi/sitemap.xml.
"""

import re

from newscrawler.profiles.base import Discovery, Layout, Profile

_CAPTION_PREFIX = re.compile(r"^(?:इमेज कैप्शन|वीडियो कैप्शन|ऑडियो कैप्शन|कैप्शन)\s*,\s*")
_CREDIT_PREFIX = re.compile(r"^इमेज स्रोत\s*,\s*")


_ORGANISATION = {"BBC News हिंदी", "BBC Hindi", "BBC News Hindi", "बीबीसी हिंदी", "BBC"}


def _hook(article: dict, doc) -> dict:
    """Captions and credits without Simorgh's visually-hidden screen-reader prefixes; an
    unbylined story names the organisation as its JSON-LD author, which is no author."""
    article["authors"] = [a for a in article.get("authors") or () if a not in _ORGANISATION]
    for image in article.get("images") or ():
        if image.get("caption"):
            image["caption"] = _CAPTION_PREFIX.sub("", image["caption"]) or None
        if image.get("credit"):
            image["credit"] = _CREDIT_PREFIX.sub("", image["credit"]) or None
    return article


PROFILE = Profile(
    id="bbchindi",
    name="BBC News हिंदी",
    domains=("www.bbc.com",),
    alt_domains=(),
    # /hindi/articles/c<10-11 alnum> (current), /hindi/<section>-<8 digits> (legacy); .amp variant
    article_url=r"^https?://www\.bbc\.com/hindi/(?:articles/c[a-z0-9]{10,11}|(?!institutional-)[a-z]+(?:-[a-z]+)*-\d{8})"
                r"(?:\.amp)?/?(?:\?.*)?$",
    discovery=Discovery(
        sitemaps=("/hindi/sitemap.xml",),
        feeds=("/hindi/index.xml",),
        listings=("/hindi",),
        robots_sitemaps=False,
    ),
    layouts=(Layout(
        title=("main h1#content",),
        # the byline list (visually-hidden "लेखक, " / "पदनाम, " labels) sits inside <main>
        body_exclude=("section[data-testid='byline']", "section[aria-labelledby='article-byline']",
                      "section[aria-labelledby='top-stories-heading']",
                      "section[data-e2e='related-topics']"),
        boilerplate=(r"^पढना जारी रखें$", r"^इमेज (?:स्रोत|कैप्शन) ",
                     # the app/follow tail of every story
                     r"एंड्रॉएड ऐप के लिए आप यहां क्लिक कर सकते हैं",
                     r"^आप हमें .{0,80}पर फॉलो भी कर सकते हैं$"),
    ),),
    tracking_params=("at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3",
                     "at_custom4", "xtor"),
    site_names=("BBC Hindi", "BBC News Hindi", "बीबीसी हिंदी", "BBC News हिन्दी"),
    concurrency=2,
    download_delay=1.5,
    evidence="research notes from BBC's own renderer (bbc/simorgh: JSON-LD shape, Hindi UI "
             "strings); no saved real page; relies on JSON-LD and the generic extractor",
    hook=_hook,
)
