"""The article item: exactly the fields of DESIGN section 3, in that order."""

from __future__ import annotations

import scrapy

ARTICLE_FIELDS = (
    "url", "canonical_url", "site", "site_name", "language", "title", "lede", "body", "authors",
    "published_at", "modified_at", "section", "tags", "images", "related", "recent_posts",
    "fetched_at", "extractor", "duplicate_of",
)
LIST_FIELDS = frozenset({"body", "authors", "tags", "images", "related", "recent_posts"})


class Article(scrapy.Item):
    url = scrapy.Field()
    canonical_url = scrapy.Field()
    site = scrapy.Field()
    site_name = scrapy.Field()
    language = scrapy.Field()
    title = scrapy.Field()
    lede = scrapy.Field()
    body = scrapy.Field()
    authors = scrapy.Field()
    published_at = scrapy.Field()
    modified_at = scrapy.Field()
    section = scrapy.Field()
    tags = scrapy.Field()
    images = scrapy.Field()
    related = scrapy.Field()
    recent_posts = scrapy.Field()
    fetched_at = scrapy.Field()
    extractor = scrapy.Field()
    duplicate_of = scrapy.Field()


def complete(data: dict) -> dict:
    """Every schema key present, in schema order: None for missing scalars, [] for lists."""
    out = {}
    for key in ARTICLE_FIELDS:
        value = data.get(key)
        out[key] = value if value is not None else ([] if key in LIST_FIELDS else None)
    return out
