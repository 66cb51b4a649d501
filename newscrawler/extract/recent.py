"""Blocks of posts printed around an article ("Recent Posts", "अधिक समाचार पढ़ें", …).

Each block becomes {"heading", "posts": [{"title", "url", "excerpt", "published_at"}]}.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import datetime
from functools import lru_cache
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

from newscrawler.dates import parse_date, to_iso
from newscrawler.extract.boilerplate import clean_heading, is_recent_heading
from newscrawler.extract.dom import HEADING_TAGS, ancestors, is_inside, run_text, text_of
from newscrawler.text import fold_for_key, is_also_read_marker, normalize_text
from newscrawler.urls import looks_like_article_url

_HEADING_LIKE = HEADING_TAGS | {"div", "span", "p", "strong", "b", "a", "li", "header", "em",
                                "section", "label", "legend", "caption", "button"}
_MIN_TITLE = 12
_READ_MORE = re.compile(r"^(और पढें|आगे पढें|पूरी खबर पढें|read more|more|see all|view all|"
                        r"सभी देखें|और देखें|अधिक पढें|continue reading)\W*$")
_EXCERPT_CLASS = re.compile(r"excerpt|desc|summary|synopsis|intro|teaser|content|text", re.I)
_TIME_TEXT = re.compile(
    r"\d+\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|मिनट|मि|घंटे|घंटा|घंटों|"
    r"दिन|सप्ताह|हफ्ते|महीने|माह|साल|वर्ष|सेकंड)\s*(?:ago|पहले|पूर्व)|"
    r"^\s*(?:an?|one|एक) (?:minute|hour|day|मिनट|घंटा|दिन) (?:ago|पहले)|"
    r"\b\d{1,2}[:.]\d{2}\s*(?:am|pm|AM|PM|IST)|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}\s+\S+\s+\d{4}|\w+ \d{1,2}, \d{4}", re.I)


# Words every block heading contains one of (matched in lower-case text without nuktas): a
# cheap filter so that only a few text nodes per page get the full heading test.
_HEADING_WORDS = (
    "recent latest more related trending top must popular spotlight editor recommend also read "
    "news stor video post picks like खबर समाचार पढ न्यूज ताजा लेटेस्ट संबंधित ज्यादा जरूर अगली टॉप "
    "ट्रेंडिंग लोकप्रिय मिलती अन्य देखें बडी अभी पठित स्टोरी"
).split()


def _prefix_tree_pattern(words: Iterable[str]) -> str:
    """An alternation of `words` with shared prefixes factored out ("re(?:ad|cent)"): the
    regex engine then tries one branch per distinct next letter, not every word."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items())
                    if char]
        if not branches:
            return ""
        either = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{either})?" if "" in node else either

    return pattern(tree)


# Without re.I, which makes this search four times slower: the text is lower-cased instead.
# Only which texts hold a word matters, so the shape of the alternation changes nothing.
_HEADING_WORD_RE = re.compile(_prefix_tree_pattern(_HEADING_WORDS))
_NUKTA_CHARS = re.compile("[\u093c\u0958-\u095f]")
# the nukta sign goes, precomposed nukta letters (U+0958-095F) become their base letter
_NUKTA_FREE = (("\u093c", ""), *zip(map(chr, range(0x0958, 0x0960)), "कखगजडढफय", strict=True))


def _heading_candidates(doc: etree._Element) -> list[etree._Element]:
    """Elements whose text is a recent-posts heading, innermost first, in document order.

    Starts from short text nodes that contain a heading word and climbs at most two levels
    (a heading may be split over spans: "More" + "News").
    """
    texts: list[str] = []
    owners: list[tuple[etree._Element, bool]] = []  # (element, is its tail)
    body = doc.find("body")
    for el in (body if body is not None else doc).iter():
        text, tail = el.text, el.tail
        # most texts are the indentation between tags: dismissed before a call
        if text and len(text) <= _MAX_HEADING_TEXT and not text.isspace():
            texts.append(text)
            owners.append((el, False))
        if tail and len(tail) <= _MAX_HEADING_TEXT and not tail.isspace():
            texts.append(tail)
            owners.append((el, True))
    found: list[etree._Element] = []
    is_heading: dict[etree._Element, bool] = {}  # neighbouring texts climb the same elements
    for i in _with_heading_word(texts):
        el, is_tail = owners[i]
        _climb_to_heading(el.getparent() if is_tail else el, found, is_heading)
    return found


_MAX_HEADING_TEXT = 200
_SEPARATOR = "\x00"


