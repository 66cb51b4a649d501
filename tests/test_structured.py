"""Structured data layer: JSON-LD (plain, @graph, lists, references, broken JSON) and meta."""

import lxml.html

from newscrawler.extract.structured import as_text_list, image_urls, read_structured


def parse(head: str, body: str = "") -> object:
    return lxml.html.document_fromstring(
        f"<html lang='hi'><head>{head}</head><body>{body or '<p>x</p>'}</body></html>")


def test_plain_news_article():
    sd = read_structured(parse("""<script type="application/ld+json">
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "बारिश से राहत",
         "datePublished": "2024-12-23T15:29:00+05:30", "articleBody": "पहला वाक्य।"}</script>"""))
    assert sd.article["headline"] == "बारिश से राहत"
    assert "newsarticle" in sd.types
    assert sd.lang == "hi"


def test_graph_with_references_resolves_author_and_publisher():
    sd = read_structured(parse("""<script type="application/ld+json">
        {"@context": "https://schema.org", "@graph": [
          {"@type": "WebPage", "@id": "https://s.in/a/#webpage", "name": "पेज"},
          {"@type": "Article", "@id": "https://s.in/a/#article", "headline": "मुख्य खबर",
           "author": {"@id": "https://s.in/#/schema/person/1"},
           "publisher": {"@id": "https://s.in/#org"}},
          {"@type": "Person", "@id": "https://s.in/#/schema/person/1", "name": "राम कुमार"},
          {"@type": "Organization", "@id": "https://s.in/#org", "name": "समाचार 24"}
        ]}</script>"""))
    assert sd.article["headline"] == "मुख्य खबर"
    assert as_text_list(sd.article["author"], sd) == ["राम कुमार"]
    assert as_text_list(sd.article["publisher"], sd) == ["समाचार 24"]


def test_list_payload_and_best_article_node():
    sd = read_structured(parse("""<script type="application/ld+json">
        [{"@type": "BreadcrumbList", "itemListElement": []},
         {"@type": "NewsArticle", "headline": "छोटी", "articleBody": "क"},
         {"@type": ["NewsArticle"], "headline": "लंबी", "articleBody": "क ख ग घ ङ च छ"}]
        </script>"""))
    assert sd.article["headline"] == "लंबी"
    assert "breadcrumblist" in sd.types


def test_broken_json_with_control_characters_and_trailing_comma():
    raw = '{"@type": "NewsArticle", "headline": "पंक्ति\x0bएक", "articleBody": "a\nb",}'
    sd = read_structured(parse(f'<script type="application/ld+json">{raw}</script>'))
    assert sd.article["headline"].startswith("पंक्ति")


def test_unparseable_json_is_ignored_not_fatal():
    sd = read_structured(parse('<script type="application/ld+json">{oops</script>'
                               '<meta property="og:title" content="शीर्षक">'))
    assert sd.article == {}
    assert sd.first_meta("og:title") == "शीर्षक"


def test_meta_and_canonical():
    sd = read_structured(parse(
        '<link rel="canonical" href="https://www.s.in/x-1">'
        '<meta property="article:published_time" content="2024-12-23T15:29:00+05:30">'
        '<meta property="article:tag" content="मौसम"><meta property="article:tag" content="दिल्ली">'
        '<meta name="description" content="  ">'))
    assert sd.canonical == "https://www.s.in/x-1"
    assert sd.meta["article:tag"] == ["मौसम", "दिल्ली"]
    assert sd.first_meta("description") is None  # blank values do not count


def test_image_urls_from_object_list_and_string():
    assert image_urls([{"@type": "ImageObject", "url": "https://i/1.jpg"}, "https://i/2.jpg"]) \
        == ["https://i/1.jpg", "https://i/2.jpg"]
