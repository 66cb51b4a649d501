"""Normalise text fields (NFC, spaces, stray zero-width characters) and URLs; count fixes."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from newscrawler.text import has_mojibake, normalize_text
from newscrawler.urls import clean_url

_TEXT_FIELDS = ("title", "lede", "section", "site_name")


class NormalisePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalisePipeline:
        return cls(crawler)

    def _count(self, what: str, n: int = 1) -> None:
        if n:
            self.stats.inc_value(f"newscrawler/normalise/{what}", n)

    def _text(self, value: str | None) -> str | None:
        if value is None:
            return None
        if has_mojibake(value):
            self._count("mojibake_repaired")
        fixed = normalize_text(value)
        if fixed != value:
            self._count("text_changed")
        return fixed or None

    def process_item(self, item):
        adapter = ItemAdapter(item)
        for name in _TEXT_FIELDS:
            adapter[name] = self._text(adapter.get(name))
        body = [self._text(p) for p in adapter.get("body") or []]
        kept: list[str] = []
        for paragraph in body:
            if not paragraph:
                self._count("empty_paragraph_dropped")
            elif kept and kept[-1] == paragraph:
                self._count("repeated_paragraph_dropped")
            else:
                kept.append(paragraph)
        adapter["body"] = kept
        for name in ("url", "canonical_url"):
            if adapter.get(name):
                cleaned = clean_url(adapter[name])
                if cleaned != adapter[name]:
                    self._count(f"{name}_cleaned")
                    adapter[name] = cleaned
        return item
