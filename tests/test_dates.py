"""Table-driven tests for newscrawler.dates: every row is a real-looking string, a fetch time
(None when it must not matter) and the exact ISO 8601 string expected (None: no date)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newscrawler.dates import (
    IST,
    find_dates,
    is_relative_time,
    parse_date,
    parse_date_ex,
    parse_relative,
    to_iso,
)

# The fetch time used by relative rows: 23 Dec 2024, 16:25 IST.
FETCHED = "2024-12-23T16:25:00+05:30"
NOW = datetime.fromisoformat(FETCHED)


def _now(fetched: str | None) -> datetime | None:
    return datetime.fromisoformat(fetched) if fetched else None


ABSOLUTE_ROWS = [
    # ISO 8601 (JSON-LD, meta tags, <time datetime>)
    ("2024-12-23T15:29:00+05:30", None, "2024-12-23T15:29:00+05:30"),
    ("2024-12-23T09:59:00Z", None, "2024-12-23T09:59:00+00:00"),
    ("2024-12-23T15:29:00.000+0530", None, "2024-12-23T15:29:00+05:30"),
    ("2024-12-23 15:29:00", None, "2024-12-23T15:29:00+05:30"),
    ("2024-12-23T15:29", None, "2024-12-23T15:29:00+05:30"),
    ("2024-12-23", None, "2024-12-23T00:00:00+05:30"),
    ("2020-10-08\\T08:14:42+05:30", None, "2020-10-08T08:14:42+05:30"),
    ("2020-10-08\\\\T08:14:42+05:30", None, "2020-10-08T08:14:42+05:30"),
    ("2024-12-23T15:29:00+05:30 IST", None, "2024-12-23T15:29:00+05:30"),
    ("  2024-12-23T15:29:00+05:30\n", None, "2024-12-23T15:29:00+05:30"),
    ("2024-12-23T15:29:00-05:00", None, "2024-12-23T15:29:00-05:00"),
    ("2024-12-23T15:29:00.123456789+05:30", None, "2024-12-23T15:29:00+05:30"),
    ("2024/12/23", None, "2024-12-23T00:00:00+05:30"),
    # RFC 822 / 2822 (RSS)
    ("Mon, 23 Dec 2024 15:29:00 +0530", None, "2024-12-23T15:29:00+05:30"),
    ("Mon, 23 Dec 2024 09:59:00 GMT", None, "2024-12-23T09:59:00+00:00"),
    ("23 Dec 2024 15:29:00 IST", None, "2024-12-23T15:29:00+05:30"),
    ("Sun, 18 Apr 2021 12:01:00 +0000", None, "2021-04-18T12:01:00+00:00"),
    ("Mon Dec 23 2024 15:29:00 GMT+0530 (India Standard Time)", None,
     "2024-12-23T15:29:00+05:30"),
    ("Mon Dec 23 2024 10:00:00 GMT+5:30", None, "2024-12-23T10:00:00+05:30"),
    # Hindi bylines
    ("23 दिसंबर, 2024, 15:29 IST", None, "2024-12-23T15:29:00+05:30"),
    ("आखरी अपडेट:23 दिसंबर, 2024, 15:29 IST", None, "2024-12-23T15:29:00+05:30"),
    ("अपडेटेड: 12 नवंबर 2025, 3:29 PM IST", None, "2025-11-12T15:29:00+05:30"),
    ("१२ नवंबर २०२५ ०७:४५ PM", None, "2025-11-12T19:45:00+05:30"),
    ("प्रकाशित: 20 दिसम्बर 2024, 03:45 PM", None, "2024-12-20T15:45:00+05:30"),
    ("14 \u095eरवरी 2010", None, "2010-02-14T00:00:00+05:30"),  # precomposed फ़
    ("14 \u092b\u093cरवरी 2010", None, "2010-02-14T00:00:00+05:30"),  # फ + nukta
    ("14 फरवरी 2010", None, "2010-02-14T00:00:00+05:30"),  # no nukta
    ("शनिवार, 22 अगस्त 2026", None, "2026-08-22T00:00:00+05:30"),
    ("22 अग॰ 2026", None, "2026-08-22T00:00:00+05:30"),
    ("10:30 पूर्वाह्न 22 अगस्त 2026", None, "2026-08-22T10:30:00+05:30"),
    ("04:15 अपराह्न 22 अगस्त 2026", None, "2026-08-22T16:15:00+05:30"),
    ("22 अगस्त 2026 रात 8 बजे", None, "2026-08-22T20:00:00+05:30"),
    ("22 अगस्त 2026, दोपहर 2 बजे", None, "2026-08-22T14:00:00+05:30"),
    ("सुबह 10:30 बजे, 22 अगस्त 2026", None, "2026-08-22T10:30:00+05:30"),
    ("सन, 18 अप्रैल 2021 12:01 AM IST", None, "2021-04-18T00:01:00+05:30"),
    ("अपडेटेड सन, 18 अप्रेल 2021 12:01 AM IST", None, "2021-04-18T00:01:00+05:30"),
    ("10:30 AM, सोमवार, 23 दिसंबर 2024", None, "2024-12-23T10:30:00+05:30"),
    ("प्रकाशित तिथि: 23 दिसंबर 2024", None, "2024-12-23T00:00:00+05:30"),
    ("पब्लिश्ड: 23 दिसम्बर 2024, 09:15 AM IST", None, "2024-12-23T09:15:00+05:30"),
    ("अंतिम अपडेट: 23 दिसंबर 2024, 21:05 IST", None, "2024-12-23T21:05:00+05:30"),
    # every Hindi month spelling and abbreviation
    ("5 जनवरी 2025", None, "2025-01-05T00:00:00+05:30"),
    ("5 जन. 2025", None, "2025-01-05T00:00:00+05:30"),
    ("5 फ़र. 2025", None, "2025-02-05T00:00:00+05:30"),
    ("5 मार्च 2025", None, "2025-03-05T00:00:00+05:30"),
    ("5 अप्रै. 2025", None, "2025-04-05T00:00:00+05:30"),
    ("5 मई 2025", None, "2025-05-05T00:00:00+05:30"),
    ("5 जून 2025", None, "2025-06-05T00:00:00+05:30"),
    ("5 जुलाई 2025", None, "2025-07-05T00:00:00+05:30"),
    ("5 जुल. 2025", None, "2025-07-05T00:00:00+05:30"),
    ("5 अग. 2025", None, "2025-08-05T00:00:00+05:30"),
    ("5 सितंबर 2025", None, "2025-09-05T00:00:00+05:30"),
    ("5 सितम्बर 2025", None, "2025-09-05T00:00:00+05:30"),
    ("5 सित. 2025", None, "2025-09-05T00:00:00+05:30"),
    ("5 अक्टूबर 2025", None, "2025-10-05T00:00:00+05:30"),
    ("5 अक्तूबर 2025", None, "2025-10-05T00:00:00+05:30"),
    ("5 अक्टू. 2025", None, "2025-10-05T00:00:00+05:30"),
    ("5 अक्तू॰ 2025", None, "2025-10-05T00:00:00+05:30"),
    ("5 नवंबर 2025", None, "2025-11-05T00:00:00+05:30"),
    ("5 नवम्बर 2025", None, "2025-11-05T00:00:00+05:30"),
    ("5 नव. 2025", None, "2025-11-05T00:00:00+05:30"),
    ("5 दिसम्बर 2025", None, "2025-12-05T00:00:00+05:30"),
    ("5 दिस. 2025", None, "2025-12-05T00:00:00+05:30"),
    # English bylines
    ("Updated: Mon, 23 Dec 2024 03:29 PM (IST)", None, "2024-12-23T15:29:00+05:30"),
    ("Updated on: April 25, 2023 11:22 IST", None, "2023-04-25T11:22:00+05:30"),
    ("UPDATED: May 20, 2025 16:22 IST", None, "2025-05-20T16:22:00+05:30"),
    ("Published : Sep 1, 2021, 5:25 AM IST", None, "2021-09-01T05:25:00+05:30"),
    ("Published: 13 Dec 2025, 7:53 AM IST", None, "2025-12-13T07:53:00+05:30"),
    ("01:40 AM Jan 10, 2022 IST", None, "2022-01-10T01:40:00+05:30"),
    ("Mon, 24 Feb 2025 12:17 AM", None, "2025-02-24T00:17:00+05:30"),
    ("Newswrap हिन्दुस्तान, सुल्तानपुरMon, 24 Feb 2025 12:17 AM", None,
     "2025-02-24T00:17:00+05:30"),
    ("Updated Sun, 18 Apr 2021 12:01 AM IST", None, "2021-04-18T00:01:00+05:30"),
    ("08 Oct 2020, 08:14 AM", None, "2020-10-08T08:14:00+05:30"),
    ("October 8, 2020", None, "2020-10-08T00:00:00+05:30"),
    ("23 Sept 2024", None, "2024-09-23T00:00:00+05:30"),
    ("23rd December 2024", None, "2024-12-23T00:00:00+05:30"),
    ("december 23, 2024", None, "2024-12-23T00:00:00+05:30"),
    ("Apr 25, 2023 11:21 AM (IST) Posted by Desk", None, "2023-04-25T11:21:00+05:30"),
    ("First published on: Dec 23, 2024 at 3:29 p.m.", None, "2024-12-23T15:29:00+05:30"),
    ("Dec 23, 2024 3:29 P.M.", None, "2024-12-23T15:29:00+05:30"),
    ("Dec 23, 2024 3.29 pm", None, "2024-12-23T15:29:00+05:30"),
    ("Dec 23, 2024 5 PM", None, "2024-12-23T17:00:00+05:30"),
    ("Dec 23, 2024 9:05 am", None, "2024-12-23T09:05:00+05:30"),
    ("Dec 23, 2024, 12:05 A.M. IST", None, "2024-12-23T00:05:00+05:30"),
    ("Posted on: 23/12/2024 18:40", None, "2024-12-23T18:40:00+05:30"),
    ("Edited by: Rahul Desk | Updated: Dec 23, 2024, 09:10 PM", None,
     "2024-12-23T21:10:00+05:30"),
    ("23 Dec 2024, 15:29 hrs", None, "2024-12-23T15:29:00+05:30"),
    ("15:29 hrs, 23 Dec 2024", None, "2024-12-23T15:29:00+05:30"),
    ("Last Updated: 23 December 2024 15:29 hrs IST", None, "2024-12-23T15:29:00+05:30"),
    # IST is India (+05:30), never Israel, also in parentheses and glued to following text
    ("22 Aug 2026, 10:30 AM IST", None, "2026-08-22T10:30:00+05:30"),
    ("आखरी अपडेट:23 दिसंबर, 2024, 15:29 ISTमणिशंकर अय्यर की टिप्पणी", None,
     "2024-12-23T15:29:00+05:30"),
    # numeric dates are day first (Indian convention)
    ("8/10/2020", None, "2020-10-08T00:00:00+05:30"),
    ("23-12-2024", None, "2024-12-23T00:00:00+05:30"),
    ("23.12.2024 5.25 PM", None, "2024-12-23T17:25:00+05:30"),
    ("12/25/2024", None, "2024-12-25T00:00:00+05:30"),  # valid only month first
    # dates win over the fetch time: `now` changes nothing
    ("23 Dec 2024 15:29:00 IST", FETCHED, "2024-12-23T15:29:00+05:30"),
]

RELATIVE_ROWS = [
    ("36 minutes ago", FETCHED, "2024-12-23T15:49:00+05:30"),
    ("1 hour ago", FETCHED, "2024-12-23T15:25:00+05:30"),
    ("an hour ago", FETCHED, "2024-12-23T15:25:00+05:30"),
    ("2 hours ago", FETCHED, "2024-12-23T14:25:00+05:30"),
    ("3 hrs ago", FETCHED, "2024-12-23T13:25:00+05:30"),
    ("5 mins ago", FETCHED, "2024-12-23T16:20:00+05:30"),
    ("a minute ago", FETCHED, "2024-12-23T16:24:00+05:30"),
    ("Just now", FETCHED, "2024-12-23T16:25:00+05:30"),
    ("a few seconds ago", FETCHED, "2024-12-23T16:25:00+05:30"),
    ("Yesterday", FETCHED, "2024-12-22T16:25:00+05:30"),
    ("2 days ago", FETCHED, "2024-12-21T16:25:00+05:30"),
    ("1 week ago", FETCHED, "2024-12-16T16:25:00+05:30"),
    ("Updated 2 hours ago", FETCHED, "2024-12-23T14:25:00+05:30"),
    ("2 घंटे पहले", FETCHED, "2024-12-23T14:25:00+05:30"),
    ("२ घंटे पहले", FETCHED, "2024-12-23T14:25:00+05:30"),
    ("45 मिनट पहले", FETCHED, "2024-12-23T15:40:00+05:30"),
    ("1 मिनट पहले", FETCHED, "2024-12-23T16:24:00+05:30"),
    ("एक घंटा पहले", FETCHED, "2024-12-23T15:25:00+05:30"),
    ("एक मिनट पहले", FETCHED, "2024-12-23T16:24:00+05:30"),
    ("पाँच घंटों पहले", FETCHED, "2024-12-23T11:25:00+05:30"),
    ("दस मिनट पहले", FETCHED, "2024-12-23T16:15:00+05:30"),
    ("पांच मिनट पहले", FETCHED, "2024-12-23T16:20:00+05:30"),
    ("three hours ago", FETCHED, "2024-12-23T13:25:00+05:30"),
    ("2 days back", FETCHED, "2024-12-21T16:25:00+05:30"),
    ("3 मि पहले", FETCHED, "2024-12-23T16:22:00+05:30"),
    ("5 घं पहले", FETCHED, "2024-12-23T11:25:00+05:30"),
    ("3 दिन पहले", FETCHED, "2024-12-20T16:25:00+05:30"),
    ("1 सप्ताह पहले", FETCHED, "2024-12-16T16:25:00+05:30"),
    ("2 महीने पहले", FETCHED, "2024-10-24T16:25:00+05:30"),
    ("2 माह पहले", FETCHED, "2024-10-24T16:25:00+05:30"),
    ("1 साल पहले", FETCHED, "2023-12-24T16:25:00+05:30"),
    ("1 वर्ष पहले", FETCHED, "2023-12-24T16:25:00+05:30"),
    ("कुछ ही क्षण पहले", FETCHED, "2024-12-23T16:25:00+05:30"),
    ("अभी", FETCHED, "2024-12-23T16:25:00+05:30"),
    ("अभी-अभी", FETCHED, "2024-12-23T16:25:00+05:30"),
    ("30 सेकंड पहले", FETCHED, "2024-12-23T16:24:30+05:30"),
    ("5 मिनट पूर्व", FETCHED, "2024-12-23T16:20:00+05:30"),
    ("नई दिल्ली 8 मिनट पहले", FETCHED, "2024-12-23T16:17:00+05:30"),
    ("कल", FETCHED, "2024-12-22T16:25:00+05:30"),  # yesterday on a news page
    ("आज", FETCHED, "2024-12-23T16:25:00+05:30"),
    ("कल 3:30 PM", FETCHED, "2024-12-22T15:30:00+05:30"),
    ("Yesterday, 3:30 PM", FETCHED, "2024-12-22T15:30:00+05:30"),
    ("आज 10:15 AM", FETCHED, "2024-12-23T10:15:00+05:30"),
    ("Updated on: Yesterday, 3:30 PM IST", FETCHED, "2024-12-22T15:30:00+05:30"),
    # the fetch time's own offset is kept
    ("36 minutes ago", "2024-12-23T10:55:00+00:00", "2024-12-23T10:19:00+00:00"),
]

GARBAGE_ROWS = [
    ("", FETCHED, None),
    (None, FETCHED, None),
    ("   ", FETCHED, None),
    ("abc", FETCHED, None),
    ("कोई तारीख नहीं", FETCHED, None),
    ("32 दिसंबर 2024", FETCHED, None),
    ("2024-13-45", FETCHED, None),
    ("99:99", FETCHED, None),
    ("रात 8 बजे", FETCHED, None),  # a time of day alone is not a date
    ("10:15 AM", FETCHED, None),
    ("2024 में", FETCHED, None),  # a year alone is not a date
    ("Version 2.0.2024", FETCHED, None),
    ("+91-11-2345-6789", FETCHED, None),
    ("31 जून 2024", FETCHED, None),
    # relative words inside headlines are not ages
    ("2 साल पहले हुई थी शादी, अब तलाक", FETCHED, None),
    ("कल से बदल जाएंगे नियम", FETCHED, None),
    ("कल, दिल्ली में होगी बैठक", FETCHED, None),
    ("अभी तक नहीं मिला जवाब", FETCHED, None),
    ("Today's top stories", FETCHED, None),
    ("few minutes ago", FETCHED, None),  # "a few" is only read for seconds
    ("99999 years ago", FETCHED, None),
    ("9999 साल पहले", FETCHED, None),  # out of range, no OverflowError
]


@pytest.mark.parametrize(("text", "fetched", "expected"),
                         ABSOLUTE_ROWS + RELATIVE_ROWS + GARBAGE_ROWS)
def test_parse_date(text, fetched, expected):
    assert to_iso(parse_date(text, _now(fetched))) == expected


def test_ist_is_india_not_israel():
    dt = parse_date("22 Aug 2026, 10:30 AM IST")
    assert to_iso(dt) == "2026-08-22T10:30:00+05:30"
    assert dt.utcoffset() == timedelta(hours=5, minutes=30)
    assert to_iso(dt) != "2026-08-22T14:00:00+05:30"  # what reading IST as +02:00 gives


def test_offset_is_kept_and_instant_exact():
    z = parse_date("2024-12-23T09:59:00Z")
    ist = parse_date("2024-12-23T15:29:00+05:30")
    assert z == ist
    assert to_iso(z) == "2024-12-23T09:59:00+00:00"
    assert to_iso(z, tz=IST) == "2024-12-23T15:29:00+05:30"


@pytest.mark.parametrize("text", ["36 minutes ago", "2 घंटे पहले", "कल", "Yesterday, 3:30 PM",
                                  "अभी", "कुछ ही क्षण पहले"])
def test_relative_without_now_is_none(text):
    assert parse_date(text) is None
    assert parse_date(text, None) is None
    assert parse_date_ex(text) is None


def test_relative_depends_only_on_now():
    other = datetime(2025, 3, 1, 8, 0, tzinfo=IST)
    assert to_iso(parse_date("2 घंटे पहले", NOW)) == "2024-12-23T14:25:00+05:30"
    assert to_iso(parse_date("2 घंटे पहले", other)) == "2025-03-01T06:00:00+05:30"
    assert to_iso(parse_date("कल", other)) == "2025-02-28T08:00:00+05:30"


def test_relative_false_ignores_ages():
    assert parse_date("2 घंटे पहले", NOW, relative=False) is None
    assert parse_date("कल 3:30 PM", NOW, relative=False) is None
    assert to_iso(parse_date("23 Dec 2024", NOW, relative=False)) == "2024-12-23T00:00:00+05:30"


def test_default_tz_for_naive_values():
    utc = UTC
    assert to_iso(parse_date("2024-12-23 15:29:00", default_tz=utc)) == "2024-12-23T15:29:00+00:00"
    assert to_iso(parse_date("23 Dec 2024 15:29", default_tz=utc)) == "2024-12-23T15:29:00+00:00"
    # an explicit zone beats default_tz
    assert to_iso(parse_date("23 Dec 2024 15:29 IST", default_tz=utc)) == \
        "2024-12-23T15:29:00+05:30"


def test_naive_now_is_taken_in_default_tz():
    naive = datetime(2024, 12, 23, 16, 25)
    assert to_iso(parse_date("36 minutes ago", naive)) == "2024-12-23T15:49:00+05:30"


@pytest.mark.parametrize(("text", "fetched", "expected", "has_time"), [
    ("2024-12-23T15:29:00+05:30", None, "2024-12-23T15:29:00+05:30", True),
    ("2024-12-23", None, "2024-12-23T00:00:00+05:30", False),
    ("23 दिसंबर, 2024, 15:29 IST", None, "2024-12-23T15:29:00+05:30", True),
    ("शनिवार, 22 अगस्त 2026", None, "2026-08-22T00:00:00+05:30", False),
    ("36 minutes ago", FETCHED, "2024-12-23T15:49:00+05:30", True),
    ("2 दिन पहले", FETCHED, "2024-12-21T16:25:00+05:30", False),
    ("कल", FETCHED, "2024-12-22T16:25:00+05:30", False),
    ("Yesterday", FETCHED, "2024-12-22T16:25:00+05:30", False),
    ("कल 3:30 PM", FETCHED, "2024-12-22T15:30:00+05:30", True),
    ("अभी-अभी", FETCHED, "2024-12-23T16:25:00+05:30", True),
])
def test_parse_date_ex_reports_time_of_day(text, fetched, expected, has_time):
    dt, got_time = parse_date_ex(text, _now(fetched))
    assert (to_iso(dt), got_time) == (expected, has_time)


@pytest.mark.parametrize(("text", "expected"), [
    ("36 minutes ago", "2024-12-23T15:49:00+05:30"),
    ("2 घंटे पहले", "2024-12-23T14:25:00+05:30"),
    ("Yesterday, 3:30 PM", "2024-12-22T15:30:00+05:30"),
    ("23 Dec 2024", None),  # absolute dates are not relative
    ("कोई तारीख नहीं", None),
])
def test_parse_relative(text, expected):
    assert to_iso(parse_relative(text, NOW)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("36 minutes ago", True),
    ("५ मिनट पहले", True),
    ("एक घंटा पहले", True),
    ("Just now", True),
    ("कल", True),
    ("Updated: Yesterday", True),
    ("23 दिसंबर, 2024, 15:29 IST", False),
    ("2 साल पहले हुई थी शादी, अब तलाक", False),
    ("", False),
])
def test_is_relative_time(text, expected):
    assert is_relative_time(text) is expected


def test_find_dates_in_a_byline():
    text = ("आखरी अपडेट:23 दिसंबर, 2024, 15:29 ISTमणिशंकर अय्यर की टिप्पणी पर बयान "
            "Published: 22 Dec 2024, 7:53 AM IST और 32 दिसंबर 2024 (गलत) | 2 घंटे पहले")
    assert [to_iso(d) for d in find_dates(text, NOW)] == [
        "2024-12-23T15:29:00+05:30",
        "2024-12-22T07:53:00+05:30",
        "2024-12-23T14:25:00+05:30",
    ]
    # without the fetch time the relative age is left out
    assert [to_iso(d) for d in find_dates(text)] == [
        "2024-12-23T15:29:00+05:30",
        "2024-12-22T07:53:00+05:30",
    ]


def test_find_dates_in_long_text():
    filler = "नगर निगम ने पहले चरण में बारह घाटों पर कुल 180 सौर लाइटें लगाई हैं। " * 40
    text = f"{filler}23 Dec 2024 {filler}2024-12-24T10:00:00+05:30 {filler}"
    assert [to_iso(d) for d in find_dates(text)] == [
        "2024-12-23T00:00:00+05:30",
        "2024-12-24T10:00:00+05:30",
    ]
    assert find_dates("") == []
    assert find_dates("कोई तारीख नहीं") == []


def test_to_iso():
    assert to_iso(None) is None
    assert to_iso(datetime(2024, 12, 23, 15, 29, 0, 123, tzinfo=IST)) == \
        "2024-12-23T15:29:00+05:30"
    assert to_iso(datetime(2024, 12, 23, 15, 29)) == "2024-12-23T15:29:00+05:30"  # naive: IST


@pytest.mark.parametrize("value", [123, 4.5, b"2024-12-23", ["2024-12-23"], object()])
def test_non_strings_never_raise(value):
    assert parse_date(value, NOW) is None
