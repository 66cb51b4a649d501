"""What is not article text: class/id names of page furniture, and block headings.

Kept as data tables so site profiles can extend them.
"""

from __future__ import annotations

import re

from lxml import etree

from newscrawler.text import fold_for_key

# class/id tokens containing one of these are page furniture, never article paragraphs
FURNITURE_SUBSTRINGS = (
    "share", "social", "sharing", "advert", "banner", "promo", "newsletter", "subscribe",
    "related", "alsoread", "also-read", "also_read", "readalso", "read-also", "readmore",
    "read-more", "recommend", "trending", "popular", "morenews", "more-news", "comment",
    "breadcrumb", "byline", "author", "widget", "sidebar", "footer", "caption", "credit",
    "copyright", "disclaimer", "taboola", "outbrain", "sticky", "modal", "popup", "whatsapp",
    "telegram", "follow", "adslot", "ad-slot", "ad_slot", "adunit", "ad-unit", "ad_unit",
    "ads-", "ads_", "google-ad", "googlead", "dfp", "taglist", "tag-list", "tags", "navigation",
    "navbar", "menu", "toolbar", "print-", "subscription", "paywall-prompt", "embed-",
    "slider", "video_heading", "video-heading", "video_title", "video-title", "carousel",
    "rating", "poll",
    "photo-gallery", "imgcaption", "img-caption", "wp-caption-text", "a-rec", "td-a-",
    "app-download", "download-app", "googlenews", "google-news", "story-tags", "article-tags",
)
FURNITURE_TOKENS = frozenset({
    "ad", "ads", "adv", "advt", "rhs", "lhs", "tag", "nav", "meta", "header", "footer", "aside",
    "hidden", "d-none", "sr-only", "visually-hidden", "screen-reader-text", "noprint",
})
FURNITURE_TAGS = frozenset({"figure", "figcaption", "aside", "nav", "footer", "form", "header",
                            "caption", "label", "address"})
_FURNITURE_SUBSTRING_RE = re.compile("|".join(map(re.escape, FURNITURE_SUBSTRINGS)))


def is_furniture(el: etree._Element) -> bool:
    """True when an element's tag, class, id or inline style marks it as page furniture."""
    if el.tag in FURNITURE_TAGS:
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    if style and "display:none" in style.replace(" ", "").lower():
        return True
    names = (f"{el.get('class') or ''} {el.get('id') or ''} {el.get('data-testid') or ''} "
             f"{el.get('aria-labelledby') or ''}").lower()
    if not names.strip():
        return False
    # the substrings hold no space, so a search of all names finds what one of each token would
    if _FURNITURE_SUBSTRING_RE.search(names):
        return True
    return any(token in FURNITURE_TOKENS for token in names.split())


# Headings of "more news" blocks printed around an article (matched on the folded form).
RECENT_HEADINGS = (
    r"recent posts?", r"latest posts?", r"latest news", r"latest stories", r"more news",
    r"more stories", r"more from .{2,30}", r"related (news|articles?|posts?|stories|videos?)",
    r"you may (also )?like", r"trending( now| news| stories)?", r"top (news|stories)",
    r"must (read|watch)", r"popular (news|posts|stories)", r"most (read|popular|viewed)",
    r"spotlight", r"latest videos?", r"editor'?s? picks?", r"recommended( for you)?",
    r"also (read|watch)", r"read (more|next)", r"indian military news",
    r"अधिक समाचार( पढें)?", r"और (खबरें|खबरे|ख़बरें|समाचार)", r"ताजा (खबरें|खबर|समाचार)",
    r"ताजातरीन", r"लेटेस्ट (न्यूज|खबरें|खबर|पोस्ट)", r"संबंधित (खबरें|खबर|समाचार|लेख|वीडियो)",
    r"खबरें और भी( हैं)?", r"जरूर पढें", r"ज्यादा पठित", r"सबसे ज्यादा पढी गई(ं)?( खबरें)?",
    r"अगली (खबर|स्टोरी)", r"टॉप (न्यूज|खबरें|स्टोरी)", r"ट्रेंडिंग( न्यूज| खबरें)?",
    r"लोकप्रिय( खबरें)?", r"मिलती जुलती खबरें", r"अन्य (खबरें|समाचार)", r"यह भी देखें",
    r"ये भी देखें", r"बड़ी खबरें", r"बडी खबरें", r"अभी अभी",
)
RECENT_HEADING_RE = re.compile(
    r"^(?:" + "|".join(fold_for_key(h) if not any(c in h for c in "()?|.'") else h
                      for h in RECENT_HEADINGS) + r")$"
)


