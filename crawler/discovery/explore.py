"""The walk over a portal, as a generator of fetches: pure, so it runs the same under Scrapy or a test.

:func:`explore` yields a :class:`Fetch` and is sent back the :class:`Page` it got, one at a time;
it returns a :class:`Found`. It never asks for more than ``budget`` requests (a host's first
request costs one more: its robots.txt) and never for a page outside the portal's hosts: the home
page's host, its parent domain and the subdomains the home page links to (a column's articles may
also sit on another subdomain of the portal's domain, as Haidian's do on zyk.bjhd.gov.cn).

Steps: the home page (through one redirect shell); its navigation links ranked by anchor text
(``keywords.toml``); each fetched in rank order, through one shell, and judged (a column? a JSON
API named in its scripts? sub-navigation worth a look?); columns that only repeat another's links
dropped; two or three articles of each column extracted to confirm (title, date, body found).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.discovery.columns import Column, api_urls, judge_json, judge_page
from crawler.genericlist import article_like
from crawler.listing import redirect_target
from pipelines.extract import ListHints, SiteHints, decode_html, extract_article

KEYWORDS_FILE = Path(__file__).with_name("keywords.toml")
ARTICLES_PER_COLUMN = 3
MIN_BODY = 40


class DiscoveryError(Exception):
    """Discovery cannot go on (the home page does not answer, robots.txt forbids it, no column found)."""


@dataclass(frozen=True)
class Fetch:
    url: str
    referer: str = ""


@dataclass(frozen=True)
class Page:
    url: str
    status: int | None
    content_type: str = ""
    body: bytes = b""
    error: str = ""  # "robots.txt disallows it", "connection refused", …

    @property
    def text(self) -> str:
        return decode_html(self.body, None, self.content_type or None)[0]

    @property
    def outcome(self) -> str:
        return self.error or f"HTTP {self.status}"


@dataclass
class Found:
    homepage: str
    hosts: list[str]
    name: str
    admin_code: str
    columns: list[Column]
    requests: int
    budget: int
    notes: list[str] = field(default_factory=list)


def load_keywords(path: Path = KEYWORDS_FILE) -> tuple[dict[str, int], tuple[str, ...], tuple[str, ...]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return dict(data["column"]), tuple(data["exclude"]["words"]), tuple(data["exclude"]["more"])


def rank_label(label: str, keywords: dict[str, int], exclude: tuple[str, ...]) -> int:
    """The weight of a navigation label: its best column keyword, 0 when none or when excluded."""
    if not label or len(label) > 12 or any(word in label for word in exclude):
        return 0
    return max((w for k, w in keywords.items() if k in label), default=0)


def _root(text: str):
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _heading(a) -> str:
    """The heading of the box a "more" link sits in."""
    node = a.getparent()
    for _ in range(3):
        if node is None:
            return ""
        for h in node.iter("h1", "h2", "h3", "h4", "span", "a"):
            text = " ".join(h.text_content().split())
            if h is not a and text and not any(m in text for m in ("更多", "more", ">>")):
                return text
        node = node.getparent()
    return ""


def nav_links(text: str, url: str, allowed, keywords, exclude, more) -> list[tuple[int, str, str]]:
    """(weight, label, absolute URL) of the page's links that may lead to news columns, best first."""
    root = _root(text)
    if root is None:
        return []
    out: dict[str, tuple[int, str, int]] = {}
    for order, a in enumerate(root.iter("a")):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        absolute = urljoin(url, href).split("#", 1)[0]
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or not allowed(parts.hostname or "") or absolute == url:
            continue
        if article_like(parts.path) or parts.path in ("", "/"):
            continue
        label = " ".join((a.text_content() or a.get("title") or "").split())
        if any(m in label for m in more) or not label:
            label = _heading(a)
        weight = rank_label(label, keywords, exclude)
        if weight and (absolute not in out or out[absolute][0] < weight):
            out[absolute] = (weight, label, out.get(absolute, (0, "", order))[2])
    return [(w, label, u) for u, (w, label, _) in sorted(out.items(), key=lambda kv: (-kv[1][0], kv[1][2]))]


