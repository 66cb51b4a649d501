"""The generic extractor: title, main text block, lede and dates on a page with no profile.

It scores the page's text blocks (readability-style: long, sentence-rich, few links), picks the
element that holds most article text, and, when the page carries a JSON-LD articleBody, prefers
the candidate whose words agree with it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from lxml import etree

from newscrawler.dates import is_relative_time, parse_date
from newscrawler.extract.boilerplate import (
    is_furniture,
    is_paywall_prompt,
    is_recent_heading,
    is_tagline,
)
from newscrawler.extract.dom import Block, ancestors, run_text, text_of
from newscrawler.text import (
    devanagari_ratio,
    fold_for_key,
    is_also_read_marker,
    is_boilerplate_line,
    normalize_text,
    strip_site_suffix,
)

MIN_PARAGRAPH_CHARS = 25
_SENTENCE_END = re.compile(r"[।॥.!?]")
_PARAGRAPH_TAGS = frozenset({"p", "li", "blockquote", "pre", "dd", "dt", "td", "th", "tr"})
_CONTAINER_STOP = frozenset({"html", "body"})


def tokens(text: str) -> set[str]:
    return set(fold_for_key(text).split())


def similarity(a: str, b: str) -> float:
    """Token overlap of two short texts (0..1), nukta/spacing insensitive."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / max(len(ta), len(tb))


# ---------------------------------------------------------------- title

def find_title(doc: etree._Element, reference: str | None, site_names: Iterable[str], *,
               reference_is_page_title: bool = False
               ) -> tuple[str | None, etree._Element | None]:
    """The headline as shown: the <h1> closest to the structured headline, else that headline.

    A reference that is only the page's <title> (no JSON-LD headline, no og:title) is often
    written for search engines ("… LIVE: updates, latest news"): a single <h1> wins over it.
    """
    names = [n for n in site_names if n]
    best: tuple[float, str, etree._Element] | None = None
    shown: list[tuple[str, etree._Element]] = []  # the <h1>s that are no logo
    for h1 in doc.iter("h1"):
        text = normalize_text(text_of(h1))
        if len(text) < 5:
            continue
        score = similarity(text, reference) if reference else 0.5
        if names and any(fold_for_key(text) == fold_for_key(n) for n in names):
            score = -1  # a logo in an <h1>
        else:
            shown.append((text, h1))
        if best is None or score > best[0]:
            best = (score, text, h1)
    if best is not None and (reference is None or best[0] >= 0.5):
        return best[1], best[2]
    if reference_is_page_title and len(shown) == 1:
        return shown[0]
    if reference:
        return strip_site_suffix(normalize_text(reference), names), None
    if best is not None and best[0] >= 0:
        return best[1], best[2]
    return None, None


# ---------------------------------------------------------------- body container

def block_weight(block: Block) -> float:
    """How much a block looks like article prose."""
    n = len(block.text)
    if n < MIN_PARAGRAPH_CHARS or block.heading or block.link_density > 0.35:
        return 0.0
    sentences = len(_SENTENCE_END.findall(block.text))
    return n * (1.0 - block.link_density) + 30.0 * min(sentences, 10)


def score_containers(blocks: list[Block]) -> dict[etree._Element, float]:
    """Propagate block weights to the owner's ancestors with decay."""
    scores: dict[etree._Element, float] = defaultdict(float)
    for block in blocks:
        weight = block_weight(block)
        if not weight:
            continue
        el = block.owner
        if el.tag in _PARAGRAPH_TAGS or el.tag == "div" and el.getparent() is not None:
            scores[el] += weight * 0.5
        for depth, parent in enumerate(ancestors(el)):
            if depth > 3 or parent.tag in _CONTAINER_STOP:
                break
            scores[parent] += weight / (1, 1.5, 3, 6)[depth]
    return scores


