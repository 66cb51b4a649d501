"""Parsing and walking the DOM: decode bytes, build an lxml tree, cut a page into text blocks.

A *block* is the inline text owned by one block-level element (a paragraph, a list item, a
heading, or a div that holds bare text), split at <br>. Every later layer works on blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from lxml import etree
from lxml.cssselect import CSSSelector
from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
)

from newscrawler.text import collapse_ws, has_mojibake

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
    "thead", "tfoot", "tr", "td", "th", "ul", "center", "caption", "summary", "menu", "html",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose content is never article text.
JUNK_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed",
             "canvas", "video", "audio", "select", "option", "button", "input", "textarea",
             "map", "link", "meta")


class PageError(ValueError):
    """A page that cannot be read as HTML at all (empty, binary, not a document)."""


def parse_page(page: str | bytes, content_type: str | None = None) -> etree._Element:
    """A fetched page (bytes, or text already decoded) as an lxml tree.

    UTF-8 pages (declared so, or undeclared) are parsed from the bytes: libxml2 reads UTF-8
    faster than the UTF-16 of a decoded Devanagari str, and no decoding is needed. Invalid
    bytes become U+FFFD, as in a decode with errors="replace".
    """
    if isinstance(page, str):
        return parse_html(page)
    _check_bytes(page)
    declared = _declared_encoding(page, content_type)
    if declared not in (None, "utf-8") or (declared is None and _single_byte_text(page)):
        return parse_html(decode_html(page, content_type))
    if b"<" not in page:
        raise PageError("not HTML: no markup")
    return _parse(page, _UTF8_PARSER)


_NOT_ASCII_OR_REPLACEMENT = re.compile("[^\x00-\x7f\ufffd]")


def _single_byte_text(body: bytes) -> bool:
    """Is an undeclared page in a single-byte encoding (windows-1252...), not UTF-8?

    Yes when it is not valid UTF-8 and holds no UTF-8 character at all; a UTF-8 page with a
    stray bad byte stays UTF-8 (its Devanagari would turn to mojibake otherwise).
    """
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", "replace")
        return _NOT_ASCII_OR_REPLACEMENT.search(text) is None
    return False


def _check_bytes(body: bytes) -> None:
    if not body or body.isspace():  # (strip() would copy the whole page)
        raise PageError("empty page")
    head = body[:2048]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PageError("binary content, not HTML")


def _declared_encoding(body: bytes, content_type: str | None) -> str | None:
    """The encoding named by a BOM, the HTTP header or the page itself (None: undeclared)."""
    bom_encoding, _ = read_bom(body)
    return (bom_encoding or http_content_type_encoding(content_type)
            or html_body_declared_encoding(body))


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Bytes to text: BOM, HTTP header, <meta charset>, then UTF-8; repairs a wrong declaration.

    A page that declares latin-1/cp1252 but is really UTF-8 Devanagari decodes to mojibake
    (à¤…); when the raw bytes are valid UTF-8 we take that instead of the declaration.
    """
    _check_bytes(body)
    _, text = html_to_unicode(content_type, body, auto_detect_fun=_guess_utf8)
    if has_mojibake(text[:200_000]):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return text


def _guess_utf8(body: bytes) -> str | None:
    """The encoding of an undeclared page: UTF-8, or windows-1252 (the web's default for
    undeclared pages) when it holds no UTF-8 character at all."""
    return "cp1252" if _single_byte_text(body) else "utf-8"


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Plain lxml elements: lxml.html's element-class lookup costs a Python call per element
# touched, which was the largest single cost of extraction. Comments are dropped at parse time.
_PARSER_OPTIONS = {"remove_comments": True, "remove_pis": True, "huge_tree": True,
                   "collect_ids": False, "no_network": True}
_HTML_PARSER = etree.HTMLParser(**_PARSER_OPTIONS)
_UTF8_PARSER = etree.HTMLParser(encoding="utf-8", **_PARSER_OPTIONS)


def parse_html(text: str) -> etree._Element:
    """Text to an lxml tree."""
    text = _XML_DECL.sub("", text, count=1)
    if not text or text.isspace():
        raise PageError("empty page")
    if "<" not in text[:4096] and "<" not in text:
        raise PageError("not HTML: no markup")
    return _parse(text, _HTML_PARSER)


def _parse(data: str | bytes, parser: etree.HTMLParser) -> etree._Element:
    try:
        doc = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise PageError(f"unparseable HTML: {exc}") from exc
    if doc is None:
        raise PageError("unparseable HTML: no document")
    return doc


