"""The generic spider: any start URL (home page, section page, sitemap, feed) on any site."""

from newscrawler.spiders.base import NewsSpider


class GenericSpider(NewsSpider):
    name = "generic"
