"""Bad input gets a clear error and loses nothing: each case through the extractor and CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime

import pytest

from newscrawler.dates import IST
from newscrawler.extract import NoArticleError, extract_article
from tests.conftest import FIXTURES, ROOT

NOW = datetime(2024, 12, 23, 16, 25, tzinfo=IST)
SEED_PAGE = FIXTURES / "newsindia24" / "putin-letter-kim-jong-un.html"
SEED_URL = json.loads(SEED_PAGE.with_name("putin-letter-kim-jong-un.expected.json")
                      .read_text(encoding="utf-8"))["url"]
PARAGRAPH = ("सरकार ने आज नई योजना की घोषणा की जिसके तहत गांवों में सौर ऊर्जा से चलने वाले पंप "
             "लगाए जाएंगे और किसानों को सिंचाई के लिए सस्ती बिजली मिलेगी। ")


def article_html(paragraphs: int = 6, charset: str = "utf-8") -> str:
    body = "".join(f"<p>{PARAGRAPH}{i}</p>" for i in range(paragraphs))
    return (f"<html><head><meta charset='{charset}'><title>सौर पंप योजना - समाचार</title></head>"
            f"<body><article><h1>सौर पंप योजना का ऐलान</h1>{body}</article></body></html>")


@pytest.mark.parametrize(("page", "message"), [
    (b"", "empty page"),
    (b"   \n\t ", "empty page"),
    (bytes(range(256)) * 40, "binary"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF", "no article"),
    ("<html><body><nav><a href='/a'>होम</a></nav></body></html>".encode(), "no article"),
])
def test_unusable_pages_raise_a_clear_error(page, message):
    with pytest.raises(NoArticleError, match=message):
        extract_article(page, "https://www.s.in/x-1", fetched_at=NOW)


def test_truncated_html_still_gives_the_text_before_the_cut():
    html = article_html(6)
    cut = html[: html.index(str(4)) + 1]  # stops inside the fifth paragraph, no closing tags
    article = extract_article(cut.encode(), "https://www.s.in/x-1", fetched_at=NOW)
    assert article["title"] == "सौर पंप योजना का ऐलान"
    assert len(article["body"]) == 5 and article["body"][0].endswith("0")


def test_wrong_declared_encoding_is_repaired():
    # UTF-8 bytes that claim to be latin-1: decoding as declared would give à¤ mojibake
    page = article_html(4, charset="iso-8859-1").encode("utf-8")
    article = extract_article(page, "https://www.s.in/x-1", fetched_at=NOW)
    assert article["title"] == "सौर पंप योजना का ऐलान"
    assert "à¤" not in " ".join(article["body"])


def test_real_windows_1252_page_is_read_as_declared():
    html = ("<html><head><meta charset='windows-1252'></head><body><h1>Caf\xe9 news headline</h1>"
            + "<p>" + "English text with an accented caf\xe9 in it, long enough. " * 6 + "</p>"
            + "</body></html>")
    article = extract_article(html.encode("cp1252"), "https://www.s.in/x-1", fetched_at=NOW)
    assert article["title"] == "Café news headline"


def test_ten_megabyte_page_is_extracted_in_reasonable_time():
    filler = "<div class='ad-slot'><a href='/x'>विज्ञापन लिंक</a></div>" * 200_000
    html = article_html(6).replace("</article>", "</article>" + filler)
    assert len(html.encode()) > 10_000_000
    start = time.perf_counter()
    article = extract_article(html.encode(), "https://www.s.in/x-1", fetched_at=NOW)
    assert len(article["body"]) == 6
    assert time.perf_counter() - start < 120  # a guard against a hang, not a speed target


def run_cli(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "newscrawler", *args], cwd=ROOT, input=stdin,
                          capture_output=True, timeout=120)


def test_cli_reports_a_page_with_no_article_and_still_prints_the_others(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = run_cli("extract", str(empty), str(SEED_PAGE), "--fetched-at", NOW.isoformat())
    assert result.returncode == 1
    assert b"empty.html: empty page" in result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["site"] == "newsindia24"


def test_cli_extract_text_layout_matches_the_seed_order():
    result = run_cli("extract", str(SEED_PAGE), "--url", SEED_URL, "--fetched-at",
                     NOW.isoformat(), "--format", "text")
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    seed = (ROOT.parent / "shared" / "seeds" / "004_9874ed3304b3fba7.txt")
    if seed.exists():
        blocks = [b.strip() for b in seed.read_text(encoding="utf-8").split("\n\n") if b.strip()]
        # the title comes first and the last recent post's age comes last, as in the seed
        assert text.startswith(blocks[0])
        assert text.rstrip().endswith("2 hours ago")
    assert "Image Source" not in text and "यह भी पढ़ें" not in text


def test_cli_missing_file_is_a_clear_error(tmp_path):
    result = run_cli("extract", str(tmp_path / "nope.html"))
    assert result.returncode == 1
    assert b"nope.html" in result.stderr


def test_a_page_nested_a_thousand_elements_deep_is_read_whole():
    wrapped = "<div>" * 1000 + "".join(f"<p>{PARAGRAPH}{i}</p>" for i in range(4)) \
        + "<p>" + "<span>" * 900 + "पहली पंक्ति<br>दूसरी पंक्ति" + "</span>" * 900 + "</p>" \
        + "</div>" * 1000
    page = f"<html><body><h1>सौर पंप योजना का ऐलान</h1>{wrapped}</body></html>"
    article = extract_article(page, "https://www.s.in/x-1", fetched_at=NOW)
    assert article["body"][:4] == [f"{PARAGRAPH}{i}".strip() for i in range(4)]


def test_json_ld_nested_beyond_reason_is_skipped_and_the_page_still_read():
    deep = '{"a":' * 990 + '"x &amp; y"' + "}" * 990
    graph = '{"@graph":[' * 990 + "{}" + "]}" * 990
    page = article_html().replace(
        "</title>", f"</title><script type='application/ld+json'>{deep}</script>"
                    f"<script type='application/ld+json'>{graph}</script>")
    article = extract_article(page, "https://www.s.in/x-1", fetched_at=NOW)
    assert article["title"] == "सौर पंप योजना का ऐलान" and len(article["body"]) == 6


def test_content_nested_past_the_parsers_depth_limit_is_a_clear_no_article():
    # libxml2 stops building the tree about 2,048 elements deep: what lies below is not read
    page = "<html><body><h1>सौर पंप योजना का ऐलान</h1>" + "<div>" * 3000 \
        + f"<p>{PARAGRAPH}</p>" * 4 + "</div>" * 3000 + "</body></html>"
    with pytest.raises(NoArticleError, match="no body text"):
        extract_article(page, "https://www.s.in/x-1", fetched_at=NOW)


def test_a_home_page_with_a_line_of_text_is_no_article():
    page = ("<html><head><title>समाचार - ताजा खबरें</title></head><body><nav><a href='/a'>देश"
            "</a></nav><div><p>हर खबर सबसे पहले पढ़ें, देश और दुनिया की हर बड़ी घटना यहाँ "
            "मिलेगी।</p></div></body></html>")
    with pytest.raises(NoArticleError, match="home page"):
        extract_article(page, "https://www.s.in/", fetched_at=NOW)
    with pytest.raises(NoArticleError, match="little text and no article markup"):
        extract_article(page, "https://www.s.in/about-us/", fetched_at=NOW)


def test_a_short_story_marked_up_as_an_article_is_kept():
    page = ("<html><head><meta property='og:type' content='article'><title>खबर</title></head>"
            f"<body><article><h1>सौर पंप योजना का ऐलान</h1><p>{PARAGRAPH}</p></article>"
            "</body></html>")
    article = extract_article(page, "https://www.s.in/x-1", fetched_at=NOW)
    assert article["body"] == [PARAGRAPH.strip()]


def test_a_video_page_with_a_one_line_description_is_an_article():
    video = ('{"@context": "https://schema.org", "@type": "VideoObject", "name": "कोहरे का '
             'वीडियो", "description": "दिल्ली में घना कोहरा", "uploadDate": '
             '"2024-12-23T08:00:00+05:30"}')
    page = (f"<html><head><script type='application/ld+json'>{video}</script><title>कोहरा"
            "</title></head><body><article><h1>दिल्ली में घने कोहरे का वीडियो</h1><p>सुबह "
            "दिल्ली की सड़कों पर घना कोहरा छाया रहा।</p></article></body></html>")
    article = extract_article(page, "https://www.s.in/video/fog-1", fetched_at=NOW)
    assert article["body"] == ["सुबह दिल्ली की सड़कों पर घना कोहरा छाया रहा।"]