_ICON_LIGATURE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # "arrow_forward" in icon fonts


def clean_heading(text: str) -> str:
    """A block heading as read: icon-font ligature words removed."""
    return " ".join(_ICON_LIGATURE.sub(" ", text).split())


def is_recent_heading(text: str) -> bool:
    """Is this short text the heading of a recent/more/related posts block?"""
    if not text or len(text) > 60:
        return False
    key = fold_for_key(clean_heading(text)).strip(" :-|>»›.…")
    return bool(RECENT_HEADING_RE.match(key))


# Promotional taglines publishers append to every story ("… के लिए क्लिक करें …"), each with
# the words it cannot match without: a paragraph holding none of them skips the regex scans.
TAGLINE_RULES = tuple((words, re.compile(p)) for words, p in (
    (("क्लिक",), r"के लिए क्लिक करें"),
    (("न्यूज",), r"हिंदी में ब्रेकिंग न्यूज"),
    (("पढें", "देखें"), r"(ताजा|लेटेस्ट) (खबर|खबरों|न्यूज)\w* .{0,60}(पढें|देखें)\s*$"),
    (("latest",), r"^latest [a-z ]{2,30} news$"),
    (("latest",), r"^(read|get) (the )?latest .{0,60} news"),
    (("डाउनलोड", "download"), r"(डाउनलोड करें|download) .{0,40}(app|ऐप|एप)"),
    (("फॉलो", "follow"),
     r"(फॉलो|follow) .{0,40}(google news|गूगल न्यूज|whatsapp|व्हाट्सएप|टेलीग्राम|telegram)"),
    (("google news", "गूगल न्यूज", "whatsapp", "व्हाट्सएप"),
     r"(google news|गूगल न्यूज|whatsapp|व्हाट्सएप) .{0,40}(फॉलो|follow|जुड़ें|जुडें|ज्वाइन)"),
    (("news in hindi",), r"news in hindi .{0,40}(पढें|क्लिक)"),
    (("सबसे पहले",), r"सबसे पहले .{0,30}(पढें|जानें) .{0,40}पर"),
))
TAGLINE_PATTERNS = tuple(pattern for _, pattern in TAGLINE_RULES)


def is_tagline(text: str) -> bool:
    key = fold_for_key(text)
    return any(pattern.search(key) for words, pattern in TAGLINE_RULES
               if any(word in key for word in words))


# Subscription walls' prompts ("यह लेख केवल सब्सक्राइबर्स के लिए है। पूरा लेख पढ़ने के लिए
# सब्सक्राइब करें"): a short block that names a subscription and reading together.
_PAYWALL_PROMPT = re.compile(
    r"(?:सब्सक्राइब|सदस्यता|subscribe|subscriber|subscription|प्रीमियम|premium)"
    r".{0,80}(?:पढने|पढें|लेख|खबर|स्टोरी|read|article|story|content)|"
    r"(?:पढने|पढें|लेख|खबर|स्टोरी|read|article|story|content)"
    r".{0,80}(?:सब्सक्राइब|सदस्यता|subscribe|subscriber|subscription|प्रीमियम|premium)")
MAX_PAYWALL_PROMPT_CHARS = 300


def is_paywall_prompt(text: str) -> bool:
    """A subscription prompt, not article text (a long paragraph that mentions a
    subscription stays)."""
    return len(text) <= MAX_PAYWALL_PROMPT_CHARS \
        and _PAYWALL_PROMPT.search(fold_for_key(text)) is not None
