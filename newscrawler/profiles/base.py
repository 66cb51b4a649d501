"""Site profiles: declarative data about one portal (fundus-style publisher specs).

A profile is data plus at most one hook. Layouts are versioned by date: a saved page is read with
the layout that was valid when it was fetched, so old fixtures keep parsing as they did.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Layout:
    """Field rules for one period of a site's markup. CSS selectors, tried in order."""

    valid_until: date | None = None  # None: current layout
    title: tuple[str, ...] = ()
    lede: tuple[str, ...] = ()
    body: tuple[str, ...] = ()  # the element(s) holding the article text
    body_exclude: tuple[str, ...] = ()  # elements inside the body that are not article text
    published: tuple[str, ...] = ()  # element with a datetime/content attribute or date text
    modified: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    recent_headings: tuple[str, ...] = ()  # headings of recent/more-news blocks
    related: tuple[str, ...] = ()  # in-body also-read boxes that carry no "यह भी पढ़ें" label
    # regexes searched in the folded paragraph text (text.fold_for_key: lower case, no nukta,
    # no punctuation); a body paragraph matching one is dropped
    boilerplate: tuple[str, ...] = ()

    @cached_property
    def boilerplate_res(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p) for p in self.boilerplate)


@dataclass(frozen=True)
class Discovery:
    """Where a site lists its articles. Templates may use {yyyy} {mm} {dd}."""

    sitemaps: tuple[str, ...] = ()  # sitemap indexes or urlsets (robots.txt lines are added)
    news_sitemaps: tuple[str, ...] = ()  # Google News sitemaps: the freshest articles
    # per-day, e.g. "/sitemap-{yyyy}-{mm}-{dd}.xml" ({m}, {d}: without zero padding)
    daily_sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()  # RSS 2.0 / Atom
    listings: tuple[str, ...] = ()  # section pages; pagination is followed
    robots_sitemaps: bool = True  # also read "Sitemap:" lines of robots.txt


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    domains: tuple[str, ...]  # main hosts, e.g. ("www.indiatv.in",)
    article_url: str  # regex an article URL matches (search, on the full URL)
    discovery: Discovery = field(default_factory=Discovery)
    layouts: tuple[Layout, ...] = (Layout(),)
    alt_domains: tuple[str, ...] = ()  # AMP, mobile, retired hosts of the same site
    tracking_params: tuple[str, ...] = ()  # site-specific query parameters to drop
    site_names: tuple[str, ...] = ()  # how titles spell the site in their suffix
    language: str = "hi"
    concurrency: int = 2  # per-domain concurrent requests
    download_delay: float = 1.0
    coverage_threshold: float = 0.8  # layout drift guard: share of articles with each field
    # Scrapy settings for this site's crawls (AUTOTHROTTLE_*, DOWNLOAD_DELAY, ...); -s wins
    settings: Mapping[str, object] = field(default_factory=dict)
    evidence: str = ""  # how sure the rules are, and from what
    hook: Callable[[dict, object], dict] | None = None  # (article, lxml doc) -> article

    @cached_property
    def article_re(self) -> re.Pattern:
        return re.compile(self.article_url)

    @property
    def all_domains(self) -> tuple[str, ...]:
        return self.domains + self.alt_domains

    @property
    def start_url(self) -> str:
        return f"https://{self.domains[0]}/"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.site_names)

    def owns(self, url: str) -> bool:
        return self.owns_host((urlsplit(url).hostname or "").lower())

    def owns_host(self, host: str) -> bool:
        return any(host == d or host.endswith("." + d.removeprefix("www."))
                   or host == d.removeprefix("www.") for d in self.all_domains)

    def is_article_url(self, url: str) -> bool:
        return bool(self.article_re.search(url))

    def layout_for(self, when: datetime | date | None) -> Layout:
        """The layout in force on a date (the newest when no date is known)."""
        if when is not None:
            day = when.date() if isinstance(when, datetime) else when
            for layout in sorted(self.layouts, key=lambda lay: lay.valid_until or date.max):
                if layout.valid_until is None or day < layout.valid_until:
                    return layout
        return next((lay for lay in self.layouts if lay.valid_until is None), self.layouts[-1])
