"""The article loader: per-field processors, no whitespace-only values, no dropped fields."""

from newscrawler.items import ARTICLE_FIELDS
from newscrawler.loaders import load_article


def test_whitespace_only_title_is_skipped_for_the_next_value():
    item = load_article({"title": ["\n   \xa0", "  असली   शीर्षक  "]})
    assert item["title"] == "असली शीर्षक"


def test_every_field_is_present_even_when_empty():
    item = load_article({"title": "शीर्षक"})
    assert set(item.keys()) == set(ARTICLE_FIELDS)
    assert item["lede"] is None and item["body"] == [] and item["recent_posts"] == []


def test_body_keeps_every_paragraph_in_order_and_drops_blank_ones():
    item = load_article({"body": ["पहला।", "   ", "दूसरा\u200b पैरा।", "\xa0"]})
    assert item["body"] == ["पहला।", "दूसरा पैरा।"]


def test_text_is_nfc_with_one_nukta_form():
    precomposed, decomposed = "\u095c", "\u0921\u093c"  # ड़ both ways
    item = load_article({"title": f"सड{precomposed}क", "lede": f"सड{decomposed}क"})
    assert item["title"] == item["lede"]


def test_urls_and_times_are_kept_verbatim():
    item = load_article({"url": "https://s.in/a?x=1", "published_at": "2024-12-23T15:29:00+05:30"})
    assert item["url"] == "https://s.in/a?x=1"
    assert item["published_at"] == "2024-12-23T15:29:00+05:30"


def test_recent_post_blocks_without_usable_posts_are_dropped():
    item = load_article({"recent_posts": [
        {"heading": "Recent Posts", "posts": [{"title": " ", "url": "https://s.in/1"}]},
        {"heading": " ताज़ा  ख़बरें ", "posts": [
            {"title": "एक खबर का शीर्षक", "url": "https://s.in/2", "excerpt": "  "}]},
    ]})
    assert len(item["recent_posts"]) == 1
    block = item["recent_posts"][0]
    assert block["posts"] == [{"title": "एक खबर का शीर्षक", "url": "https://s.in/2",
                               "excerpt": None, "published_at": None}]


def test_authors_and_tags_are_deduplicated():
    item = load_article({"authors": ["राम", "राम ", "श्याम"], "tags": ["मौसम", "मौसम"]})
    assert item["authors"] == ["राम", "श्याम"] and item["tags"] == ["मौसम"]
