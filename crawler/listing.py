"""Pure parsing of news list pages: article links (with title, date, pinned) and the page count.

List records come from four places on government portals, all handled here:
plain HTML (``<ul class="list"><li>``, TRS "static + dynamic" ``ms-visible``
blocks), Hanweb's ``<script type="text/xml">`` datastore and jpage
``<recordset>`` (``<record><![CDATA[<li>…</li>]]></record>``),
``document.write('<a href=…>…</a>')`` lines, and JSON list APIs
(``rows[{title, docPubUrl, pubDate}]``, the rules name the keys). The first
list page also yields the values later pages need (``page_vars``: channel
ids named in its scripts), the page count or record count, and, for a
redirect shell (a ~160-byte page whose only job is a JS or meta-refresh
redirect), the URL it sends the browser to. No Scrapy here.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, field
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
# redirect shells: <meta http-equiv="refresh" content="0;url=…"> or location(.href) = '…' / location.replace('…')
_META_REFRESH = re.compile(r"<meta[^>]+http-equiv\s*=\s*['\"]?refresh['\"]?[^>]*content\s*=\s*['\"]\s*\d*\s*;?\s*url\s*=\s*([^'\">\s]+)",
                           re.I)
_JS_LOCATION = re.compile(r"(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*(?:=|\.replace\(|\.assign\()\s*['\"]([^'\"]+)['\"]")
SHELL_MAX_BYTES = 1024  # a redirect shell is a page this small whose only content is the redirect


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
    page_vars: dict[str, str] = field(default_factory=dict)  # the rules' page_vars found on this page
    record_count: int | None = None  # total records as the page states them (rules.record_count_pattern)
    redirect: str = ""  # absolute URL a redirect shell sends to ("" for a real page)
    next_url: str = ""  # format = "generic": the next page the page links to ("" when none)

    def last_page_number(self, rules: ListRules) -> int | None:
        """The largest ``{n}`` worth requesting, from what this page states (None: unknown)."""
        if self.record_count is not None and rules.per_page:
            return math.ceil(self.record_count / rules.per_page)
        if self.page_count is None:
            return None
        if rules.first_page_after:
            return self.page_count  # {n} numbers the pages themselves
        return self.page_count - 2 + rules.first_page_number  # page 1 is the column URL


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


def _dig(value, path: str):
    for part in [p for p in path.split(".") if p]:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _json_records(text: str, rules: ListRules) -> list[tuple[str, str, str]] | None:
    """(href, title, date) of a JSON list answer, or None when the text is not one."""
    if not rules.json_items or not text.lstrip().startswith(("{", "[")):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    rows = _dig(data, rules.json_items) if isinstance(data, dict) else data
    if not isinstance(rows, list):
        return []
    out = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        href, title, when = (row.get(k) for k in (rules.json_url, rules.json_title, rules.json_date))
        if isinstance(href, str) and href:
            out.append((href, title if isinstance(title, str) else "", str(when) if when is not None else ""))
    return out


def redirect_target(text: str, url: str) -> str:
    """Where a redirect shell sends the browser (absolute), or "" when ``text`` is a real page."""
    if len(text.encode("utf-8", "replace")) > SHELL_MAX_BYTES or "<a " in text.lower():
        return ""
    m = _META_REFRESH.search(text) or _JS_LOCATION.search(text)
    if not m:
        return ""
    target = urljoin(url, html.unescape(m.group(1).strip()))
    return target if urlsplit(target).scheme in ("http", "https") else ""


def page_vars(text: str, rules: ListRules) -> dict[str, str]:
    found = {}
    for name, pattern in rules.page_vars:
        m = re.search(pattern, text)
        if m:
            found[name] = m.group(1) if m.groups() else m.group(0)
    return found


def parse_list_page(text: str, url: str, rules: ListRules, hosts: tuple[str, ...]) -> ListPage:
    """Article links of one list page, in page order, each once (first occurrence wins)."""
    if rules.format == "generic":
        return _generic_page(text, url, rules, hosts)
    article_re = rules.article_re
    seen: set[str] = set()
    links: list[ListLink] = []
    records = _json_records(text, rules)
    if records is not None:
        for href, title, when in records:
            absolute = urljoin(url, href.strip())
            parts = urlsplit(absolute)
            key = absolute.split("#", 1)[0]
            if ((parts.hostname or "") in hosts and parts.scheme in ("http", "https")
                    and article_re.search(parts.path) and key not in seen):
                seen.add(key)
                links.append(ListLink(url=key, title=title.strip(), date=_date(when), pinned=False))
        return ListPage(links=tuple(links), page_count=None)
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
            # the date beside the link, not one inside its title ("2026年9月18-22日平潭计划停电")
            outside = record_text.replace(a.text_content(), " ", 1)
            links.append(ListLink(url=key, title=title, date=_date(outside) or _date(record_text), pinned=pinned))
    return ListPage(links=tuple(links), page_count=_count(rules.page_count_pattern, text),
                    page_vars=page_vars(text, rules), record_count=_count(rules.record_count_pattern, text),
                    redirect="" if links else redirect_target(text, url))


def _count(pattern: str, text: str) -> int | None:
    if not pattern:
        return None
    m = re.search(pattern, text)
    return int(m.group(1)) if m else None


def _generic_page(text: str, url: str, rules: ListRules, hosts: tuple[str, ...]) -> ListPage:
    """``format = "generic"``: the generic list rule's links (those the article pattern takes) and next page."""
    from crawler.genericlist import generic_list  # it builds on this module's record helpers

    found = generic_list(text, url, hosts)
    links = tuple(link for link in found.links if rules.article_re.search(urlsplit(link.url).path))
    return ListPage(links=links, page_count=found.pagination.page_count, next_url=found.pagination.next_url,
                    redirect="" if links else redirect_target(text, url))
