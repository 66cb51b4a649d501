"""Article extraction: structured data, site profile rules, generic extractor."""

from newscrawler.extract.article import NoArticleError, extract_article

__all__ = ["NoArticleError", "extract_article"]
