"""Drop what is not a Hindi article, with a reason counted in the stats."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawler.text import devanagari_ratio


class ValidatePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.min_body_chars = crawler.settings.getint("NEWSCRAWLER_MIN_BODY_CHARS", 200)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def problem(self, item: ItemAdapter) -> str | None:
        """Why this item is not a storable Hindi article, or None."""
        if not item.get("url"):
            return "no_url"
        title = (item.get("title") or "").strip()
        if not title:
            return "no_title"
        body = item.get("body") or []
        text = " ".join(body)
        if len(text) < self.min_body_chars:
            return "body_too_short"
        if devanagari_ratio(text) < 0.4 or devanagari_ratio(title) < 0.2:
            return "not_hindi"
        return None

    def process_item(self, item):
        reason = self.problem(ItemAdapter(item))
        if reason:
            self.stats.inc_value(f"newscrawler/validate/dropped/{reason}")
            raise DropItem(f"invalid article ({reason}): {ItemAdapter(item).get('url')}")
        self.stats.inc_value("newscrawler/validate/ok")
        return item
