"""Trim furniture that sits inside the story's own paragraphs.

Scraped reposts often pour a whole source page into one <p>: the source's photo credit, byline
and date run straight into the wire dateline, and the authors' bios, the copyright line and a
"latest news" list follow the last sentence. DOM-level filtering can't reach these, so the body's
edges are trimmed by the structure of wire copy itself:
- the story starts at its dateline ("AMSTERDAM / ROME, 08 अक्टूबर (आईपीएस) –"); text glued
  before it in the first paragraph is credit/byline;
- a copyright notice ends the story ("© इंटर प्रेस सेवा (2020) – सभी अधिकार सुरक्षित");
- sentences after the story that open with a name from the dropped byline are author bios;
- a short line quoting the title with a source and a date is a citation of the page, not text.
"""

from __future__ import annotations

import re

from newscrawler.dates import MONTHS_EN, MONTHS_HI
from newscrawler.text import fold_for_key

_MONTH = "|".join(sorted((*MONTHS_HI, *MONTHS_EN), key=len, reverse=True))
_PLACE = r"(?:[A-Z]{2,}[A-Z.]*(?:[ /-]+[A-Z]{2,}[A-Z.]*)*|[\u0900-\u097F]+(?: [\u0900-\u097F]+)?)"
# PLACE, DAY MONTH [YEAR] (AGENCY) followed by a dash, colon or danda
_DATELINE = re.compile(
    rf"{_PLACE},\s*\d{{1,2}}\s+(?i:{_MONTH})\.?(?:,?\s*\d{{4}})?\s*\([^()]{{2,24}}\)\s*[–—:।-]")
_COPYRIGHT = re.compile(r"©|\bcopyright\b|कॉपीराइट|सभी अधिकार सुरक्षित|सर्वाधिकार सुरक्षित",
                        re.IGNORECASE)
# "A, B (city) द्वारा" / "By A and B": द्वारा ends in a vowel sign, so \b can't follow it
_BYLINE = re.compile(r"(?:^|[:।.]\s*)([^:।.]{3,120}?)\s+द्वारा(?=\s|$)"
                     r"|\bBy\s+([^:।.]{3,120}?)(?:\(|$)")
_SENTENCE_END = re.compile(r"[।?!.]\s+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

# how far into a paragraph its edges may be cut: never the story's middle
_MAX_LEAD_SHARE = 0.4
_MIN_TAIL_START = 0.5


def trim_story_edges(body: list[str], title: str | None) -> list[str]:
    """The body with credit/byline before the first dateline, copyright/bios at the end and
    citation lines removed. Paragraphs are only cut at these markers, never rewritten."""
    body = [p for p in body if not _is_citation(p, title)]
    if not body:
        return body
    first, names = _cut_before_dateline(body[0])
    body = [first, *body[1:]] if first else body[1:]
    if body:
        last = _cut_tail(body[-1], names)
        body = [*body[:-1], last] if last else body[:-1]
    return body


def _cut_before_dateline(text: str) -> tuple[str, list[str]]:
    """The paragraph from its dateline on, and the byline names found in the part cut off."""
    # the agency in brackets is part of every dateline: without "(" the search is skipped
    found = _DATELINE.search(text) if "(" in text else None
    if not found or found.start() == 0 or found.start() > len(text) * _MAX_LEAD_SHARE:
        return text, []
    return text[found.start():], _byline_names(text[:found.start()])


def _byline_names(text: str) -> list[str]:
    names = []
    for match in _BYLINE.finditer(text):
        listed = re.sub(r"\([^()]*\)", " ", match.group(1) or match.group(2))
        for name in re.split(r",|\s+और\s+|\s+and\s+", listed):
            name = " ".join(name.split())
            if 1 < len(name.split()) <= 4:
                names.append(name)
    return names


def _cut_tail(text: str, names: list[str]) -> str:
    """The paragraph up to a copyright notice or an author bio in its second half."""
    end = len(text)
    notice = _COPYRIGHT.search(text, int(len(text) * _MIN_TAIL_START))
    if notice:
        end = notice.start()
    for boundary in _SENTENCE_END.finditer(text, int(len(text) * _MIN_TAIL_START), end):
        if any(text.startswith(name, boundary.end()) for name in names):
            end = boundary.end()
            break
    return text[:end].rstrip()


def _is_citation(text: str, title: str | None) -> bool:
    """A short line that quotes the title's opening words with a year: "Title, Source, date"."""
    if not title or len(text) > 300 or not _YEAR.search(text):
        return False
    opening = " ".join(fold_for_key(title).split()[:4])
    return len(opening.split()) == 4 and opening in fold_for_key(text) \
        and len(text) > len(title) * 0.8 and not text.rstrip().endswith("।")