def strip_junk(doc: etree._Element) -> None:
    """Drop elements that never hold article text, keeping their tails."""
    etree.strip_elements(doc, *JUNK_TAGS, etree.Comment, etree.ProcessingInstruction,
                         with_tail=False)


@lru_cache(maxsize=2048)
def css(selector: str) -> CSSSelector:
    """A compiled, cached CSS selector (profiles reuse the same selectors on every page)."""
    return CSSSelector(selector, translator="html")


def select(root: etree._Element, selector: str) -> list[etree._Element]:
    try:
        return css(selector)(root)
    except Exception as exc:  # a bad selector in a profile is a profile bug: say which
        raise ValueError(f"bad CSS selector {selector!r}: {exc}") from exc


# One compound selector of the simple kind: tag, .class and #id parts only.
_COMPOUND = re.compile(r"([a-z][a-z0-9]*)?((?:[.#]-?[_a-zA-Z][\w-]*)*)")
_NAME_PART = re.compile(r"([.#])([\w-]+)")
_Compound = tuple[str | None, frozenset[str], str | None]  # tag, classes, id


@lru_cache(maxsize=2048)
def _simple_selector(selector: str) -> tuple[_Compound, ...] | None:
    """A selector of descendant-combined compounds ("div.a .b h2") as parts, else None."""
    parts = []
    for compound in selector.split():
        match = _COMPOUND.fullmatch(compound)
        if match is None:
            return None
        names = _NAME_PART.findall(match.group(2))
        ids = [name for kind, name in names if kind == "#"]
        if len(ids) > 1:
            return None
        parts.append((match.group(1), frozenset(n for k, n in names if k == "."),
                      ids[0] if ids else None))
    return tuple(parts) if parts else None


@lru_cache(maxsize=2048)
def _child_selector(selector: str) -> tuple[tuple[_Compound, ...], _Compound, bool] | None:
    """".box p > span.x" or ".box > div:first-child" as (outer parts, child compound, first
    child only), else None."""
    outer, combinator, child = selector.rpartition(">")
    child = child.strip()
    first_only = child.endswith(":first-child")
    outer_parts = _simple_selector(outer) if combinator else None
    child_parts = _simple_selector(child.removesuffix(":first-child"))
    if outer_parts is None or child_parts is None or len(child_parts) != 1:
        return None
    return outer_parts, child_parts[0], first_only


def _matches(el: etree._Element, part: _Compound) -> bool:
    tag, classes, id_ = part
    return ((tag is None or el.tag == tag) and (id_ is None or el.get("id") == id_)
            and (not classes or classes.issubset((el.get("class") or "").split())))


class PageSelector:
    """CSS selection on one parsed page, for the many selectors a site profile applies.

    Each XPath evaluation of a class selector walks the whole tree in libxml2 (~0.5 µs per
    element); here simple selectors ("article h1", ".a0a8c070 p", "div#main") are answered
    from a class index built in one pass on first use (ids, rare, by an XPath lookup). Others
    go to lxml's cssselect.
    The tree must not change while the selector is in use.
    """

    def __init__(self, root: etree._Element):
        self.root = root
        self._by_class: dict[str, list[etree._Element]] | None = None

    def __call__(self, selector: str) -> list[etree._Element]:
        parts = _simple_selector(selector)
        if parts is not None:
            return self._select(parts)
        child_selector = _child_selector(selector)
        if child_selector is not None:
            found = self._children(*child_selector)
            if found is not None:
                return found
        return select(self.root, selector)

    def _children(self, outer_parts: tuple[_Compound, ...], child: _Compound,
                  first_only: bool) -> list[etree._Element] | None:
        """Children matching `child` of the elements `outer_parts` selects (only the first
        child element of each with `first_only`), in document order; None when one of those
        elements lies inside another, as their children would then be out of order."""
        outers = self._select(outer_parts)
        # (in document order, one inside another lies inside the one just before it)
        if any(is_inside(outer, before) for before, outer in pairwise(outers)):
            return None
        found = []
        for outer in outers:
            children = [el for el in outer if isinstance(el.tag, str)]
            if first_only:
                children = children[:1]
            found.extend(el for el in children if _matches(el, child))
        return found

    def _select(self, parts: tuple[_Compound, ...]) -> list[etree._Element]:
        *ancestors_parts, last = parts
        tag, classes, id_ = last
        if ancestors_parts and not classes and id_ is None:
            # "div.x a": the few div.x first, then their links (libxml2 finds tags below an
            # element), rather than every link of the page climbing its ancestors
            return _tags_below(self._select(tuple(ancestors_parts)), tag)
        if id_ is None and (not classes or (tag is None and len(classes) == 1)):
            found = list(self._candidates(last))  # all of them match: ".x" or "h1"
        else:
            found = [el for el in self._candidates(last) if _matches(el, last)]
        if ancestors_parts:
            found = [el for el in found if _has_ancestors(el, ancestors_parts, self.root)]
        return found

    def _candidates(self, part: _Compound) -> list[etree._Element]:
        tag, classes, id_ = part
        if id_ is not None:  # rare in profiles: not worth an index
            return _WITH_ID(self.root, id=id_)
        if classes:
            if self._by_class is None:
                self._by_class = _class_index(self.root)
            return self._by_class.get(next(iter(classes)), [])
        return list(self.root.iter(tag))


