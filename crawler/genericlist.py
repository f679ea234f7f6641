"""The generic list rule: the article links of a list page of an unknown CMS, with no preset.

Government list pages differ in markup but share a shape: one block of sibling records
(``<li>``, ``<tr>``, ``<dd>``…), each a link to an article-like URL with a date beside it,
all built by one template. :func:`generic_list` groups the page's links by the structural
path of their record and by the shape of their URL, scores each group (links, dates beside
them, article-like URLs) and keeps the best; titles are the ``title`` attribute or the
anchor text, dates the ``YYYY-MM-DD`` beside the link. :func:`pagination` finds the next
page however the page states it (a 下一页 link, ``createPageHTML(n, cur, "index", "html")``,
``index_N`` links, ``?currentPage=N`` / ``pageNum=N`` links, ``javascript:next(N)`` with the
page's ``index_`` + n function). Pure functions: text in, values out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.listing import ListLink, _date, _fragments, _is_pinned, _record

MIN_ITEMS = 3
# the shape of a URL path: hex ids, digit runs and letter runs as classes
_HEX = re.compile(r"(?<![0-9a-z])[0-9a-f]{16,}(?![0-9a-z])")
_DIGITS = re.compile(r"\d+")
_PAGE_EXT = re.compile(r"\.(s?html?|jsp|aspx?|php)$", re.I)
_NOT_ARTICLE_EXT = re.compile(r"\.(jpe?g|png|gif|pdf|docx?|xlsx?|zip|rar|css|js|ico|mp4)$", re.I)
_NEXT_TEXT = re.compile(r"^\s*(下一页|下页|后一页|next|›|»|>)\s*$", re.I)
_CREATE_PAGE = re.compile(r"createPage(?:HTML)?\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([^'\"]+)['\"]\s*,"
                          r"\s*['\"]([^'\"]+)['\"]")
_JS_NEXT = re.compile(r"javascript:\s*next\(\s*(\d+)\s*\)", re.I)
_NEXT_FUNC = re.compile(r"['\"](index_?)['\"]\s*\+\s*\w+\s*\+\s*['\"](\.s?html?)['\"]")
_PAGE_PARAM = re.compile(r"([?&](?:currentPage|pageNum|page|pageNo|curPage|pageIndex)=)(\d+)", re.I)
_INDEX_N = re.compile(r"(index_)(\d+)(\.s?html?)$")
_PAGE_COUNT = re.compile(r"共\s*(\d+)\s*页")


@dataclass(frozen=True, slots=True)
class Pagination:
    kind: str  # "createPageHTML", "index_N", "query", "next(N)", "link" or "" (none found)
    template: str = ""  # page URL with {n} (relative to the list page), "" when unknown
    first_number: int = 2  # the {n} of the second list page
    page_count: int | None = None  # pages the page states
    next_url: str = ""  # absolute URL of the next page, "" when there is none


@dataclass(frozen=True, slots=True)
class GenericList:
    links: tuple[ListLink, ...]
    dated: int  # links with a date beside them
    signature: str  # the record path and URL shape the links share
    pagination: Pagination


def url_shape(path: str) -> str:
    """``/xwzx/qzyw/202012/t20201226_4422223.html`` -> ``/xwzx/qzyw/#/t#_#.html`` (ids folded)."""
    path = _HEX.sub("~h", path)
    return _DIGITS.sub("#", path)


def article_like(path: str) -> bool:
    """A URL path that names one page (an id or a dated file), not a folder or a file download."""
    if not path or path.endswith("/") or _NOT_ARTICLE_EXT.search(path):
        return False
    last = path.rsplit("/", 1)[-1]
    if re.fullmatch(r"index(_\d+)?\.\w+", last, re.I):
        # …/<id>/index.html is an article (eportal, Changping); …/col/col123/index.html a column
        parent = path.rsplit("/", 2)[-2] if path.count("/") >= 2 else ""
        return bool(re.fullmatch(r"\d{5,}|[0-9a-f]{16,}", parent))
    return bool(re.search(r"\d{3,}|[0-9a-f]{16,}", last)) and bool(_PAGE_EXT.search(last) or "." not in last)


