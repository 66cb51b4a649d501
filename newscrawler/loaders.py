"""Item loader for articles: one processor chain per field.

Scalars take the first non-empty normalised value (never a whitespace-only title); lists keep
every non-empty value. Fields with no value are filled in explicitly (None or []) so that no
field is silently dropped from the item (the TakeFirst pitfall of plain loaders).
"""

from __future__ import annotations

from typing import Any

from itemloaders.processors import Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

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


class ArticleLoader(ItemLoader):
    default_item_class = Article
    default_input_processor = MapCompose(clean_text)
    default_output_processor = TakeFirst()

    body_out = Identity()
    authors_out = unique
    tags_out = unique
    images_in = MapCompose(clean_image)
    images_out = unique
    related_in = MapCompose(clean_link)
    related_out = unique
    recent_posts_in = MapCompose(clean_block)
    recent_posts_out = Identity()
    # URLs and ISO timestamps are kept as given, not text-normalised
    url_in = canonical_url_in = published_at_in = modified_at_in = fetched_at_in = Identity()
    duplicate_of_in = Identity()

    def load_article(self) -> Article:
        item = self.load_item()
        for name in ARTICLE_FIELDS:
            if name not in item:
                item[name] = [] if name in LIST_FIELDS else None
        return item


def load_article(values: dict[str, Any]) -> Article:
    """Run raw extracted values through the loader's processors."""
    loader = ArticleLoader()
    for name in ARTICLE_FIELDS:
        value = values.get(name)
        if value is None or value == [] or value == "":
            continue
        loader.add_value(name, value)
    return loader.load_article()
