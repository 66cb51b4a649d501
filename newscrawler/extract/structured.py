"""Structured data on a page: JSON-LD (NewsArticle/Article, @graph, lists), OpenGraph and
article:* meta.

Structured data is the most reliable layer, so it is read first and its values are preferred
over anything guessed from the layout.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
    "liveblogposting", "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
    "socialmediaposting", "techarticle", "scholarlyarticle", "videoobject", "report",
}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@dataclass
class StructuredData:
    """What the page says about itself in machine-readable form."""

    article: dict[str, Any] = field(default_factory=dict)  # the best JSON-LD article node
    types: set[str] = field(default_factory=set)  # every JSON-LD @type on the page (lower case)
    meta: dict[str, list[str]] = field(default_factory=dict)  # meta property/name -> contents
    canonical: str | None = None
    lang: str | None = None
    nodes_by_id: dict[str, dict] = field(default_factory=dict)
    breadcrumb: list[str] = field(default_factory=list)  # names of a BreadcrumbList's items

    def first_meta(self, *names: str) -> str | None:
        for name in names:
            for value in self.meta.get(name, ()):
                if value and value.strip():
                    return value.strip()
        return None

    def resolve(self, value: Any) -> Any:
        """Follow a JSON-LD {"@id": ...} reference inside the page's @graph."""
        if isinstance(value, dict) and set(value) <= {"@id"}:
            return self.nodes_by_id.get(value.get("@id"), value)
        return value

    @property
    def is_article(self) -> bool:
        return bool(self.article)


def _loads_lenient(text: str) -> Any:
    """Parse JSON-LD as sites emit it: control characters, trailing commas, HTML comments."""
    text = text.strip()
    if text.startswith("<!--"):
        text = text.removeprefix("<!--").removesuffix("-->").strip()
    try:
        data = json.loads(text, strict=False)
    except ValueError:
        try:
            data = json.loads(_TRAILING_COMMA.sub(r"\1", _CONTROL_CHARS.sub(" ", text)),
                              strict=False)
        except ValueError:
            return None
    # entities can only come from an "&" in the text, written out or escaped as \u0026
    return _unescape(data) if "&" in text or "\\u0026" in text else data


def _unescape(value: Any) -> Any:
    """HTML entities inside JSON-LD strings ("City &amp; states", "&#39;") as characters."""
    if isinstance(value, str):
        return html.unescape(value) if "&" in value else value
    if isinstance(value, list):
        return [_unescape(v) for v in value]
    if isinstance(value, dict):
        return {k: _unescape(v) for k, v in value.items()}
    return value


def _iter_nodes(data: Any):
    """Every JSON object in a JSON-LD payload: lists, @graph, nested mainEntity."""
    if isinstance(data, list):
        for item in data:
            yield from _iter_nodes(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _iter_nodes(graph)
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _iter_nodes(main)


def node_types(node: dict) -> set[str]:
    raw = node.get("@type") or ()
    if isinstance(raw, str):
        raw = (raw,)
    return {str(t).lower().rsplit("/", 1)[-1] for t in raw if t}


def _article_rank(node: dict) -> tuple[int, int]:
    kinds = node_types(node)
    text_len = len(str(node.get("articleBody") or ""))
    has_headline = 1 if node.get("headline") or node.get("name") else 0
    primary = 2 if kinds & {"newsarticle", "article", "reportagenewsarticle"} else 1
    return (primary + has_headline, text_len)


def read_structured(doc: etree._Element) -> StructuredData:
    """Collect JSON-LD nodes, meta tags, canonical link and language from a parsed page."""
    data = StructuredData()
    candidates: list[dict] = []
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            nodes = list(_iter_nodes(_loads_lenient(script.text or "")))
        except RecursionError:  # nested deeper than any real JSON-LD: not read
            continue
        for node in nodes:
            kinds = node_types(node)
            data.types |= kinds
            if isinstance(node.get("@id"), str):
                data.nodes_by_id.setdefault(node["@id"], node)
            if kinds & ARTICLE_TYPES and (node.get("headline") or node.get("articleBody")):
                candidates.append(node)
            if "breadcrumblist" in kinds:
                data.breadcrumb.extend(_crumb_names(node))
    if candidates:
        data.article = max(candidates, key=_article_rank)

    for meta in doc.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content is not None:
            data.meta.setdefault(key.strip().lower(), []).append(content)
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href") and not data.canonical:
            data.canonical = link.get("href").strip()
    html_lang = doc.get("lang") or doc.get("xml:lang")
    data.lang = html_lang.strip().lower() if html_lang else None
    return data


def _crumb_names(trail: dict) -> list[str]:
    """The names of a BreadcrumbList's items ("name" on the ListItem or on its "item")."""
    items = trail.get("itemListElement")
    names = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        target = item.get("item")
        name = item.get("name") or (target.get("name") if isinstance(target, dict) else None)
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


def as_text_list(value: Any, sd: StructuredData | None = None, key: str = "name") -> list[str]:
    """Names out of a JSON-LD value that may be a string, an object, a reference or a list."""
    if value is None:
        return []
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(as_text_list(item, sd, key))
        return out
    if sd is not None:
        value = sd.resolve(value)
    if isinstance(value, dict):
        inner = value.get(key) or value.get("name")
        return as_text_list(inner, sd, key) if inner else []
    text = str(value).strip()
    return [text] if text else []


def image_urls(value: Any, sd: StructuredData | None = None) -> list[str]:
    """Image URLs from a JSON-LD image value (string, ImageObject, reference or list)."""
    if value is None:
        return []
    if isinstance(value, list):
        urls: list[str] = []
        for item in value:
            urls.extend(image_urls(item, sd))
        return urls
    if sd is not None:
        value = sd.resolve(value)
    if isinstance(value, dict):
        return image_urls(value.get("url") or value.get("contentUrl"), sd)
    return [str(value)] if value else []
