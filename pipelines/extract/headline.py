"""The page's head area: the article scope (where headline, info line and editor live),
the title, the subtitle and the column (breadcrumb). Pure functions over an lxml tree.
"""

from __future__ import annotations

import re

from lxml import etree

from pipelines.extract import ListHints, SiteHints, xpaths
from pipelines.extract.container import in_furniture
from pipelines.extract.dom import document_iter, text_content
from pipelines.extract.meta import meta_get

_SPACES = re.compile(r"\s+")
_PAREN_TAIL = re.compile(r"^\s*[（(][^（）()]{2,40}[）)]\s*$")
_TITLE_CLASS = xpaths.TITLE_CLASS
_SUBTITLE_CLASS = xpaths.SUBTITLE_CLASS
_BREADCRUMB_CLASS = xpaths.BREADCRUMB_CLASS


def text_of(element) -> str:
    return _SPACES.sub(" ", text_content(element)).strip(xpaths.STRIP_CHARS)


def none_if_blank(value: str | None) -> str | None:
    value = (value or "").strip(xpaths.STRIP_CHARS)
    return value or None


# --- title -------------------------------------------------------------------


def strip_title_suffix(title: str, site_names: tuple[str, ...] = ()) -> str:
    """``标题_区政要闻_北京市海淀区人民政府`` -> ``标题``."""
    title = _SPACES.sub(" ", title).strip(xpaths.STRIP_CHARS)
    for name in sorted(site_names, key=len, reverse=True):
        if name and title.endswith(name) and len(title) > len(name):
            title = title[: -len(name)].rstrip(" _-|｜—–:：" + xpaths.STRIP_CHARS)
        elif name and title.startswith(name) and len(title) > len(name):  # 网站名--标题 (old pages)
            rest = title[len(name):]
            if xpaths.TITLE_PREFIX_SEP.match(rest):
                title = xpaths.TITLE_PREFIX_SEP.sub("", rest, count=1)
    prefix = xpaths.TITLE_SITE_PREFIX.match(title)  # 某某区人民政府--标题, site unknown
    if prefix:
        title = prefix.group("rest")
    while True:
        match = xpaths.TITLE_SUFFIX.search(title)
        if not match or match.start() < 4 or len(match.group("suffix")) > 25:
            return title
        title = title[: match.start()].rstrip(xpaths.STRIP_CHARS)


def article_scope(container):
    """The container's nearest ancestor (up to 5 levels) holding a heading: the
    article area, where the headline, info line and editor line live."""
    scope = top = container
    for _ in range(5):
        if top.getparent() is None:
            break
        top = top.getparent()
    titled = marked(top, _TITLE_CLASS)  # once, for every level below
    for _ in range(5):
        parent = scope.getparent()
        if parent is None:
            break
        scope = parent
        headings = [*scope.iter("h1", "h2", "h3"), *(m for m in titled if _inside(m, scope))]
        # a heading inside the body, or a title-ish class on the body's own ancestors
        # (e.g. Hanweb's <td class="bt_content">), does not mark the article area
        if any(not _inside(h, container) and not _inside(container, h) for h in headings):
            return _widen_to_info_line(scope)
    return scope


_INFO_LABEL = re.compile(r"(?:发布时间|发布日期|时间|日期|来源)\s*[:：]")


def _widen_to_info_line(scope):
    """The headline's area may stop short of the date/source line (real: nfra, where
    the line sits two levels up): widen it (up to 3 levels, 3000 characters more)
    until it holds one."""
    text = text_content(scope)
    if _INFO_LABEL.search(text):
        return scope
    wider = scope
    for _ in range(3):
        wider = wider.getparent()
        if wider is None or wider.tag in ("body", "html"):
            break
        wider_text = text_content(wider)
        if len(wider_text) > len(text) + 3000:
            break
        if _INFO_LABEL.search(wider_text):
            return wider
    return scope


#: every class and id value below a node, in document order (an element's own attributes sit
#: together, right after it): libxml2 reads them without a Python object per element, and only a
#: matching value's element is looked up (a 3,800-element Word table, real: zjct_1, has 28)
_CLASS_OR_ID = etree.XPath(".//@class | .//@id")


def marked(scope, pattern) -> list:
    """Elements under ``scope`` whose class or id matches ``pattern`` (document order).

    ``pattern`` is searched in `` value `` (the value between spaces) of each attribute; its words
    hold no whitespace (xpaths' *_CLASS patterns), so a match never spans a class and an id."""
    return marked_each(scope, (pattern,))[0]


#: pattern -> {class or id value -> it matches}: a site's pages, and one page's calls, repeat their
#: classes; emptied when it grows past _SEEN_MAX values (a worker extracts many sites' pages)
_SEEN: dict[re.Pattern, dict[str, bool]] = {}
_SEEN_MAX = 20_000