def _signature(record: etree._Element) -> str:
    parts = []
    node = record
    for _ in range(4):
        if node is None or not isinstance(node.tag, str):
            break
        cls = " ".join(sorted((node.get("class") or "").split()))
        parts.append(f"{node.tag}.{cls}" if cls else node.tag)
        node = node.getparent()
    return "/".join(reversed(parts))


def _text(el) -> str:
    return " ".join(" ".join(el.itertext()).split())


def generic_list(text: str, url: str, hosts: tuple[str, ...] | None = None, *, min_items: int = MIN_ITEMS) -> GenericList:
    """The repeated block of article links on a list page (empty links when the page has none)."""
    hosts = hosts or ((urlsplit(url).hostname or "").lower(),)
    groups: dict[tuple[str, str], list[tuple[ListLink, bool]]] = defaultdict(list)
    seen: set[str] = set()
    for root in _fragments(text):
        for a in root.iter("a"):
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "#")):
                continue
            absolute = urljoin(url, href).split("#", 1)[0]
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in hosts:
                continue
            if absolute in seen or not article_like(parts.path):
                continue
            title = (a.get("title") or a.text_content() or "").strip()  # as the presets read it
            if not title:
                continue  # an image-only link (a carousel's picture) is no record
            seen.add(absolute)
            record = _record(a)
            record_text = _text(record)
            outside = record_text.replace(_text(a), " ", 1)
            when = _date(outside) or (_date(record_text) if record is not a else "")
            link = ListLink(url=absolute, title=title, date=when, pinned=_is_pinned(record, record_text))
            groups[(_signature(record), url_shape(parts.path))].append((link, bool(when)))
    best, best_score = None, 0.0
    for key, members in groups.items():
        if len(members) < min_items:
            continue
        dated = sum(1 for _, d in members if d)
        score = len(members) * (1 + 2 * dated / len(members))
        if score > best_score:
            best, best_score = key, score
    pages = pagination(text, url)
    if best is None:
        return GenericList(links=(), dated=0, signature="", pagination=pages)
    members = groups[best]
    return GenericList(links=tuple(link for link, _ in members), dated=sum(1 for _, d in members if d),
                       signature=" ".join(best), pagination=pages)


def _count(text: str, stated: int | None = None) -> int | None:
    if stated is not None:
        return stated
    m = _PAGE_COUNT.search(text)
    return int(m.group(1)) if m else None


def pagination(text: str, url: str) -> Pagination:
    """How the list page says where its next page is."""
    m = _CREATE_PAGE.search(text)
    if m:
        count, current, stem, ext = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
        nxt = urljoin(url, f"{stem}_{current + 1}.{ext}") if current + 1 < count else ""
        return Pagination("createPageHTML", f"{stem}_{{n}}.{ext}", 1, count, nxt)
    anchors = [(h.replace("&amp;", "&"), inner) for h, inner in
               re.findall(r"<a\b[^>]*href\s*=\s*['\"]([^'\"]+)['\"][^>]*>(.*?)</a>", text, re.S | re.I)]
    next_hrefs = [h for h, inner in anchors if _NEXT_TEXT.match(re.sub(r"<[^>]+>", "", inner))]
    for href in next_hrefs + [h for h, _ in anchors]:
        js = _JS_NEXT.match(href)
        if js:
            func = _NEXT_FUNC.search(text)
            if func:
                template = f"{func.group(1)}{{n}}{func.group(2)}"
                nxt = urljoin(url, template.format(n=int(js.group(1)))) if href in next_hrefs else ""
                return Pagination("next(N)", template, 1, _count(text), nxt)
            continue
        q = _PAGE_PARAM.search(href)
        if q and href in next_hrefs:
            absolute = urljoin(url, href)
            template = urlsplit(absolute).path.rsplit("/", 1)[-1] + "?" + urlsplit(absolute).query
            template = _PAGE_PARAM.sub(lambda g: g.group(1) + "{n}", template, count=1)
            return Pagination("query", template, 2, _count(text), absolute)
        i = _INDEX_N.search(urlsplit(href).path)
        if i and href in next_hrefs:
            return Pagination("index_N", f"{i.group(1)}{{n}}{i.group(3)}", 1, _count(text), urljoin(url, href))
    if next_hrefs:
        href = next_hrefs[0]
        if not href.startswith("javascript:"):
            return Pagination("link", "", 2, _count(text), urljoin(url, href))
    return Pagination("", page_count=_count(text))