_WITH_ID = etree.XPath("descendant-or-self::*[@id = $id]")


def _tags_below(outers: list[etree._Element], tag: str | None) -> list[etree._Element]:
    """Elements named `tag` below any of `outers` (given in document order), in document order,
    each once."""
    found: list[etree._Element] = []
    last_kept = None
    for outer in outers:
        if last_kept is not None and is_inside(outer, last_kept):
            continue  # its elements were taken with the enclosing one's
        last_kept = outer
        found.extend(el for el in outer.iter(tag) if el is not outer)
    return found


def _class_index(root: etree._Element) -> dict[str, list[etree._Element]]:
    """Elements by class name, in document order."""
    by_class: dict[str, list[etree._Element]] = {}
    for el in root.iter():
        names = el.get("class")
        if names:
            for name in names.split():
                found = by_class.setdefault(name, [])
                if not found or found[-1] is not el:  # class="a a"
                    found.append(el)
    return by_class


def _has_ancestors(el: etree._Element, parts: list[_Compound], root: etree._Element) -> bool:
    """Do ancestors of `el` (up to `root`, inclusive) match `parts` in order, outermost first?"""
    pending = len(parts) - 1
    node = el
    while pending >= 0 and node is not root:
        node = node.getparent()
        if node is None:
            return False
        if _matches(node, parts[pending]):
            pending -= 1
    return pending < 0


def text_of(el: etree._Element) -> str:
    """Visible text of an element, whitespace collapsed (not yet Unicode-normalised)."""
    if not len(el):  # most links and headings
        return collapse_ws(el.text or "")
    return collapse_ws(" ".join(el.itertext()))


def run_text(el: etree._Element) -> str:
    """All text of an element run together as written ("Hel<b>lo</b>" reads "Hello").

    The same as "".join(el.itertext()), but faster: an element without children is its text,
    others are serialised as text by libxml2.
    """
    if not len(el):
        return el.text or ""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


@dataclass(eq=False, slots=True)
class Block:
    """Inline text owned by one block element (one <br>-separated segment of it)."""

    owner: etree._Element
    text: str
    link_chars: int
    index: int  # document order
    heading: bool

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))


def collect_blocks(root: etree._Element) -> list[Block]:
    """Cut the tree below `root` into text blocks, in document order."""
    blocks: list[Block] = []
    _walk(root, blocks)
    return blocks


def is_walked_into(el: etree._Element, root: etree._Element) -> bool:
    """Does collect_blocks(root) cut `el` into blocks of its own? Then collect_blocks(el) gives
    the same blocks as collect_blocks(root) does inside `el`."""
    if el.tag in ("a", "br") or (el.tag not in BLOCK_TAGS and not _has_block_descendant(el)):
        return False  # its text is part of its parent's blocks
    node = el
    while node is not root:
        if node is None or node.tag in _NEVER_ARTICLE:
            return False
        node = node.getparent()
        if node is not None and node is not root and node.tag == "a":
            return False  # a link is read as inline text, whatever it holds
    return True


_NEVER_ARTICLE = frozenset({"nav", "footer", "select", "menu"})


def _has_block_descendant(el: etree._Element) -> bool:
    # The inline elements asked about hold two others on average: a loop in Python beats
    # el.iter(*BLOCK_TAGS), which builds a matcher for the 46 tag names on every call (~5 µs)
    return any(d.tag in BLOCK_TAGS for d in el.iterdescendants())


