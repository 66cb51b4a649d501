"""Hindi and English date parsing for news pages (stdlib only, precompiled, fast).

Conventions:
* ``IST`` is always India Standard Time, +05:30 (never Israel, never Irish time).
* A date with an explicit offset or zone keeps it: ``…Z`` and ``… GMT`` stay ``+00:00``, the
  instant is exact; naive dates and times get ``default_tz`` (IST unless told otherwise).
* Numeric dates are day first (``DD-MM-YYYY``, ``DD/MM/YYYY``, ``DD.MM.YYYY``), the Indian
  convention; the only exception is a date that is valid only month first (``12/25/2024``).
  ``YYYY-MM-DD`` / ``YYYY/MM/DD`` are year, month, day. Two-digit years are not read.
* Relative ages ("36 minutes ago", "2 घंटे पहले", "कल") are resolved against ``now``, the
  page's fetch time, never against the wall clock; without ``now`` they give ``None``.
  ``कल`` is read as *yesterday* (a news page reports the past). Months count 30 days and years
  365 days.
* A time of day alone ("रात 8 बजे", "10:15 AM") is not a date; a date without a time gets
  00:00, and ``parse_date_ex`` says whether a time of day was present.
* Labels ("अपडेटेड:", "Updated on", "आखरी अपडेट:") need no list: dates are searched for
  inside the text, not matched against all of it.
* ``to_iso(dt, tz=IST)`` normalises output to India time when a caller wants one offset.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from operator import itemgetter

__all__ = [
    "IST",
    "find_dates",
    "is_relative_time",
    "parse_date",
    "parse_date_ex",
    "parse_relative",
    "to_iso",
]

IST = timezone(timedelta(hours=5, minutes=30), "IST")

_MIN_YEAR, _MAX_YEAR = 1900, 2100

# ---------------------------------------------------------------------------------------------
# Tables. Keys are written as sites print them; nukta forms are folded when the regexes are
# built, so फ़रवरी (U+095E), फ़रवरी (फ + U+093C) and फरवरी all match.

MONTHS_EN: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

MONTHS_HI: dict[str, int] = {
    "जनवरी": 1, "फ़रवरी": 2, "फरवरी": 2, "मार्च": 3, "अप्रैल": 4, "अप्रेल": 4, "अप्रील": 4,
    "मई": 5, "जून": 6, "जुलाई": 7, "अगस्त": 8, "सितंबर": 9, "सितम्बर": 9,
    "अक्टूबर": 10, "अक्तूबर": 10, "अक्टुबर": 10, "नवंबर": 11, "नवम्बर": 11,
    "दिसंबर": 12, "दिसम्बर": 12,
}

# Hindi abbreviations are read only with their '.' or '॰' (U+0970): bare जन, नव, अग are words.
MONTHS_HI_ABBR: dict[str, int] = {
    "जन": 1, "फ़र": 2, "अप्रै": 4, "अप्र": 4, "जुल": 7, "जुला": 7,
    "अग": 8, "सित": 9, "सितं": 9, "अक्टू": 10, "अक्तू": 10, "नव": 11, "नवं": 11,
    "दिस": 12, "दिसं": 12,
}

# Weekdays (0 = Monday) carry no information a date lacks, so they are only skipped over where
# one sits between a leading time and the date. Includes Devanagari transliterations of English
# abbreviations ("सन," = Sun on Amar Ujala's Hindi pages).
WEEKDAYS_EN: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}

WEEKDAYS_HI: dict[str, int] = {
    "सोमवार": 0, "सोम": 0, "मंगलवार": 1, "मंगल": 1, "बुधवार": 2, "बुध": 2,
    "गुरुवार": 3, "गुरूवार": 3, "बृहस्पतिवार": 3, "वीरवार": 3, "गुरु": 3, "गुरू": 3,
    "शुक्रवार": 4, "शुक्र": 4, "शनिवार": 5, "शनि": 5, "रविवार": 6, "इतवार": 6, "रवि": 6,
    "मॉन": 0, "मोन": 0, "ट्यू": 1, "वेड": 2, "थर्स": 3, "फ्राई": 4, "सैट": 5, "सन": 6,
}

# Relative units -> (seconds, has_time). A day-scale age says nothing about the clock.
REL_UNITS: dict[str, tuple[int, bool]] = {}
for _names, _unit in (
    ("seconds second secs sec s सेकंड सेकेंड सेकण्ड सेकेण्ड सेकन्ड क्षण पल", (1, True)),
    ("minutes minute mins min m मिनट मिनटों मिनिट मि", (60, True)),
    ("hours hour hrs hr h घंटे घंटा घंटों घण्टे घण्टा घं", (3600, True)),
    ("days day d दिन दिनों", (86400, False)),
    ("weeks week wks wk w सप्ताह हफ्ता हफ्ते हफ्तों हफ़्ता हफ़्ते", (7 * 86400, False)),
    ("months month mos mo महीना महीने महीनों माह", (30 * 86400, False)),
    ("years year yrs yr y साल सालों वर्ष वर्षों बरस", (365 * 86400, False)),
):
    for _name in _names.split():
        REL_UNITS[_name] = _unit

# Counts in words; None is "a few", accepted only for seconds ("कुछ ही क्षण पहले" = just now).
NUMBER_WORDS: dict[str, int | None] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45,
    "एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "छह": 6, "छः": 6, "छ:": 6,
    "सात": 7, "आठ": 8, "नौ": 9, "दस": 10, "ग्यारह": 11, "बारह": 12, "पंद्रह": 15,
    "पन्द्रह": 15, "बीस": 20, "तीस": 30, "चालीस": 40, "पैंतालीस": 45,
    "a few": None, "few": None, "कुछ": None,
}

REL_AGO = ("ago", "back", "पहले", "पूर्व", "पहिले")

# Standalone words -> days back; has_time is True only for "now" words.
REL_WORDS: dict[str, tuple[int, bool]] = {
    "just now": (0, True), "right now": (0, True), "a moment ago": (0, True),
    "moments ago": (0, True), "अभी-अभी": (0, True), "अभी अभी": (0, True), "अभी": (0, True),
    "today": (0, False), "आज": (0, False),
    "yesterday": (1, False), "कल": (1, False), "बीते कल": (1, False),
    "day before yesterday": (2, False), "परसों": (2, False),
}

# Byline labels that may stand before a standalone relative word ("Updated: Yesterday").
LABELS: tuple[str, ...] = (
    "अपडेटेड", "अपडेट", "आखरी अपडेट", "आखिरी अपडेट", "अंतिम अपडेट", "अंतिम अद्यतन",
    "प्रकाशित", "प्रकाशित तिथि", "प्रकाशन तिथि", "पब्लिश्ड", "Updated", "Updated on",
    "Updated at", "Last Updated", "Last updated on", "Published", "Published on",
    "Published at", "Posted", "Posted on", "First published", "First published on",
)

# Clock words; the Latin am/pm/a.m./P.M. family is one small pattern instead.
AM_WORDS = ("पूर्वाह्न", "पूर्वान्ह")  # forenoon
PM_WORDS = ("अपराह्न", "अपरान्ह")  # afternoon
DAY_PERIODS = ("सुबह", "सवेरे", "दोपहर", "शाम", "रात")  # morning, midday, evening, night

# Zone names -> minutes east of UTC. IST is India, not Israel.
ZONES: dict[str, int] = {"IST": 330, "GMT": 0, "UTC": 0, "UT": 0, "Z": 0}

# ---------------------------------------------------------------------------------------------
# Normalisation before matching: digits, nukta, invisible characters, odd spaces.

_FOLD_MAP: dict[str, str] = {chr(0x0966 + i): str(i) for i in range(10)}  # ०-९ -> 0-9
# Precomposed nukta letters fold to their base letters, the combining nukta is dropped.
_FOLD_MAP.update(zip(map(chr, range(0x0958, 0x0960)), "कखगजडढफय", strict=True))
_FOLD_MAP.update(dict.fromkeys("\u093c\u200b\u200c\u200d\ufeff\u00ad", ""))
_FOLD_MAP.update(dict.fromkeys("\u00a0\u2007\u2009\u202f\u3000", " "))
# A regex sub touches only the few characters to fold (str.translate looks up every one).
_FOLD_RE = re.compile("[" + "".join(sorted(_FOLD_MAP)) + "]")
_fold_char = _FOLD_MAP.__getitem__


def _fold(text: str) -> str:
    """Devanagari digits to ASCII, nukta folded, invisible and odd spaces normalised."""
    if text.isascii():
        return text
    return _FOLD_RE.sub(lambda m: _fold_char(m.group()), text)


def _alt(words, *, ci: bool = False, before: str = "") -> str:
    """A regex matching any of ``words`` (nukta-folded), built as a trie behind a first-character
    guard: sre then rejects most positions with one set test instead of trying every word."""
    root: dict = {}
    for word in {_fold(w).lower() if ci else _fold(w) for w in words}:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def char(ch: str) -> str:
        if ci and ch.isascii() and ch.isalpha():
            return f"[{ch.upper()}{ch}]"
        return re.escape(ch)

    def build(node: dict) -> str:
        alts = [char(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # a word may end here; the greedy '?' still prefers the longer word (अक्टूबर > अक्टू)
        return f"(?:{body})?" if "" in node else body

    guard = "".join(char(ch)[1:-1] if len(char(ch)) > 1 else re.escape(ch) for ch in sorted(root))
    return f"(?=[{guard}]){before}{build(root)}"


def _first_chars(words) -> str:
    return "".join(sorted({re.escape(_fold(w)[0]) for w in words}))


def _lookup(table: dict, key: str):
    return table.get(key.lower())  # lower() leaves Devanagari as it is


_MONTH_KEYS: dict[str, int] = {_fold(k): v for k, v in MONTHS_HI.items()}
_MONTH_KEYS.update({_fold(k): v for k, v in MONTHS_HI_ABBR.items()})
_MONTH_KEYS.update(MONTHS_EN)
_UNIT_KEYS = {_fold(k): v for k, v in REL_UNITS.items()}
_NUM_KEYS = {_fold(k): v for k, v in NUMBER_WORDS.items()}
_WORD_KEYS = {_fold(k): v for k, v in REL_WORDS.items()}

# ---------------------------------------------------------------------------------------------
# Patterns. Latin-letter boundaries are lookarounds on [A-Za-z], not \b: Devanagari letters are
# \w too, so \b fails on glued text like "सुल्तानपुरMon," or "15:29 ISTमणिशंकर".

_NOT_LATIN_BEFORE = r"(?<![A-Za-z])"
_NOT_LATIN_AFTER = r"(?![A-Za-z])"
_AMPM = (rf"(?:[AaPp]\.?[Mm]\.?{_NOT_LATIN_AFTER}|"
         rf"{_alt(AM_WORDS + PM_WORDS)})")
_MONTH_EN = rf"{_alt(MONTHS_EN, ci=True, before=_NOT_LATIN_BEFORE)}(?:\.|{_NOT_LATIN_AFTER})"
_MONTH_HI = rf"(?:{_alt(MONTHS_HI)}|{_alt(MONTHS_HI_ABBR)}[.॰])"
_WEEKDAY = (rf"(?:{_alt(WEEKDAYS_EN, ci=True, before=_NOT_LATIN_BEFORE)}\.?{_NOT_LATIN_AFTER}"
            rf"|{_alt(WEEKDAYS_HI)})")
_ORD = r"(?:st|nd|rd|th|ST|ND|RD|TH)?"


def _month(name: str) -> str:
    return rf"(?P<{name}>{_MONTH_EN}|{_MONTH_HI})"


def _time(p: str) -> str:
    """A clock time; group names carry the prefix ``p`` so it can appear more than once."""
    return (
        rf"(?=[\d{_first_chars(DAY_PERIODS)}])(?:(?P<{p}dp>{_alt(DAY_PERIODS)})\s*)?"
        rf"(?<![\d:.])(?P<{p}h>\d{{1,2}})"
        rf"(?::(?P<{p}m>\d{{2}})(?::(?P<{p}s>\d{{2}})(?:[.,](?P<{p}f>\d{{1,9}}))?)?"
        # "5.25 PM" only with a marker after it: a bare "12.50" is more often a number.
        rf"|\.(?P<{p}m2>\d{{2}})(?=\s*(?:{_AMPM}|[Hh][Rr][Ss]?|IST|बजे))"
        rf"|(?=\s*(?:{_AMPM}|बजे)))"  # "5 PM", "8 बजे": hour only, marker required
        rf"(?!\d)(?:\s*(?P<{p}ap>{_AMPM}))?"
        rf"(?:\s*{_alt(('hrs', 'hr', 'hours'), ci=True)}\.?{_NOT_LATIN_AFTER}|\s*बजे)?"
    )


def _zone(p: str) -> str:
    return (
        rf"(?:(?P<{p}zo>[+-]\d{{2}}(?::?\d{{2}})?)(?!\d)"
        rf"|\(?(?P<{p}zn>{_alt(('IST', 'GMT', 'UTC', 'UT'), ci=True)}|Z){_NOT_LATIN_AFTER}\)?"
        rf"(?:\s*(?P<{p}zo2>[+-]\d{{1,2}}(?::?\d{{2}})?)(?!\d))?)"
    )


_DATE_CORE = (
    # 2024-12-23, 2024/12/23, 2024.12.23
    r"(?:(?=\d)(?:(?<![\d.])(?P<iy>\d{4})(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})(?!\d)"
    # 23 दिसंबर, 2024 / 23 Dec 2024 / 23rd of December 2024 / 22 अग॰ 2026
    rf"|(?<!\d)(?P<dd>\d{{1,2}}){_ORD}(?!\d)[\s\-/.,]*(?:of\s+)?{_month('dm')}"
    r"[\s,\-/.]*(?P<dy>\d{4})(?!\d)"
    # 23-12-2024, 23/12/2024, 23.12.2024: day first
    r"|(?<![\d.:/-])(?P<nd>\d{1,2})(?P<nsep>[-/.])(?P<nm>\d{1,2})(?P=nsep)(?P<ny>\d{4})(?!\d))"
    # April 25, 2023 / Sep 1, 2021 / Dec 23 2024
    rf"|{_month('mm')}[\s\-/.]*(?P<md>\d{{1,2}}){_ORD}(?!\d)[\s,.]*(?P<my>\d{{4}})(?!\d))"
)

# Optional time (and zone) before the date, the date, optional time and zone. A weekday before
# the date needs no matching ("Mon, 23 Dec 2024" is found at "23"); it is skipped only between a
# leading time and the date ("10:30 AM, सोमवार, 23 दिसंबर 2024"), where it is cheap to try.
_ABSOLUTE = re.compile(
    # one set test rejects most positions before any branch is tried (halves the scan cost)
    rf"(?=[\d{_first_chars(DAY_PERIODS)}{_first_chars(_MONTH_KEYS)}"
    rf"{_first_chars(MONTHS_EN).upper()}])"
    rf"(?:{_time('b')}(?:\s*{_zone('b')})?\s*[,|\-–—]?\s*(?:{_WEEKDAY}[\s,.]*)?)?"
    rf"{_DATE_CORE}"
    rf"(?:(?:\\*T|\s*(?:[,|@/•·\-–—]|[Aa][Tt]{_NOT_LATIN_AFTER}|को)?\s*){_time('a')})?"
    rf"(?:\s*{_zone('a')})?"
)

# A relative age must end its text segment: "2 साल पहले हुई थी शादी" is a headline, not an age.
_SEGMENT_END = r"(?![ \t]*[A-Za-z0-9\u0900-\u097F])"
_RELATIVE = re.compile(
    rf"(?=[\d{_first_chars(_NUM_KEYS)}{_first_chars(_NUM_KEYS).upper()}])"
    rf"(?<![\w\u0900-\u097F])(?P<n>\d{{1,4}}|{_alt(_NUM_KEYS, ci=True)})\s*(?:ही\s*)?"
    rf"(?P<u>{_alt(_UNIT_KEYS, ci=True)})\.?\s*{_alt(REL_AGO, ci=True)}{_SEGMENT_END}"
)

# "Yesterday", "कल 3:30 PM", "Updated: आज 10:15 AM": a standalone word, only at the start of
# the text and only when nothing but a time follows.
_REL_WORD = re.compile(
    rf"[\s:|•·(\[\-–—]*(?:{_alt(LABELS, ci=True)}[\s:|\-–—]*)?"
    rf"(?P<w>{_alt(_WORD_KEYS, ci=True)})(?![A-Za-z\u0900-\u097F'’])"
    rf"(?:\s*(?:[,|@:\-–—]|[Aa][Tt]{_NOT_LATIN_AFTER})?\s*{_time('r')}(?:\s*{_zone('r')})?)?"
    # then only the end of the text or a hard separator: "कल, दिल्ली में…" is a headline
    r"(?=[\s.,;:!)\]–—-]*$|\s*[|•·])"
)

# Every absolute form holds a four-digit year, and its match starts at most this many characters
# before the year ("सुबह 10:30 पूर्वाह्न IST, बृहस्पतिवार, 23rd of September, 2024"). Scanning
# only those windows keeps long texts cheap: the big pattern costs ~0.3 µs per position.
_YEAR = re.compile(r"\d{4,}")
_LOOKBACK = 72
_LOOKAHEAD = 96
# Relative ages end in "ago"/"पहले"/…; the count and unit sit at most this far before it.
_REL_HINT = re.compile(_alt(REL_AGO, ci=True))
_REL_LOOKBACK = 32
_REL_LOOKAHEAD = 32  # room for the segment-end check

_ZONE_CACHE: dict[int, tzinfo] = {0: UTC, 330: IST}
_PM_FOLDED = frozenset(_fold(w) for w in PM_WORDS)

# ---------------------------------------------------------------------------------------------
# Building datetimes from matches.


def _tz_from_minutes(minutes: int) -> tzinfo | None:
    tz = _ZONE_CACHE.get(minutes)
    if tz is None:
        if not -16 * 60 < minutes < 16 * 60:
            return None
        tz = _ZONE_CACHE[minutes] = timezone(timedelta(minutes=minutes))
    return tz


def _offset_minutes(text: str) -> int:
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    if ":" in text[1:]:
        hours, mins = text[1:].split(":", 1)
    elif len(digits) > 2:
        hours, mins = digits[:-2], digits[-2:]
    else:
        hours, mins = digits, "0"
    return sign * (int(hours) * 60 + int(mins))


def _zone_of(parts: tuple) -> tzinfo | None:
    """The zone from the (offset, name, offset after name) groups, or None when there is none."""
    zo, zn, zo2 = parts
    if zo:
        return _tz_from_minutes(_offset_minutes(zo))
    if not zn:
        return None
    if zo2:  # "GMT+5:30": the offset is relative to GMT/UTC
        return _tz_from_minutes(_offset_minutes(zo2))
    return _tz_from_minutes(ZONES[zn.upper()])


def _time_of(parts: tuple) -> tuple[int, int, int, int] | None:
    """(hour, minute, second, microsecond) from the clock groups; None if absent or invalid."""
    h, mi, mi2, sec, frac, ap, dp = parts
    if h is None:
        return None
    hour = int(h)
    minute = int(mi or mi2 or 0)
    second = int(sec or 0)
    micro = int(frac[:6].ljust(6, "0")) if frac else 0
    if ap:
        if hour > 12 or hour == 0:
            pass  # "15:29 PM", "00:30 AM": already 24-hour
        elif ap[0] in "pP" or ap in _PM_FOLDED:
            hour = hour % 12 + 12
        else:
            hour %= 12
    elif dp and hour <= 12:
        if dp in ("दोपहर", "शाम"):  # दोपहर 12 बजे is noon
            hour = hour + 12 if hour < 12 else hour
        elif dp == "रात":  # रात 8 बजे = 20:00, रात 2 बजे = 02:00, रात 12 बजे = 00:00
            hour = hour + 12 if 6 <= hour < 12 else hour % 12
        else:  # सुबह, सवेरे
            hour %= 12
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second, micro


def _getter(pattern: re.Pattern, *names: str) -> itemgetter:
    """Picks the named groups out of ``match.groups()`` in one C call (faster than .group())."""
    return itemgetter(*(pattern.groupindex[n] - 1 for n in names))


def _clock_getter(pattern: re.Pattern, p: str) -> itemgetter:
    return _getter(pattern, *(p + n for n in ("h", "m", "m2", "s", "f", "ap", "dp")))


def _zone_getter(pattern: re.Pattern, p: str) -> itemgetter:
    return _getter(pattern, p + "zo", p + "zn", p + "zo2")


_ABS_DATE = _getter(_ABSOLUTE, "iy", "im", "id", "dd", "dm", "dy", "mm", "md", "my",
                    "nd", "nm", "ny")
_ABS_CLOCK_AFTER, _ABS_CLOCK_BEFORE = (_clock_getter(_ABSOLUTE, p) for p in "ab")
_ABS_ZONE_AFTER, _ABS_ZONE_BEFORE = (_zone_getter(_ABSOLUTE, p) for p in "ab")
_WORD_CLOCK = _clock_getter(_REL_WORD, "r")
_WORD_ZONE = _zone_getter(_REL_WORD, "r")


def _date_of(g: tuple) -> tuple[int, int, int] | None:
    iy, im, id_, dd, dm, dy, mm, md, my, nd, nm, ny = _ABS_DATE(g)
    if iy:
        return int(iy), int(im), int(id_)
    if dd:
        month = _MONTH_KEYS.get(dm.rstrip(".॰").lower())
        return (int(dy), month, int(dd)) if month else None
    if mm:
        month = _MONTH_KEYS.get(mm.rstrip(".॰").lower())
        return (int(my), month, int(md)) if month else None
    day, month = int(nd), int(nm)
    if month > 12 >= day:  # 12/25/2024 can only be month first
        day, month = month, day
    return int(ny), month, day


def _from_match(m: re.Match, default_tz: tzinfo) -> tuple[datetime, bool] | None:
    g = m.groups()
    ymd = _date_of(g)
    if ymd is None or not _MIN_YEAR <= ymd[0] <= _MAX_YEAR:
        return None
    after = _ABS_CLOCK_AFTER(g)
    clock = _time_of(after if after[0] else _ABS_CLOCK_BEFORE(g))
    tz = _zone_of(_ABS_ZONE_AFTER(g)) or _zone_of(_ABS_ZONE_BEFORE(g)) or default_tz
    try:
        if clock:
            return datetime(*ymd, *clock, tzinfo=tz), True
        return datetime(*ymd, tzinfo=tz), False
    except ValueError:  # 32 दिसंबर, 2024-13-45
        return None


def _absolute(folded: str, default_tz: tzinfo):
    """Yield (start, datetime, has_time) for every valid absolute date, in text order.

    Only the regions around plausible years are scanned; overlapping regions are merged so no
    character is scanned twice, whatever the text.
    """
    start = end = -1
    for y in _YEAR.finditer(folded):
        if y.end() - y.start() != 4 or not _MIN_YEAR <= int(y[0]) <= _MAX_YEAR:
            continue
        if y.start() - _LOOKBACK > end:
            if end >= 0:
                yield from _scan(folded, start, end, default_tz)
            start = max(0, y.start() - _LOOKBACK)
        end = y.end() + _LOOKAHEAD
    if end >= 0:
        yield from _scan(folded, start, end, default_tz)


def _scan(folded: str, start: int, end: int, default_tz: tzinfo):
    for m in _ABSOLUTE.finditer(folded, start, end):
        found = _from_match(m, default_tz)
        if found:
            yield m.start(), *found


def _fast_iso(text: str, default_tz: tzinfo) -> tuple[datetime, bool] | None:
    """datetime.fromisoformat for clean ISO strings: the common JSON-LD/meta case, in C."""
    n = len(text)
    if n < 10 or text[4] != "-" or text[7] != "-" or (n > 10 and text[10] not in "T "):
        return None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not _MIN_YEAR <= dt.year <= _MAX_YEAR:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=default_tz)
    elif dt.utcoffset() == IST.utcoffset(None):
        dt = dt.replace(tzinfo=IST)
    return dt, n > 10


def _relative_matches(folded: str):
    """_RELATIVE matches, scanning only the text just before each "ago"/"पहले" (merged)."""
    start = end = -1
    for h in _REL_HINT.finditer(folded):
        if h.start() - _REL_LOOKBACK > end:
            if end >= 0:
                yield from _RELATIVE.finditer(folded, start, end)
            start = max(0, h.start() - _REL_LOOKBACK)
        end = h.end() + _REL_LOOKAHEAD
    if end >= 0:
        yield from _RELATIVE.finditer(folded, start, end)


def _rel_delta(m: re.Match) -> tuple[timedelta, bool] | None:
    n = m.group("n")
    count = int(n) if n.isdigit() else _lookup(_NUM_KEYS, n)
    seconds, has_time = _lookup(_UNIT_KEYS, m.group("u"))
    if count is None:  # "a few": only meaningful for seconds
        if seconds != 1:
            return None
        count = 0
    return timedelta(seconds=seconds * count), has_time


def _rel_word(m: re.Match, now: datetime) -> tuple[datetime, bool]:
    days, has_time = _lookup(_WORD_KEYS, m.group("w"))
    g = m.groups()
    clock = _time_of(_WORD_CLOCK(g))
    if clock is None:  # "कल" alone: now minus a day, same clock, but no real time of day
        return now - timedelta(days=days), has_time
    tz = _zone_of(_WORD_ZONE(g)) or now.tzinfo
    day = now.astimezone(tz) - timedelta(days=days)
    return datetime(day.year, day.month, day.day, *clock, tzinfo=tz), True


def _relative_from(folded: str, now: datetime) -> tuple[datetime, bool] | None:
    """The first relative age in ``folded`` (already normalised) resolved against ``now``."""
    for m in _relative_matches(folded):
        delta = _rel_delta(m)
        if delta is not None:
            when = _minus(now, delta[0])
            return (when, delta[1]) if when else None
    m = _REL_WORD.match(folded)
    return _rel_word(m, now) if m else None


def _minus(now: datetime, delta: timedelta) -> datetime | None:
    """now - delta, or None when that leaves the plausible range ("9999 years ago")."""
    try:
        when = now - delta
    except OverflowError:
        return None
    return when if when.year >= _MIN_YEAR else None


def _aware(now: datetime, default_tz: tzinfo) -> datetime:
    return now if now.tzinfo is not None else now.replace(tzinfo=default_tz)


# ---------------------------------------------------------------------------------------------
# Public API.


def parse_date_ex(text: str | None, now: datetime | None = None, *, default_tz: tzinfo = IST,
                  relative: bool = True) -> tuple[datetime, bool] | None:
    """The first date in ``text`` as (aware datetime, has_time), or None.

    Absolute dates win over relative ages; relative ages need ``now`` (the fetch time).
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text:
        return None
    if text[0].isdigit():
        found = _fast_iso(text, default_tz)
        if found:
            return found
    folded = _fold(text)
    for _, dt, has_time in _absolute(folded, default_tz):
        return dt, has_time
    if relative and now is not None:
        return _relative_from(folded, _aware(now, default_tz))
    return None


