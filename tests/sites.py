"""A synthetic Hindi news site, generated into a folder and served by FixtureServer.

It has what real portals have: robots.txt with Sitemap: lines and a disallowed path, a sitemap
index nested three levels deep (index -> index -> an index mislabelled as a <urlset> ->
gzip and plain urlsets), a Google News sitemap, an RSS 2.0 feed and an Atom feed linked from
the home page, section listings with pagination, and article pages with JSON-LD. Dates are
relative to the time the site is generated, newest first, so `--since 2d` means something.

    site = SyntheticSite(tmp_path, articles=60).write()
    with FixtureServer([site.folder]) as server: ...
    site.add_article(); site.change_article(5); site.write()   # the site moves on

The text is our own: sentences assembled from word lists, different for every article.
"""

from __future__ import annotations

import gzip
import html
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from newscrawler.dates import IST

HOST = "www.khabarsansar.in"
SECTIONS = {"desh": "देश", "videsh": "विदेश", "khel": "खेल", "vyapar": "व्यापार"}

_PLACES = ("दिल्ली", "लखनऊ", "पटना", "जयपुर", "भोपाल", "रांची", "देहरादून", "शिमला", "वाराणसी",
           "इंदौर", "नागपुर", "पुणे", "अहमदाबाद", "कोलकाता", "गुवाहाटी", "चंडीगढ़")
_SUBJECTS = ("नगर निगम", "राज्य सरकार", "किसान संगठन", "शिक्षा विभाग", "स्वास्थ्य विभाग",
             "रेल प्रशासन", "मौसम विभाग", "खेल संघ", "व्यापार मंडल", "छात्र संघ", "पुलिस प्रशासन",
             "जल बोर्ड")
_TOPICS = ("नई सड़क परियोजना", "सर्दी की छुट्टियों", "फसल की खरीद", "बिजली की दरों", "स्कूलों के समय",
           "बाजार की रौनक", "नदी की सफाई", "अस्पताल के विस्तार", "टीम के चयन", "पानी की आपूर्ति",
           "मेट्रो के नए रूट", "परीक्षा की तारीखों")
_VERBS = ("पर बड़ा फैसला लिया", "को लेकर बैठक बुलाई", "की समीक्षा शुरू की", "पर नई योजना जारी की",
          "के लिए बजट बढ़ाया", "पर लोगों से राय मांगी")
_AREAS = ("पुराने शहर", "औद्योगिक क्षेत्र", "रेलवे कॉलोनी", "नई बस्ती", "मुख्य बाजार", "नदी किनारे",
          "विश्वविद्यालय परिसर", "हवाई अड्डे", "सब्जी मंडी", "बस अड्डे", "सरकारी अस्पताल", "छावनी")
_PEOPLE = ("जिलाधिकारी", "महापौर", "स्थानीय विधायक", "मुख्य अभियंता", "प्रधानाचार्य", "व्यापारी नेता",
           "किसान नेता", "पुलिस अधीक्षक", "मुख्य चिकित्सा अधिकारी", "कोच", "पार्षद", "समिति अध्यक्ष")
_MOODS = ("गहरी", "खुली", "कड़ी", "हल्की", "साफ", "लगातार", "तीखी", "पूरी", "बढ़ती", "पुरानी")
_DAYS = ("सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार")
_THINGS = ("सड़कें", "नालियां", "कक्षाएं", "दुकानें", "बसें", "पंप", "बिस्तर", "मैदान", "खंभे", "पुल")
# Sentence templates: no more than two fixed words in a row, so two generated articles share
# few four-word shingles (the near-duplicate detector must see them as different stories).
_TEMPLATES = (
    "{place} के {area} में {n} परिवारों ने {topic} पर {mood} नाराजगी जताई।",
    "{person} ने {day} को {n} {things} जल्द ठीक कराने का {mood} भरोसा दिया।",
    "{area} के {m} दुकानदारों के मुताबिक {topic} से {mood} असर पड़ा है।",
    "{subject} की {n} पन्नों वाली रिपोर्ट {day} तक {person} को सौंपी जाएगी।",
    "{place} में पिछले {m} दिनों से {things} की {mood} कमी बताई जा रही है।",
    "{person} के अनुसार {area} की {n} शिकायतें {day} से पहले निपटाई जाएंगी।",
    "{subject} ने {topic} के लिए {n} लाख रुपये की {mood} मांग रखी।",
    "{day} की बैठक में {m} सदस्यों ने {area} के {things} गिनाए।",
)