def _walk(root: etree._Element, out: list[Block]) -> None:
    """Cut `root` into blocks, depth first, with a stack of its own rather than recursion:
    pages nest thousands of elements deep."""
    if _read_whole(root, out):
        return
    el, children = root, iter(root)
    text = root.text
    parts: list[str] = [text] if text else []
    link_chars = 0
    stack: list[tuple[etree._Element, Iterator[etree._Element], list[str], int]] = []
    while True:
        for child in children:
            tag, tail = child.tag, child.tail
            if not isinstance(tag, str):  # a comment or processing instruction
                pass
            elif tag in _NEVER_ARTICLE:  # navigation and footers hold no article text: not walked
                _flush(el, parts, link_chars, out)
                parts, link_chars = [], 0
            elif tag in BLOCK_TAGS or (tag not in ("a", "br") and len(child)
                                       and _has_block_descendant(child)):
                _flush(el, parts, link_chars, out)
                parts, link_chars = [tail] if tail else [], 0
                if not _read_whole(child, out):  # walk into it, then come back here
                    stack.append((el, children, parts, link_chars))
                    el, children = child, iter(child)
                    text = child.text
                    parts = [text] if text else []
                    break
                continue
            elif tag == "br":
                parts.append(_BREAK)
            elif not len(child):  # most inline elements: a bare link, span or image
                inner = child.text
                if inner and tag != "img":
                    if tag == "a":
                        link_chars += len(collapse_ws(inner))
                    parts.append(inner)
            else:
                inner = "".join(child.itertext())
                if tag == "a":
                    link_chars += len(collapse_ws(inner))
                elif inner and child.find(".//a") is not None:
                    link_chars += _link_chars(child)
                # inline children may themselves contain <br>
                if child.find(".//br") is not None:
                    inner = _inline_with_breaks(child)
                parts.append(inner)
            if tail:
                parts.append(tail)
        else:  # all children read
            if parts:
                _flush(el, parts, link_chars, out)
            if not stack:
                return
            el, children, parts, link_chars = stack.pop()


def _read_whole(el: etree._Element, out: list[Block]) -> bool:
    """Blocks of an element read as one line, not walked into: a table row of plain cells,
    an embedded post. False for every other element."""
    if el.tag == "tr" and _is_data_row(el):
        _flush_row(el, out)
        return True
    if el.tag == "blockquote" and _EMBEDDED_POST.search(el.get("class") or ""):
        # a quoted tweet is one statement, its attribution ("— ANI (@ANI) October 8") with it
        _flush(el, [" ".join(el.itertext())], _link_chars(el), out)
        return True
    return False


_BREAK = "\n\u2028"  # marks a <br> in gathered text
_CELL_TAGS = ("td", "th")
_EMBEDDED_POST = re.compile(r"\b(?:twitter-tweet|instagram-media)\b")


def _is_data_row(tr: etree._Element) -> bool:
    """A table row of two or more short, plain cells ("label | figure"): read as one line.

    A cell alone may be just a number, which no filter could tell from stray text; rows of
    layout tables (cells holding paragraphs, divs or long text) are walked cell by cell.
    """
    cells = [child for child in tr if isinstance(child.tag, str)]
    return (len(cells) >= 2 and all(cell.tag in _CELL_TAGS for cell in cells)
            and not any(_has_block_descendant(cell) for cell in cells)
            and sum(len(run_text(cell)) for cell in cells) <= 300)


def _flush_row(tr: etree._Element, out: list[Block]) -> None:
    texts, link_chars = [], 0
    for cell in tr:
        if not isinstance(cell.tag, str):
            continue
        text = collapse_ws(" ".join(cell.itertext()))
        if text:
            texts.append(text)
            link_chars += _link_chars(cell)
    _flush(tr, [" ".join(texts)], link_chars, out)


def _link_chars(el: etree._Element) -> int:
    """Characters of link text below an element."""
    return sum(len(collapse_ws(" ".join(a.itertext()))) for a in el.iter("a"))


def _flush(owner: etree._Element, parts: list[str], link_chars: int, out: list[Block]) -> None:
    """Blocks of the inline text gathered in `parts` (one per <br>-separated segment)."""
    raw = "".join(parts)
    if not raw or raw.isspace():  # most flushes: whitespace between block children
        return
    segments = [collapse_ws(s) for s in raw.split(_BREAK)]
    segments = [s for s in segments if s]
    total = sum(len(s) for s in segments) or 1
    heading = owner.tag in HEADING_TAGS
    for seg in segments:
        share = round(link_chars * len(seg) / total)
        out.append(Block(owner, seg, min(share, len(seg)), len(out), heading))


def _inline_with_breaks(el: etree._Element) -> str:
    """The text of an inline element with each <br> marked, in document order."""
    out: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                out.append(_BREAK)
            elif isinstance(node.tag, str):
                out.append(node.text or "")
        elif node is not el:
            out.append(node.tail or "")
    return "".join(out)


def ancestors(el: etree._Element):
    parent = el.getparent()
    while parent is not None:
        yield parent
        parent = parent.getparent()


def is_inside(el: etree._Element, container: etree._Element) -> bool:
    if el is container:
        return True
    return any(a is container for a in ancestors(el))
