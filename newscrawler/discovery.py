"""Reading the places where sites list articles: robots.txt, sitemaps, news sitemaps, feeds.

Hand-rolled rather than Scrapy's SitemapSpider because that one drops Google News fields
(news:publication_date, news:title), rejects sitemaps served with odd content types, and
cannot see an index mislabelled as a <urlset>.
"""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass

from lxml import etree

MAX_SITEMAP_BYTES = 64 * 1024 * 1024  # the gunzipped size we accept (protocol limit is 50 MB)
_XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                              huge_tree=True, remove_comments=True)
_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)


class DiscoveryError(ValueError):
    """A sitemap or feed that cannot be read (not XML, empty, too big)."""


@dataclass(frozen=True)
class Entry:
    url: str
    lastmod: str | None = None  # sitemap lastmod / feed updated date, as written
    published: str | None = None  # news:publication_date / pubDate / published
    title: str | None = None


def robots_sitemaps(robots_txt: str) -> list[str]:
    """The Sitemap: lines of a robots.txt, in order, without repeats."""
    out: list[str] = []
    for url in _SITEMAP_LINE.findall(robots_txt):
        if url not in out:
            out.append(url)
    return out


def maybe_gunzip(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
            data = f.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise DiscoveryError(f"broken gzip: {exc}") from exc
    if len(data) > MAX_SITEMAP_BYTES:
        raise DiscoveryError("gunzipped sitemap larger than 64 MB")
    return data


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_xml(body: bytes, problems: list[str] | None = None) -> etree._Element:
    """The root of a (possibly gzipped) XML document, recovering from breakage.

    Pass a list as ``problems`` to learn whether the document was broken: the parser's
    errors are appended to it (the root then holds what could be read)."""
    body = maybe_gunzip(body)
    if not body.strip():
        raise DiscoveryError("empty document")
    try:
        root = etree.fromstring(body.strip(), parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"not XML: {exc}") from exc
    if root is None:
        raise DiscoveryError("not XML: nothing parseable")
    if problems is not None:
        problems.extend(f"line {e.line}: {e.message}" for e in _XML_PARSER.error_log
                        if e.level >= etree.ErrorLevels.ERROR)
    return root


def xml_kind(root: etree._Element) -> str:
    """'sitemapindex', 'urlset', 'rss', 'atom' or 'other'."""
    name = _local(root.tag)
    if name in ("sitemapindex", "urlset"):
        return name
    if name in ("rss", "rdf"):
        return "rss"
    if name == "feed":
        return "atom"
    return "other"


def _child_text(el: etree._Element, *names: str) -> str | None:
    for child in el.iter():
        if _local(child.tag) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def sitemap_entries(root: etree._Element) -> tuple[list[Entry], list[Entry]]:
    """(child sitemaps, article entries) of a sitemap index or urlset.

    A <urlset> whose locations are themselves sitemaps (an index mislabelled as a urlset)
    yields them as child sitemaps.
    """
    sitemaps: list[Entry] = []
    urls: list[Entry] = []
    for el in root:
        name = _local(el.tag)
        if name not in ("url", "sitemap"):
            continue
        loc = None
        for child in el:
            if _local(child.tag) == "loc" and child.text:
                loc = child.text.strip()
                break
        if not loc:
            continue
        entry = Entry(
            url=loc,
            lastmod=_child_text(el, "lastmod"),
            published=_child_text(el, "publication_date"),
            title=_child_text(el, "title"),
        )
        if name == "sitemap" or _looks_like_sitemap(loc):
            sitemaps.append(entry)
        else:
            urls.append(entry)
    return sitemaps, urls


def _looks_like_sitemap(url: str) -> bool:
    path = url.split("?", 1)[0].lower()
    return path.endswith((".xml", ".xml.gz")) and "sitemap" in url.lower()


def feed_entries(root: etree._Element) -> list[Entry]:
    """Items of an RSS 2.0 / RSS 1.0 / Atom feed."""
    out: list[Entry] = []
    for el in root.iter():
        name = _local(el.tag)
        if name not in ("item", "entry"):
            continue
        link = None
        for child in el:
            cname = _local(child.tag)
            if cname == "link":
                href = child.get("href")
                rel = child.get("rel", "alternate")
                if href and rel == "alternate":
                    link = href.strip()
                    break
                if child.text and child.text.strip():
                    link = child.text.strip()
                    break
        if not link:
            guid = _child_text(el, "guid")
            link = guid if guid and guid.startswith("http") else None
        if not link:
            continue
        published = _child_text(el, "pubdate", "published", "date", "issued")
        updated = _child_text(el, "updated", "modified") or published
        out.append(Entry(url=link, lastmod=updated, published=published,
                         title=_child_text(el, "title")))
    return out