def _sentences(seed: int, count: int, place: str) -> list[str]:
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(count):
        template = rng.choice(_TEMPLATES)
        out.append(template.format(
            place=place, area=rng.choice(_AREAS), person=rng.choice(_PEOPLE),
            subject=rng.choice(_SUBJECTS), topic=rng.choice(_TOPICS), mood=rng.choice(_MOODS),
            day=rng.choice(_DAYS), things=rng.choice(_THINGS), n=rng.randint(12, 9999),
            m=rng.randint(3, 400)))
    return out


_SLUG_WORDS = ("shahar", "yojana", "baithak", "faisla", "sarkar", "kisan", "school", "metro",
               "bazaar", "paani", "bijli", "team", "pariksha", "nadi", "sadak", "aspataal")


@dataclass
class Article:
    id: int
    section: str
    published: datetime
    modified: datetime
    version: int = 1

    @property
    def slug(self) -> str:
        words = [_SLUG_WORDS[(self.id * k + k) % len(_SLUG_WORDS)] for k in (1, 3, 7)]
        return "-".join(words) + f"-{self.id}"

    @property
    def path(self) -> str:
        return f"/{self.section}/{self.slug}/"

    def url(self, host: str = HOST) -> str:
        return f"https://{host}{self.path}"

    @property
    def place(self) -> str:
        return _PLACES[self.id % len(_PLACES)]

    @property
    def title(self) -> str:
        subject = _SUBJECTS[(self.id // len(_PLACES)) % len(_SUBJECTS)]
        topic = _TOPICS[(self.id // 7) % len(_TOPICS)]
        verb = _VERBS[self.id % len(_VERBS)]
        return f"{self.place}: {subject} ने {topic} {verb} (खबर {self.id})"

    def body(self) -> list[str]:
        sentences = _sentences(self.id * 7919, 12, self.place)
        paragraphs = [
            f"{self.place} में {_SUBJECTS[self.id % len(_SUBJECTS)]} ने आज "
            f"{_TOPICS[(self.id * 5) % len(_TOPICS)]} से जुड़े मामले पर विस्तार से चर्चा की। "
            + " ".join(sentences[:2]),
        ]
        paragraphs += [" ".join(sentences[k:k + 3]) for k in (2, 5, 8)]
        paragraphs.append(sentences[11])
        if self.version > 1:
            paragraphs.append(f"अपडेट {self.version}: " + " ".join(
                _sentences(self.id * 7919 + self.version, 3, self.place)))
        return paragraphs

    def lede(self) -> str:
        return (f"{self.place} से हमारे संवाददाता की रिपोर्ट: "
                f"{_TOPICS[(self.id * 3) % len(_TOPICS)]} पर लोगों की नजर है।")


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def rfc822(dt: datetime) -> str:
    return dt.strftime("%a, %d %b %Y %H:%M:%S %z")


@dataclass
class SyntheticSite:
    """A generated site under ``root/<host>/site/`` (the FixtureServer folder layout)."""

    root: Path
    articles_count: int = 60
    host: str = HOST
    per_sitemap: int = 25  # article entries per urlset
    per_listing_page: int = 10
    listing_pages: int = 3  # pagination depth written per section
    news_count: int = 20  # newest articles in the news sitemap
    feed_count: int = 15  # newest articles in the feeds
    spacing: timedelta = timedelta(minutes=50)  # between two articles' publication times
    now: datetime = field(default_factory=lambda: datetime.now(IST).replace(microsecond=0))
    articles: list[Article] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.articles:
            sections = list(SECTIONS)
            for i in range(self.articles_count):
                # id 100001 is the oldest; the newest has the highest id
                published = self.now - self.spacing * (self.articles_count - i)
                self.articles.append(Article(100001 + i, sections[i % len(sections)],
                                             published, published))

    # ------------------------------------------------------------------ changes
    @property
    def folder(self) -> Path:
        return self.root / self.host

    @property
    def site_dir(self) -> Path:
        return self.folder / "site"

    def add_article(self, when: datetime | None = None) -> Article:
        when = when or datetime.now(IST).replace(microsecond=0)
        article = Article(self.articles[-1].id + 1, list(SECTIONS)[len(self.articles) % 4],
                          when, when)
        self.articles.append(article)
        return article

    def change_article(self, index: int, when: datetime | None = None) -> Article:
        article = self.articles[index]
        article.version += 1
        article.modified = when or datetime.now(IST).replace(microsecond=0)
        return article

    def newest(self) -> list[Article]:
        return sorted(self.articles, key=lambda a: (a.published, a.id), reverse=True)

    def urls(self) -> set[str]:
        return {a.url(self.host) for a in self.articles}

    # ------------------------------------------------------------------ writing
    def write(self) -> SyntheticSite:
        d = self.site_dir
        d.mkdir(parents=True, exist_ok=True)
        self._put("robots.txt", (
            "User-agent: *\nDisallow: /private/\nDisallow: /search\n\n"
            f"Sitemap: https://{self.host}/sitemap_index.xml\n"
            f"Sitemap: https://{self.host}/news-sitemap.xml\n").encode())
        for article in self.articles:
            self._put(article.path.strip("/") + "/index.html", self.article_html(article))
        self._put(f"private/{'gupt-report-staff-notes'}-{900001}/index.html",
                  self.article_html(Article(900001, "desh", self.now, self.now)))
        self._write_sitemaps()
        self._put("news-sitemap.xml", self.news_sitemap())
        self._put("feed/index.xml", self.rss())
        self._put("atom.xml", self.atom())
        self._put("index.html", self.home_html())
        for section in SECTIONS:
            self._write_listing(section)
        return self

    def _put(self, rel: str, data: bytes) -> None:
        path = self.site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a running server never reads half a file

    def _write_sitemaps(self) -> None:
        oldest_first = sorted(self.articles, key=lambda a: a.id)
        chunks = [oldest_first[i:i + self.per_sitemap]
                  for i in range(0, len(oldest_first), self.per_sitemap)]
        children = []
        for n, chunk in enumerate(chunks, 1):
            newest_chunk = n == len(chunks)
            name = f"sitemaps/posts-{n}.xml" + ("" if newest_chunk else ".gz")
            body = _urlset([(a.url(self.host), iso(a.modified)) for a in chunk])
            self._put(name, body if newest_chunk else gzip.compress(body, mtime=0))
            children.append((f"https://{self.host}/{name}", iso(max(a.modified for a in chunk))))
        latest = max(m for _, m in children)
        # level 3: an index mislabelled as a <urlset> whose locations are sitemaps
        self._put("sitemaps/archive.xml", _urlset(children))
        # level 2: a real index naming it, and level 1: the index robots.txt names
        self._put("sitemaps/post-index.xml", _sitemapindex(
            [(f"https://{self.host}/sitemaps/archive.xml", latest)]))
        self._put("sitemap_index.xml", _sitemapindex(
            [(f"https://{self.host}/sitemaps/post-index.xml", latest)]))

    def news_sitemap(self) -> bytes:
        items = []
        for a in self.newest()[:self.news_count]:
            items.append(
                f"<url><loc>{a.url(self.host)}</loc><news:news><news:publication>"
                "<news:name>खबर संसार</news:name><news:language>hi</news:language>"
                f"</news:publication><news:publication_date>{iso(a.published)}"
                f"</news:publication_date><news:title>{html.escape(a.title)}</news:title>"
                "</news:news></url>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
                + "\n".join(items) + "\n</urlset>\n").encode()

    def rss(self) -> bytes:
        items = "".join(
            f"<item><title>{html.escape(a.title)}</title><link>{a.url(self.host)}</link>"
            f"<guid isPermaLink=\"true\">{a.url(self.host)}</guid>"
            f"<pubDate>{rfc822(a.published)}</pubDate>"
            f"<description>{html.escape(a.lede())}</description></item>\n"
            for a in self.newest()[:self.feed_count])
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                f"<title>खबर संसार</title><link>https://{self.host}/</link>\n{items}"
                "</channel></rss>\n").encode()

    def atom(self) -> bytes:
        entries = "".join(
            f"<entry><title>{html.escape(a.title)}</title>"
            f'<link rel="alternate" href="{a.url(self.host)}"/><id>{a.url(self.host)}</id>'
            f"<published>{iso(a.published)}</published><updated>{iso(a.modified)}</updated>"
            "</entry>\n" for a in self.newest()[:self.feed_count])
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<feed xmlns="http://www.w3.org/2005/Atom"><title>खबर संसार</title>\n'
                f"{entries}</feed>\n").encode()

    def _page(self, title: str, main: str, head: str = "") -> bytes:
        nav = "".join(f'<li><a href="/{s}/">{name}</a></li>' for s, name in SECTIONS.items())
        return f"""<!doctype html>
<html lang="hi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed/">
<link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">
{head}</head>
<body><header><a href="/">खबर संसार</a><nav class="menu"><ul>{nav}</ul></nav></header>
{main}
<footer><a href="/about-us/">हमारे बारे में</a> <a href="/search?q=x">खोज</a>
<p>© खबर संसार. सर्वाधिकार सुरक्षित।</p></footer></body></html>
""".encode()

    def home_html(self) -> bytes:
        links = "".join(f'<li><a href="{a.path}">{html.escape(a.title)}</a></li>'
                        for a in self.newest()[:10])
        private = '<li><a href="/private/gupt-report-staff-notes-900001/">स्टाफ नोट्स</a></li>'
        return self._page("खबर संसार: ताजा हिंदी खबरें",
                          f'<main><h2>ताजा खबरें</h2><ul class="latest">{links}{private}</ul></main>')

    def _write_listing(self, section: str) -> None:
        items = [a for a in self.newest() if a.section == section]
        for page in range(1, self.listing_pages + 1):
            chunk = items[(page - 1) * self.per_listing_page:page * self.per_listing_page]
            links = "".join(f'<li><h3><a href="{a.path}">{html.escape(a.title)}</a></h3></li>'
                            for a in chunk)
            has_next = page < self.listing_pages and len(items) > page * self.per_listing_page
            nav = f'<a class="next" rel="next" href="/{section}/page/{page + 1}/">अगला</a>' \
                if has_next else ""
            head = f'<link rel="next" href="/{section}/page/{page + 1}/">' if has_next else ""
            rel = f"{section}/index.html" if page == 1 else f"{section}/page/{page}/index.html"
            self._put(rel, self._page(f"{SECTIONS[section]} समाचार - पेज {page}",
                                      f"<main><ul>{links}</ul>{nav}</main>", head))

    def article_html(self, a: Article) -> bytes:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
              "datePublished": iso(a.published), "dateModified": iso(a.modified),
              "author": {"@type": "Person", "name": "संवाददाता"},
              "publisher": {"@type": "Organization", "name": "खबर संसार"},
              "articleSection": SECTIONS.get(a.section, a.section),
              "mainEntityOfPage": a.url(self.host), "inLanguage": "hi"}
        head = (f'<link rel="canonical" href="{a.url(self.host)}">'
                '<meta property="og:type" content="article">'
                '<meta property="og:site_name" content="खबर संसार">'
                f'<meta property="og:title" content="{html.escape(a.title)}">'
                f'<meta property="article:published_time" content="{iso(a.published)}">'
                f'<meta property="article:modified_time" content="{iso(a.modified)}">'
                '<script type="application/ld+json">'
                + json.dumps(ld, ensure_ascii=False) + "</script>")
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in a.body())
        main = (f'<main><article><h1 class="entry-title">{html.escape(a.title)}</h1>'
                f'<p class="lede">{html.escape(a.lede())}</p>'
                f'<div class="byline">संवाददाता | <time datetime="{iso(a.published)}">'
                f"{a.published:%d.%m.%Y %H:%M}</time></div>"
                f'<div class="entry-content">{paragraphs}</div></article></main>')
        return self._page(f"{a.title} - खबर संसार", main, head)


