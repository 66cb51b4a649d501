"""Extraction in layers: structured data first, then the site profile's rules, then the
generic extractor. Returns the DESIGN section 3 article as a dict.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newscrawler.dates import IST, parse_date, to_iso
from newscrawler.extract import generic, visible
from newscrawler.extract.boilerplate import is_furniture
from newscrawler.extract.dom import (
    PageError,
    PageSelector,
    collect_blocks,
    is_walked_into,
    parse_page,
    strip_junk,
    text_of,
)
from newscrawler.extract.recent import boxed_links, find_recent_blocks, links_of
from newscrawler.extract.structured import (
    ARTICLE_TYPES,
    StructuredData,
    as_text_list,
    image_urls,
    node_types,
    read_structured,
)
from newscrawler.extract.trim import trim_story_edges
from newscrawler.items import complete
from newscrawler.loaders import load_article
from newscrawler.profiles import Profile, get_profile, profile_for_url
from newscrawler.text import devanagari_ratio, fold_for_key, normalize_text, strip_site_suffix
from newscrawler.urls import looks_like_article_url


class NoArticleError(ValueError):
    """The page holds no article (a listing, an empty or broken page, not HTML)."""


PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished",
                  "publish-date", "publishdate", "pubdate", "dc.date.issued", "sailthru.date",
                  "parsely-pub-date", "publish_date", "article.published")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified",
                 "article.updated", "modified_date", "lastmod")
_CREDIT = re.compile(r"^(?:image source|इमेज स्रोत|फोटो|photo(?: credit)?|चित्र|तस्वीर|"
                     r"image credit|courtesy|साभार|pic credit)\s*[:,\-–]\s*(.{1,60})$", re.I)
# "Caption - फोटो : Credit", "Caption (फोटो- Credit)"
_TRAILING_CREDIT = re.compile(r"^(.{3,}?)\s*(?:[-–—|]\s*|\(\s*)(?:फोटो|photo|चित्र|इमेज|image|"
                              r"तस्वीर)\s*(?:source|स्रोत|credit|साभार)?\s*[:\-–]\s*"
                              r"([^()]{1,60}?)\)?$", re.I)


def extract_article(page: str | bytes, url: str | None = None, *,
                    fetched_at: datetime | None = None, site: str | None = None,
                    content_type: str | None = None) -> dict:
    """Extract one article from an HTML page.

    `url` is where the page was fetched from (None: its canonical link). `fetched_at` resolves
    relative times. `site` forces a profile id, or "generic" for no profile.
    Raises NoArticleError when the page holds no article.
    """
    fetched_at = fetched_at or datetime.now(IST)
    try:
        doc = parse_page(page, content_type)
    except PageError as exc:
        raise NoArticleError(str(exc)) from exc
    try:
        return _extract(doc, url, fetched_at, site)
    except RecursionError as exc:  # the walks are iterative: a last guard, never seen yet
        raise NoArticleError("unreadable page: nested too deeply") from exc


def _extract(doc: etree._Element, url: str | None, fetched_at: datetime,
             site: str | None) -> dict:
    sd = read_structured(doc)
    page_url = url or _own_url(sd)
    # links are resolved where they are used (posts, related, images), not for the whole page
    profile = _choose_profile(site, page_url, sd)
    layout = profile.layout_for(fetched_at) if profile else None
    strip_junk(doc)
    select = PageSelector(doc)
    art = sd.article

    site_names = [n for n in (sd.first_meta("og:site_name"),
                              *as_text_list(art.get("publisher"), sd)) if n]
    if profile:
        site_names.extend(profile.names)

    # ---- title
    headline = art.get("headline") or sd.first_meta("og:title", "twitter:title")
    page_title = doc.find(".//title")
    headline_is_page_title = not headline and page_title is not None
    if headline_is_page_title:
        headline = text_of(page_title)
    title, title_el = None, None
    if layout:
        title_el = _first(select, layout.title)
        title = normalize_text(text_of(title_el)) if title_el is not None else None
    if not title:
        title, title_el = generic.find_title(doc, headline, site_names,
                                             reference_is_page_title=headline_is_page_title)
    if title:
        title = strip_site_suffix(title, site_names) if title_el is None else title

    # ---- body
    body_el = doc.find("body") if doc.find("body") is not None else doc
    container = _first(select, layout.body) if layout else None
    # with the container known, the blocks outside it are not needed
    blocks = collect_blocks(container if container is not None
                            and is_walked_into(container, body_el) else body_el)
    containers = [container] if container is not None else []
    if container is None:
        scores = generic.score_containers(blocks)
        container = generic.pick_container(blocks, art.get("articleBody"), scores)
        if container is not None:
            containers = generic.with_siblings(container, blocks, scores)
    exclude = [el for sel in (*layout.body_exclude, *layout.related) for el in select(sel)] \
        if layout else []
    if container is not None:
        paragraphs, also_read = generic.body_paragraphs(
            blocks, containers, extra_boilerplate=layout.boilerplate_res if layout else (),
            exclude=exclude)
    else:
        paragraphs, also_read = [], []
    paragraphs = [p for p in paragraphs if title is None or len(p.text) > len(title) * 1.5
                  or generic.similarity(p.text, title) < 0.9]
    if sd.breadcrumb:  # the trail printed as a list: its last item is the page's slug title
        crumbs = {fold_for_key(name) for name in sd.breadcrumb}
        paragraphs = [p for p in paragraphs if fold_for_key(p.text) not in crumbs]
    body = trim_story_edges([normalize_text(p.text) for p in paragraphs], title)
    if not body and art.get("articleBody"):
        body = _split_article_body(str(art["articleBody"]))

    # ---- lede
    description = (art.get("description") or sd.first_meta("og:description", "description",
                                                            "twitter:description"))
    lede = None
    if layout and layout.lede:
        lede_el = _first(select, layout.lede)
        lede = normalize_text(text_of(lede_el)) if lede_el is not None else None
    # the first paragraph of the main container bounds the lede search: a sibling paragraph
    # before it may be the standfirst itself
    first_main = next((p for p in paragraphs if container is not None
                       and generic.blocks_in([p], container)), None)
    if not lede and paragraphs and paragraphs[0] is first_main \
            and generic.is_standfirst(first_main, title_el):
        # the container took the standfirst in: it leaves the body below, as a lede that
        # repeats the first body line does
        lede = normalize_text(first_main.text)
        first_main = next(iter(paragraphs[1:2]), None)
    if not lede:
        lede = generic.find_lede(doc, title_el, first_main, container, description)
    if lede and first_main is not None and generic.similarity(lede, first_main.text) > 0.9:
        lede = None  # the description merely repeats the first paragraph
    if lede and body and generic.similarity(lede, body[0]) > 0.9:
        body = body[1:]  # the standfirst was taken in with a sibling of the body container

    # ---- around the article
    related = links_of(also_read, page_url)
    if layout and layout.related:
        related += boxed_links([el for sel in layout.related for el in select(sel)],
                               page_url, {r["url"] for r in related})
    recent_headings = [el for sel in (layout.recent_headings if layout else ())
                       for el in select(sel)]
    recent = find_recent_blocks(doc, page_url, fetched_at, article_root=container,
                                extra_headings=recent_headings)

    published = (_structured_date(sd, art.get("datePublished"), PUBLISHED_META, fetched_at)
                 or _selector_date(select, layout.published if layout else (), fetched_at))
    modified = (_structured_date(sd, art.get("dateModified"), MODIFIED_META, fetched_at)
                or _selector_date(select, layout.modified if layout else (), fetched_at))
    scope = visible.header_scope(title_el, container) if title_el is not None else None
    if scope is not None and (published is None or modified is None):
        shown_published, shown_modified = visible.visible_dates(scope, fetched_at)
        published = published or shown_published
        modified = modified or shown_modified

    canonical = _canonical(sd, art, page_url)
    values = {
        "url": page_url or canonical,
        "canonical_url": canonical or page_url,
        "site": profile.id if profile else (urlsplit(page_url or "").hostname or None),
        "site_name": _site_name(sd, art, profile),
        "language": _language(body, sd, profile),
        "title": title,
        "lede": lede,
        "body": body,
        "authors": _authors(select, sd, art, layout) or (
            visible.byline_authors(scope) if scope is not None else []),
        "published_at": to_iso(published, tz=IST),
        "modified_at": to_iso(modified, tz=IST),
        "section": _section(sd, art) or visible.breadcrumb_section(doc, title),
        "tags": _tags(sd, art) or visible.visible_tags(doc),
        "images": _images(doc, sd, art, container, page_url),
        "related": related,
        "recent_posts": recent,
        "fetched_at": to_iso(fetched_at),
        "extractor": f"profile:{profile.id}" if profile else "generic",
        "duplicate_of": None,
    }
    if profile and profile.hook:
        values = profile.hook(values, doc)
    article = dict(load_article(values))
    if not article.get("title"):
        raise NoArticleError("no article: no headline found")
    if not article.get("body"):
        raise NoArticleError("no article: no body text found")
    _refuse_non_article(sd, article)
    return complete(article)


# Less text than this, on a page that marks up no article, is a page's blurb, not a story.
MIN_UNMARKED_BODY_CHARS = 300


def _refuse_non_article(sd: StructuredData, article: dict) -> None:
    """Raise NoArticleError for a home, section or about page that yielded a line of text.

    Every portal marks its stories up (JSON-LD NewsArticle, og:type article); a page with
    neither is taken for an article only when it holds a story's worth of text.
    """
    if sd.article or sd.types & ARTICLE_TYPES:  # a VideoObject names no headline, say
        return
    url = article.get("canonical_url") or article.get("url")
    if url and urlsplit(url).path in ("", "/"):
        raise NoArticleError("no article: the site's home page")
    marked = (sd.first_meta("og:type") or "").strip().lower() == "article"
    if not marked and sum(map(len, article["body"])) < MIN_UNMARKED_BODY_CHARS:
        raise NoArticleError("no article: little text and no article markup (a listing or "
                             "home page?)")


def _own_url(sd: StructuredData) -> str | None:
    """The page's address when the caller does not know it: rel=canonical, og:url or the
    JSON-LD url, the first that is absolute (a relative canonical resolved against og:url)."""
    candidates = [sd.canonical, sd.first_meta("og:url"), _ld_url(sd.article)]
    absolute = [c.strip() for c in candidates if c and urlsplit(c.strip()).scheme in ("http",
                                                                                  "https")]
    if sd.canonical and absolute and not urlsplit(sd.canonical.strip()).scheme:
        return urljoin(absolute[0], sd.canonical.strip())
    return absolute[0] if absolute else None


def _site_name(sd: StructuredData, art: dict, profile: Profile | None) -> str | None:
    publisher = as_text_list(art.get("publisher"), sd)
    return (sd.first_meta("og:site_name") or (publisher[0] if publisher else None)
            or (profile.name if profile else None))


def _choose_profile(site: str | None, url: str | None, sd: StructuredData) -> Profile | None:
    if site == "generic":
        return None
    if site:
        return get_profile(site)
    return profile_for_url(url) or profile_for_url(sd.canonical)


def _first(select: PageSelector, selectors: tuple[str, ...]) -> etree._Element | None:
    for sel in selectors:
        found = select(sel)
        if found:
            return found[0]
    return None


def _split_article_body(text: str) -> list[str]:
    parts = [normalize_text(p) for p in re.split(r"\n\s*\n|\r\n|\n", text)]
    return [p for p in parts if p]


_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/[0-9a-z_]+/(https?://.+)$")


def _canonical(sd: StructuredData, art: dict, page_url: str | None) -> str | None:
    """rel=canonical / og:url when trustworthy: not the home page; on the same site, except a
    rel=canonical naming an article on another site (a syndicated copy pointing at its source,
    which deduplication then links to)."""
    page_host = (urlsplit(page_url).hostname or "") if page_url else ""
    candidates = ((sd.canonical, True), (sd.first_meta("og:url"), False), (_ld_url(art), False))
    for candidate, is_rel_canonical in candidates:
        if not candidate:
            continue
        absolute = urljoin(page_url or "", candidate.strip())
        archived = _WAYBACK.match(absolute)
        if archived:  # a Wayback copy: the publisher's own URL
            absolute = archived.group(1)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or parts.path in ("", "/"):
            continue
        if page_host and not _same_site(parts.hostname or "", page_host):
            if not (is_rel_canonical and looks_like_article_url(absolute)):
                continue
        return absolute
    return page_url


def _ld_url(art: dict) -> str | None:
    main = art.get("mainEntityOfPage")
    if isinstance(main, dict):
        main = main.get("@id") or main.get("url")
    value = art.get("url") or main
    return value if isinstance(value, str) else None


def _same_site(a: str, b: str) -> bool:
    def base(host: str) -> str:
        parts = host.lower().split(".")
        for prefix in ("www", "m", "amp", "hindi", "mobile"):
            if len(parts) > 2 and parts[0] == prefix:
                parts = parts[1:]
        return ".".join(parts[-3:]) if parts[-2:-1] in (["co"], ["com"]) else ".".join(parts[-2:])
    return base(a) == base(b)


# Languages written in Devanagari besides Hindi: Marathi, Nepali, Sanskrit, Konkani, Maithili,
# Bhojpuri, Dogri, Bodo, Newari.
DEVANAGARI_LANGUAGES = frozenset({"mr", "ne", "sa", "kok", "mai", "bho", "doi", "brx", "new"})


def _language(body: list[str], sd: StructuredData, profile: Profile | None) -> str | None:
    lang = (sd.article.get("inLanguage") if isinstance(sd.article.get("inLanguage"), str)
            else None) or sd.lang
    declared = lang.split("-")[0].strip().lower() if lang else None
    sample = " ".join(body[:5])
    if sample and devanagari_ratio(sample) >= 0.4:
        # Devanagari text is Hindi unless the page or profile names another Devanagari
        # language (a declared "en" on a Hindi page is a template default)
        if declared in DEVANAGARI_LANGUAGES:
            return declared
        return profile.language if profile and profile.language != "hi" else "hi"
    return declared or None


def _structured_date(sd: StructuredData, ld_value, meta_names, fetched_at) -> datetime | None:
    if isinstance(ld_value, list):
        ld_value = ld_value[0] if ld_value else None
    for value in (str(ld_value) if ld_value else None, sd.first_meta(*meta_names)):
        dt = parse_date(value, fetched_at, relative=False) if value else None
        if dt:
            return dt
    return None


def _selector_date(select: PageSelector, selectors, fetched_at) -> datetime | None:
    for sel in selectors:
        for el in select(sel):
            for value in (el.get("datetime"), el.get("content"), text_of(el)):
                dt = parse_date(value, fetched_at) if value else None
                if dt:
                    return dt
    return None


def _people(value, sd: StructuredData) -> list:
    """JSON-LD authors without organisations (a publisher named as author is no byline)."""
    values = value if isinstance(value, list) else [value] if value else []
    out = []
    for item in values:
        node = sd.resolve(item)
        if isinstance(node, dict) and node_types(node) & {"organization", "newsmediaorganization",
                                                          "corporation"}:
            continue
        out.append(node)
    return out


def _authors(select: PageSelector, sd: StructuredData, art: dict, layout) -> list[str]:
    names: list[str] = []
    if layout and layout.authors:
        for sel in layout.authors:
            names.extend(normalize_text(text_of(el)) for el in select(sel))
    if not names:
        names = as_text_list(_people(art.get("author"), sd), sd)
    if not names:
        meta = sd.first_meta("author", "article:author", "byl", "parsely-author")
        if meta:
            names = [meta]
    out = []
    for name in names:
        name = visible.BYLINE_PREFIX.sub("", normalize_text(name)).strip(" ,|")
        if name and "://" not in name and len(name) <= 80 and name not in out:
            out.append(name)
    return out


def _section(sd: StructuredData, art: dict) -> str | None:
    section = art.get("articleSection")
    if isinstance(section, list):
        section = section[0] if section else None
    return section or sd.first_meta("article:section")


def _tags(sd: StructuredData, art: dict) -> list[str]:
    raw = art.get("keywords")
    values: list[str] = []
    if isinstance(raw, str):
        raw = [raw]
    if isinstance(raw, list):
        # a list may hold one comma-joined string (Amar Ujala): split every item
        values = [part for v in raw for part in str(v).split(",")]
    if not values:
        values = list(sd.meta.get("article:tag", ()))
    if not values:
        kw = sd.first_meta("news_keywords", "keywords")
        values = kw.split(",") if kw else []
    return [v.strip() for v in values if v and v.strip()]


_PLACEHOLDER_IMAGE = re.compile(r"(nopreview|placeholder|default[-_]?image|blank|spacer|"
                                r"lazy[-_]?load|no[-_]?image)\.(png|gif|jpe?g|svg|webp)", re.I)


def _image_key(url: str) -> str:
    """One key for an image at several sizes (?w=1280 vs ?w=1280&enlarge=true)."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"