_META = re.compile(r"<meta\s+[^>]*name\s*=\s*['\"]?(SiteName|SiteIDCode)['\"]?[^>]*content\s*=\s*['\"]([^'\"]*)['\"]", re.I)
_SITE_CODE_TEXT = re.compile(r"网站标识码\s*[:：]?\s*[A-Za-z]{0,3}(\d{10})")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S | re.I)


def site_identity(text: str) -> tuple[str, str]:
    """(site name, admin code) from SiteName/SiteIDCode meta tags, the 网站标识码 line or the title."""
    metas = {k.lower(): v.strip() for k, v in _META.findall(text)}
    name = metas.get("sitename", "")
    code = re.sub(r"\D", "", metas.get("siteidcode", ""))
    if not code:
        m = _SITE_CODE_TEXT.search(text)
        code = m.group(1) if m else ""
    if not name:
        m = _TITLE.search(text)
        name = re.split(r"[_|\-–—]", " ".join(m.group(1).split()))[-1].strip() if m else ""
    return name, code[:6] if len(code) >= 6 else ""


def explore(start_url: str, budget: int):
    """Generator: yields :class:`Fetch`, is sent :class:`Page`; returns :class:`Found`."""
    keywords, exclude, more = load_keywords()
    used = 0
    asked_hosts: set[str] = set()
    notes: list[str] = []

    def cost(url: str) -> int:
        return 1 + ((urlsplit(url).hostname or "") not in asked_hosts)

    def affordable(url: str, reserve: int = 0) -> bool:
        return used + cost(url) + reserve <= budget

    def fetch(url: str, referer: str = ""):
        nonlocal used
        used += cost(url)
        asked_hosts.add(urlsplit(url).hostname or "")
        page = yield Fetch(url, homepage_ref[0] if url != homepage_ref[0] else "")
        return page

    # every request but the home page's own carries the home page as its Referer: what a browser
    # arriving from it sends, and what the written site file sends (some portals refuse requests without)
    homepage_ref = [start_url]
    start_host = (urlsplit(start_url).hostname or "").lower()
    if urlsplit(start_url).scheme not in ("http", "https") or not start_host:
        raise DiscoveryError(f"{start_url!r} is not an http(s) URL")
    if not affordable(start_url):
        raise DiscoveryError(f"a budget of {budget} requests cannot fetch even the home page (robots.txt + page)")
    base = start_host[4:] if start_host.startswith("www.") else start_host
    linked_hosts: set[str] = {start_host}

    def allowed(host: str) -> bool:
        """Pages of the portal: its home host, the parent domain, the subdomains the home page links to."""
        host = host.lower()
        return host in linked_hosts or host == base

    def article_host(host: str) -> bool:
        """Articles a column links to may sit on any subdomain of the portal (zyk.bjhd.gov.cn)."""
        host = host.lower()
        return allowed(host) or host.endswith("." + base)

    home = yield from fetch(start_url)
    if home.status != 200:
        raise DiscoveryError(f"the home page {start_url} was not fetched: {home.outcome}")
    text = home.text
    shell = redirect_target(text, home.url)
    if shell:
        if not allowed(urlsplit(shell).hostname or ""):
            raise DiscoveryError(f"the home page is a redirect shell to {shell}, outside the portal's hosts")
        if not affordable(shell):
            raise DiscoveryError(f"the budget of {budget} requests ran out at the home page's redirect shell")
        home = yield from fetch(shell, start_url)
        if home.status != 200:
            raise DiscoveryError(f"the home page's redirect shell led to {shell}: {home.outcome}")
        text = home.text
        notes.append(f"the home page {start_url} is a redirect shell to {shell}")
    homepage = home.url
    homepage_ref[0] = homepage
    root = _root(text)
    for a in root.iter("a") if root is not None else ():
        host = (urlsplit(urljoin(homepage, a.get("href") or "")).hostname or "").lower()
        if host and (host == base or host.endswith("." + base)):
            linked_hosts.add(host)
    name, admin_code = site_identity(text)
    queue = [(w, label, u, homepage, False) for w, label, u in nav_links(text, homepage, allowed, keywords, exclude, more)]
    seen = {start_url, homepage}
    columns: list[Column] = []
    while queue:
        queue.sort(key=lambda q: -q[0])
        weight, label, url, referer, is_api = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        if not affordable(url, reserve=2 * (len(columns) + 1)):
            notes.append(f"budget: {len(queue) + 1} candidate links not fetched")
            break
        page = yield from fetch(url, referer)
        if page.status != 200:
            continue
        body = page.text
        target = "" if is_api else redirect_target(body, page.url)
        if target:
            if not allowed(urlsplit(target).hostname or "") or target in seen or not affordable(target, 2 * (len(columns) + 1)):
                continue
            seen.add(target)
            page = yield from fetch(target, page.url)
            if page.status != 200:
                continue
            body = page.text
            if redirect_target(body, page.url):
                continue  # a second shell: not followed (as a crawl does)
        if body.lstrip().startswith(("{", "[")):
            column = judge_json(label, body, page.url, article_host)
        else:
            named = {h.lower() for h in re.findall(r"https?://([A-Za-z0-9.-]+)", body) if article_host(h)}
            column = judge_page(label, body, page.url, tuple(sorted(linked_hosts | named)))
        if column is not None:
            column.rank = weight
            if target:
                column.why.append(f"reached through a redirect shell at {url}")
            columns.append(column)
            continue
        for api in api_urls(body, page.url):
            if allowed(urlsplit(api).hostname or "") and api not in seen:
                queue.append((weight + 0.5, label, api, page.url, True))
        if weight >= 1:  # one level of sub-navigation, ranked below the home page's own links
            for w, sub_label, u in nav_links(body, page.url, allowed, keywords, exclude, more):
                if u not in seen:
                    queue.append((min(w, weight) - 1, sub_label, u, page.url, False))
    columns = _distinct(columns)
    if not columns:
        raise DiscoveryError(f"no news column found from {homepage} ({used} of {budget} requests used)")
    newest = max((c.newest for c in columns if c.newest), default="")
    for c in columns:
        if c.newest and newest and c.newest >= newest[:4]:  # dated this year of the portal's newest: recent
            c.rank += 1
    columns.sort(key=lambda c: (-c.rank, -len(c.links)))
    hints = SiteHints(site_names=(name,) if name else ())
    for k, column in enumerate(columns):
        for link in [x for x in column.links if not x.pinned and article_host(urlsplit(x.url).hostname or "")][
                :ARTICLES_PER_COLUMN]:
            if not affordable(link.url, reserve=2 * (len(columns) - k - 1)):
                break
            column.tried += 1
            page = yield from fetch(link.url, column.url)
            if page.status != 200:
                continue
            art_text = page.text
            if not name or not admin_code:
                n2, c2 = site_identity(art_text)
                name, admin_code = name or n2, admin_code or c2
            art = extract_article(art_text, page.url, hints, list_hints=ListHints(column=column.name, title=link.title,
                                  date=link.date), fetched_at=datetime.now(timezone.utc))
            if art.get("title") and art.get("published_at") and len(art.get("body_text") or "") >= MIN_BODY:
                column.confirmed.append(link.url)
    dropped = [c for c in columns if c.tried and not c.confirmed]
    for c in dropped:
        notes.append(f"{c.name} {c.url}: dropped, none of {c.tried} articles gave a title, date and body")
    columns = [c for c in columns if not (c.tried and not c.confirmed)]
    if not columns:
        raise DiscoveryError(f"no column of {homepage} gave an article with title, date and body")
    hosts = [urlsplit(homepage).hostname or start_host]
    for c in columns:
        for u in [c.url] + [x.url for x in c.links]:
            h = urlsplit(u).hostname or ""
            if h not in hosts:
                hosts.append(h)
    return Found(homepage=homepage, hosts=hosts, name=name, admin_code=admin_code, columns=columns,
                 requests=used, budget=budget, notes=notes)


def _distinct(columns: list[Column]) -> list[Column]:
    """Drop a column whose links all appear in another (an aggregate page, a second path to one list)."""
    keep = []
    for c in sorted(columns, key=lambda c: -len(c.links)):
        mine = {x.url for x in c.links}
        if any(mine <= {x.url for x in k.links} for k in keep):
            continue
        keep.append(c)
    return keep
