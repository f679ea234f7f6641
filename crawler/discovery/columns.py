"""Is a fetched page a news column, and how is it listed and paged? Pure functions.

A page is a column when the generic list rule (:mod:`crawler.genericlist`) finds a run of
same-template links to article-like URLs on it. Its list format is then recognised among the
presets by what the page itself shows (the values each preset's later pages need, found in the
page; the pager it writes), most specific first; a page with a next link no preset knows keeps
the generic rule (``format = "generic"``). A JSON answer with a list of records holding URLs is
a ``json-api`` column, its keys inferred from the records.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from crawler.genericlist import GenericList, article_like, generic_list
from crawler.listing import ListLink, _date, page_vars
from crawler.sites import ListRules, load_preset

MIN_LINKS = 3
_URL_IN_SCRIPT = re.compile(r"['\"]((?:https?://[^'\"\s]+)?/[^'\"\s<>]*(?:search|list|query|api)[^'\"\s<>]*\?[^'\"\s<>]*"
                            r"(?:pageNum|pageNo|page|currentPage)=\d+[^'\"\s<>]*)['\"]", re.I)
_JSON_PAGE_PARAM = re.compile(r"((?:pageNum|pageNo|page|currentPage)=)(\d+)", re.I)


@dataclass
class Column:
    name: str
    url: str  # the list page (after a redirect shell)
    links: list[ListLink]
    dated: int
    family: str = "generic"
    list_table: dict = field(default_factory=dict)  # what the site file's [columns.list] must say
    why: list[str] = field(default_factory=list)  # how discovery knows, for the site file's comment
    newest: str = ""  # the newest date among the links
    rank: float = 0.0
    confirmed: list[str] = field(default_factory=list)  # article URLs whose title, date and body were found
    tried: int = 0


def _rules(family: str) -> ListRules:
    lst = load_preset(family).get("list", {})
    return ListRules(article_pattern=lst.get("article_pattern") or ".", page_url=lst.get("page_url", ""),
                     first_page_number=lst.get("first_page_number", 2),
                     page_count_pattern=lst.get("page_count_pattern", ""),
                     page_vars=tuple(lst.get("page_vars", {}).items()),
                     record_count_pattern=lst.get("record_count_pattern", ""))


def _all_vars(family: str, text: str) -> bool:
    rules = _rules(family)
    return bool(rules.page_vars) and len(page_vars(text, rules)) == len(rules.page_vars)


def recognise(text: str, url: str, found: GenericList) -> tuple[str, dict, list[str]]:
    """(family, list table overrides, reasons) for a column page."""
    pages = found.pagination
    if re.search(r"<totalpage>\s*\d+", text, re.I) and "<datastore" in text.lower():
        return "hanweb", {}, ["Hanweb datastore with <totalpage>"]
    if _all_vars("hanweb-jpage", text) and re.search(r"totalRecord", text, re.I):
        return "hanweb-jpage", {}, ["Hanweb jpage: the datastore's nextgroup names webid/columnid/unitid, totalRecord given"]
    if _all_vars("trs-dynamic", text):
        return "trs-dynamic", {}, ["TRS static + dynamic: searchId, chnlid and maxStaticIndex named in the scripts"]
    if pages.kind == "createPageHTML":
        return "trs", {"page_url": pages.template, "first_page_number": 1}, [
            f"TRS pager createPageHTML({pages.page_count}, …): {pages.template}"]
    if pages.kind == "next(N)":
        return "hanweb-next", {"page_url": pages.template, "first_page_number": 1}, [
            f"javascript:next(N) pager loading {pages.template}" + (f", 共{pages.page_count}页" if pages.page_count else "")]
    if pages.kind in ("query", "index_N"):
        family = "eportal" if "/eportal/" in urlsplit(url).path else "generic"
        table = {"page_url": pages.template, "first_page_number": pages.first_number}
        if pages.page_count and family == "generic":
            table["page_count_pattern"] = r"共\s*(\d+)\s*页"
        return family, table, [f"下一页 link paged by {pages.template}"]
    if re.search(r"document\.write(ln)?\(\s*['\"][^\n]*<a\s", text):
        return "docwrite", {}, ["the list is written by document.write('<a …>') lines; no pager"]
    if pages.next_url:
        return "generic", {"format": "generic"}, ["a 下一页 link no preset knows: the generic rule follows it"]
    return "generic", {}, ["one page: no pager found"]


def judge_page(name: str, text: str, url: str, hosts: tuple[str, ...]) -> Column | None:
    """The column this page is, or None (too few same-template article links)."""
    found = generic_list(text, url, hosts)
    if len(found.links) < MIN_LINKS:
        return None
    family, table, why = recognise(text, url, found)
    dates = sorted((link.date for link in found.links if link.date), reverse=True)
    why.insert(0, f"{len(found.links)} same-template links ({found.signature.split(' ')[0]}), {found.dated} dated")
    return Column(name=name, url=url, links=list(found.links), dated=found.dated, family=family, list_table=table,
                  why=why, newest=dates[0] if dates else "")


def api_urls(text: str, url: str) -> list[str]:
    """JSON list APIs a page's scripts name (``…/search?…&pageNum=1…``), absolute."""
    return list(dict.fromkeys(urljoin(url, m.replace("&amp;", "&")) for m in _URL_IN_SCRIPT.findall(text)))


def _records(data) -> tuple[str, list[dict]]:
    if isinstance(data, list):
        return "", [r for r in data if isinstance(r, dict)]
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
                return key, value
            if isinstance(value, dict):
                sub, rows = _records(value)
                if rows:
                    return f"{key}.{sub}" if sub else key, rows
    return "", []


def judge_json(name: str, text: str, url: str, hosts_ok) -> Column | None:
    """A JSON list API answer as a ``json-api`` column (keys inferred from its records), or None."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    items, rows = _records(data)
    if len(rows) < MIN_LINKS:
        return None
    keys = {}
    for key in rows[0]:
        values = [r.get(key) for r in rows if isinstance(r.get(key), str)]
        if len(values) < len(rows):
            continue
        if "url" not in keys and all(urlsplit(urljoin(url, v)).scheme in ("http", "https") and article_like(
                urlsplit(urljoin(url, v)).path) and hosts_ok(urlsplit(urljoin(url, v)).hostname or "") for v in values):
            keys["url"] = key
        elif "date" not in keys and all(_date(v) for v in values):
            keys["date"] = key
        elif "title" not in keys and all(len(v) >= 4 and not v.isascii() for v in values):
            keys["title"] = key
    if set(keys) != {"url", "date", "title"}:
        return None
    links = [ListLink(url=urljoin(url, r[keys["url"]]), title=r[keys["title"]], date=_date(r[keys["date"]]), pinned=False)
             for r in rows]
    query = urlsplit(url).query
    tail = urlsplit(url).path.rsplit("/", 1)[-1]
    template = _JSON_PAGE_PARAM.sub(lambda m: m.group(1) + "{n}", f"{tail}?{query}", count=1)
    table = {"json_items": items, "json_url": keys["url"], "json_title": keys["title"], "json_date": keys["date"],
             "page_url": template, "first_page_number": 2}
    dates = sorted((link.date for link in links), reverse=True)
    why = [f"a JSON list API named in the page's scripts: {len(rows)} records under {items or 'the top level'!r} "
           f"({keys['title']}, {keys['url']}, {keys['date']})", f"paged by {template}; paging ends at a page with no new rows"]
    return Column(name=name, url=url, links=links, dated=len(links), family="json-api", list_table=table, why=why,
                  newest=dates[0] if dates else "")