def pick_container(blocks: list[Block], article_body: str | None = None,
                   scores: dict[etree._Element, float] | None = None) -> etree._Element | None:
    """The element that holds the article text."""
    scores = scores if scores is not None else score_containers(blocks)
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:8]
    ranked = [(el, s) for el, s in ranked if not is_furniture(el)] or ranked
    if article_body and len(article_body) >= 200:
        reference = tokens(article_body)
        best_el, best_f1 = None, 0.0
        for el, _ in ranked:
            got = tokens(" ".join(b.text for b in blocks_in(blocks, el) if block_weight(b)))
            if not got:
                continue
            overlap = len(got & reference)
            precision, recall = overlap / len(got), overlap / len(reference)
            f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
            if f1 > best_f1 + 0.02:
                best_el, best_f1 = el, f1
        if best_el is not None and best_f1 >= 0.5:
            return best_el
    return ranked[0][0]


def blocks_in(blocks: list[Block], *containers: etree._Element) -> list[Block]:
    """Blocks whose owner is one of the containers or lies below one."""
    members = {el for root in containers for el in root.iter()}
    return [b for b in blocks if b.owner in members]


def with_siblings(container: etree._Element, blocks: list[Block],
                  scores: dict[etree._Element, float]) -> list[etree._Element]:
    """The container plus sibling elements that carry article text too.

    Sites split one story over siblings: a lead paragraph before a paywalled div, text blocks
    between ad slots. A sibling joins when it is not furniture and holds prose of its own.
    """
    parent = container.getparent()
    if parent is None:
        return [container]
    entries = _repeated_entries(parent, blocks)
    if entries:
        return entries
    best = scores.get(container, 0.0)
    good_owners = {b.owner for b in blocks if block_weight(b) and not b.heading}
    roots = []
    for sibling in parent:
        if sibling is container:
            roots.append(sibling)
            continue
        if not isinstance(sibling.tag, str) or is_furniture(sibling):
            continue
        if sibling.tag in _PARAGRAPH_TAGS and sibling in good_owners:
            roots.append(sibling)
        elif scores.get(sibling, 0.0) >= 0.25 * best:
            roots.append(sibling)
    return roots


def _furniture_between(el: etree._Element, containers: list[etree._Element],
                       memo: dict[etree._Element, bool]) -> bool:
    node = el
    while node is not None and not any(node is c for c in containers):
        known = memo.get(node)
        if known is None:
            known = memo[node] = is_furniture(node)
        if known:
            return True
        node = node.getparent()
    return False


def _inside_any(el: etree._Element, roots: set[etree._Element],
                memo: dict[etree._Element, bool]) -> bool:
    """Is `el` one of `roots` or below one?"""
    path = []
    node, found = el, False
    while node is not None:
        known = memo.get(node)
        if known is not None:
            found = known
            break
        if node in roots:
            found = True
            break
        path.append(node)
        node = node.getparent()
    for passed in path:
        memo[passed] = found
    return found


def _repeated_entries(parent: etree._Element, blocks: list[Block]) -> list[etree._Element]:
    """Entries of a live blog: the parent repeats as same-class siblings that hold prose.

    The best-scoring element may be the text of one entry; the article is all of them.
    """
    cls = parent.get("class")
    grand = parent.getparent()
    if not cls or grand is None:
        return []
    twins = [el for el in grand if isinstance(el.tag, str) and el.tag == parent.tag
             and el.get("class") == cls]
    if len(twins) < 3:
        return []
    prose = {b.owner for b in blocks if block_weight(b)}
    with_text = [el for el in twins if any(o in prose for o in el.iter())]
    return with_text if len(with_text) >= 3 else []


