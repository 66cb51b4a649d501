"""Dainik Jagran (www.jagran.com): two layout generations, both seen on real saved pages.

2020 (server HTML, TeamSite): `article.detailBox` with the <h1>, the lead image in
`figure.bodySummery`, a `div.dateInfo` line "Publish Date:Sat, 28 Nov 2020 01:34 PM (IST)
Author: <name>", the standfirst `div.summary_art`, and `div.articleBody` of <p> (empty <p>
spacers; the "यह भी पढ़ें" box `div.relativeNews` in-body; a closing "डाउनलोड करें जागरण एप…"
promo), then `ul.tagList`; right column lists "जरूर पढ़ें" and "ज्यादा पठित".
2025 (Next.js, hashed CSS-module classes such as `ArticleDetail_ArticleDetail__…`): the <h1>
inside `<article>`, standfirst `p[class*=shortdescription]`, byline "By <author>" + "Edited By:
<editor>" + "Updated: Fri, 21 Feb 2025 11:14 AM (IST)", and `div.ArticleBody` made of
`div.articlecontent` runs (bare text, <h2> subheadings, empty <p> separators; "यह भी पढ़ें:"
lines in <strong>); right column "खबरें और भी" (`h2.heading`). JSON-LD NewsArticle on both
(2025 with a newline-separated articleBody). Hashed class names are matched by substring.
Evidence: the two real pages in shared/hindi-html/jagran (2020, 2025); the switch date between
the layouts is a guess.
"""

import re
from datetime import date
from urllib.parse import urljoin

from newscrawler.profiles.base import Discovery, Layout, Profile

_PAREN_CREDIT = re.compile(r"^(.*?)\s*\(\s*(?:फोटो|फ़ोटो|photo)\s*[-:–]\s*([^)]+)\)\s*$", re.I)


def _fix(article: dict, doc) -> dict:
    """The 2020 also-read box (`div.relativeNews`) prints its label after the story link, so
    the generic also-read reader takes the label as the title; its thumbnail is no article
    image. Captions end in "( फोटो- <credit>)".
    """
    base = article.get("url") or ""
    boxes = doc.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), "
                      "' relativeNews ')]")
    if boxes:
        related, box_images = [], set()
        for box in boxes:
            for a in box.xpath(".//div[contains(@class, 'h3')]//a[@href]"):
                title = " ".join(" ".join(a.itertext()).split())
                if title:
                    related.append({"title": title, "url": urljoin(base, a.get("href"))})
            for img in box.iter("img"):
                box_images.add(urljoin(base, img.get("data-src") or img.get("src") or ""))
        others = [r for r in article.get("related") or []
                  if r["url"] not in {x["url"] for x in related}]
        article["related"] = related + others
        article["images"] = [i for i in article.get("images") or [] if i["url"] not in box_images]
    for image in article.get("images") or []:
        match = _PAREN_CREDIT.match(image.get("caption") or "")
        if match and not image.get("credit"):
            image["caption"] = match.group(1).strip() or None
            image["credit"] = match.group(2).strip()
    return article


_BOILERPLATE = (
    r"^डाउनलोड करें जागरण एप",
    r"^जागरण एप डाउनलोड करें",
)

PROFILE = Profile(
    id="jagran",
    name="Dainik Jagran",
    domains=("www.jagran.com",),
    alt_domains=("jagran.com", "m.jagran.com"),
    # /<section>/<city>-<slug>-<8 digits>.html; listings end in -news-hindi.html, no id
    article_url=r"^https?://(?:www\.|m\.)?jagran\.com/(?!astrology/|rashifal|search/|author/|"
                r"topics?/|photogallery/|videos?/|web-stories/)[a-z0-9-]+(?:/[a-z0-9-]+)*"
                r"-\d{7,9}\.html(?:\?.*)?$",
    discovery=Discovery(
        news_sitemaps=("/news-sitemap.xml",),
        # RSS lives on another host (rss.jagran.com/rss/news/national.xml), stale per notes
        listings=("/news/national-news-hindi.html",),
    ),
    layouts=(
        Layout(
            valid_until=date(2023, 1, 1),
            title=("article.detailBox h1", "h1"),
            lede=("div.summary_art",),
            body=("div.articleBody",),
            body_exclude=("ul.tagList", "figure"),
            published=(".dateInfo span.fl",),
            authors=(".dateInfo span.date strong",),
            boilerplate=_BOILERPLATE,
        ),
        Layout(
            title=("div[class*='ArticleDetail'] article h1", "h1"),
            lede=("p[class*='shortdescription']",),
            body=("div.ArticleBody",),
            body_exclude=(".advertiseTxt", "figure", "figcaption"),
            published=("span[class*='ArticleDetail__date']",),
            authors=("div[class*='dateDetail'] > span:first-child a",),
            recent_headings=("aside h2.heading",),
            boilerplate=_BOILERPLATE,
        ),
    ),
    tracking_params=("utm_source", "utm_medium", "utm_campaign", "itm_source", "itm_medium",
                     "itm_campaign"),
    site_names=("दैनिक जागरण", "Jagran", "Dainik Jagran Hindi News", "Hindi News"),
    concurrency=2,
    download_delay=1.5,
    hook=_fix,
    evidence="real pages in shared/hindi-html/jagran (2020 server HTML and a 2025 Next.js "
             "page): selectors checked on both; dates from JSON-LD; layout switch date guessed",
)
