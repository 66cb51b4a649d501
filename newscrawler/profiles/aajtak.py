"""Aaj Tak (www.aajtak.in), India Today group template.

Live blogs (real page in shared/hindi-html/aajtak, Oct 2020): headline in
`div.maincontent-area h1`, place/date line `<h3>नई दिल्ली | 08 अक्टूबर 2020, 11:24 PM IST</h3>`,
standfirst `h2.blg-kick`, a "हाइलाइट्स" box, then `div.blogouter` of `div.blog-desc` entries
(`div.blogtime` "12:55 PM (6 दिन पहले)", `<h2>` entry headline, `<h5>Posted by :- <name></h5>`,
text, embedded tweets, `ul.social` share icons). JSON-LD NewsArticle + LiveBlogPosting, whose
dates are written "2020-10-08\\\\T08:14:42+05:30" (the dates module repairs that).
Ordinary stories (research notes, several public scrapers, not a saved page): title
`div.story-heading h1`, standfirst `div.sab-head-tranlate-sec h2`, body `div.story-with-main-sec`
(`p.text-align-justify`), hero `.main-img`; those rules are the research notes' leads.
"""

import re
from urllib.parse import urljoin

from newscrawler.profiles.base import Discovery, Layout, Profile

_CAPTION = re.compile(r"^(.*?)\s*\(\s*(?:फोटो|फ़ोटो|photo)\s*[-:–]\s*([^)]+)\)\s*$", re.I)
_POSTED_BY = re.compile(r"^(?:posted by|by|रिपोर्ट|द्वारा)\s*[:\-–]*\s*", re.I)


def _fix(article: dict, doc) -> dict:
    """Bylines read "Posted by :- <name>" (the engine strips "Posted by :" only); the lead
    image is no <figure> but `div.main-img` / `div.mainblog-img` with an <img> and a caption
    <span> "<caption> (फोटो- <credit>)"."""
    article["authors"] = [n for n in (_POSTED_BY.sub("", a).lstrip(":-– ").strip()
                                      for a in article.get("authors") or []) if n]
    base = article.get("url") or ""
    images = article.setdefault("images", [])
    for box in doc.xpath("//div[@class='main-img' or @class='mainblog-img']"):
        img, span = box.find(".//img"), box.find("span")
        if img is None:
            continue
        src = urljoin(base, img.get("data-src") or img.get("src") or "").split("?")[0]
        text = " ".join(" ".join(span.itertext()).split()) if span is not None else ""
        match = _CAPTION.match(text)
        caption, credit = (match.group(1), match.group(2).strip()) if match else (text, None)
        for image in images:
            if image["url"].split("?")[0] == src and not image.get("caption"):
                image["caption"], image["credit"] = caption or None, credit
    return article


PROFILE = Profile(
    id="aajtak",
    name="आज तक",
    domains=("www.aajtak.in",),
    alt_domains=("aajtak.in", "aajtak.intoday.in"),
    article_url=r"^https?://(?:www\.)?aajtak\.in/(?:amp/)?(?:[a-z0-9-]+/)+story/"
                r"[a-z0-9-]+-\d{6,8}-\d{4}-\d{2}-\d{2}/?(?:\?.*)?$",
    discovery=Discovery(
        news_sitemaps=("/rssfeeds/news-sitemap.xml",),
        feeds=("/rssfeeds/?id=home",),
    ),
    layouts=(Layout(
        title=("div.story-heading h1", "div.maincontent-area h1"),
        lede=("div.sab-head-tranlate-sec h2", "h2.blg-kick"),
        body=("div.story-with-main-sec", "div.blogouter"),
        body_exclude=(".blogtime", "ul.social", ".blogcontent h5", ".highlights",
                      ".main-img", ".ads-box", ".ad-slot"),
        published=("div.brand-detial-main span.strydate",),
        authors=(".blogcontent h5", "div.brand-detial-main .story-author a",
                 "div.brand-detial-main .story-author"),
        recent_headings=(".widget-heading h2", ".widget-heading h3"),
    ),),
    tracking_params=("utm_source", "utm_medium", "utm_campaign", "utm_content"),
    site_names=("AajTak", "Aaj Tak", "आजतक", "Hindi News"),
    concurrency=2,
    download_delay=1.5,
    hook=_fix,
    evidence="one real live-blog page (shared/hindi-html/aajtak, 2020) checked; story-page "
             "selectors are the research notes' leads (India Today template), fixtures "
             "written to them; dates from JSON-LD",
)
