"""Sitemaps, news sitemaps, feeds, robots.txt."""

import gzip

import pytest

from newscrawler.discovery import (
    DiscoveryError,
    feed_entries,
    parse_xml,
    robots_sitemaps,
    sitemap_entries,
    xml_kind,
)

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://www.s.in/desh/khabar-1</loc>
    <news:news><news:publication><news:name>S</news:name><news:language>hi</news:language>
    </news:publication><news:publication_date>2024-12-23T15:29:00+05:30</news:publication_date>
    <news:title>पहली खबर</news:title></news:news></url>
  <url><loc>https://www.s.in/desh/khabar-2</loc><lastmod>2024-12-22</lastmod></url>
</urlset>""".encode()


def test_news_sitemap_keeps_publication_date_and_title():
    root = parse_xml(NEWS_SITEMAP)
    assert xml_kind(root) == "urlset"
    children, urls = sitemap_entries(root)
    assert children == []
    assert urls[0].published == "2024-12-23T15:29:00+05:30"
    assert urls[0].title == "पहली खबर"
    assert urls[1].lastmod == "2024-12-22"


def test_gzip_sitemap_index():
    body = gzip.compress(b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://s.in/post-sitemap.xml</loc><lastmod>2024-12-23</lastmod></sitemap>
      </sitemapindex>""")
    root = parse_xml(body)
    assert xml_kind(root) == "sitemapindex"
    children, urls = sitemap_entries(root)
    assert [c.url for c in children] == ["https://s.in/post-sitemap.xml"] and urls == []


def test_index_mislabelled_as_urlset_yields_child_sitemaps():
    root = parse_xml(b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://s.in/sitemap-2024-12.xml</loc></url>
      <url><loc>https://s.in/story-one-two-three</loc></url></urlset>""")
    children, urls = sitemap_entries(root)
    assert [c.url for c in children] == ["https://s.in/sitemap-2024-12.xml"]
    assert [u.url for u in urls] == ["https://s.in/story-one-two-three"]


def test_rss_and_atom_items():
    rss = parse_xml("""<rss version="2.0"><channel><item><title>खबर</title>
      <link>https://s.in/a-1</link><pubDate>Mon, 23 Dec 2024 15:29:00 +0530</pubDate></item>
      </channel></rss>""".encode())
    assert xml_kind(rss) == "rss"
    (item,) = feed_entries(rss)
    assert item.url == "https://s.in/a-1" and item.published.startswith("Mon, 23 Dec")
    atom = parse_xml(b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title>
      <link rel="alternate" href="https://s.in/b-2"/><updated>2024-12-23T10:00:00Z</updated>
      </entry></feed>""")
    assert xml_kind(atom) == "atom"
    assert feed_entries(atom)[0].url == "https://s.in/b-2"


def test_broken_feed_is_recovered_as_far_as_possible():
    root = parse_xml(b"<rss><channel><item><link>https://s.in/a-1</link></item><item><link>")
    assert [e.url for e in feed_entries(root)] == ["https://s.in/a-1"]


@pytest.mark.parametrize("body", [b"", b"   ", b"\x1f\x8bnot-gzip"])
def test_unreadable_documents_raise_a_clear_error(body):
    with pytest.raises(DiscoveryError):
        parse_xml(body)


def test_robots_sitemap_lines():
    text = "User-agent: *\nDisallow: /private/\nSitemap: https://s.in/a.xml\nsitemap:https://s.in/b.xml\n"
    assert robots_sitemaps(text) == ["https://s.in/a.xml", "https://s.in/b.xml"]