def marked_each(scope, patterns: tuple) -> list[list]:
    """:func:`marked` for each of ``patterns``, reading ``scope``'s attributes once."""
    found: list[list] = [[] for _ in patterns]
    last = [scope] * len(patterns)  # the scope's own attributes do not count; an element matching twice is found once
    tables = []
    for pattern in patterns:
        seen = _SEEN.setdefault(pattern, {})
        if len(seen) > _SEEN_MAX:
            seen.clear()
        tables.append(seen)
    for value in _CLASS_OR_ID(scope):
        for i, pattern in enumerate(patterns):
            seen = tables[i]
            matches = seen.get(value)
            if matches is None:
                matches = seen[str(value)] = bool(pattern.search(f" {value} "))
            if matches:
                element = value.getparent()
                if element is not last[i] and element is not scope:
                    found[i].append(element)
                    last[i] = element
    return found


def _title_candidates(tree, container, scope) -> list:
    if container is not None:
        found = []
        for element in [h for h in scope.iter("h1", "h2", "h3")] + marked(scope, _TITLE_CLASS):
            if element not in found and not _inside(element, container) and not _inside(container, element):
                found.append(element)
        return found
    return [*document_iter(tree, "h1"), *marked(tree, _TITLE_CLASS), *document_iter(tree, "h2")]


def _inside(element, ancestor) -> bool:
    while element is not None:
        if element is ancestor:
            return True
        element = element.getparent()
    return False


def find_title(tree, container, scope, meta: dict[str, str], hints: SiteHints,
               list_hints: ListHints | None) -> str | None:
    value = meta_get(meta, xpaths.META_TITLE_NAMES)
    if value:
        # the CMS may append the 文号 to ArticleTitle: "…公开表(金罚决字〔2024〕36号)" over a
        # visible "…公开表" (real: nfra_1); the visible headline is the title then
        for element in _title_candidates(tree, container, scope):
            text = text_of(element)
            if len(text) >= 4 and value.startswith(text) and _PAREN_TAIL.match(value[len(text):]):
                return text
        return value
    head_title = tree.find(".//title")
    page_title = strip_title_suffix(text_of(head_title), hints.site_names) if head_title is not None else ""
    names = set(hints.site_names) | {meta_get(meta, ("sitename",)) or ""}
    plausible = []
    for element in _title_candidates(tree, container, scope):
        text = text_of(element)
        if 4 <= len(text) <= 200 and text not in names and not xpaths.BREADCRUMB_LABEL.match(text):
            plausible.append(text)
    for text in plausible:  # a heading that the <title> repeats is the headline
        if page_title and (text in page_title or page_title in text):
            return text
    if plausible and (container is not None or not page_title):
        return plausible[0]
    if page_title:
        return page_title
    return plausible[0] if plausible else none_if_blank(list_hints.title if list_hints else None)


def find_subtitle(scope, meta: dict[str, str], title: str | None) -> str | None:
    value = meta_get(meta, xpaths.META_SUBTITLE_NAMES)
    if value:
        return value
    # a 副标题 first; a 引题 (lead title above the headline) only without one
    for elements in marked_each(scope, (_SUBTITLE_CLASS, xpaths.LEAD_TITLE_CLASS)):
        for element in elements:
            text = text_of(element)
            # a menu's "sub-title" panel is no subtitle (real: nfra's mega-menu)
            if text and text != title and len(text) <= 80 and not in_furniture(element):
                return text
    return None


# --- column ------------------------------------------------------------------


def column_from_breadcrumb(text: str, title: str | None = None) -> str | None:
    """``当前位置：首页 > 新闻中心 > 区政要闻`` -> ``区政要闻``."""
    text = xpaths.BREADCRUMB_LABEL.sub("", text)
    steps = [s.strip(xpaths.STRIP_CHARS) for s in xpaths.BREADCRUMB_SEP.split(text)]
    steps = [s for s in steps if s not in xpaths.BREADCRUMB_SKIP and s != title and len(s) <= 30]
    return steps[-1] if steps else None


def find_column(tree, page_lines: list[str], title: str | None) -> str | None:
    for element in marked(tree, _BREADCRUMB_CLASS):
        text = text_of(element)
        if text and len(text) < 200 and (xpaths.BREADCRUMB_SEP.search(text) or xpaths.BREADCRUMB_LABEL.match(text)):
            column = column_from_breadcrumb(text, title)
            if column:
                return column
    for line in page_lines:
        if xpaths.BREADCRUMB_LABEL.match(line):
            column = column_from_breadcrumb(line, title)
            if column:
                return column
    return None