def body_paragraphs(blocks: list[Block], containers: list[etree._Element], *,
                    extra_boilerplate: Iterable[re.Pattern] = (),
                    exclude: Iterable[etree._Element] = ()) -> tuple[list[Block], list[Block]]:
    """Article paragraphs and subheadings inside the containers, and the also-read blocks.

    Returns (paragraphs, also_read) where also_read are the blocks that belong in `related`.
    """
    excluded = set(exclude)
    inside = blocks_in(blocks, *containers)
    # memos: blocks share ancestors
    furniture: dict[etree._Element, bool] = {}
    under_excluded: dict[etree._Element, bool] = {}
    paragraphs: list[Block] = []
    also_read: list[Block] = []
    in_also_read = False
    for block in inside:
        text = block.text
        if excluded and _inside_any(block.owner, excluded, under_excluded):
            continue
        # an also-read box is often furniture-classed itself: read it before skipping furniture
        if is_also_read_marker(text):
            also_read.append(block)
            in_also_read = True
            continue
        if in_also_read and block.link_density >= 0.5 and not (
                is_tagline(text) or is_boilerplate_line(text) or is_recent_heading(text)):
            also_read.append(block)
            continue
        in_also_read = False
        if _furniture_between(block.owner, containers, furniture):
            continue
        if block.link_density > 0.6 and not _SENTENCE_END.search(text[-3:]):
            continue
        if is_boilerplate_line(text) or is_tagline(text) or is_recent_heading(text) \
                or is_paywall_prompt(text):
            continue
        if is_dateline(text) or looks_like_data(text) or _stray_latin_line(text):
            continue
        if _caption_under_image(block):
            continue
        if extra_boilerplate and any(p.search(fold_for_key(text)) for p in extra_boilerplate):
            continue
        if len(text) < 3:
            continue
        paragraphs.append(block)
    return _trim_trailing_headings(paragraphs), also_read


_GLUED_AGE = re.compile(r"(?:\d+\s*(?:मिनट|घंटे|घंटा|दिन|सेकंड)|कुछ (?:ही )?(?:क्षण|पल|सेकंड|मिनट))"
                        r" (?:पहले|पूर्व)$")


def is_dateline(text: str) -> bool:
    """A short line that only gives a date or an age ("Updated 16 Apr 2020", "(6 दिन पहले)")."""
    if len(text) > 80 or text.rstrip().endswith(("।", ".", "?", "!")):
        return False
    if is_relative_time(text) and len(text.split()) <= 6:
        return True
    if _GLUED_AGE.search(text) and len(text.split()) <= 6:  # "इंदौर3 मिनट पहले", "…कुछ ही क्षण पहले"
        return True
    found = parse_date(text, relative=False)
    return found is not None and len(text.split()) <= 12


def _caption_under_image(block: Block) -> bool:
    """A short line with no sentence end right after an image is its caption."""
    text = block.text
    if block.heading or len(text) > 80 or len(text.split()) > 8 \
            or _SENTENCE_END.search(text[-2:]):
        return False
    prev = _previous_element(block.owner)
    if prev is None:
        return False
    if prev.tag in ("img", "picture"):
        return True
    # an image wrapper, not a section that merely has thumbnails among its text and links
    return (prev.find(".//img") is not None and prev.find(".//a") is None
            and len(run_text(prev).strip()) < 40)


def looks_like_data(text: str) -> bool:
    """JSON or code that a page left in its markup (state blobs, inline configs)."""
    head = text[:200]
    return head.startswith(("{", "[")) and head.count('":') >= 2


def _stray_latin_line(text: str) -> bool:
    """A short Latin-script line without a sentence end inside a Hindi page (an image title)."""
    return (len(text) < 70 and not _SENTENCE_END.search(text[-2:])
            and devanagari_ratio(text) == 0.0 and len(text.split()) <= 10)


def _trim_trailing_headings(paragraphs: list[Block]) -> list[Block]:
    """A subheading with no text after it is a block title ("Latest World News"), not body."""
    while paragraphs and (paragraphs[-1].heading or (
            len(paragraphs[-1].text) < 60 and not _SENTENCE_END.search(paragraphs[-1].text))):
        if len(paragraphs) == 1:
            break
        paragraphs.pop()
    return paragraphs


# ---------------------------------------------------------------- lede

# matched in lower-case class and id names (without re.I, which is four times slower)
LEDE_CLASS = re.compile(
    r"synopsis|summary|excerpt|standfirst|sub-?title|subhead|intro|lede|kicker|highlight|"
    r"description|sapo|short-?desc|deck|strap|tagline-?story|story-?sub|article-?desc-?top|"
    r"sab-head")
