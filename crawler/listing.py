"""Pure parsing of news list pages: article links (with title, date, pinned) and the page count.

List records come from three places on government portals, all handled here:
plain HTML (``<ul class="list"><li>``), Hanweb's ``<script type="text/xml">``
datastore (``<record><![CDATA[<li>…</li>]]></record>``), and ``document.write``
lines. No Scrapy here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.sites import ListRules

# <record><![CDATA[ ... ]]></record> in Hanweb datastores
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
# document.write("…") / document.writeln('…')
_DOC_WRITE = re.compile(r"document\.write(?:ln)?\(\s*(['\"])(.*?)\1\s*\)", re.S)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PINNED_TEXT = ("置顶", "[顶]", "【顶】")
_PINNED_CLASS = re.compile(r"\b(top|zd|zhiding|sticky|pinned)\b", re.I)
_RECORD_TAGS = {"li", "tr", "dd", "dt", "p"}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


@dataclass(frozen=True, slots=True)
class ListLink:
    url: str
    title: str
    date: str  # YYYY-MM-DD or ""
    pinned: bool


@dataclass(frozen=True, slots=True)
class ListPage:
    links: tuple[ListLink, ...]
    page_count: int | None  # total pages as the page states it; None when it does not say


def _fragments(text: str) -> list[etree._Element]:
    roots = []
    html = _XML_DECL.sub("", text)
    if html.strip():
        try:
            roots.append(lxml.html.document_fromstring(html))
        except (etree.ParserError, ValueError):
            pass
    for chunk in _CDATA.findall(text):
        if "<a" in chunk:
            roots.append(lxml.html.fragment_fromstring(chunk, create_parent="div"))
    for _, chunk in _DOC_WRITE.findall(text):
        if "<a" in chunk:
            chunk = chunk.replace("\\'", "'").replace('\\"', '"')
            roots.append(lxml.html.fragment_fromstring(chunk, create_parent="div"))
    return roots


def _record(anchor: etree._Element) -> etree._Element:
    node = anchor.getparent()
    while node is not None:
        if node.tag in _RECORD_TAGS:
            return node
        parent = node.getparent()
        if parent is None:
            return node
        node = parent
    return anchor


def _is_pinned(record: etree._Element, record_text: str) -> bool:
    if any(marker in record_text for marker in _PINNED_TEXT):
        return True
    for el in record.iter():
        if isinstance(el.tag, str) and _PINNED_CLASS.search(el.get("class", "")):
            return True
    return False


def _date(record_text: str) -> str:
    m = _DATE.search(record_text)
    if not m:
        return ""
    y, mo, d = (int(g) for g in m.groups())
    if not (1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}"


def parse_list_page(text: str, url: str, rules: ListRules, hosts: tuple[str, ...]) -> ListPage:
    """Article links of one list page, in page order, each once (first occurrence wins)."""
    article_re = rules.article_re
    seen: set[str] = set()
    links: list[ListLink] = []
    for root in _fragments(text):
        for a in root.iter("a"):
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "#")):
                continue
            absolute = urljoin(url, href)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or (parts.hostname or "") not in hosts:
                continue
            if not article_re.search(parts.path):
                continue
            record = _record(a)
            record_text = " ".join(record.itertext())
            title = (a.get("title") or a.text_content() or "").strip()
            pinned = _is_pinned(record, record_text)
            key = absolute.split("#", 1)[0]
            if key in seen:
                continue
            seen.add(key)
            links.append(ListLink(url=key, title=title, date=_date(record_text), pinned=pinned))
    count = None
    if rules.page_count_pattern:
        m = re.search(rules.page_count_pattern, text)
        if m:
            count = int(m.group(1))
    return ListPage(links=tuple(links), page_count=count)