def _with_heading_word(texts: list[str]) -> list[int]:
    """Indexes of the texts that contain a heading word (in lower case, without nuktas).

    The texts are searched as one string, their separator counted to tell which text a match
    is in: one regex scan per page instead of one per text.
    """
    if not texts:
        return []
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:  # a text holds the separator itself
        # (a space instead: no heading word holds one)
        return _with_heading_word([text.replace(_SEPARATOR, " ") for text in texts])
    joined = joined.lower()
    if _NUKTA_CHARS.search(joined):
        for letter, base in _NUKTA_FREE:
            joined = joined.replace(letter, base)
    found: list[int] = []
    index, counted_to = 0, 0
    for match in _HEADING_WORD_RE.finditer(joined):
        index += joined.count(_SEPARATOR, counted_to, match.start())
        counted_to = match.start()
        if not found or found[-1] != index:
            found.append(index)
    return found


def _climb_to_heading(node: etree._Element | None, found: list[etree._Element],
                      is_heading: dict[etree._Element, bool]) -> None:
    """Add the innermost of node and its two ancestors whose whole text is a heading."""
    child = None
    for _ in range(3):
        if node is None or node.tag in ("body", "html"):
            return
        known = is_heading.get(node)
        if known is None:
            if child is not None and child.tag in _HEADING_LIKE and _wraps(node, child):
                known = False  # the same text as the child's, which is no heading
            else:
                known = _own_heading_text(node) is not None
            is_heading[node] = known
            if known:
                found.append(node)
        if known:
            return
        node, child = node.getparent(), node


def _wraps(parent: etree._Element, child: etree._Element) -> bool:
    """Is `child` all that `parent` holds, so that both have the same text?"""
    return (len(parent) == 1 and (not parent.text or parent.text.isspace())
            and (not child.tail or child.tail.isspace()))


def _own_heading_text(el: etree._Element) -> str | None:
    if not isinstance(el.tag, str) or el.tag not in _HEADING_LIKE:
        return None
    # a heading has little text; test cheaply before normalising
    raw = run_text(el)
    if not raw.strip() or len(raw) > 200:
        return None
    text = normalize_text(raw)
    return text if is_recent_heading(text) else None


class _Links:
    """Item URL (or None) and post title of each link, each computed once per page, and the
    title only for links with a URL."""

    def __init__(self, page_url: str | None):
        self.page_url = page_url
        self._urls: dict[etree._Element, str | None] = {}
        self._titles: dict[etree._Element, str] = {}

    def url(self, a: etree._Element) -> str | None:
        try:
            return self._urls[a]
        except KeyError:
            url = self._urls[a] = _is_item_link(a, self.page_url)
            return url

    def title(self, a: etree._Element) -> str:
        try:
            return self._titles[a]
        except KeyError:
            title = self._titles[a] = _link_title(a)
            return title

    def is_post(self, a: etree._Element) -> bool:
        return bool(self.url(a)) and len(self.title(a)) >= _MIN_TITLE


def _is_item_link(a: etree._Element, page_url: str | None) -> str | None:
    return _item_url(page_url, (a.get("href") or "").strip())


@lru_cache(maxsize=4096)
def _item_url(page_url: str | None, href: str) -> str | None:
    """The absolute URL a link points to, or None for fragments, scripts and the page itself."""
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "whatsapp:")):
        return None
    url = _absolute_url(page_url or "", href)
    if page_url and url.rstrip("/") == _own_url(page_url):
        return None
    return url


@lru_cache(maxsize=64)
def _own_url(page_url: str) -> str:
    return urldefrag(page_url)[0].rstrip("/")


# Links that urljoin and urldefrag would only take apart and put back together: an absolute
# http(s) URL with a plain host, or a path from the root without empty, dot or ";" segments;
# no spaces, no empty query. (urllib costs ~10 µs a link, most of the link handling.)
_PLAIN_ABSOLUTE = re.compile(r"https?://[A-Za-z0-9.:-]+(?:/[^\s;?#]*)?(?:\?[^\s#]+)?(?:#.*)?")
_PLAIN_FROM_ROOT = re.compile(r"(?:/[^/\s;?#.][^/\s;?#]*)+/?(?:\?[^\s#]+)?(?:#.*)?")


def _absolute_url(page_url: str, href: str) -> str:
    """urldefrag(urljoin(page_url, href)).url, computed directly for the plain links most
    pages are made of."""
    if _PLAIN_ABSOLUTE.fullmatch(href):
        return href.split("#", 1)[0]
    base = urlsplit(page_url)
    if base.scheme in ("http", "https") and base.netloc and _PLAIN_FROM_ROOT.fullmatch(href):
        return f"{base.scheme}://{base.netloc}{href.split('#', 1)[0]}"
    return urldefrag(urljoin(page_url, href))[0]