_NOT_LEDE_CLASS = re.compile(r"caption|credit|author|photo")


def _previous_element(el: etree._Element) -> etree._Element | None:
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return prev


_LEDE_TAGS = ("h2", "h3", "p", "div", "span", "h4", "strong", "section", "ul")


def _between(doc: etree._Element, first: etree._Element | None,
             last: etree._Element | None):
    """(distance, element) for elements after `first` (and its subtree) and before `last`."""
    started = first is None
    skip_inside = set(first.iter()) if first is not None else set()
    distance = 0
    for el in doc.iter(*_LEDE_TAGS, "h1"):
        if last is not None and el is last:
            return
        if not started:
            started = el is first
            continue
        if el in skip_inside:
            continue
        distance += 1
        yield distance, el


def _first_words(el: etree._Element, count: int) -> list[str]:
    """The first `count` words of text_of(el), reading no more of the element than needed."""
    words: list[str] = []
    for piece in el.itertext():
        words.extend(piece.split())
        if len(words) >= count:
            break
    return words[:count]


_HOLDING_WORD = etree.XPath("descendant::text()[contains(., $word)]/ancestor::*")


def is_standfirst(block: Block, title_el: etree._Element | None) -> bool:
    """Is this first block of the body the standfirst, taken in with the body's container
    (<article><h1/><h2 class=synopsis/>…)? A lede-classed element, or an <h2> right after the
    title; a plain paragraph after the title stays body, even when the description repeats
    it."""
    el = block.owner
    if title_el is None or el is title_el or not 25 <= len(block.text) <= 800:
        return False
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    if LEDE_CLASS.search(names) and not _NOT_LEDE_CLASS.search(names):
        return _previous_element(el) is title_el or el.tag in ("h2", "p")
    return el.tag == "h2" and _previous_element(el) is title_el


def find_lede(doc: etree._Element, title_el: etree._Element | None, first_body: Block | None,
              container: etree._Element | None, description: str | None) -> str | None:
    """The standfirst shown with the headline, if the page shows one."""
    desc_key = fold_for_key(description) if description else ""
    first_key = fold_for_key(first_body.text) if first_body is not None else ""

    for distance, el in _between(doc, title_el, first_body.owner if first_body else None):
        if el.tag not in _LEDE_TAGS:
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        is_h2_after_title = el.tag == "h2" and title_el is not None and distance < 12
        # <h1>…</h1><p>summary</p> in a headline block, outside the body container
        is_p_after_title = (el.tag == "p" and title_el is not None
                            and _previous_element(el) is title_el
                            and (container is None or not any(a is container
                                                              for a in ancestors(el))))
        if not (LEDE_CLASS.search(names) or is_h2_after_title or is_p_after_title):
            continue
        if LEDE_CLASS.search(names) and _NOT_LEDE_CLASS.search(names):
            continue
        text = normalize_text(text_of(el))
        if not 25 <= len(text) <= 800 or is_recent_heading(text):
            continue
        key = fold_for_key(text)
        if key == first_key:
            continue
        link_chars = sum(len(text_of(a)) for a in el.iter("a"))
        if link_chars > len(text) / 2:
            continue
        return text

    if desc_key and len(desc_key) >= 25 and desc_key != first_key:
        inside = set(container.iter()) if container is not None else set()
        probe = (description or "").split()[:2]
        # an element that starts with the probe words has a text node holding each of them:
        # libxml2 finds the few such elements, instead of reading the words of every element
        maybe = set(_HOLDING_WORD(doc, word=max(probe, key=len)))
        for el in doc.iter("p", "h2", "div", "span", "h3"):
            if el not in maybe or len(el) > 3 or el in inside:
                continue
            # cheap test: the shown description starts with the same words
            if _first_words(el, len(probe)) != probe:
                continue
            text = normalize_text(text_of(el))
            if text and fold_for_key(text) == desc_key:
                return text
    return None
