"""Business Standard Hindi (hindi.business-standard.com): the Hindi edition of Business
Standard, served (until its 2023 relaunch) by an old PHP/table-layout CMS.

Evidence: two real 2020 pages in shared/hindi-html/business-standard-hindi. Articles live at
`//storypage.php?autono=<id>` (the canonical link really has the double slash); AMP at
`/article-amp/<section>/section_<section>-<id>_1.html`, mobile at `m.bshindi.com/article/…`.
The page is nested tables with inline styles: the headline `<h1>` and the byline
"<author> / <city>&nbsp;<Month D, YYYY>" sit in a small table at the top of `td[width=600]`,
followed by the text as `<p align=justify><font>` or bare `<div>` blocks with `<div>&nbsp;</div>`
spacers; then "Keyword:" links, an "Advertisements" text-link box, a poll ("आपका मत") and a
comment form ("Post your comment"). JSON-LD NewsArticle: headline prefixed with "बिजनेस
स्टैंडर्ड", datePublished without offset (IST), author, keywords. The relaunched site is not
evidenced; for it the profile relies on JSON-LD and the generic extractor. Sitemap/feed paths
are unverified guesses.
"""

from newscrawler.profiles.base import Discovery, Layout, Profile

PROFILE = Profile(
    id="businessstandard",
    name="Business Standard Hindi",
    domains=("hindi.business-standard.com",),
    alt_domains=("m.bshindi.com", "bshindi.com"),
    article_url=r"^https?://(?:hindi\.business-standard\.com|(?:m\.)?bshindi\.com)/+"
                r"(?:storypage\.php\?autono=\d+|(?:article-amp|article)/[a-z-]+/"
                r"section_[a-z-]+-\d+_1\.html)$",
    discovery=Discovery(
        sitemaps=("/sitemap.xml",),
        feeds=("/rss/latestnews.xml",),
        listings=("/economy/",),
    ),
    layouts=(Layout(
        title=("td[width='600'] h1",),
        body=("td[width='600']",),
        body_exclude=("td[width='600'] table", ".addthis_inline_share_toolbox",
                      ".ad-text-box"),
        boilerplate=(r"^advertisements$", r"^keyword\b", r"^आपका मत$", r"^post your comment"),
        recent_headings=("td.rhsHeading",),
    ),),
    site_names=("बिजनेस स्टैंडर्ड", "Business Standard", "BS Hindi"),
    concurrency=2,
    download_delay=1.5,
    evidence="two real 2020 pages in shared/hindi-html/business-standard-hindi (old table "
             "layout, JSON-LD NewsArticle); no research notes; current site and discovery "
             "paths unverified",
)