def parse_date(text: str | None, now: datetime | None = None, *, default_tz: tzinfo = IST,
               relative: bool = True) -> datetime | None:
    """The first date in ``text`` as an aware datetime, or None (never raises)."""
    found = parse_date_ex(text, now, default_tz=default_tz, relative=relative)
    return found[0] if found else None


def parse_relative(text: str, now: datetime) -> datetime | None:
    """A relative age ("2 घंटे पहले", "Yesterday, 3:30 PM") resolved against ``now``."""
    if not text or now is None:
        return None
    found = _relative_from(_fold(text.strip()), _aware(now, IST))
    return found[0] if found else None


def is_relative_time(text: str) -> bool:
    """True when ``text`` holds a relative age or a standalone word like "कल" or "Just now"."""
    if not text:
        return False
    folded = _fold(text.strip())
    return bool(_REL_WORD.match(folded)
                or any(_rel_delta(m) for m in _relative_matches(folded)))


def find_dates(text: str, now: datetime | None = None) -> list[datetime]:
    """Every valid date in a longer string, in text order (absolute dates in IST unless they
    say otherwise; relative ages only when ``now`` is given)."""
    if not text:
        return []
    folded = _fold(text)
    found: list[tuple[int, datetime]] = [(i, dt) for i, dt, _ in _absolute(folded, IST)]
    if now is not None:
        now = _aware(now, IST)
        for m in _relative_matches(folded):
            delta = _rel_delta(m)
            when = _minus(now, delta[0]) if delta else None
            if when:
                found.append((m.start(), when))
        m = _REL_WORD.match(folded)
        if m:
            found.append((m.start("w"), _rel_word(m, now)[0]))
    found.sort(key=lambda item: item[0])
    return [dt for _, dt in found]


def to_iso(dt: datetime | None, *, tz: tzinfo | None = None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SS+05:30`` in the datetime's own offset, or converted to ``tz``.

    A naive datetime is taken as IST.
    """
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=IST)
    if tz is not None:
        dt = dt.astimezone(tz)
    return dt.isoformat(timespec="seconds")