def _urlset(entries: list[tuple[str, str]]) -> bytes:
    rows = "".join(f"<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>\n"
                   for loc, lastmod in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>\n'
            ).encode()


def _sitemapindex(entries: list[tuple[str, str]]) -> bytes:
    rows = "".join(f"<sitemap><loc>{loc}</loc><lastmod>{lastmod}</lastmod></sitemap>\n"
                   for loc, lastmod in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</sitemapindex>\n'
            ).encode()


# ---------------------------------------------------------------------- running crawls
ROOT = Path(__file__).resolve().parent.parent
TEST_SETTINGS = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false",
                 "-s", "NEWSCRAWLER_PROGRESS_INTERVAL=0")


def crawl_command(server, db: Path, *extra: str, target: str | None = None) -> list[str]:
    """`newscrawler crawl` of the synthetic site (home page, generic spider) into db."""
    import sys

    return [sys.executable, "-m", "newscrawler", "crawl", target or f"https://{HOST}/",
            "--db", f"sqlite:///{db}",
            "-s", "NEWSCRAWLER_HOST_MAP=" + json.dumps(server.host_map()),
            *TEST_SETTINGS, *extra]


def run_crawl(server, db: Path, *extra: str, target: str | None = None, timeout: float = 90):
    import subprocess

    return subprocess.run(crawl_command(server, db, *extra, target=target), cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def stored_articles(db: Path) -> dict[str, dict]:
    """url -> {version, content_hash, modified_at, data} of every stored article."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, version, content_hash, modified_at, data "
                            "FROM articles").fetchall()
    return {url: {"version": v, "content_hash": h, "modified_at": m, "data": json.loads(d)}
            for url, v, h, m, d in rows}


def version_rows(db: Path) -> list[tuple[str, int]]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT url_key, version FROM article_versions").fetchall()


def last_run_stats(db: Path) -> dict:
    import sqlite3

    with sqlite3.connect(db) as conn:
        (raw,) = conn.execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    return json.loads(raw)


def article_paths(entries, site: SyntheticSite) -> list[str]:
    """The article pages among logged requests (in order, repeats kept)."""
    paths = {a.path for a in site.articles} | {"/private/gupt-report-staff-notes-900001/"}
    return [e.path for e in entries if e.path in paths]
