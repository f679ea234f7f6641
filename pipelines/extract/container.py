"""Which element holds the article: chosen by evidence, not by the first match.

Real pages carry more than one candidate: a desktop and a mobile copy, a
hidden print copy (single-page applications keep the text twice), a sidebar
of summaries, a 公报 whose text sits outside every known container. So:

- what the reader cannot see does not count: inline ``display:none``,
  ``hidden``, Angular's ``ng-hide``, and classes a page's own ``<style>``
  hides (outside ``@media`` blocks, which only apply to some screens);
- nor do menus, headers and footers (by class/id);
- prose counts for the block holding it and for all its ancestors; the
  container is the block whose prose is densest relative to all its text
  (links and furniture lower the density), weighted by the amount of prose:
  ``prose² / text``. A wrapper holding the body plus the page's navigation
  loses to the body; one paragraph loses to the body holding all of them.
"""

from __future__ import annotations

import functools
import re

from lxml import html as lxml_html

from pipelines.extract import xpaths
from pipelines.extract.dom import document_iter, drop_tree, text_content

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASSES = frozenset({"ng-hide", "hidden", "hide", "none"})
_MEDIA = re.compile(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", re.I)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CLASS_SELECTOR = re.compile(r"^\s*\.([\w-]+)\s*$")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def hidden_classes(tree: lxml_html.HtmlElement) -> frozenset[str]:
    """Classes the page's own ``<style>`` blocks hide on every screen (``.x{display:none}``)."""
    found = set(_HIDDEN_CLASSES)
    for style in tree.iter("style"):
        hides, shows = _style_rules(style.text or "")
        found |= hides
        found -= shows - _HIDDEN_CLASSES  # a later rule that shows it again
    return frozenset(found)


@functools.lru_cache(maxsize=256)
def _style_rules(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Classes one ``<style>`` block hides, and those it shows (outside ``@media``). Cached: the
    pages of one site repeat their stylesheet, and reading it was a tenth of an extraction."""
    css = _MEDIA.sub("", _COMMENT.sub("", text))
    hides, shows = set(), set()
    for selectors, body in _RULE.findall(css):
        # the selectors are read only for a rule that hides or shows (few do)
        if _may_hide(body) and _HIDDEN_STYLE.search(body):
            hides.update(_class_names(selectors))
        elif "display" in body and _DISPLAYED.search(body):
            shows.update(_class_names(selectors))
    return frozenset(hides), frozenset(shows)


def _class_names(selectors: str) -> list[str]:
    return [m.group(1) for m in map(_CLASS_SELECTOR.match, selectors.split(",")) if m]


_DISPLAYED = re.compile(r"display\s*:\s*(?!none)")  # case-sensitive, as in a stylesheet rule
_SHOWN_STYLE = re.compile(r"display\s*:\s*(?!none)[a-z]", re.I)


def _folds(value: str) -> bool:
    """Holds a non-ASCII letter ``re.I`` matches to an ASCII one ("ı"/"İ" match "i",
    "ſ" "s", "K" "k"): then only the regex can tell."""
    return not value.isascii() and (
        "\u0130" in value or "\u0131" in value or "\u017f" in value or "\u212a" in value)


def _may_hide(style: str) -> bool:
    """False when ``_HIDDEN_STYLE`` cannot match: "display" and "none", or "visibility"
    and "hidden", are not in the style in any case (most inline styles)."""
    lowered = style.lower()
    return ("display" in lowered and "none" in lowered) or ("visibility" in lowered and "hidden" in lowered) \
        or _folds(style)


def is_hidden(element, classes: frozenset[str]) -> bool:
    get = element.get
    klass = get("class")
    marked = get("hidden") is not None or (bool(klass) and not classes.isdisjoint(klass.split()))
    style = get("style")
    if style:
        if _may_hide(style) and _HIDDEN_STYLE.search(style):
            return True
        if marked and _SHOWN_STYLE.search(style):  # inline style beats the stylesheet (a script showed it: nfra)
            return False
    return marked


def drop_hidden(tree: lxml_html.HtmlElement) -> int:
    """Take out of the tree what the reader cannot see (a print copy, a hidden
    second info line, a collapsed mobile copy); how many elements went.

    Nothing is dropped when the hidden part holds most of the page's text: a
    page whose article waits for a script to show it (the saved DOM of an
    un-run page) keeps it."""
    return take_hidden(tree)[0]


def take_hidden(tree: lxml_html.HtmlElement) -> tuple[int, bool]:
    """:func:`drop_hidden`, and whether hidden elements are left in the tree (they
    held most of its text). None left: every element but ``<html>``, ``<body>``
    and ``<head>`` that :func:`is_hidden` calls hidden, with the page's classes
    or fewer, is gone."""
    classes = hidden_classes(tree)
    found = []
    for element in document_iter(tree):  # //*, in document order
        get = element.get
        style, klass, flag = get("style"), get("class"), get("hidden")
        if style is None and klass is None and flag is None:
            continue
        # is_hidden(element, classes), with the attributes read once
        marked = flag is not None or (bool(klass) and not classes.isdisjoint(klass.split()))
        if style and _may_hide(style) and _HIDDEN_STYLE.search(style):
            hidden = True
        else:
            hidden = marked and not (style and _SHOWN_STYLE.search(style))
        if hidden and element.tag not in _UNTESTED \
                and not any(element is f or _inside(element, f) for f in found[-1:]):
            found.append(element)
    if not found:
        return 0, False
    body = tree.find(".//body")
    total = len(text_content(body if body is not None else tree))
    hidden_text = sum(len(text_content(e)) for e in found)
    if total and hidden_text > 0.6 * total:
        return 0, True
    for element in found:
        drop_tree(element)
    return len(found), False


_UNTESTED = frozenset({"html", "body", "head"})  # take_hidden never drops these


def _inside(element, ancestor) -> bool:
    for parent in element.iterancestors():
        if parent is ancestor:
            return True
    return False


# A text segment that reads like prose: Chinese sentence punctuation, or long.
_PROSE = re.compile(r"[，。；！？：、]")
_GUESS_SKIP = re.compile(r"版权|免责|转载|ICP备|公网安备|主办|承办|网站标识码|当前位置|您现在的位置")
_GUESS_MIN_CHARS = 30
_INLINE_TAGS = xpaths.INLINE_TAGS
_NOT_CONTAINERS = frozenset({"html", "body", "p", "span", "font", "a", "li", "b", "strong", "em", "h1", "h2",
                             "h3", "h4", "tr", "tbody", "thead"})


def guess_container(root: lxml_html.HtmlElement, classes: frozenset[str] = frozenset(),
                    hidden_gone: bool = False) -> lxml_html.HtmlElement | None:
    """The block holding the article's prose (see the module docstring); None
    when no visible block holds ``_GUESS_MIN_CHARS`` of prose. Menus, headers
    and footers are left out, unless that leaves nothing (real: htqcznd, whose
    whole page sits in a ``div.menu_con``). ``hidden_gone``: :func:`take_hidden`
    left no hidden element (with ``classes`` or more), so only ``<html>`` and
    ``<body>`` are tested."""
    found = _guess(root, classes, True, hidden_gone)
    return found if found is not None else _guess(root, classes, False, hidden_gone)


def _guess(root, classes: frozenset[str], skip_furniture: bool, hidden_gone: bool):
    own_text: dict = {}  # block -> characters of its own segments
    own_prose: dict = {}
    order: list = []  # every block holding prose and its ancestors, as first reached
    reached: set = set()
    hidden: set = set()  # hidden, or a menu/header/footer
    links: dict = {}  # element -> inside a link
    data_cells: dict = {}  # block -> _in_data_table(block)
    flat_tables: dict = {}  # table -> it holds no other table
    elements = list(root.iter())
    for element in elements:
        tag = element.tag
        if not isinstance(tag, str) or tag in xpaths.SKIP_TAGS:
            continue
        parent = element.getparent()
        if parent is not None and parent in hidden or (
                (not hidden_gone or tag in _UNTESTED) and is_hidden(element, classes)) or (
                skip_furniture and _is_furniture(element)):
            hidden.add(element)
            continue
        if parent is None:
            parent_link = False
        elif (parent_link := links.get(parent)) is None:
            parent_link = links[parent] = _in_link(parent)
        links[element] = in_link = tag == "a" or parent_link
        for owner, segment in ((element, element.text), (parent, element.tail)):
            if not segment or owner is None:
                continue
            segment = segment.strip(xpaths.STRIP_CHARS)
            if not segment:
                continue
            block = owner
            while block is not None and (not isinstance(block.tag, str) or block.tag in _INLINE_TAGS):
                block = block.getparent()
            if block is None:
                continue
            link = in_link if owner is element else parent_link
            n = len(segment)
            # a data table's cells are prose however short (Word-exported notices: nfra)
            if not link and not _GUESS_SKIP.search(segment) and (
                    (n >= 8 and (_PROSE.search(segment) or n > 40)) or (n >= 4 and _data_cell(block, data_cells, flat_tables))):
                own_prose[block] = own_prose.get(block, 0) + n
                node = block
                while node is not None and node not in reached:
                    reached.add(node)
                    order.append(node)
                    node = node.getparent()
            own_text[block] = own_text.get(block, 0) + n
    if not order:
        return None
    # every ancestor holds its blocks' text: sum children into parents, deepest first
    text, prose = own_text, own_prose
    for node in (*reversed(elements), *root.iterancestors()):
        parent = node.getparent()
        if parent is None:
            continue
        if node in text:
            text[parent] = text.get(parent, 0) + text[node]
        if node in prose:
            prose[parent] = prose.get(parent, 0) + prose[node]
    best, best_score = None, 0.0
    for node in order:
        amount = prose[node]
        if node.tag in _NOT_CONTAINERS or amount < _GUESS_MIN_CHARS:
            continue
        score = amount * amount / text[node]
        if score > best_score:
            best, best_score = node, score
    return best


def _data_cell(block, memo: dict, flat: dict) -> bool:
    found = memo.get(block)
    if found is None:
        found = memo[block] = _in_data_table(block, flat)
    return found


# Navigation, menus, headers and footers: their summaries are never the article (nfra's mega-menu).
_FURNITURE = re.compile(r"(?:^|[\s_-])(?:nav|menu|navbar|sidebar|footer|header|daohang|dh)(?:$|[\s_-])", re.I)


def _is_furniture(element) -> bool:
    marker = element.get("class") or element.get("id")
    if not marker or element.tag == "body":
        return False
    lowered = marker.lower()  # every match holds one of the words: most markers need no regex
    if not ("nav" in lowered or "menu" in lowered or "sidebar" in lowered or "footer" in lowered
            or "header" in lowered or "daohang" in lowered or "dh" in lowered or _folds(marker)):
        return False
    return bool(_FURNITURE.search(marker))


def in_furniture(element) -> bool:
    """Inside a menu, header or footer (a small one: a "menu_con" may wrap the whole page)."""
    return any(_is_furniture(e) and len(text_content(e)) < 5000 for e in (element, *element.iterancestors()))


def _in_link(element) -> bool:
    while element is not None:
        if element.tag == "a":
            return True
        element = element.getparent()
    return False


def _in_data_table(block, flat: dict | None = None) -> bool:
    """Inside a cell (the cell itself or a paragraph in it) of a table holding data:
    its row has several cells and the table no other table (``flat`` remembers
    that per table)."""
    cell = block
    for _ in range(3):
        if cell is None or cell.tag in ("td", "th"):
            break
        cell = cell.getparent()
    if cell is None or cell.tag not in ("td", "th"):
        return False
    row = cell.getparent()
    if row is None or len(row) < 2:
        return False
    table = row.getparent()
    while table is not None and table.tag != "table":
        table = table.getparent()
    if table is None:
        return False
    if flat is None:
        return table.find(".//table") is None
    found = flat.get(table)
    if found is None:
        found = flat[table] = table.find(".//table") is None
    return found
