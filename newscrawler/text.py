"""Hindi text handling: mojibake, spaces, invisible characters, NFC, nukta, digits, danda.

Everything here runs on every paragraph of every page, so the work is done by precompiled
regexes, ``str.translate`` tables and C-level string methods, with cheap substring checks
guarding the rarer repairs.

Three forms of a text are used in the project:

* ``normalize_text(s)``: for storage and display (NFC, one space, nothing invisible).
* ``fold_light(s)``: for pattern matching that still needs punctuation: lower case, no nukta,
  chandrabindu as anusvara, no ZWJ/ZWNJ, ASCII digits. ``BOILERPLATE_PATTERNS`` and
  ``ALSO_READ_MARKERS`` are written in this form.
* ``fold_for_key(s)``: for keys, dedup and scoring: ``fold_light`` plus punctuation and
  symbols as spaces.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections.abc import Callable, Iterable

__all__ = [
    "ABBREVIATIONS",
    "ALSO_READ_MARKERS",
    "BOILERPLATE_PATTERNS",
    "GENERIC_TITLE_SUFFIXES",
    "collapse_ws",
    "devanagari_ratio",
    "fix_mojibake",
    "fold_for_key",
    "fold_light",
    "has_mojibake",
    "is_also_read_marker",
    "is_boilerplate_line",
    "is_hindi",
    "normalize_text",
    "split_sentences",
    "strip_site_suffix",
    "to_ascii_digits",
    "word_tokens",
]

ZWNJ = "\u200c"
ZWJ = "\u200d"
NUKTA = "\u093c"


class _LazyTable(dict):
    """A str.translate table filled on first sight of each character.

    str.translate does one dict lookup per character; a missing key would raise and catch a
    KeyError in C for every unchanged character, so identities are cached as well.
    """

    def __init__(self, fn: Callable[[str], int | str | None], base: dict[int, int | str | None]):
        super().__init__(base)
        self._fn = fn

    def __missing__(self, cp: int) -> int | str | None:
        value = self._fn(chr(cp))
        self[cp] = value
        return value


# ---------------------------------------------------------------- mojibake

# cp1252 bytes 0x80-0x9F that have a character (five are undefined: 0x81 0x8D 0x8F 0x90 0x9D)
_CP1252_HIGH = {}
for _b in range(0x80, 0xA0):
    try:
        _CP1252_HIGH[ord(bytes([_b]).decode("cp1252"))] = _b
    except UnicodeDecodeError:
        pass
# Characters back to the byte they were decoded from: cp1252's specials to their byte; the
# rest of U+0000-U+00FF (incl. C1 controls from latin-1 or browser decoding) is latin-1.
_TO_LATIN1 = dict(_CP1252_HIGH)
_SPECIALS = "".join(map(chr, _CP1252_HIGH))
# A byte 0x80-0xBF (a UTF-8 continuation byte) as it looks after cp1252/latin-1 decoding.
_CONT = "\x80-\xbf" + re.escape(_SPECIALS)
# Lead bytes of UTF-8 Devanagari (E0 A4 / E0 A5) and General Punctuation / currency
# (E2 80 / E2 82: dashes, quotes, the rupee sign): never seen together in real text.
_MOJIBAKE_MARK = re.compile(f"(?:\u00e0[\u00a4\u00a5]|\u00e2[\u20ac\u201a])[{_CONT}]")
# A run of characters that could all be one byte each; U+FFFD (a byte lost by a decoder) is
# included so the word that holds it stays together and is left alone.
_BYTE_RUN = re.compile(f"[\x00-\xff{re.escape(_SPECIALS)}\ufffd]+")
# ASCII whitespace never occurs inside a UTF-8 sequence (NBSP 0xA0 and NEL 0x85 do).
_ASCII_WS_SPLIT = re.compile(r"([ \t\r\n\f\v]+)")


def has_mojibake(s: str) -> bool:
    """Does the text hold UTF-8 Devanagari (or punctuation) read as cp1252/latin-1?"""
    return ("\u00e0" in s or "\u00e2" in s) and _MOJIBAKE_MARK.search(s) is not None


def _decode_run(run: str) -> str | None:
    try:
        return run.translate(_TO_LATIN1).encode("latin-1").decode("utf-8")
    except UnicodeError:  # U+FFFD, a lost byte, or a real latin-1 word such as "café"
        return None


def _repair_run(run: str) -> str:
    fixed = _decode_run(run)
    if fixed is not None:
        return fixed
    # One bad byte should not keep a whole paragraph garbled: retry word by word and leave
    # only the words that still fail as they were.
    parts = _ASCII_WS_SPLIT.split(run)
    for i in range(0, len(parts), 2):
        if _MOJIBAKE_MARK.search(parts[i]):
            parts[i] = _decode_run(parts[i]) or parts[i]
    return "".join(parts)


def fix_mojibake(s: str) -> tuple[str, bool]:
    """Repair UTF-8 text that was decoded as cp1252 or latin-1; return (text, was_repaired).

    Works run by run, so correct text around a garbled run is kept as it is. A run is a
    stretch of characters that are all single bytes in cp1252/latin-1 and holds a mojibake
    marker (``à¤``, ``à¥``, ``â€``); a run (or, failing that, a word of it) that does not
    decode as UTF-8 is left unchanged.
    """
    if not has_mojibake(s):
        return s, False
    out: list[str] = []
    pos = 0
    for m in _BYTE_RUN.finditer(s):
        run = m.group()
        if _MOJIBAKE_MARK.search(run):
            out.append(s[pos:m.start()])
            out.append(_repair_run(run))
            pos = m.end()
    out.append(s[pos:])
    fixed = "".join(out)
    return fixed, fixed != s


# ---------------------------------------------------------------- normalisation

_NBSP_ENTITY = re.compile(r"&(?:amp;)*(?:nbsp|#160|#x0*a0);", re.IGNORECASE)
# Invisible characters that carry no text: soft hyphen, ZWSP, word joiner and invisible
# operators, BOM, bidi marks/embeddings/isolates, Mongolian vowel separator, and control
# characters other than the whitespace ones (those become spaces in the split/join below).
_INVISIBLE = re.compile(
    "[\u00ad\u200b\u2060-\u2064\ufeff\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u180e"
    "\x00-\x08\x0e-\x1b\x7f\x80-\x84\x86-\x9f]"
)
_JOINERS = re.compile("[\u200c\u200d]+")


def _is_deva_letter(c: str) -> bool:
    return "\u0900" <= c <= "\u0963" or "\u0971" <= c <= "\u097f"


def _keep_joiner(m: re.Match[str]) -> str:
    # A ZWJ/ZWNJ shapes a conjunct only inside a word (typically right after a virama);
    # anywhere else it is noise, and a run of them is kept as its first one.
    s, i, j = m.string, m.start(), m.end()
    if i and j < len(s) and _is_deva_letter(s[i - 1]) and _is_deva_letter(s[j]):
        return s[i]
    return ""


# NFC is cheap when CPython's quick check passes, but a single nukta (U+093C, which may
# compose with न र ळ) sends it to the full algorithm at ~100 ns per character. Text made only
# of the characters below is handled here instead: apart from the nukta and the nukta
# letters U+0958-095F (dealt with below) they are NFC on their own, have no combining class
# except the virama, and are never the second half of a composition (a test checks this
# against unicodedata). Anything else goes to unicodedata.normalize.
_NFC_OTHER = re.compile(
    "[^\x00-\u02ff\u0900-\u0950\u0955-\u097f"
    "\u2002-\u206f\u20a0-\u20cf]"
)
_DECOMPOSE_NUKTA = tuple(
    (chr(cp), base + NUKTA) for cp, base in zip(range(0x0958, 0x0960), "कखगजडढफय", strict=True)
)
# canonical order sorts a run of marks by combining class: nukta (7) before virama (9)
_NUKTA_VIRAMA_RUN = re.compile("[\u093c\u094d]{2,}")


def _reorder_marks(m: re.Match[str]) -> str:
    run = m.group()
    nuktas = run.count(NUKTA)
    return NUKTA * nuktas + "\u094d" * (len(run) - nuktas)


_NUKTA_COMPOSE = (("न\u093c", "\u0929"), ("र\u093c", "\u0931"), ("ळ\u093c", "\u0934"))


def _nfc(s: str) -> str:
    if s.isascii():
        return s
    if _NFC_OTHER.search(s):
        return unicodedata.normalize("NFC", s)
    for letter, decomposed in _DECOMPOSE_NUKTA:  # exclusions: NFC decomposes क़ to क + nukta
        if letter in s:
            s = s.replace(letter, decomposed)
    if NUKTA in s:
        if "\u094d\u093c" in s:
            s = _NUKTA_VIRAMA_RUN.sub(_reorder_marks, s)
        for pair, composed in _NUKTA_COMPOSE:
            if pair in s:
                s = s.replace(pair, composed)
    return s


# Extraction asks for the same texts' normal and folded forms from several places (a paragraph
# is tested as tagline, boilerplate, heading, title match...): about four calls per distinct
# text on real pages. The functions are pure, so repeated calls are answered from a cache.
_memo = functools.lru_cache(maxsize=4096)


def collapse_ws(s: str) -> str:
    """Collapse every run of whitespace (NBSP, thin, ideographic spaces...) to one space."""
    # str.split() with no argument splits on all Unicode whitespace, in C
    return " ".join(s.split())


@_memo
def normalize_text(s: str) -> str:
    """Text for storage and display.

    Repairs mojibake, turns ``&nbsp;`` leftovers and every kind of space into a plain space,
    drops invisible characters (soft hyphen, ZWSP, BOM, bidi marks) and stray ZWJ/ZWNJ, keeps
    ZWJ/ZWNJ inside Devanagari words, applies NFC, collapses whitespace. Digits, danda and
    nukta are kept (NFC leaves U+0958-U+095F decomposed, so both nukta encodings agree).
    """
    if not s:
        return ""
    if "\u00e0" in s or "\u00e2" in s:
        s = fix_mojibake(s)[0]
    if "&" in s:
        s = _NBSP_ENTITY.sub(" ", s)
    if s.isprintable():
        # the common case: no control or format character (ZWJ, ZWSP, BOM, bidi marks, soft
        # hyphen) and no space other than " ", so only NFC and doubled spaces are left
        s = _nfc(s)
        if "  " in s or s[0] == " " or s[-1] == " ":
            return " ".join(s.split())
        return s
    s = _INVISIBLE.sub("", s)
    if ZWJ in s or ZWNJ in s:
        s = _JOINERS.sub(_keep_joiner, s)
    s = _nfc(s)
    # str.split() with no argument splits on all Unicode whitespace, in C
    return " ".join(s.split())


_DEVA_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def to_ascii_digits(s: str) -> str:
    """Devanagari digits ०-९ to ASCII 0-9."""
    return s.translate(_DEVA_DIGITS)


# Devanagari folding, done with str.replace: a dict-driven str.translate costs ~100 ns per
# character, a replace of an absent character almost nothing. Nukta letters go to their base
# consonant: U+0958-095F (क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़; NFC never produces them but input may hold
# them when a caller skips normalisation) and the three that NFC composes (ऩ ऱ ऴ);
# chandrabindu becomes anusvara; digits become ASCII; ZWJ/ZWNJ go.
_DEVA_FOLD: tuple[tuple[str, str], ...] = (
    (NUKTA, ""), ("\u0901", "\u0902"), ("\u0929", "\u0928"), ("\u0931", "\u0930"),
    ("\u0934", "\u0933"),
    *zip(map(chr, range(0x0958, 0x0960)), "कखगजडढफय", strict=True),
    *zip("०१२३४५६७८९", "0123456789", strict=True),
    (ZWJ, ""), (ZWNJ, ""),
)
# Punctuation and symbols become a space, apostrophes vanish ("editor's" -> "editors").
# ASCII punctuation is replaced on the UTF-8 bytes with bytes.translate (ASCII bytes never
# occur inside a multi-byte sequence); danda and friends with str.replace; the few other
# characters (quotes, dashes, ₹, emoji) one distinct character at a time.
_ASCII_PUNCT = bytes(c for c in range(128) if chr(c) in string.punctuation and c != ord("'"))
# ASCII whitespace too, so that spaces are the only separators left to collapse
_ASCII_TO_SPACE = _ASCII_PUNCT + b"\t\n\r\x0b\x0c"
_ASCII_KEY_BYTES = bytes.maketrans(_ASCII_TO_SPACE, b" " * len(_ASCII_TO_SPACE))
_DEVA_PUNCT = ("\u0964", "\u0965", "\u0970")  # danda, double danda, abbreviation sign
_APOSTROPHES = "'\u2019\u02bc"
_NOT_ASCII_OR_DEVA = re.compile("[^\x00-\x7f\u0900-\u097f]+")
_OTHER_KEY: dict[str, str] = {}


def _key_char(c: str) -> str:
    folded = _OTHER_KEY.get(c)
    if folded is None:
        if c in _APOSTROPHES:
            folded = ""
        else:
            folded = " " if unicodedata.category(c)[0] in "PS" else c
        _OTHER_KEY[c] = folded
    return folded


@_memo
def fold_light(s: str) -> str:
    """normalize_text, then lower case, no nukta, chandrabindu as anusvara, no ZWJ/ZWNJ,
    ASCII digits; punctuation is kept. The form boilerplate patterns are matched against."""
    s = normalize_text(s).lower()
    if s.isascii():
        return s
    for a, b in _DEVA_FOLD:
        if a in s:
            s = s.replace(a, b)
    return s


@_memo
def fold_for_key(s: str) -> str:
    """Key for matching and dedup: fold_light with punctuation/symbols as spaces, collapsed.

    ``फ़रवरी`` and ``फरवरी``, ``हाँ`` and ``हां``, ``२०२४`` and ``2024`` give the same key.
    """
    s = fold_light(s)
    if not s.isascii():
        for c in _DEVA_PUNCT:
            if c in s:
                s = s.replace(c, " ")
        others = _NOT_ASCII_OR_DEVA.findall(s)
        for c in set("".join(others)) if others else ():
            folded = _key_char(c)
            if folded != c:
                s = s.replace(c, folded)
    raw = s.encode("utf-8", "surrogatepass").translate(_ASCII_KEY_BYTES, b"'")
    # = b" ".join(raw.split()): spaces are the only ASCII whitespace left, and halving the
    # runs takes a few passes in C instead of a bytes object per word
    while b"  " in raw:
        raw = raw.replace(b"  ", b" ")
    return raw.strip(b" ").decode("utf-8", "surrogatepass")


def word_tokens(s: str) -> list[str]:
    """Folded word tokens for scoring and shingling."""
    return fold_for_key(s).split()


# ---------------------------------------------------------------- script detection


def _ratio_class(c: str) -> str | None:
    return "o" if unicodedata.category(c)[0] in "LM" else None


_RATIO_TABLE = _LazyTable(_ratio_class, {})
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
# UTF-8 of the Devanagari block is E0 A4 xx / E0 A5 xx; of these, danda, double danda, digits
# and the abbreviation sign (U+0964-U+0970 = E0 A5 A4..B0) are not letters or marks.
_DEVA_NON_LETTER_UTF8 = re.compile(rb"\xe0\xa5[\xa4-\xb0]")


def devanagari_ratio(s: str) -> float:
    """Share of letters and marks (categories L*, M*) that are Devanagari; 0.0 if none."""
    # counted on the UTF-8 bytes and ASCII part in C; only the (rare) characters outside
    # ASCII and Devanagari need a category lookup
    raw = s.encode("utf-8", "surrogatepass")
    deva_all = raw.count(b"\xe0\xa4") + raw.count(b"\xe0\xa5")
    deva = deva_all - len(_DEVA_NON_LETTER_UTF8.findall(raw)) if deva_all else 0
    ascii_part = s.encode("ascii", "ignore")
    letters = deva + len(ascii_part.translate(None, _ASCII_NON_LETTERS))
    if len(ascii_part) + deva_all < len(s):
        others = "".join(_NOT_ASCII_OR_DEVA.findall(s))
        letters += len(others.translate(_RATIO_TABLE))
    return deva / letters if letters else 0.0


def is_hindi(s: str, min_ratio: float = 0.4) -> bool:
    """Is the text mostly Devanagari (at least min_ratio of its letters)?"""
    ratio = devanagari_ratio(s)
    return ratio > 0.0 and ratio >= min_ratio


# ---------------------------------------------------------------- sentences

_CLOSERS = "\"'\u201d\u2019\u00bb)\\]"
# danda ends a sentence even with no space after it; ? ! and . need whitespace (or the end)
_SENTENCE_END = re.compile(
    f"[।॥][।॥?!]*[{_CLOSERS}]*|(?:[?!]+[।॥]*|(?<!\\.)\\.)[{_CLOSERS}]*(?=\\s|$)"
)
# Words that end with a dot without ending the sentence (compared lower case, no nukta).
ABBREVIATIONS = frozenset({
    "dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "vs", "rs", "no", "inc", "ltd", "co",
    "gen", "lt", "col", "capt", "sgt", "gov", "govt", "sen", "rep", "hon", "mt", "dept",
    "approx", "fig", "vol", "pp", "ft", "est", "jan", "feb", "aug", "sep", "sept", "oct",
    "nov", "dec", "smt", "shri", "sh", "pvt",
    "डॉ", "डा", "प्रो", "श्री", "श्रीमती", "सुश्री", "कु", "स्व", "पं", "सं", "पृ", "रु", "मि",
    "लि", "प्रा", "नं", "जि", "मो", "मु", "ले", "कै",
    # initials written as letter names (ए. के. शर्मा, जी. किशन रेड्डी); not आई, a verb
    "ए", "बी", "सी", "डी", "ई", "एफ", "जी", "एच", "जे", "के", "एल", "एम", "एन", "ओ", "पी",
    "क्यू", "आर", "एस", "टी", "यू", "वी", "डब्ल्यू", "एक्स", "वाई", "जेड",
})
_NEXT_CHAR = re.compile(r"\s*(\S?)")
_WORD_START = re.compile(r"[\"'(\[\u201c\u2018]+")


def _is_abbreviation(s: str, dot: int) -> bool:
    start = max(s.rfind(" ", 0, dot), s.rfind("\n", 0, dot), s.rfind("\t", 0, dot)) + 1
    word = _WORD_START.sub("", s[start:dot])
    if not word:
        return False
    if "." in word:  # U.S. / ए.के. / ई.पू.
        return True
    if len(word) == 1 and word.isascii() and word.isalpha():  # initials: J. K. Rowling
        return True
    return fold_light(word) in ABBREVIATIONS


def split_sentences(s: str) -> list[str]:
    """Split on danda, double danda, ?, ! and a sentence-ending full stop.

    The terminator (and any closing quote or bracket) stays with its sentence; a full stop
    inside a number (3.5), after an abbreviation (डॉ., Dr., U.S.) or before a lower-case
    Latin word does not split.
    """
    out: list[str] = []
    pos = 0
    for m in _SENTENCE_END.finditer(s):
        end = m.end()
        if s[m.start()] == ".":
            nxt = _NEXT_CHAR.match(s, end).group(1)
            if _is_abbreviation(s, m.start()) or (nxt.isascii() and nxt.islower()):
                continue
        piece = s[pos:end].strip()
        if piece:
            out.append(piece)
        pos = end
    tail = s[pos:].strip()
    if tail:
        out.append(tail)
    return out


# ---------------------------------------------------------------- titles

# Generic trailing title segments (in fold_for_key form), stripped like a site name.
GENERIC_TITLE_SUFFIXES = (
    "hindi news", "news in hindi", "latest news", "latest hindi news", "latest news in hindi",
    "breaking news", "hindi samachar", "today news", "news today", "live updates",
    "हिंदी न्यूज", "हिन्दी न्यूज", "हिंदी समाचार", "हिन्दी समाचार", "हिंदी खबर", "हिन्दी खबर",
    "ताजा खबर", "ताजा खबरें", "ताजा समाचार", "लेटेस्ट न्यूज", "ब्रेकिंग न्यूज",
)
_TITLE_SEP = re.compile(r"( [-|–—]{1,2} )")
_TRAILING_SEP = re.compile(r"(?: [-|–—]{1,2})+$")


@functools.lru_cache(maxsize=256)
def _suffix_re(site_keys: tuple[str, ...]) -> re.Pattern[str]:
    phrases = sorted({*site_keys, *GENERIC_TITLE_SUFFIXES}, key=len, reverse=True)
    alt = "|".join(re.escape(p) for p in phrases if p)
    # a segment made only of site names and generic phrases ("Hindi News, News in Hindi")
    return re.compile(f"(?:(?:{alt})(?: |$))+")


def strip_site_suffix(title: str, site_names: Iterable[str] = ()) -> str:
    """Remove trailing " - Site" / " | Section | Site" segments from a normalised title.

    With site_names, only segments made of those names and generic phrases ("Hindi News",
    "News in Hindi", "हिंदी न्यूज़"...) go. Without, generic segments go, and the last
    segment once when it is short (at most 4 words and 40 characters) and the rest is longer.
    A separator needs spaces on both sides, so "4-लेन" is never split.
    """
    t = normalize_text(title)
    keys = tuple(sorted({k for k in map(fold_for_key, site_names) if k}))
    known = _suffix_re(keys)
    parts = _TITLE_SEP.split(t)  # [segment, separator, segment, ...]

    def strip_known() -> None:
        while len(parts) > 1 and known.fullmatch(fold_for_key(parts[-1])):
            del parts[-2:]

    strip_known()
    if not keys and len(parts) > 1:
        last, rest = parts[-1], "".join(parts[:-2])
        if len(last.split()) <= 4 and len(last) <= 40 and len(rest) > len(last):
            del parts[-2:]
            strip_known()
    return _TRAILING_SEP.sub("", "".join(parts)).strip()


# ---------------------------------------------------------------- boilerplate lines

# The patterns below are matched against fold_light(line): lower case, no nukta ("पढ़ें" is
# written "पढें"), chandrabindu as anusvara, single spaces, punctuation kept.
# End of a word; visarga counts as punctuation since it is often typed for a colon ("पढ़ेंः").
_B = r"(?![\w\u0900-\u0902\u0904-\u0963\u0971-\u097f])"
_PADHEN = r"पढ(?:ें|े|िए|िये|ो)"  # पढ़ें पढ़े पढ़िए पढ़िये पढ़ो
_DEKHEN = r"देख(?:ें|े|िए|िये|ो)"
_KAREN = r"कर(?:ें|े|िए|िये|ो)"
_SEP = r" ?[:ः\-–—|»>]"
_WA = r"(?:whatsapp|व्हा?ट्स[एऐ]प|वा?ट्स[एऐ]प|व्हॉट्स[एऐ]प|वॉट्स[एऐ]प)"
_SOCIAL = (
    r"(?<![\w\u0900-\u097f])(?:फेसबुक|ट्विटर|एक्स|इंस्टाग्राम|यूट्यूब|टेलीग्राम|गूगल न्यूज|"
    rf"{_WA}|facebook|twitter|instagram|youtube|telegram|google news|linkedin|x|चैनल|channel|"
    rf"[ऐए]प|app|न्यूजलेटर|newsletter){_B}"
)
# a prompt is addressed to the reader; "उन्होंने कहा कि लोग ऐप डाउनलोड करें" is news
_NOT_REPORTED = r"(?!.*(?:कहा|बताया|अपील|निर्देश|आग्रह|\bsaid\b|\basked\b|\burged\b))"
_LEAD_IN = r"(?:यह|ये|इसे|इन्हें|इन्हे|इसको|इनको)(?: (?:खबर|खबरें|खबरे|स्टोरी|न्यूज|वीडियो))? भी"

# Start of an also-read lead-in (matched at the start of the line, after leading punctuation).
ALSO_READ_MARKERS: tuple[str, ...] = (
    rf"{_LEAD_IN} {_PADHEN}{_B}",  # यह भी पढ़ें / ये भी पढ़ें / इसे भी पढ़ें
    rf"(?:also read|read also|also see){_B}",
    rf"{_PADHEN}{_SEP}",  # पढ़ें: / पढ़ें -
)

# Whole lines (after trimming punctuation at both ends) that are never article text.
BOILERPLATE_PATTERNS: tuple[str, ...] = (
    # also-read / also-watch lead-ins, alone or with a short link title
    rf"{_LEAD_IN} (?:{_PADHEN}|{_DEKHEN}){_B}.{{0,200}}",
    rf"(?:also (?:read|watch|see)|read (?:also|more|next)|must (?:read|watch)|watch (?:also|more)"
    rf"|see also|continue reading){_B}.{{0,200}}",
    rf"(?:(?:और|आगे|पूरी खबर|पूरी स्टोरी|विस्तार से|अधिक) ){_PADHEN}{_B}.{{0,200}}",
    rf"{_PADHEN}(?:{_SEP}.{{0,200}})?",
    # image credits and captions
    rf"(?:image|photo|pic|picture|img|video)s? ?(?:source|credits?|courtesy){_B}.{{0,100}}",
    r"(?:photo|pic|picture|image|img|source|credits?|courtesy|input|inputs)(?: ?[:\-–—|].{0,100})?",
    rf"(?:इमेज|फोटो|तस्वीर|चित्र|वीडियो) (?:स्रोत|सोर्स|क्रेडिट|साभार|कैप्शन){_B}.{{0,200}}",
    r"(?:फोटो|तस्वीर|चित्र|इमेज|साभार|सोर्स|स्रोत)(?: ?[:ः\-–—|].{0,100})?",
    r"(?:प्रतीकात्मक|सांकेतिक|फाइल|सिंबॉलिक) (?:तस्वीर|फोटो|चित्र|इमेज|पिक्चर)(?: ?[:(,\-–—|].{0,80})?",
    r"(?:file|representative|symbolic|representational) (?:photo|pic|picture|image)"
    r"(?: ?[:(,\-–—|].{0,80})?",
    # advertising and scroll prompts
    r"(?:विज्ञापन|advertisement|advt|ad|sponsored(?: content| post| story)?|promoted"
    r"(?: content)?|प्रायोजित|विस्तार)",
    rf"(?:(?:विज्ञापन|advertisement) )?(?:(?:नीचे|आगे) )?(?:स्क्रॉल|स्क्रोल) (?:{_KAREN}|डाउन)"
    rf"{_B}.{{0,40}}",
    r"(?:आगे|खबर|पूरी खबर) पढने के लिए .{0,40}(?:स्क्रॉल|स्क्रोल).{0,20}",
    r"(?:advertisement )?(?:scroll (?:down )?to continue(?: reading)?|continue reading below)",
    # follow / share / subscribe / app prompts
    rf"हमें .{{0,60}}फ[ॉा]लो {_KAREN}{_B}.{{0,100}}",
    # first a cheap lookahead for a word the pattern needs: the others scan every character
    rf"(?=.*? कर){_NOT_REPORTED}(?=.{{0,200}}{_SOCIAL})"
    rf".{{0,150}}(?:फ[ॉा]लो|लाइक|सब्सक्राइब|ज्वाइन|जॉइन|डाउनलोड|इंस्टॉल|शेयर)"
    rf" {_KAREN}{_B}.{{0,100}}",
    rf".{{0,150}}{_WA} (?:चैनल|ग्रुप|channel|group){_B}.{{0,150}}",
    rf"(?:follow|join|like|subscribe to) us{_B}.{{0,100}}",
    r"(?:follow|join) .{0,60}(?:google news|whatsapp|twitter|facebook|instagram|telegram|youtube)"
    r".{0,60}",
    rf"(?:download|get|install) (?:the |our )?(?:.{{0,40}} )?apps?{_B}.{{0,100}}",
    rf"subscribe{_B}.{{0,100}}",
    rf"सब्सक्राइब{_B}.{{0,100}}",
    rf"(?:इस (?:खबर|स्टोरी|लेख|आर्टिकल|पोस्ट) को )?शेयर {_KAREN}{_B}.{{0,60}}",
    r"share (?:this|on|via) .{0,60}",
    rf"(?=.*?डाउनलोड ){_NOT_REPORTED}(?=.{{0,200}}(?:[ऐए]प|app){_B})"
    rf".{{0,100}}डाउनलोड (?:{_KAREN}|कीजिए){_B}.{{0,100}}",
    rf"(?:इस|यह|ये) .{{0,30}}साझा {_KAREN}{_B}.{{0,40}}",
    r"(?:कॉपी लिंक|लिंक कॉपी (?:करें|करे)|copy link|link copied)",
    r"पढना जारी रखें",
    # syndication notes and disclaimers that close a story
    r".{0,40}(?:इस खबर|यह खबर|इस लेख) .{0,80}(?:संपादित नहीं|सिंडिकेट फीड|सिंडिकेटेड फीड).{0,160}",
    r"(?:अस्वीकरण|डिस्क्लेमर|disclaimer) ?[:ः\-–].{0,290}",
    r"(?:खबर|न्यूज|समाचार|स्टोरी|आर्टिकल) सुनें.{0,40}",
    r"(?:posted|published|updated|written|edited|reported|compiled) (?:by|on) ?[:\-–—]*.{0,60}",
    r"(?:©|copyright|कॉपीराइट).{0,150}",
    r".{0,100}(?:सभी अधिकार सुरक्षित|सर्वाधिकार सुरक्षित|all rights reserved).{0,50}",
    r"(?:क्रेडिट|credit) ?[:ः\-–—].{0,80}",
    rf"(?:नवीनतम|ताजा|लेटेस्ट|और) (?:समाचार|खबरें|खबरे|खबर|न्यूज) (?:{_PADHEN}|{_DEKHEN}){_B}.{{0,40}}",
)

ALSO_READ_RE = re.compile(
    r"[^\w\u0900-\u097f]*(?:" + "|".join(ALSO_READ_MARKERS) + ")"
)
BOILERPLATE_RE = re.compile("(?:" + "|".join(BOILERPLATE_PATTERNS) + ")")
_TRIM = " \t:;,.!?|/\\-–—•·*#>»›<«‹[](){}\"'“”‘’।॥"
_MAX_BOILERPLATE_CHARS = 300


def is_also_read_marker(s: str) -> bool:
    """Does the text start with an also-read lead-in ("यह भी पढ़ें", "Also Read", "पढ़ें:")?"""
    # the marker is at the start, so a long paragraph need not be folded whole
    return ALSO_READ_RE.match(fold_light(s[:80])) is not None


def is_boilerplate_line(s: str) -> bool:
    """Is this whole line boilerplate (also-read lead-in, image credit, ad, follow prompt)?"""
    if len(s) > 2 * _MAX_BOILERPLATE_CHARS:
        return False
    t = fold_light(s).strip(_TRIM)
    if not t or len(t) > _MAX_BOILERPLATE_CHARS:
        return False
    return BOILERPLATE_RE.fullmatch(t) is not None
