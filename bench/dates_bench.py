"""Speed check for newscrawler.dates: prints microseconds per call over a mixed sample.

Run: .venv/bin/python bench/dates_bench.py
"""

from __future__ import annotations

import random
import time
from datetime import datetime

from newscrawler.dates import IST, find_dates, parse_date

NOW = datetime(2024, 12, 23, 16, 25, tzinfo=IST)

SAMPLES = [
    # JSON-LD / meta (the common case)
    "2024-12-23T15:29:00+05:30",
    "2024-12-23T09:59:00Z",
    "2024-12-23T15:29:00.000+0530",
    "2020-10-08\\T08:14:42+05:30",
    "2024-12-23T15:29:00+05:30 IST",
    # RSS
    "Mon, 23 Dec 2024 15:29:00 +0530",
    "Mon, 23 Dec 2024 09:59:00 GMT",
    # bylines
    "आखरी अपडेट:23 दिसंबर, 2024, 15:29 IST",
    "अपडेटेड: 12 नवंबर 2025, 3:29 PM IST",
    "Updated: Mon, 23 Dec 2024 03:29 PM (IST)",
    "१२ नवंबर २०२५ ०७:४५ PM",
    "Published : Sep 1, 2021, 5:25 AM IST",
    "Newswrap हिन्दुस्तान, सुल्तानपुरMon, 24 Feb 2025 12:17 AM",
    "सन, 18 अप्रैल 2021 12:01 AM IST",
    "10:30 पूर्वाह्न 22 अगस्त 2026",
    "शनिवार, 22 अगस्त 2026",
    # relative
    "36 minutes ago",
    "2 घंटे पहले",
    "नई दिल्ली 8 मिनट पहले",
    "कल 3:30 PM",
    "Yesterday",
    # no date
    "कोई तारीख नहीं",
    "वाराणसी के घाटों पर लगीं सौर ऊर्जा वाली स्ट्रीट लाइटें, रात में श्रद्धालुओं को राहत",
    "Read more",
    "99:99",
]

BYLINE = ("आखरी अपडेट:23 दिसंबर, 2024, 15:29 ISTमणिशंकर अय्यर की टिप्पणी पर विवाद, "
          "कांग्रेस ने कहा कि यह उनकी निजी राय है। पहले 22 दिसंबर 2024 को भी बयान आया था।")


def bench(label: str, func, items: list[str], repeat: int = 5) -> None:
    """Best of ``repeat`` passes: the machine's noise only ever adds time."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            func(item)
        best = min(best, time.perf_counter() - start)
    print(f"{label:30} {best / len(items) * 1e6:7.1f} µs/call over {len(items)} calls")


def main() -> None:
    rng = random.Random(7)
    mixed = [rng.choice(SAMPLES) for _ in range(5000)]
    for item in mixed[:200]:  # warm up
        parse_date(item, NOW)
    bench("parse_date (mixed)", lambda s: parse_date(s, NOW), mixed)
    iso = [s for s in mixed if s[:4].isdigit() and "\\" not in s and " " not in s]
    bench("parse_date (clean ISO)", lambda s: parse_date(s, NOW), iso)
    text = [s for s in mixed if not s[:4].isdigit()]
    bench("parse_date (text forms)", lambda s: parse_date(s, NOW), text)
    bench("find_dates (150-char byline)", lambda s: find_dates(s, NOW), [BYLINE] * 2000)


if __name__ == "__main__":
    main()
