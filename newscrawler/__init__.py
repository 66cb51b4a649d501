"""newscrawler: crawl Hindi news portals and extract clean articles."""

__version__ = "0.1.0"