_HEADING_TAG_LIST = tuple(sorted(HEADING_TAGS))


def _link_title(a: etree._Element) -> str:
    """A post title: link text (or its title attribute) of at least three words.

    A heading inside the link is the title by itself (cards also carry durations, labels).
    """
    heading = next(a.iter(*_HEADING_TAG_LIST), None) if len(a) else None
    text = normalize_text(text_of(heading if heading is not None else a))
    if len(text) < _MIN_TITLE:
        text = normalize_text(a.get("title") or "") or text
    return text if len(text.split()) >= 3 else ""


def _block_root(heading: etree._Element, above_stop: set[etree._Element],
                links: _Links) -> etree._Element | None:
    """Climb from the heading to the smallest ancestor that holds ≥1 item link outside it,
    not above the article (`above_stop`: the article container's ancestors)."""
    in_heading = set(heading.iter("a"))
    node = heading
    for _ in range(6):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return None
        if parent in above_stop:
            # climbing further would take in the article: try the list beside the heading
            following = node.getnext()
            while following is not None and not isinstance(following.tag, str):
                following = following.getnext()
            if following is not None and any(links.is_post(a) for a in following.iter("a")):
                return following
            return None
        if any(a not in in_heading and links.is_post(a) for a in parent.iter("a")):
            # heading plus a sibling list: make sure the block does not swallow other blocks
            return parent
        node = parent
    return None


def _items(root: etree._Element, heading: etree._Element, heading_text: str, links: _Links,
           fetched_at: datetime | None) -> list[dict]:
    anchors = list(root.iter("a"))
    titled = _titled_links(anchors, set(heading.iter("a")), links)
    if not titled:
        return []
    posts = []
    seen_titles: set[str] = set()
    targets = None  # computed for the first post: menus have none
    for url, (title, same_url) in titled.items():
        if heading_text and title.startswith(heading_text + " "):
            title = title[len(heading_text) + 1:]  # a link that repeats the block's label
        if len(title.split()) < 6 and not looks_like_article_url(url):
            continue  # section and topic links ("Uttar Pradesh News") are navigation
        key = fold_for_key(title)
        if key in seen_titles:
            continue
        seen_titles.add(key)
        if targets is None:
            targets = _href_targets({a.get("href") for a in anchors}, titled)
        item = _item_element(same_url[0], root, url, targets)
        excerpt, published = _excerpt_and_time(item, same_url, title, fetched_at)
        posts.append({"title": title, "url": url, "excerpt": excerpt, "published_at": published})
    return posts


def _titled_links(anchors: list[etree._Element], in_heading: set[etree._Element],
                  links: _Links) -> dict[str, tuple[str, list[etree._Element]]]:
    """{URL: (longest title, its links)} of the links outside the heading, in document order,
    for the URLs whose title is long enough and no "read more"."""
    by_url: dict[str, list[etree._Element]] = {}
    for a in anchors:
        if a in in_heading:
            continue
        url = links.url(a)
        if url:
            by_url.setdefault(url, []).append(a)
    titled = {}
    for url, same_url in by_url.items():
        title = max(map(links.title, same_url), key=len)
        if len(title) >= _MIN_TITLE and not _READ_MORE.match(fold_for_key(title)):
            titled[url] = (title, same_url)
    return titled


def _href_targets(hrefs: set[str | None], urls: Collection[str]) -> dict[str, set[str]]:
    """For each href in the block, the post URLs it may stand for (one ends with the other)."""
    hrefs = hrefs - {None, ""}
    # one of two strings ends with the other only if they end alike: compare within the group
    # of URLs with the same last characters (and with the URLs shorter than that)
    by_end: dict[str, list[str]] = {}
    short: list[str] = []
    for url in urls:
        if len(url) >= _END:
            by_end.setdefault(url[-_END:], []).append(url)
        else:
            short.append(url)
    targets: dict[str, set[str]] = {}
    for h in hrefs:
        near = [*by_end.get(h[-_END:], ()), *short] if len(h) >= _END else [*urls]
        targets[h] = {u for u in near if u.endswith(h) or h.endswith(u)}
    return targets


_END = 6


