"""Metadata a page shows but does not declare: byline, dates, breadcrumb section, tag list.

Used when structured data is missing; searched near the headline, outside the body text.
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from newscrawler.dates import parse_date_ex
from newscrawler.extract.dom import text_of
from newscrawler.text import normalize_text

_MODIFIED_LABEL = re.compile(r"(अपडेट|updated|संशोधित|modified|last updated|आखरी अपडेट|"
                             r"आखिरी अपडेट|अंतिम अपडेट)", re.I)
_PUBLISHED_LABEL = re.compile(r"(प्रकाशित|published|पब्लिश|posted|जारी)", re.I)
_AUTHOR_CLASS = re.compile(r"author|byline|reporter|writer", re.I)
# matched in lower-case class and id names: re.I costs a page-wide scan four times as much
_TAG_CLASS = re.compile(r"(^|[-_ ])tags?([-_ ]|$)|tag-?list|keywords|topics")
_HOME = re.compile(r"^(home|होम|मुख्य पृष्ठ|होमपेज|hindi news|हिंदी न्यूज़?)$", re.I)


def header_scope(title_el: etree._Element, container: etree._Element | None,
                 levels: int = 4) -> etree._Element:
    """The headline's surroundings: up to `levels` ancestors, stopping before the body."""
    scope = title_el
    for _ in range(levels):
        parent = scope.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        if container is not None and any(a is parent for a in container.iterancestors()):
            if parent is not container.getparent():
                break
        scope = parent
    return scope


def visible_dates(scope: etree._Element,
                  now: datetime | None) -> tuple[datetime | None, datetime | None]:
    """(published, modified) from labelled date text or <time> elements in the scope."""
    published: list[tuple[int, datetime]] = []
    modified: list[datetime] = []
    for el in scope.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style") or len(el) > 6:
            continue
        values = []
        if el.tag == "time" and el.get("datetime"):
            values.append(el.get("datetime"))
        raw = text_of(el) if el.tag == "time" or len(el) <= 2 else (el.text or "")
        if raw and len(raw) <= 160:
            values.append(raw)
        for value in values:
            found = parse_date_ex(value, now)
            if not found:
                continue
            dt, has_time = found
            label_text = value + " " + (el.get("class") or "") + " " + (el.get("itemprop") or "")
            if _MODIFIED_LABEL.search(label_text) or el.get("itemprop") == "dateModified":
                modified.append(dt)
            else:
                rank = 0 if _PUBLISHED_LABEL.search(label_text) else (1 if has_time else 2)
                published.append((rank, dt))
            break
    best_published = min(published, key=lambda rd: rd[0])[1] if published else None
    return best_published, (modified[0] if modified else None)


# the label must end the word: "Byron Sen" keeps his name
BYLINE_PREFIX = re.compile(r"^(?:by|written by|reported by|edited by|posted by|द्वारा|लेखक|"
                           r"रिपोर्ट|एडिटेड बाय)(?=[\s:\-]|$)\s*[:\-]?\s*", re.I)


def byline_authors(scope: etree._Element) -> list[str]:
    """Author names from byline links and author-classed elements in the scope."""
    names: list[str] = []
    for el in scope.iter("a", "span", "div", "p"):
        names_attr = f"{el.get('class') or ''} {el.get('rel') or ''} {el.get('itemprop') or ''}"
        href = el.get("href") or ""
        is_author = ("/author/" in href or "/authors/" in href or "/writer/" in href
                     or (el.get("rel") or "") == "author" or _AUTHOR_CLASS.search(names_attr))
        if not is_author:
            continue
        # prefer the innermost link: "रिपोर्ट: <a>Name</a>, City" gives Name
        inner = [a for a in el.iter("a") if a is not el]
        if inner:
            continue
        # "लेखक: Name", "By Name | 23 Dec 2024": the label and what follows a bar go
        text = BYLINE_PREFIX.sub("", normalize_text(text_of(el))).split("|")[0].strip(" ,")
        if 2 <= len(text) <= 60 and not re.search(r"\d{4}|:", text):
            names.append(text)
    out: list[str] = []
    for name in names:
        if name not in out:
            out.append(name)
    return out[:5]


def breadcrumb_section(doc: etree._Element, title: str | None) -> str | None:
    for el in doc.iter("nav", "div", "ol", "ul", "p"):
        if "breadcrumb" not in f"{el.get('class') or ''} {el.get('id') or ''}".lower():
            continue
        items = [normalize_text(text_of(a)) for a in el.iter("a")]
        items = [t for t in items if t and not _HOME.match(t) and t != title]
        if items:
            return items[-1]
    return None


def visible_tags(doc: etree._Element) -> list[str]:
    for el in doc.iter("div", "ul", "section", "p", "span"):
        names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        # every alternative of the pattern holds one of these words: most names fail at once
        if not ("tag" in names or "keywords" in names or "topics" in names) \
                or not _TAG_CLASS.search(names):
            continue
        tags = [normalize_text(text_of(a)) for a in el.iter("a")]
        tags = [t for t in tags if t and len(t) <= 60]
        if tags:
            return list(dict.fromkeys(tags))
    return []
