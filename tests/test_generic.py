"""The generic extractor on small pages written for each behaviour (no profile applies)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from newscrawler.dates import IST
from newscrawler.extract import extract_article
from newscrawler.text import normalize_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

NOW = datetime(2024, 12, 23, 16, 25, tzinfo=IST)
URL = "https://www.khabar-example.in/rajya/bihar-flood-relief-camps-12345"
P = [
    "बिहार के कई जिलों में बाढ़ का पानी घटने लगा है लेकिन राहत शिविरों में रह रहे लोगों की मुश्किलें "
    "अभी खत्म नहीं हुई हैं।",
    "जिला प्रशासन ने बताया कि अब तक चालीस हजार लोगों को सुरक्षित स्थानों पर पहुंचाया गया है और हर "
    "शिविर में डॉक्टरों की टीम तैनात की गई है।",
    "मौसम विभाग ने अगले दो दिनों तक हल्की बारिश की संभावना जताई है, इसलिए नदियों के किनारे रहने वाले "
    "लोगों से सतर्क रहने को कहा गया है।",
]


def page(body: str, head: str = "", aside: str = "") -> bytes:
    return f"""<!DOCTYPE html><html lang="hi"><head><meta charset="utf-8">
<title>बाढ़ राहत शिविरों में बढ़ी भीड़ | खबर एक्सप्रेस</title>{head}</head><body>
<header><nav><a href="/">होम</a> <a href="/rajya">राज्य</a> <a href="/desh">देश</a></nav></header>
<main><article><h1>बाढ़ राहत शिविरों में बढ़ी भीड़</h1>{body}</article>{aside}</main>
<footer><p>© 2024 खबर एक्सप्रेस. सभी अधिकार सुरक्षित।</p></footer></body></html>""".encode()


def paragraphs(*extra: str) -> str:
    return "<div class='story'>" + "".join(f"<p>{p}</p>" for p in P) + "".join(extra) + "</div>"


def extract(html: bytes) -> dict:
    return extract_article(html, URL, fetched_at=NOW, site="generic")


def test_body_is_the_paragraphs_and_title_the_h1_without_suffix():
    art = extract(page(paragraphs()))
    assert art["title"] == "बाढ़ राहत शिविरों में बढ़ी भीड़"
    assert art["body"] == P
    assert art["extractor"] == "generic" and art["site"] == "www.khabar-example.in"


def test_sidebar_prose_does_not_win_over_the_article():
    aside = "<aside class='sidebar'>" + "".join(
        f"<div class='card'><a href='/x/{i}-a-b-c'>दूसरी खबर {i}</a><p>{P[0][:60]}</p></div>"
        for i in range(6)) + "</aside>"
    assert extract(page(paragraphs(), aside=aside))["body"] == P


def test_caption_credit_ad_and_share_prompt_stay_out_of_the_body():
    body = paragraphs(
        "<figure><img src='/i/1.jpg'><figcaption>राहत शिविर में भोजन बांटते कर्मचारी।</figcaption>"
        "</figure>", "<p>Image Source : PTI</p>", "<div class='ad-slot'>विज्ञापन</div>",
        "<p>हमें गूगल न्यूज़ पर फॉलो करें</p>")
    art = extract(page(body))
    assert art["body"] == P
    assert art["images"][0]["caption"] == "राहत शिविर में भोजन बांटते कर्मचारी।"


def test_also_read_links_go_to_related_not_body():
    body = paragraphs("<p>यह भी पढ़ें: <a href='/desh/delhi-rain-alert-333'>दिल्ली में भारी बारिश का "
                      "अलर्ट जारी</a></p>")
    art = extract(page(body))
    assert art["body"] == P
    assert art["related"] == [{"title": "दिल्ली में भारी बारिश का अलर्ट जारी",
                               "url": "https://www.khabar-example.in/desh/delhi-rain-alert-333"}]


def test_h2_synopsis_under_the_headline_is_the_lede():
    lede = "राहत शिविरों में क्षमता से दोगुने लोग, प्रशासन ने नए शिविर खोलने का फैसला किया"
    art = extract(page(f"<h2 class='synopsis'>{lede}</h2>" + paragraphs()))
    assert art["lede"] == lede and art["body"] == P


def test_description_shown_on_the_page_is_the_lede():
    lede = "राहत शिविरों में क्षमता से दोगुने लोग, प्रशासन ने नए शिविर खोलने का फैसला किया"
    head = f'<meta name="description" content="{lede}">'
    for shown in (f"<div class='box'>{lede}</div>",
                  f"<div class='box'><span><b>{lede}</b></span></div>",
                  # the first words in separate text nodes
                  f"<div class='box'><b>{lede.split()[0]}</b> {lede.split(maxsplit=1)[1]}</div>"):
        assert extract(page(paragraphs(), head=head, aside=shown))["lede"] == lede


def test_no_lede_when_the_description_is_just_the_first_paragraph():
    head = f'<meta name="description" content="{P[0]}">'
    assert extract(page(paragraphs(), head=head))["lede"] is None


def test_recent_posts_block_with_relative_times():
    aside = ("<section class='widget'><h3>ताज़ा ख़बरें</h3><ul>"
             "<li><a href='/desh/monsoon-session-begins-1'>संसद का शीतकालीन सत्र आज से शुरू होगा</a>"
             "<span class='time'>45 मिनट पहले</span></li>"
             "<li><a href='/khel/cricket-series-win-2'>भारत ने टेस्ट सीरीज़ पर कब्ज़ा किया</a>"
             "<span class='time'>2 घंटे पहले</span></li></ul></section>")
    art = extract(page(paragraphs(), aside=aside))
    (block,) = art["recent_posts"]
    assert block["heading"] == "ताज़ा ख़बरें"
    assert [p["published_at"] for p in block["posts"]] == [
        "2024-12-23T15:40:00+05:30", "2024-12-23T14:25:00+05:30"]
    assert block["posts"][0]["url"] == "https://www.khabar-example.in/desh/monsoon-session-begins-1"


def test_visible_byline_and_date_when_there_is_no_structured_data():
    body = ("<div class='meta'><span class='byline'>रिपोर्ट: <a href='/author/ravi'>रवि शर्मा</a>"
            "</span> <span>अपडेटेड: 23 दिसंबर 2024, 03:29 PM IST</span></div>" + paragraphs())
    art = extract(page(body))
    assert art["authors"] == ["रवि शर्मा"]
    assert art["modified_at"] == "2024-12-23T15:29:00+05:30"


def test_json_ld_dates_win_and_are_given_in_india_time():
    head = ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"बाढ़ राहत '
            'शिविरों में बढ़ी भीड़","datePublished":"2024-12-23T09:59:00Z"}</script>')
    art = extract(page(paragraphs(), head=head))
    assert art["published_at"] == "2024-12-23T15:29:00+05:30"


def test_article_body_in_json_ld_picks_the_right_container():
    decoy = "<div class='promo'>" + "".join(f"<p>{p[::-1]}</p>" for p in P * 2) + "</div>"
    head = ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"बाढ़ राहत '
            f'शिविरों में बढ़ी भीड़","articleBody":"{" ".join(P)}"}}</script>')
    art = extract(page(decoy + paragraphs(), head=head))
    assert art["body"] == P


def test_rel_canonical_to_another_site_names_the_source_of_a_copy():
    source = "https://www.indiatv.in/world/asia/putin-letter-kim-2023-09-06-990001"
    art = extract(page(paragraphs(), head=f'<link rel="canonical" href="{source}">'))
    assert art["canonical_url"] == source and art["url"] == URL


def test_og_url_to_another_site_or_a_home_page_is_not_trusted():
    head = ('<meta property="og:url" content="https://www.other.in/x/some-story-1234567">'
            '<link rel="canonical" href="https://www.khabar-example.in/">')
    assert extract(page(paragraphs(), head=head))["canonical_url"] == URL


def test_wayback_canonical_is_unwrapped():
    head = f'<link rel="canonical" href="https://web.archive.org/web/20220721143833/{URL}">'
    assert extract(page(paragraphs(), head=head))["canonical_url"] == URL


TAGLINES = (
    "देश-दुनिया की ताज़ा खबरों के लिए क्लिक करें",
    "हिंदी में ब्रेकिंग न्यूज सबसे पहले",
    "ताजा खबर यहां पढ़ें",
    "Latest India News",
    "Get the latest cricket news",
    "डाउनलोड करें हमारा ऐप",
    "Follow us on Google News",
    "WhatsApp चैनल से जुड़ें",
    "News in Hindi के लिए पढ़ें",
    "सबसे पहले खबरें पढ़ें अमर उजाला पर",
)


@pytest.mark.parametrize("line", TAGLINES)
def test_each_tagline_rule_still_matches_through_its_word_filter(line):
    from newscrawler.extract.boilerplate import TAGLINE_PATTERNS, is_tagline
    from newscrawler.text import fold_for_key

    assert any(p.search(fold_for_key(line)) for p in TAGLINE_PATTERNS)
    assert is_tagline(line)


def test_tagline_word_filter_decides_as_the_plain_regexes_on_every_fixture_line():
    from newscrawler.extract.boilerplate import TAGLINE_PATTERNS, is_tagline
    from newscrawler.extract.dom import collect_blocks, parse_page
    from newscrawler.text import fold_for_key

    lines = [block.text for page in sorted(FIXTURES.glob("*/*.html"))
             for block in collect_blocks(parse_page(page.read_bytes()))]
    assert len(lines) > 1000
    for line in (*lines, *TAGLINES):
        plain = any(p.search(fold_for_key(line)) for p in TAGLINE_PATTERNS)
        assert is_tagline(line) == plain, line


STORY = "<p>" + "दिल्ली में सुबह से हो रही बारिश के कारण कई इलाकों में पानी भर गया है। " * 4 + "</p>"


def _page_with_titles(h1s: str) -> str:
    return ("<html><head><title>Delhi Rain LIVE: दिल्ली बारिश अपडेट, ताजा खबर</title></head>"
            f"<body>{h1s}<article>{STORY * 3}</article></body></html>")


def test_a_single_h1_wins_over_a_search_engine_page_title():
    article = extract_article(_page_with_titles("<h1>दिल्ली में भारी बारिश से जलभराव</h1>"),
                              "https://example.in/delhi/rain-1.html", fetched_at=NOW)
    assert article["title"] == "दिल्ली में भारी बारिश से जलभराव"
    assert all("जलभराव" not in p for p in article["body"])


def test_with_two_unrelated_h1s_the_page_title_stays():
    article = extract_article(
        _page_with_titles("<h1>मौसम विभाग की चेतावनी जारी</h1><h1>यातायात पुलिस की सलाह</h1>"),
        "https://example.in/delhi/rain-1.html", fetched_at=NOW)
    assert article["title"] == "Delhi Rain LIVE: दिल्ली बारिश अपडेट, ताजा खबर"


@pytest.mark.parametrize(("lang", "expected"), [("mr-IN", "mr"), ("ne", "ne"), ("en", "hi"),
                                                ("hi-IN", "hi"), (None, "hi")])
def test_devanagari_text_is_hindi_unless_the_page_names_another_devanagari_language(
        lang, expected):
    html_lang = f" lang='{lang}'" if lang else ""
    page = (f"<html{html_lang}><head><meta property='og:type' content='article'><title>पाऊस"
            f"</title></head><body><h1>मुंबईत मुसळधार पाऊस</h1><article>{STORY * 2}</article>"
            "</body></html>")
    article = extract_article(page, "https://example.in/mumbai/rain-2.html", fetched_at=NOW)
    assert article["language"] == expected


@pytest.mark.parametrize(("head", "expected"), [
    ("<link rel='canonical' href='/delhi/rain-7.html'>"
     "<meta property='og:url' content='https://example.in/delhi/rain-7.html?amp'>",
     "https://example.in/delhi/rain-7.html"),
    ("<link rel='canonical' href='/delhi/rain-7.html'>", None),
])
def test_a_relative_canonical_is_resolved_or_no_url_is_given(head, expected):
    page = (f"<html><head>{head}<meta property='og:type' content='article'><title>बारिश"
            f"</title></head><body><h1>दिल्ली में भारी बारिश</h1><article>{STORY * 2}</article>"
            "</body></html>")
    article = extract_article(page, fetched_at=NOW)
    assert article["url"] == expected and article["canonical_url"] == expected


def test_the_breadcrumb_trails_last_item_is_not_body():
    trail = ('{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": ['
             '{"@type": "ListItem", "position": 1, "item": {"@id": "https://example.in/",'
             ' "name": "Hindi News"}}, {"@type": "ListItem", "position": 2, "name": '
             '"Heavy Rain In Delhi Causes Waterlogging In Many Areas Of The City"}]}')
    page = (f"<html><head><script type='application/ld+json'>{trail}</script>"
            "<meta property='og:type' content='article'><title>बारिश</title></head><body>"
            "<article><div><ul><li><a href='/'>Hindi News</a></li><li>Heavy Rain In Delhi Causes "
            "Waterlogging In Many Areas Of The City</li></ul></div><h1>दिल्ली में भारी बारिश</h1>"
            f"<div><span>दिल्ली</span><span>कुछ ही क्षण पहले</span></div>{STORY * 3}"
            "</article></body></html>")
    body = extract_article(page, "https://example.in/delhi/rain-9.html", fetched_at=NOW)["body"]
    assert body == [normalize_text(STORY[3:-4])] * 3


@pytest.mark.parametrize("line", ["इंदौर3 मिनट पहले", "मैनपुरीकुछ ही क्षण पहले", "भोपालकुछ पल पहले"])
def test_a_place_glued_to_an_age_is_a_dateline(line):
    from newscrawler.extract.generic import is_dateline

    assert is_dateline(line)


@pytest.mark.parametrize(("byline", "expected"), [
    ('<span class="author">लेखक: सुनीता वर्मा</span>', ["सुनीता वर्मा"]),
    ('<div class="byline">रिपोर्ट: अनिल शर्मा | 23 दिसंबर 2024</div>', ["अनिल शर्मा"]),
    ('<div class="byline">By सुनीता वर्मा</div>', ["सुनीता वर्मा"]),
    ('<div class="byline">Byron Sen</div>', ["Byron Sen"]),
])
def test_a_visible_byline_loses_its_label_not_the_name(byline, expected):
    page = ("<html><head><meta property='og:type' content='article'><title>ठंड</title></head>"
            f"<body><article><h1>दिल्ली में कड़ाके की ठंड</h1>{byline}{STORY * 3}</article>"
            "</body></html>")
    article = extract_article(page, "https://example.in/delhi/cold-3.html", fetched_at=NOW)
    assert article["authors"] == expected


@pytest.mark.parametrize("standfirst", [
    "<h2 class='synopsis'>{}</h2>", "<p class='summary'>{}</p>", "<h2>{}</h2>"])
def test_a_standfirst_inside_the_article_is_the_lede_not_body(standfirst):
    lede = "प्रदेश में कड़ाके की ठंड के चलते आठवीं तक के स्कूल 31 दिसंबर तक बंद रहेंगे।"
    head = f'<meta name="description" content="{lede}">'
    html = page(standfirst.format(lede) + "".join(f"<p>{p}</p>" for p in P), head=head)
    art = extract(html)
    assert art["lede"] == lede and art["body"] == P


def test_a_plain_first_paragraph_after_the_title_stays_body():
    head = f'<meta name="description" content="{P[0]}">'
    art = extract(page("".join(f"<p>{p}</p>" for p in P), head=head))
    assert art["lede"] is None and art["body"] == P


def test_a_paywall_prompt_is_not_body_but_a_paragraph_about_subscriptions_is():
    prompt = ("<div class='paywall'>यह लेख केवल सब्सक्राइबर्स के लिए है। पूरा लेख पढ़ने के लिए "
              "सब्सक्राइब करें। <a href='/subscribe'>अभी सब्सक्राइब करें</a></div>")
    about = ("ओटीटी कंपनियों ने बताया कि इस साल सब्सक्राइबर्स की संख्या में बीस प्रतिशत की बढ़ोतरी "
             "हुई है और कंपनियां अब क्षेत्रीय भाषाओं में नई वेब सीरीज लाने की तैयारी कर रही हैं, "
             "जिससे छोटे शहरों के दर्शकों तक पहुंच बढ़ेगी और विज्ञापन से होने वाली कमाई पर "
             "निर्भरता कम होगी। विशेषज्ञों का कहना है कि सस्ते प्लान और मोबाइल डेटा की कम कीमतों "
             "ने इस बढ़त में बड़ी भूमिका निभाई है।")
    art = extract(page(paragraphs(f"<p>{about}</p>", prompt)))
    assert art["body"] == [*P, about]


def test_a_screen_reader_label_is_not_part_of_the_caption():
    figure = ("<figure><img src='/img/fog.jpg'><figcaption>इमेज कैप्शन, लखनऊ में घना कोहरा छाया "
              "रहा</figcaption></figure>")
    art = extract(page(paragraphs(figure)))
    assert [i["caption"] for i in art["images"]] == ["लखनऊ में घना कोहरा छाया रहा"]
