"""Loading articles: one processor chain per field.

Scalars take the first non-empty normalised value (never a whitespace-only title); lists keep
every non-empty value. Fields with no value are filled in explicitly (None or []) so that no
field is silently dropped from the item (the TakeFirst pitfall of plain loaders).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newscrawler.items import ARTICLE_FIELDS, LIST_FIELDS, Article
from newscrawler.text import normalize_text


def clean_text(value: Any) -> str | None:
    """Normalised text, or None for empty/whitespace-only values (which loaders then skip)."""
    if value is None:
        return None
    text = normalize_text(str(value))
    return text or None


def unique(values: list) -> list:
    seen, out = set(), []
    for v in values:
        key = v if isinstance(v, str) else repr(sorted(v.items())) if isinstance(v, dict) else v
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def _clean_post(post: dict) -> dict | None:
    title = clean_text(post.get("title"))
    if not title or not post.get("url"):
        return None
    return {"title": title, "url": post["url"], "excerpt": clean_text(post.get("excerpt")),
            "published_at": post.get("published_at")}


def clean_block(block: dict) -> dict | None:
    posts = [p for p in (_clean_post(p) for p in block.get("posts") or ()) if p]
    if not posts:
        return None
    return {"heading": clean_text(block.get("heading")) or "", "posts": posts}


def clean_link(link: dict) -> dict | None:
    title = clean_text(link.get("title"))
    return {"title": title, "url": link["url"]} if title and link.get("url") else None


def clean_image(image: dict) -> dict | None:
    if not image.get("url"):
        return None
    return {"url": image["url"], "caption": clean_text(image.get("caption")),
            "credit": clean_text(image.get("credit"))}


def _take_first(values: list) -> Any:
    for value in values:
        if value is not None and value != "":
            return value
    return None


def _keep(value: Any) -> Any:
    return value


# Per field: the input processor run on each value (None drops the value), and the output
# processor run on the list of values kept. Unlisted fields: clean_text, then the first value.
# (Scrapy's ItemLoader ran the same processors at ~3x the cost.)
_INPUT: dict[str, Callable[[Any], Any]] = {
    "images": clean_image, "related": clean_link, "recent_posts": clean_block,
    # URLs and ISO timestamps are kept as given, not text-normalised
    **dict.fromkeys(("url", "canonical_url", "published_at", "modified_at", "fetched_at",
                     "duplicate_of"), _keep),
}
_OUTPUT: dict[str, Callable[[list], Any]] = {
    "body": list, "recent_posts": list,
    "authors": unique, "tags": unique, "images": unique, "related": unique,
}


def load_article(values: dict[str, Any]) -> Article:
    """Run raw extracted values through the per-field processors.

    Scalars take the first non-empty value; a field without values is None, or [] for lists.
    """
    item = Article()
    for name in ARTICLE_FIELDS:
        value = values.get(name)
        kept = []
        if not (value is None or value == [] or value == ""):
            clean = _INPUT.get(name, clean_text)
            for raw in _as_list(value):
                cleaned = clean(raw)
                if cleaned is not None:
                    kept.append(cleaned)
        if kept:
            item[name] = _OUTPUT.get(name, _take_first)(kept)
        else:
            item[name] = [] if name in LIST_FIELDS else None
    return item


def _as_list(value: Any) -> list | tuple:
    """A field's value as a list of values (itemloaders' arg_to_iter)."""
    if isinstance(value, (list, tuple)):
        return value
    if not isinstance(value, (dict, str, bytes)) and hasattr(value, "__iter__"):
        return list(value)
    return [value]
