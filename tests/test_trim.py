"""Trimming furniture glued into the story's own paragraphs (newscrawler.extract.trim)."""

from newscrawler.extract.trim import trim_story_edges

STORY = ("शहर में आज सुबह से तेज़ बारिश हो रही है और कई सड़कों पर पानी भर गया है। नगर निगम ने "
         "राहत दल तैनात किए हैं और लोगों से घरों में रहने की अपील की है। मौसम विभाग ने अगले दो "
         "दिनों के लिए चेतावनी जारी की है और स्कूल बंद रखने का आदेश दिया गया है।")
CREDIT = "क्रेडिट: राहुल वर्मा, सीमा शर्मा (नई दिल्ली) द्वारा स्टॉक फोटो सोमवार, 12 मार्च, 2024"
DATELINE = "NEW DELHI, 12 मार्च (पीटीआई) – "
BIO = "राहुल वर्मा दिल्ली में रहने वाले पत्रकार हैं। सीमा शर्मा पर्यावरण पर लिखती हैं।"
TAIL = "© समाचार सेवा (2024) – सभी अधिकार सुरक्षित ताज़ा ख़बरें: बाज़ार में तेज़ी सोमवार, 12 मार्च"
TITLE = "दिल्ली में तेज़ बारिश से जनजीवन अस्त-व्यस्त"


def test_a_whole_reposted_page_in_one_paragraph_is_cut_to_the_story():
    glued = f"{CREDIT}Press Service{DATELINE}{STORY} {BIO} {TAIL}"
    assert trim_story_edges([glued], TITLE) == [DATELINE + STORY]


def test_credit_before_a_hindi_dateline_is_cut():
    para = f"इमेज कैप्शन: राहत दल का फोटो नई दिल्ली, 5 फरवरी (भाषा)। {STORY}"
    assert trim_story_edges([para], TITLE) == [f"नई दिल्ली, 5 फरवरी (भाषा)। {STORY}"]


def test_a_paragraph_starting_with_its_dateline_is_left_alone():
    para = DATELINE + STORY
    assert trim_story_edges([para, STORY], TITLE) == [para, STORY]


def test_a_dateline_deep_inside_the_paragraph_is_not_a_cut_point():
    para = f"{STORY} {DATELINE}बाकी खबर यहाँ है।"
    assert trim_story_edges([para], TITLE) == [para]


def test_a_copyright_line_ends_the_last_paragraph_only_in_its_second_half():
    assert trim_story_edges([STORY, f"{STORY} {TAIL}"], TITLE) == [STORY, STORY]
    early = f"© समाचार सेवा की रिपोर्ट के अनुसार {STORY}"
    assert trim_story_edges([early], TITLE) == [early]


def test_bios_are_cut_only_when_they_open_with_a_byline_name():
    # no byline was cut off, so a sentence about a named person stays
    para = f"{STORY} {BIO}"
    assert trim_story_edges([para], TITLE) == [para]


def test_a_citation_of_the_page_is_dropped_but_a_sentence_quoting_the_title_is_kept():
    citation = f"{TITLE}, समाचार सेवा, सोमवार, 12 मार्च, 2024 (पोर्टल द्वारा पोस्ट)"
    quoting = f"{TITLE} की खबर 2024 में सबसे ज़्यादा पढ़ी गई।"
    assert trim_story_edges([STORY, citation, quoting], TITLE) == [STORY, quoting]


def test_nothing_left_after_trimming_gives_an_empty_body():
    assert trim_story_edges([], TITLE) == []
    assert trim_story_edges([f"{TITLE}, समाचार सेवा, 2024"], TITLE) == []