def _item_element(a: etree._Element, root: etree._Element, url: str,
                  targets: dict[str, set[str]]) -> etree._Element:
    """The largest ancestor of a link, below the block root, that holds no other post's link."""
    node = a
    while True:
        if node is root:  # the block is the post's own link ("अगली खबर" boxes)
            return node
        parent = node.getparent()
        if parent is None or parent is root:
            return node
        if any(_stands_for_other(targets.get(x.get("href")), url) for x in parent.iter("a")):
            return node
        node = parent


def _stands_for_other(posts: set[str] | None, url: str) -> bool:
    return posts is not None and (len(posts) > 1 or (bool(posts) and url not in posts))


# The elements of an item, in document order, that may hold text of their own (not only in
# their children): the parents of its non-blank text nodes, found in C rather than by a look
# at every element. (normalize-space() blanks only ASCII spaces; Python's other spaces are
# dismissed below.)
_OWN_TEXT_HOLDERS = etree.XPath("descendant::text()[normalize-space()]/..")
_NOT_EXCERPT_TAGS = frozenset({"a", "time", "img", "figure", "script"})


def _excerpt_and_time(item: etree._Element, anchors: list[etree._Element], title: str,
                      fetched_at: datetime | None) -> tuple[str | None, str | None]:
    title_key = fold_for_key(title)
    published = None
    for t in item.iter("time"):
        value = t.get("datetime") or text_of(t)
        dt = parse_date(value, fetched_at) or parse_date(text_of(t), fetched_at)
        if dt:
            published = to_iso(dt)
            break
    excerpt = None
    candidates: list[tuple[int, str]] = []
    in_links = {el for a in anchors for el in a.iter()}
    for el in _OWN_TEXT_HOLDERS(item):
        if el.tag in _NOT_EXCERPT_TAGS or el in in_links:
            continue
        raw = "".join([el.text or ""] + [c.tail or "" for c in el])
        own = normalize_text(raw) if raw and not raw.isspace() else ""
        if not own:
            continue
        if fold_for_key(own) == title_key:
            continue
        if len(own) < 60 and _TIME_TEXT.search(own):
            if published is None:
                dt = parse_date(own, fetched_at)
                published = to_iso(dt) if dt else None
            continue
        if len(own) >= 20:
            bonus = 100 if _EXCERPT_CLASS.search(el.get("class") or "") else 0
            candidates.append((len(own) + bonus, own))
    if candidates:
        excerpt = max(candidates)[1]
    return excerpt, published


def find_recent_blocks(doc: etree._Element, page_url: str | None, fetched_at: datetime | None,
                       *, article_root: etree._Element | None = None,
                       extra_headings: Iterable[etree._Element] = ()) -> list[dict]:
    """Every recognisable block of posts around the article, in document order."""
    links = _Links(page_url)
    blocks: list[dict] = []
    used_roots: list[etree._Element] = []
    headings = list(extra_headings)
    above_article = set(ancestors(article_root)) if article_root is not None else set()
    for el in _heading_candidates(doc):
        if not any(el is h for h in headings):
            headings.append(el)
    for heading in headings:
        # a block may sit inside the article's container (after the text): its root then
        # stays inside too; only climbing above the whole container is refused
        root = _block_root(heading, above_article, links)
        if root is None or any(is_inside(root, r) or is_inside(r, root) for r in used_roots):
            continue
        heading_text = clean_heading(normalize_text(text_of(heading)))
        posts = _items(root, heading, heading_text, links, fetched_at)
        if not posts:
            continue
        used_roots.append(root)
        blocks.append({"heading": heading_text, "posts": posts})
    return blocks


def boxed_links(boxes: list[etree._Element], page_url: str | None,
                seen: set[str]) -> list[dict]:
    """{title, url} of the story links inside also-read boxes named by a profile."""
    out = []
    for box in boxes:
        for a in box.iter("a"):
            url, title = _is_item_link(a, page_url), _link_title(a)
            if url and title and url not in seen:
                seen.add(url)
                out.append({"title": title, "url": url})
    return out


def links_of(blocks: Iterable, page_url: str | None) -> list[dict]:
    """{title, url} for every link whose text is part of an also-read block."""
    out, seen = [], set()
    for block in blocks:
        block_key = fold_for_key(block.text)
        for a in block.owner.iter("a"):
            url = _is_item_link(a, page_url)
            title = _link_title(a)
            if is_also_read_marker(title):
                # "Also Read: Title" keeps the title; a bare label linked to the story does not
                label, sep, rest = title.partition(":") if ":" in title else \
                    title.partition(" - ")
                title = rest.strip() if sep else ""
            if not url or len(title) < 5 or url in seen:
                continue
            if fold_for_key(title) in block_key:
                seen.add(url)
                out.append({"title": title, "url": url})
    return out