def _images(doc, sd: StructuredData, art: dict, container, page_url) -> list[dict]:
    images: list[dict] = []
    by_key: dict[str, dict] = {}

    def add(url: str | None, caption: str | None = None, credit: str | None = None) -> None:
        if not url or url.startswith("data:") or _PLACEHOLDER_IMAGE.search(url):
            return
        url = urljoin(page_url or "", url)
        known = by_key.get(_image_key(url))
        if known is not None:
            if caption and not known["caption"]:  # a figure captions the lead image
                known["caption"], known["credit"] = caption, credit
            return
        by_key[_image_key(url)] = image = {"url": url, "caption": caption, "credit": credit}
        images.append(image)

    for url in image_urls(art.get("image"), sd)[:1] or [sd.first_meta("og:image")]:
        add(url)
    scope = container.getparent() if container is not None and container.getparent() is not None \
        else container
    if scope is not None:
        for figure in scope.iter("figure"):
            img = figure.find(".//img")
            if img is None or _in_furniture(figure, scope):
                continue  # bylines' avatars, related-news cards
            src = img.get("data-src") or img.get("data-lazy-src") or img.get("src")
            caption, credit = _caption_and_credit(figure)
            add(src, caption, credit)
    return images


def _in_furniture(el: etree._Element, scope: etree._Element) -> bool:
    node = el.getparent()
    while node is not None and node is not scope:
        if is_furniture(node):
            return True
        node = node.getparent()
    return False


def _caption_and_credit(figure: etree._Element) -> tuple[str | None, str | None]:
    lines: list[str] = []
    for block in collect_blocks(figure):
        lines.append(normalize_text(block.text))
    caption, credit = None, None
    for line in lines:
        match = _CREDIT.match(line)
        trailing = _TRAILING_CREDIT.match(line) if not match else None
        if match:
            credit = match.group(1).strip()
        elif trailing and not caption:
            caption, credit = trailing.group(1).strip(), trailing.group(2).strip()
        elif line and not caption:
            caption = line
    if caption:  # BBC's figcaption starts with a screen-reader label: "इमेज कैप्शन, …"
        caption = _CAPTION_LABEL.sub("", caption) or None
    return caption, credit


_CAPTION_LABEL = re.compile(r"^(?:इमेज कैप्शन|image caption|कैप्शन|caption)\s*[,:\-–]\s*", re.I)
