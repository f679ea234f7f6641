"""Body text, attachments and images.

The container (site hints first, then the CMS defaults in ``xpaths``) is
walked directly: block elements and ``<br>`` end a paragraph, tables become
rows of tab-separated cells, boilerplate lines are dropped. trafilatura runs
only when no container is found.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, unquote

from cssselect import GenericTranslator, SelectorError
from lxml import etree
from lxml import html as lxml_html

from pipelines.extract import xpaths
from pipelines.extract.bylines import LABEL_RE
from pipelines.extract.dom import text_content

_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_TRANSLATOR = GenericTranslator()
# Download scripts naming the file in the query: downfile.jsp?filename=a.doc
_QUERY_FILE = re.compile(r"(?:^|&)(?:file_?name|fname|file|name|path)=([^&]+)", re.I)
# Info-line labels that never start a body paragraph of their own near its edges.
_EDGE_LABELS = frozenset({"发布时间", "发布日期", "信息来源", "文章来源", "稿件来源", "来源", "作者", "责任编辑", "责编", "编辑"})


@lru_cache(maxsize=256)
def css_to_xpath(selector: str) -> str | None:
    """CSS -> XPath, cached (selectors repeat on every page of a site)."""
    try:
        return _TRANSLATOR.css_to_xpath(selector)
    except SelectorError:
        return None


_SIMPLE = re.compile(r"^(?:#(?P<id>[\w-]+)|(?P<classes>(?:\.[\w-]+)+))$")


def _matches(tree, selector: str, index) -> list:
    """Elements ``selector`` matches: simple ``#id`` / ``.a.b`` selectors from one
    pass over the page's attributes (``index``), others through cssselect's XPath."""
    simple = _SIMPLE.match(selector)
    if simple is None:
        path = css_to_xpath(selector)
        return [m for m in tree.xpath(path) if isinstance(m.tag, str)] if path else []
    ids, classes = index
    if simple["id"]:
        return ids.get(simple["id"], [])
    wanted = simple["classes"].lstrip(".").split(".")
    return [e for e in classes.get(wanted[0], []) if set(wanted) <= set(e.get("class", "").split())]


#: every id and class value of the page, in document order (``//`` reaches what follows a closing
#: ``</html>`` too, as document_iter does): libxml2 reads them without a Python object per element
_ID_OR_CLASS = etree.XPath("//@id | //@class")


def _index(tree, selectors: tuple[str, ...] = ()) -> tuple[dict, dict]:
    """The elements ``selectors``' simple ``#id`` / ``.a.b`` forms look up, by id and by class token
    (document order): only the ids and first class tokens they name are kept, and an element is
    looked up only for a value that holds one."""
    want_ids, want_classes = set(), set()
    for selector in selectors:
        simple = _SIMPLE.match(selector)
        if simple is not None:
            if simple["id"]:
                want_ids.add(simple["id"])
            else:
                want_classes.add(simple["classes"].lstrip(".").split(".")[0])
    ids: dict[str, list] = {}
    classes: dict[str, list] = {}
    for value in _ID_OR_CLASS(tree):
        if value.attrname == "id":
            if value in want_ids:
                ids.setdefault(str(value), []).append(value.getparent())
        elif want_classes and not want_classes.isdisjoint(tokens := value.split()):
            element = value.getparent()
            for token in want_classes.intersection(tokens):
                classes.setdefault(token, []).append(element)
    return ids, classes


def find_container(tree: lxml_html.HtmlElement, selectors: tuple[str, ...]) -> lxml_html.HtmlElement | None:
    """First selector that matches an element holding text; the fullest match.

    When every match is empty (an attachment-only page: the editor's box holds
    nothing, the files are listed after it), the first empty match still beats
    guessing from the whole page. An inline element showing only a few characters
    is no match at all: a generic selector (a preset's ``.view``) that hits a
    page's hit counter (``<span class="view">-次</span>``, real: jchgz) must not
    hide the block that holds the prose from the guess.
    """
    index = _index(tree, selectors)
    empty = None
    for selector in selectors:
        matches = [m for m in _matches(tree, selector, index) if not _thin_inline(m)]
        if not matches:
            continue
        best = max(matches, key=lambda m: len(text_content(m).strip()))
        if text_content(best).strip() or best.find(".//img") is not None:
            return best
        if empty is None:
            empty = best
    return empty


_THIN_CHARS = 20  # fewer shown characters than a sentence: a counter, a label, a date


def _thin_inline(element) -> bool:
    """An inline element (span, font, a, ...) with no image showing fewer than ``_THIN_CHARS``."""
    if element.tag not in xpaths.INLINE_TAGS or element.find(".//img") is not None:
        return False
    return _shown_chars(element) < _THIN_CHARS


def _shown_chars(element) -> int:
    """Characters of text in ``element`` the walker would show (not under ``xpaths.SKIP_TAGS``:
    scripts, styles, forms, ...; whitespace left out)."""
    n = len("".join((element.text or "").split()))
    for child in element:
        if isinstance(child.tag, str) and child.tag not in xpaths.SKIP_TAGS:
            n += _shown_chars(child)
        n += len("".join((child.tail or "").split()))
    return n


def _is_boilerplate_element(element: lxml_html.HtmlElement) -> bool:
    klass, ident = element.get("class"), element.get("id")
    if klass is None and ident is None:  # most elements
        return False
    marker = f"{klass or ''} {ident or ''}"
    if not marker.strip() or not xpaths.BOILERPLATE_CLASS.search(marker):
        return False
    return len(text_content(element)) < 200


_BREAKING = xpaths.BLOCK_TAGS | {"td", "th"}  # tags that end a line before and after


class _Walker:
    """Collects lines from a subtree; one pass, no copies of the tree."""

    def __init__(self, skip: lxml_html.HtmlElement | None = None, marker: str | None = None) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.skip = skip  # an element replaced by ``marker`` (the body, in page walks)
        self.marker = marker

    def flush(self) -> None:
        if self.buf:
            line = _SPACES.sub(" ", "".join(self.buf))
            self.buf.clear()
            if line.strip():
                self.lines.append(line)

    def walk(self, element: etree._Element, root: bool = False) -> None:
        tag = element.tag
        if not isinstance(tag, str):  # comments, processing instructions
            tail = element.tail
            if tail:
                self.buf.append(tail)
            return
        tag = tag.lower()
        if element is self.skip:
            self.flush()
            if self.marker is not None:
                self.lines.append(self.marker)
        elif tag in xpaths.SKIP_TAGS or (not root and _is_boilerplate_element(element)):
            pass
        elif tag == "br":
            self.flush()
        elif tag == "table" and not self._is_layout(element):
            self.flush()
            self.lines.extend(table_lines(element))
        else:
            # a layout table is walked like blocks: each cell its own lines
            block = tag in _BREAKING
            if block:
                self.flush()
            text = element.text
            if text:
                self.buf.append(text)
            for child in element:
                self.walk(child)
            if block:
                self.flush()
        if not root:
            tail = element.tail
            if tail:
                self.buf.append(tail)

    def _is_layout(self, table: lxml_html.HtmlElement) -> bool:
        """A table that lays out the page rather than holding data: it holds the
        skipped body, another table, or only one-cell rows."""
        if self.skip is not None and any(a is table for a in self.skip.iterancestors("table")):
            return True
        if table.find(".//table") is not None:
            return True
        return all(len(_cells(row)) <= 1 for row in _rows(table))


def raw_lines(element: lxml_html.HtmlElement, skip=None, marker: str | None = None) -> list[str]:
    walker = _Walker(skip, marker)
    walker.walk(element, root=True)
    walker.flush()
    return walker.lines


_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_CELL_TAGS = frozenset({"td", "th"})


def _rows(table) -> list:
    """``table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")``, without compiling an XPath."""
    rows = []
    for child in table:
        tag = child.tag
        if tag == "tr":
            rows.append(child)
        elif tag in _ROW_GROUPS:
            rows.extend(row for row in child if row.tag == "tr")
    return rows


def _cells(row) -> list:
    """``row.xpath("./td|./th")``."""
    return [cell for cell in row if cell.tag in _CELL_TAGS]


def table_lines(table: lxml_html.HtmlElement) -> list[str]:
    """Rows of tab-separated cells; a one-cell row (a layout table) keeps its paragraphs."""
    out: list[str] = []
    for row in _rows(table):
        cells = [clean_lines(raw_lines(cell), edges=False) for cell in _cells(row)]
        filled = [c for c in cells if c]
        if not filled:
            continue
        if len(filled) == 1 and len(cells) == 1:
            out.extend(filled[0])
        else:
            out.append("\t".join(" ".join(c) for c in cells))
    return out


def clean_line(line: str) -> str:
    if "\t" in line:  # a table row: clean each cell, keep the tabs
        cells = [cell.strip(xpaths.STRIP_CHARS) for cell in line.split("\t")]
        return "\t".join(cells) if any(cells) else ""
    if "【" in line or "[" in line:  # every BOILERPLATE_INLINE fragment opens with one
        line = xpaths.BOILERPLATE_INLINE.sub("", line)
    return line.strip(xpaths.STRIP_CHARS)


def is_boilerplate(line: str) -> bool:
    return xpaths.BOILERPLATE_KEYS.search(line) is not None and xpaths.BOILERPLATE_LINE.match(line) is not None


def _is_edge_info_line(line: str) -> bool:
    match = LABEL_RE.match(line)
    return bool(match) and match.group("label") in _EDGE_LABELS and len(line) < 160


def clean_lines(lines: list[str], edges: bool = True) -> list[str]:
    """Strip, drop empties and boilerplate; info lines at the body's edges too."""
    out = [c for c in (clean_line(l) for l in lines) if c and not is_boilerplate(c)]
    if edges and out:
        head = [l for l in out[:3] if _is_edge_info_line(l)]
        tail = [l for l in out[-3:] if _is_edge_info_line(l)]
        if head or tail:
            drop = {id(l) for l in head + tail}
            out = [l for l in out if id(l) not in drop]
    return out


def _file_name(url: str) -> str:
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def attachments(container: lxml_html.HtmlElement, page_url: str, scan_siblings: bool = True) -> list[dict[str, str]]:
    """Links to documents in the container and in an "附件：" list right after it."""
    anchors = list(container.iter("a"))
    if scan_siblings:  # an "附件：" list just after the container (or its wrapper)
        level = container
        for _ in range(2):
            for i, sibling in enumerate(level.itersiblings()):
                if i >= 3:
                    break
                if isinstance(sibling.tag, str) and len(text_content(sibling)) < 2000:
                    anchors.extend(sibling.iter("a"))
            level = level.getparent()
            if level is None:
                break
    found: list[dict[str, str]] = []
    seen: set[str] = set()
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(page_url, href)
        file_name = _file_name(url)
        if not xpaths.ATTACHMENT_EXT.search(file_name):
            query_name = _QUERY_FILE.search(urlsplit(url).query)
            if not query_name or not xpaths.ATTACHMENT_EXT.search(unquote(query_name.group(1))):
                continue
            file_name = unquote(query_name.group(1)).rsplit("/", 1)[-1]
        if url in seen:
            continue
        seen.add(url)
        name = xpaths.ATTACHMENT_LABEL.sub("", _SPACES.sub(" ", text_content(anchor))).strip(xpaths.STRIP_CHARS)
        found.append({"url": url, "name": name or file_name})
    return found


def images(container: lxml_html.HtmlElement, page_url: str) -> list[str]:
    """Absolute ``<img>`` URLs, deduplicated; no data: URIs, pixels or icons."""
    found: list[str] = []
    for img in container.iter("img"):
        src = (img.get("src") or img.get("data-src") or img.get("oldsrc") or "").strip()
        if not src or src.startswith(("data:", "javascript:")):
            continue
        if img.get("width") in ("0", "1") or img.get("height") in ("0", "1") or xpaths.IMAGE_SKIP.search(src):
            continue
        url = urljoin(page_url, src)
        if url not in found:
            found.append(url)
    return found


def drop_attachment_lines(lines: list[str], files: list[dict[str, str]]) -> list[str]:
    """Remove the "附件：" label and link-name lines whose links went to attachments."""
    if not files:
        return lines
    names = {f["name"] for f in files} | {_file_name(f["url"]) for f in files}
    out = []
    for line in lines:
        bare = xpaths.ATTACHMENT_LABEL.sub("", line)
        bare = re.sub(r"^\s*\d+\s*[.、．]\s*", "", bare).strip(xpaths.STRIP_CHARS)
        if not bare and xpaths.ATTACHMENT_LABEL.match(line):
            continue
        if bare in names:
            continue
        out.append(line)
    return out


def trafilatura_lines(html: str, url: str) -> list[str]:
    """Fallback when no container is known: trafilatura on the whole page."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, favor_precision=True, include_tables=True, include_comments=False,
        with_metadata=False,
    )
    if doc is None:
        return []
    text = doc.as_dict().get("text") if hasattr(doc, "as_dict") else doc.get("text")
    lines = []
    for line in (text or "").split("\n"):
        if line.startswith("|") and line.rstrip().endswith("|"):  # trafilatura's table row
            line = "\t".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        lines.append(line)
    return lines
