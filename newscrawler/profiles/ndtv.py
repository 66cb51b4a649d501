"""NDTV India (ndtv.in, formerly khabar.ndtv.com), NDTV's Hindi site.

Evidence is thin. The URL shape `/<section>/<slug>-<7 digits>` and the monthly sitemap
`/sitemap.xml?yyyy=&mm=&sitename=ndtv-khabar&category=` come from the research notes (public
scrapers and sitemap lists); no saved ndtv.in page was available. The only selectors in the
notes are for the English NDTV site (`div#ins_storybody`, `[itemprop=articleBody]`,
`h1[itemprop=headline]`), so the layout below names just those and leaves the rest to JSON-LD
(headline, dates, author, section, keywords) and the generic extractor. The research notes also
name feedburner feeds (`feeds.feedburner.com/ndtvkhabar-latest|-india|-world|…`); they are on
another host, so they are not listed here. The site answers plain clients with 403: keep the
delay high.
"""

import re
from urllib.parse import urljoin

from newscrawler.profiles.base import Discovery, Layout, Profile

_CREDIT = re.compile(r"^(.*?)\s*\(\s*(?:फोटो|फ़ोटो|photo|photo credit)\s*[:\-–]\s*([^)]+)\)\s*$",
                     re.I)


def _images(article: dict, doc) -> dict:
    """NDTV images are no <figure>: `div.ins_instory_dv_cont` holds an <img> and a
    `div.ins_instory_dv_caption` "<caption> (फोटो: <credit>)"; add them with their captions."""
    base = article.get("url") or ""
    images = article.setdefault("images", [])
    for box in doc.xpath("//div[contains(concat(' ', normalize-space(@class), ' '),"
                         " ' ins_instory_dv_cont ')]"):
        img = box.find(".//img")
        if img is None:
            continue
        src = img.get("data-src") or img.get("src") or ""
        if not src or src.startswith("data:"):
            continue
        src = urljoin(base, src)
        caption_el = box.xpath(".//*[contains(@class, 'ins_instory_dv_caption')]")
        text = " ".join(" ".join(caption_el[0].itertext()).split()) if caption_el else ""
        match = _CREDIT.match(text)
        caption, credit = (match.group(1), match.group(2).strip()) if match else (text, None)
        found = next((i for i in images if i["url"] == src), None)
        if found is None:
            images.append({"url": src, "caption": caption or None, "credit": credit})
        elif not found.get("caption"):
            found["caption"], found["credit"] = caption or None, credit
    return article


PROFILE = Profile(
    id="ndtv",
    name="NDTV India",
    domains=("ndtv.in",),
    alt_domains=("www.ndtv.in", "khabar.ndtv.com", "m.khabar.ndtv.com"),
    # ndtv.in/<section>/<slug>-<6..8 digits>; old khabar.ndtv.com/news/<section>/<slug>-<id>;
    # AMP adds /amp/1
    article_url=r"^https?://(?:(?:www\.)?ndtv\.in|(?:m\.)?khabar\.ndtv\.com)/"
                r"(?!videos?/|video-|livetv|webstories|photos?/|topic/|author/|tags?/)"
                r"(?:[a-z0-9-]+/){1,2}[a-z0-9-]+-\d{6,8}(?:/amp/1)?/?(?:[?#].*)?$",
    discovery=Discovery(
        # a monthly sitemap; the day loop asks for each month once ({mm} is zero-padded)
        daily_sitemaps=("/sitemap.xml?yyyy={yyyy}&mm={m}&sitename=ndtv-khabar&category=",),
        listings=("/latest",),
    ),
    layouts=(Layout(
        title=("h1[itemprop=headline]", "h1.sp-ttl"),
        lede=("h2.sp-descp",),
        body=("div#ins_storybody", "div[itemprop=articleBody]"),
        body_exclude=(".ins_instory_dv_cont", ".ad-slot", ".ftr-vdo", ".also-read-box"),
        # the syndication note, the health disclaimer ("अस्वीकरण: …") and the video box title
        boilerplate=(r"इस खबर को एनडीटीवी टीम ने संपादित नहीं किया है", r"^अस्वीकरण ",
                     r"^featured video of the day$"),
    ),),
    tracking_params=("pfrom", "publisher", "utm_source", "utm_medium", "utm_campaign"),
    site_names=("NDTV", "NDTV Khabar", "एनडीटीवी इंडिया", "NDTVIndia"),
    concurrency=1,
    download_delay=2.0,
    hook=_images,
    evidence="research notes only (URL shape, monthly sitemap; body selectors from English "
             "NDTV scrapers); no saved ndtv.in page: relies on JSON-LD and the generic extractor",
)
