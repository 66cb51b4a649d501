"""Table-driven tests for newscrawler.text (Hindi text handling)."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from newscrawler import text
from newscrawler.text import (
    ALSO_READ_MARKERS,
    BOILERPLATE_PATTERNS,
    GENERIC_TITLE_SUFFIXES,
    collapse_ws,
    devanagari_ratio,
    fix_mojibake,
    fold_for_key,
    fold_light,
    has_mojibake,
    is_also_read_marker,
    is_boilerplate_line,
    is_hindi,
    normalize_text,
    split_sentences,
    strip_site_suffix,
    to_ascii_digits,
    word_tokens,
)

NBSP = "\u00a0"
ZWJ = "\u200d"
ZWNJ = "\u200c"
ZWSP = "\u200b"
NUKTA = "\u093c"
DDA_NUKTA = "\u095c"  # ड़ precomposed
RHA_NUKTA = "\u095d"  # ढ़ precomposed
PHA_NUKTA = "\u095e"  # फ़ precomposed
CHANDRABINDU = "\u0901"
KIRBY = ("किर्बी ने कहा कि रूस अपने रक्षा आधार को मजबूत करने के लिए अतिरिक्त गोला-बारूद की "
         "तलाश कर रहा है।")


def browser_cp1252(s: str) -> str:
    """UTF-8 bytes shown as a browser shows windows-1252: undefined bytes become C1 controls."""
    out = []
    for b in s.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


# ---------------------------------------------------------------- normalize_text

@pytest.mark.parametrize("raw, expected", [
    # both nukta encodings give the NFC form (ड + nukta: U+095C is a composition exclusion)
    (f"स{DDA_NUKTA}क", f"सड{NUKTA}क"),
    (f"सड{NUKTA}क", f"सड{NUKTA}क"),
    (f"{PHA_NUKTA}रवरी", f"फ{NUKTA}रवरी"),
    (f"न{NUKTA}", "\u0929"),  # न + nukta composes to ऩ
    (f"ड्{NUKTA}", f"ड{NUKTA}्"),  # canonical order: nukta before virama
    # NBSP, entities and every other kind of space
    (f"नई{NBSP}दिल्ली", "नई दिल्ली"),
    ("नई&nbsp;दिल्ली", "नई दिल्ली"),
    ("नई&amp;nbsp;दिल्ली", "नई दिल्ली"),
    ("नई&NBSP;दिल्ली&#160;में", "नई दिल्ली में"),
    ("मोदी\u202fने\u2007कहा\u2009कि\t\nहम\u3000जीतेंगे\u2028अब", "मोदी ने कहा कि हम जीतेंगे अब"),
    ("  भारत   ने \n\n जीता  ", "भारत ने जीता"),
    # invisible characters
    ("प्रधान\u00adमंत्री", "प्रधानमंत्री"),
    (f"मो{ZWSP}दी{ZWSP} ने", "मोदी ने"),
    ("\ufeffमोदी\u200e ने\u200f कहा\u2060।", "मोदी ने कहा।"),
    ("\u2066राहुल\u2069 गांधी\u202a\u202c", "राहुल गांधी"),
    ("मोदी\x00 ने\x85कहा\x07", "मोदी ने कहा"),
    # ZWJ / ZWNJ kept inside a Devanagari word, dropped when stray
    (f"रक्{ZWJ}षा", f"रक्{ZWJ}षा"),
    (f"क्{ZWNJ}ष", f"क्{ZWNJ}ष"),
    (f"{ZWJ}मोदी{ZWJ} ने", "मोदी ने"),
    (f"मोदी{ZWNJ}", "मोदी"),
    (f"क्{ZWJ} ष", "क् ष"),
    (f"BJP{ZWJ}भाजपा", "BJPभाजपा"),
    (f"रक्{ZWJ}{ZWJ}षा", f"रक्{ZWJ}षा"),
    (f"रक्{ZWJ}{ZWSP}षा", f"रक्{ZWJ}षा"),
    # digits and danda are left alone
    ("२०२४ में 2024 का बजट।", "२०२४ में 2024 का बजट।"),
    ("वह आया।वह गया॥", "वह आया।वह गया॥"),
    ("", ""),
    (" \t\n", ""),
    # mojibake is repaired first
    (browser_cp1252("हिन्दी समाचार"), "हिन्दी समाचार"),
    ("à¤¹à¤¿à¤¨à¥\x8dà¤¦à¥€&nbsp;à¤–à¤¬à¤°", "हिन्दी खबर"),
])
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("a, b", [
    (f"बड{NUKTA}ी खबर", f"ब{DDA_NUKTA}ी खबर"),
    (f"{PHA_NUKTA}िल्म", f"फ{NUKTA}िल्म"),
    (f"पढ{NUKTA}ें", f"प{RHA_NUKTA}ें"),
    (f"नई{NBSP}दिल्ली", "नई दिल्ली"),
])
def test_normalize_text_same_output(a: str, b: str) -> None:
    assert a != b
    assert normalize_text(a) == normalize_text(b)


@pytest.mark.parametrize("raw", [
    "किर्बी ने कहा",
    f"ड्{NUKTA}{NUKTA}्न{NUKTA}ा",
    "café naïve",
    "cafe\u0301 e\u0301\u0327",  # combining accents: the general NFC path
    "\u0958\u0959\u095a\u095b\u095c\u095d\u095e\u095f",
    "\u0915\u0951\u093c",  # stress sign then nukta: reordered by unicodedata
    "Ω \u2126 \u212b",  # singletons
    "한국어 \u1100\u1161",  # Hangul jamo compose
])
def test_normalize_text_is_nfc(raw: str) -> None:
    assert normalize_text(raw) == unicodedata.normalize("NFC", raw)


def test_fast_nfc_agrees_with_unicodedata() -> None:
    # random strings over the characters the fast path handles itself
    alphabet = ("नरळकडढफयसम\u0929\u0931\u0934\u0958\u095c\u095e" + NUKTA + "\u094d"
                "ािीुेैोौंँः a।०")
    rnd = random.Random(20240501)
    for _ in range(20000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 10)))
        assert text._nfc(s) == unicodedata.normalize("NFC", s), s.encode("unicode_escape")


def test_fast_nfc_character_set_claim() -> None:
    # every character the fast path lets through without unicodedata must be NFC on its own,
    # have combining class 0 (the virama is handled), and never end a canonical composition;
    # the nukta and nukta letters are handled explicitly
    seconds = set()
    for cp in range(0x110000):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<") and len(d.split()) == 2:
            seconds.add(int(d.split()[1], 16))
    handled = {0x093C, 0x094D, *range(0x0958, 0x0960)}
    for cp in range(0x3000):
        c = chr(cp)
        if text._NFC_OTHER.match(c) or cp in handled:
            continue
        assert unicodedata.normalize("NFC", c) == c, hex(cp)
        assert unicodedata.combining(c) == 0, hex(cp)
        assert cp not in seconds, hex(cp)


@pytest.mark.parametrize("raw, expected", [
    (f"a{NBSP}\u2009b\t\nc", "a b c"),
    ("  मोदी   ने  ", "मोदी ने"),
    (f"मो{ZWSP}दी", f"मो{ZWSP}दी"),  # not whitespace: collapse_ws does nothing else
    ("", ""),
])
def test_collapse_ws(raw: str, expected: str) -> None:
    assert collapse_ws(raw) == expected


# ---------------------------------------------------------------- mojibake

HINDI = "हिन्दी समाचार"


@pytest.mark.parametrize("raw, expected, repaired", [
    (browser_cp1252(HINDI), HINDI, True),  # cp1252, undefined bytes as C1 controls
    (HINDI.encode("utf-8").decode("latin-1"), HINDI, True),
    ("समाचार".encode().decode("cp1252"), "समाचार", True),  # strict cp1252
    ("à¤¹à¤¿à¤¨à¥\x8dà¤¦à¥€", "हिन्दी", True),
    ("à¤…", "अ", True),
    ("à¤®à¥‹à¤¦à¥€ â€“ â€˜à¤¶à¤¾à¤¹â€™", "मोदी – ‘शाह’", True),
    ("â‚¹500 à¤•à¤°à¥‹à¤¡à¤¼", "₹500 करोड़", True),
    # mixed: correct text around garbled runs is kept
    ("दिल्ली: " + browser_cp1252("मौसम आज ठीक") + " है।", "दिल्ली: मौसम आज ठीक है।", True),
    ("Café " + browser_cp1252("समाचार"), "Café समाचार", True),
    # a byte lost by the decoder (U+FFFD) or by copy-paste: that word is left as it was
    (HINDI.encode("utf-8").decode("cp1252", errors="replace"),
     "à¤¹à¤¿à¤¨à¥\ufffdà¤¦à¥€ समाचार", True),
    ("हिन्दी".encode().decode("cp1252", errors="replace"),
     "à¤¹à¤¿à¤¨à¥\ufffdà¤¦à¥€", False),
    ("à¤¹à¤¿à¤¨à¥à¤¦à¥€", "à¤¹à¤¿à¤¨à¥à¤¦à¥€", False),
    # clean text
    (HINDI, HINDI, False),
    ("café à la carte — voilà", "café à la carte — voilà", False),
    ("", "", False),
])
def test_fix_mojibake(raw: str, expected: str, repaired: bool) -> None:
    assert fix_mojibake(raw) == (expected, repaired)


@pytest.mark.parametrize("raw, expected", [
    (browser_cp1252(HINDI), True),
    ("à¤…", True),
    ("दिल्ली: " + browser_cp1252("मौसम"), True),
    ("quote: â€™", True),
    (HINDI, False),
    ("café à la carte", False),
    ("Voilà ¤", False),
    ("", False),
])
def test_has_mojibake(raw: str, expected: bool) -> None:
    assert has_mojibake(raw) is expected


# ---------------------------------------------------------------- digits and folding

@pytest.mark.parametrize("raw, expected", [
    ("२०२४", "2024"),
    ("१२.५ प्रतिशत", "12.5 प्रतिशत"),
    ("०१२३४५६७८९", "0123456789"),
    ("2024 का चुनाव", "2024 का चुनाव"),
])
def test_to_ascii_digits(raw: str, expected: str) -> None:
    assert to_ascii_digits(raw) == expected


@pytest.mark.parametrize("a, b", [
    ("फ़रवरी", "फरवरी"),
    (f"{PHA_NUKTA}रवरी", "फरवरी"),
    (f"फ{NUKTA}रवरी", f"{PHA_NUKTA}रवरी"),
    ("हाँ", "हां"),
    ("२०२४ का बजट", "2024 का बजट"),
    (f"रक्{ZWJ}षा", "रक्षा"),
    ("भारत।", "भारत"),
    ("वह आया। वह गया॥", "वह आया वह गया"),
    ("BJP  की  जीत", "bjp की जीत"),
    ("“मोदी” ने कहा – ठीक", "मोदी ने कहा ठीक"),
    ("\u0929", "न"),
    (browser_cp1252("सड़क"), "सडक"),
])
def test_fold_for_key_equal(a: str, b: str) -> None:
    assert fold_for_key(a) == fold_for_key(b)


@pytest.mark.parametrize("a, b", [
    ("फल", "फूल"),
    ("कम", "काम"),
    ("2024", "2025"),
    ("हंस", "हँसी"),
])
def test_fold_for_key_different(a: str, b: str) -> None:
    assert fold_for_key(a) != fold_for_key(b)


@pytest.mark.parametrize("raw, expected", [
    ("मोदी ने कहा, “हम जीतेंगे”। ₹500 का नोट॥", "मोदी ने कहा हम जीतेंगे 500 का नोट"),
    ("गोला-बारूद की तलाश", "गोला बारूद की तलाश"),
    ("Editor's Pick: 3.5%", "editors pick 3 5"),
    ("बड़ी ख़बर: २ लोगों की मौत!", "बडी खबर 2 लोगों की मौत"),
    ("मैच 😀 देखें | Live", "मैच देखें live"),
    ("", ""),
])
def test_fold_for_key(raw: str, expected: str) -> None:
    assert fold_for_key(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("यह भी पढ़ें:", "यह भी पढें:"),
    (f"हाँ, {PHA_NUKTA}िल्म २ बार देखी!", "हां, फिल्म 2 बार देखी!"),
    ("Also READ - ABC", "also read - abc"),
])
def test_fold_light(raw: str, expected: str) -> None:
    assert fold_light(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("फ़रवरी २०२४ में, BJP।", ["फरवरी", "2024", "में", "bjp"]),
    ("हाँ!!! ठीक है...", ["हां", "ठीक", "है"]),
    ("", []),
])
def test_word_tokens(raw: str, expected: list[str]) -> None:
    assert word_tokens(raw) == expected


def _reference_key(s: str) -> str:
    """Slow per-character fold_for_key, to check the byte and replace tricks against."""
    out = []
    for c in normalize_text(s).lower():
        if c in (NUKTA, ZWJ, ZWNJ, "'", "\u2019", "\u02bc"):
            continue
        c = {CHANDRABINDU: "\u0902", "\u0929": "न", "\u0931": "र", "\u0934": "ळ"}.get(c, c)
        c = to_ascii_digits(c)
        out.append(" " if unicodedata.category(c)[0] in "PS" else c)
    return " ".join("".join(out).split())


@pytest.mark.parametrize("raw", [
    KIRBY,
    "“बड़ी” ख़बर — ₹५०० (50%) करोड़ की डील; <b>x</b> © 2024 ॰ ॥ ऋषि’s",
    "Üñïcödé ✓ «quoted» 𝐁𝐨𝐥𝐝 ¿qué? ¡sí! _x_ a/b\\c",
    "ऩऱऴ क़ख़ग़ज़ड़ढ़फ़य़ हँसी",
])
def test_fold_for_key_matches_reference(raw: str) -> None:
    assert fold_for_key(raw) == _reference_key(raw)


# ---------------------------------------------------------------- script detection

def _reference_ratio(s: str) -> float:
    letters = [c for c in s if unicodedata.category(c)[0] in "LM"]
    deva = [c for c in letters if "\u0900" <= c <= "\u097f"]
    return len(deva) / len(letters) if letters else 0.0


@pytest.mark.parametrize("raw, expected", [
    ("मोदी", 1.0),
    ("BJP", 0.0),
    ("", 0.0),
    ("१२३ । ॥ 2024 !", 0.0),
    ("मोदी BJP", 4 / 7),
    ("नमस्ते 😀 ₹ 100", 1.0),
    ("Üñ मोदी", 4 / 6),
    ("मोदी Ω", 4 / 5),
])
def test_devanagari_ratio(raw: str, expected: float) -> None:
    assert devanagari_ratio(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", [
    KIRBY,
    "ABC मोदी ñ é 😀 ॐ ॰ ० ऀ ॿ \u0951 中文 العربية",
    "Hindi news: मोदी ने कहा",
])
def test_devanagari_ratio_matches_reference(raw: str) -> None:
    assert devanagari_ratio(raw) == pytest.approx(_reference_ratio(raw))


@pytest.mark.parametrize("raw, min_ratio, expected", [
    (KIRBY, 0.4, True),
    ("Prime Minister Modi said the economy grew 3.5 per cent.", 0.4, False),
    ("PM Modi ने कहा", 0.4, True),
    ("Prime Minister Narendra Modi ने कहा", 0.4, False),
    ("२०२४ 2024", 0.4, False),
    ("", 0.4, False),
    ("Prime Minister Narendra Modi ने कहा", 0.1, True),
])
def test_is_hindi(raw: str, min_ratio: float, expected: bool) -> None:
    assert is_hindi(raw, min_ratio) is expected


# ---------------------------------------------------------------- sentences

@pytest.mark.parametrize("raw, expected", [
    ("भारत ने मैच जीता। टीम खुश है॥ क्या आगे भी जीतेगी? हाँ!",
     ["भारत ने मैच जीता।", "टीम खुश है॥", "क्या आगे भी जीतेगी?", "हाँ!"]),
    ("जीडीपी 3.5 प्रतिशत बढ़ी। अच्छा संकेत है।", ["जीडीपी 3.5 प्रतिशत बढ़ी।", "अच्छा संकेत है।"]),
    ("वह आया।वह गया।", ["वह आया।", "वह गया।"]),
    ("डॉ. शर्मा ने कहा. U.S. भी सहमत है.", ["डॉ. शर्मा ने कहा.", "U.S. भी सहमत है."]),
    ("Dr. Singh arrived. He spoke.", ["Dr. Singh arrived.", "He spoke."]),
    ("J. K. Rowling wrote it. Rs. 500 was paid.", ["J. K. Rowling wrote it.", "Rs. 500 was paid."]),
    ("ए. के. शर्मा आए. बैठक हुई.", ["ए. के. शर्मा आए.", "बैठक हुई."]),
    ('उन्होंने कहा, "हम जीतेंगे।" फिर वे चले गए।', ['उन्होंने कहा, "हम जीतेंगे।"', "फिर वे चले गए।"]),
    ("क्या?! सच में!!", ["क्या?!", "सच में!!"]),
    ("वह आया... और चला गया।", ["वह आया... और चला गया।"]),
    ("approx. value is fine. Next one.", ["approx. value is fine.", "Next one."]),
    ("बिना विराम का वाक्य", ["बिना विराम का वाक्य"]),
    ("कीमत 3.5 लाख रुपये", ["कीमत 3.5 लाख रुपये"]),
    ("", []),
])
def test_split_sentences(raw: str, expected: list[str]) -> None:
    assert split_sentences(raw) == expected


# ---------------------------------------------------------------- titles

@pytest.mark.parametrize("title, site_names, expected", [
    ("मोदी का बयान - अमर उजाला", ["अमर उजाला"], "मोदी का बयान"),
    ("4-लेन सड़क बनेगी", [], "4-लेन सड़क बनेगी"),
    ("4-लेन सड़क बनेगी", ["अमर उजाला"], "4-लेन सड़क बनेगी"),
    ("Title | Hindi News | Navbharat Times", ["Navbharat Times"], "Title"),
    ("चुनाव नतीजे: भाजपा आगे - Hindi News, News in Hindi", ["Amar Ujala"],
     "चुनाव नतीजे: भाजपा आगे"),
    ("मोदी का बयान | अमर उजाला", ["Amar Ujala"], "मोदी का बयान | अमर उजाला"),
    ("Budget 2024 explained – NAVBHARAT TIMES", ["Navbharat Times"], "Budget 2024 explained"),
    ("बजट पर बहस — जनसत्ता", ["जनसत्ता"], "बजट पर बहस"),
    (f"मोदी का बयान{NBSP}-{NBSP}अमर उजाला", ["अमर उजाला"], "मोदी का बयान"),
    ("दिल्ली में बारिश - ज़ी न्यूज़", ["जी न्यूज"], "दिल्ली में बारिश"),
    ("क्रिकेट | खेल | हिंदी न्यूज़ | अमर उजाला", ["अमर उजाला"], "क्रिकेट | खेल"),
    ("अमर उजाला की रिपोर्ट पर विवाद", ["अमर उजाला"], "अमर उजाला की रिपोर्ट पर विवाद"),
    ("अमर उजाला", ["अमर उजाला"], "अमर उजाला"),
    # no site names: a short last segment after a clear separator
    ("दिल्ली में बारिश से जलभराव, कई इलाकों में जाम | Live Hindustan", [],
     "दिल्ली में बारिश से जलभराव, कई इलाकों में जाम"),
    ("शेयर बाजार में तेजी - Hindi News", [], "शेयर बाजार में तेजी"),
    ("भारत बनाम पाकिस्तान - आज के मैच में किसका पलड़ा भारी रहेगा, जानिए राय", [],
     "भारत बनाम पाकिस्तान - आज के मैच में किसका पलड़ा भारी रहेगा, जानिए राय"),
    ("IPL - मुंबई बनाम चेन्नई", [], "IPL - मुंबई बनाम चेन्नई"),
    ("मुंबई-पुणे एक्सप्रेसवे पर हादसा", [], "मुंबई-पुणे एक्सप्रेसवे पर हादसा"),
])
def test_strip_site_suffix(title: str, site_names: list[str], expected: str) -> None:
    assert strip_site_suffix(title, site_names) == expected


# ---------------------------------------------------------------- boilerplate

@pytest.mark.parametrize("line, expected", [
    # also-read lead-ins, with precomposed, decomposed and missing nukta
    (f"यह भी प{RHA_NUKTA}ें", True),
    (f"यह भी पढ{NUKTA}ें", True),
    ("यह भी पढें", True),
    ("ये भी पढ़ें: दिल्ली में बारिश से जलभराव", True),
    ("इसे भी पढ़ें - मोदी का बड़ा बयान", True),
    ("यह भी पढ़ेंः किसानों को राहत", True),
    ("ये भी देखें", True),
    ("यह भी देखें", True),
    ("Also Read", True),
    ("Read Also:", True),
    ("Read More", True),
    ("ALSO READ | Budget 2024 highlights", True),
    ("और पढ़ें", True),
    ("आगे पढ़ें", True),
    ("पूरी खबर पढ़ें", True),
    ("पूरी ख़बर पढ़ें: यहां क्लिक करें", True),
    # credits and captions
    ("Image Source : AP", True),
    ("Image Source: PTI", True),
    ("(Photo: PTI)", True),
    ("Photo Credit: Twitter", True),
    ("इमेज स्रोत, Getty Images", True),
    ("इमेज कैप्शन, प्रधानमंत्री नरेंद्र मोदी", True),
    ("फोटो: सोशल मीडिया", True),
    ("फ़ोटो: ANI", True),
    ("प्रतीकात्मक तस्वीर", True),
    ("फाइल फोटो", True),
    ("फ़ाइल फोटो", True),
    # ads and prompts
    ("विज्ञापन", True),
    ("Advertisement", True),
    ("Sponsored", True),
    ("स्क्रॉल करें", True),
    ("विस्तार", True),
    ("हमें फॉलो करें", True),
    ("अमर उजाला के व्हाट्सएप चैनल से जुड़ें", True),
    ("Google News पर फॉलो करें", True),
    ("Follow us on Google News", True),
    ("Download app", True),
    ("Download the NDTV app for latest news", True),
    ("Subscribe", True),
    ("ऐप डाउनलोड करें", True),
    # article text
    (KIRBY, False),
    ("दिल्ली में आज भारी बारिश हुई और कई इलाकों में जलभराव हो गया।", False),
    ("यह भी पढ़ेंगे छात्र नई किताबों में", False),
    ("फोटो खिंचवाने के लिए लोगों की भीड़ उमड़ पड़ी।", False),
    ("विस्तार योजना को मंजूरी मिली।", False),
    ("विज्ञापन नीति में बदलाव किया गया है।", False),
    ("सब्सक्राइबर की संख्या 10 लाख के पार पहुंची।", False),
    ("उन्होंने कहा कि लोग सरकारी ऐप डाउनलोड करें।", False),
    ("कंपनी के ऐप को 10 लाख लोगों ने डाउनलोड किया है।", False),
    ("यह भी पढ़ें: " + "लंबा " * 150, False),
    ("", False),
])
def test_is_boilerplate_line(line: str, expected: bool) -> None:
    assert is_boilerplate_line(line) is expected


@pytest.mark.parametrize("line, expected", [
    (f"यह भी प{RHA_NUKTA}ें", True),
    (f"यह भी पढ{NUKTA}ें", True),
    ("यह भी पढें", True),
    ("ये भी पढ़ें: दिल्ली में बारिश", True),
    ("इसे भी पढ़ें", True),
    ("इन्हें भी पढ़ें", True),
    ("यह भी पढ़ेंः", True),
    ("» यह भी पढ़ें", True),
    ("Also Read: Budget 2024", True),
    ("READ ALSO - Budget 2024", True),
    ("पढ़ें: दिल्ली में बारिश", True),
    ("पढ़ें - दिल्ली में बारिश", True),
    ("यह भी पढ़ें: " + "लंबा " * 150, True),
    ("पढ़ें और आगे बढ़ें", False),
    ("यह भी पढ़ेंगे छात्र", False),
    ("उन्होंने कहा कि यह भी पढ़ें", False),
    ("Read More", False),
    (KIRBY, False),
    ("", False),
])
def test_is_also_read_marker(line: str, expected: bool) -> None:
    assert is_also_read_marker(line) is expected


@pytest.mark.parametrize("source", BOILERPLATE_PATTERNS + ALSO_READ_MARKERS)
def test_patterns_are_in_folded_form(source: str) -> None:
    # matched against fold_light(): a nukta, chandrabindu or capital letter never matches
    assert not re.search("[\u093c\u0901\u0958-\u095f]", source)
    assert not re.search("[A-Z]", re.sub(r"\\.", "", source))
    re.compile(source)


@pytest.mark.parametrize("phrase", GENERIC_TITLE_SUFFIXES)
def test_generic_suffixes_are_folded(phrase: str) -> None:
    assert fold_for_key(phrase) == phrase
