"""What ``govnews check-site`` finds on one column, and what to fix: pure functions, no Scrapy.

:func:`check_list` reads one first list page (as fetched, or a saved file) with the column's
rules; :func:`check_article` reads the one article fetched from it; :func:`advice` turns the
findings into lines a person can act on. :func:`render` prints a column's report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.listing import ListPage, parse_list_page
from crawler.sites import Column, Site
from pipelines.extract import ListHints, decode_html, extract_article

@dataclass
class ColumnCheck:
    column: Column
    url: str
    outcome: str = ""  # "200 text/html (1234 bytes)", "404", "robots.txt disallows it", "dns_error"
    ok_status: bool = False
    final_url: str = ""
    shell_to: str = ""  # the redirect shell in front of the column led here
    shell_refused: str = ""  # why a redirect shell was not followed
    page: ListPage | None = None
    other_links: list[str] = field(default_factory=list)  # same-site hrefs the pattern did not take
    pagination: str = ""
    article: dict | None = None
    article_url: str = ""
    article_outcome: str = ""
    problems: list[str] = field(default_factory=list)
    offline: bool = False  # read from a saved page: no article is fetched

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def _hrefs(text: str, url: str, hosts: tuple[str, ...]) -> list[str]:
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    out = []
    for a in root.iter("a"):
        href = urljoin(url, (a.get("href") or "").strip())
        parts = urlsplit(href)
        if parts.scheme in ("http", "https") and (parts.hostname or "") in hosts and parts.path not in ("", "/"):
            out.append(href)
    return out


def describe_pagination(column: Column, page: ListPage, base: str) -> str:
    rules = column.rules
    if not rules.page_url:
        return "none: page_url is empty, only the first page is crawled"
    missing = rules.missing_vars(page.page_vars)
    if missing:
        return f"broken: the page does not name {', '.join(missing)} (page_vars)"
    last = page.last_page_number(rules)
    first = column.page_number(1, page.page_vars)
    kind = f"{rules.page_method} {column.page_url(1, page.page_vars, base)} …"
    if last is None:
        return f"{kind}: the page states no page count; paging stops at a page with no new link"
    if page.record_count is not None:
        source = f"record count {page.record_count}, {rules.per_page} a page"
    else:
        source = f"page count {page.page_count} stated"
    if last < first:
        return f"one page only ({source})"
    return f"{kind}: {{n}} = {first}…{last}, {last - first + 2} requests ({source})"


def check_list(site: Site, column: Column, *, url: str, status: int | None, content_type: str, body: bytes,
               outcome: str) -> ColumnCheck:
    check = ColumnCheck(column=column, url=column.url, final_url=url, outcome=outcome,
                        ok_status=status == 200)
    if status != 200:
        return check
    text = decode_html(body, None, content_type or None)[0]
    page = parse_list_page(text, url, column.rules, site.hosts)
    check.page = page
    check.shell_to = page.redirect
    if not page.links:
        check.other_links = _hrefs(text, url, site.hosts)[:5]
    check.pagination = describe_pagination(column, page, url)
    return check


def check_article(site: Site, check: ColumnCheck, *, url: str, status: int | None, content_type: str,
                  body: bytes, outcome: str) -> None:
    check.article_url, check.article_outcome = url, outcome
    if status != 200:
        return
    text = decode_html(body, None, content_type or None)[0]
    link = next((x for x in check.page.links if x.url == url), None) if check.page else None
    hints = ListHints(column=check.column.name, title=link.title if link else "", date=link.date if link else "")
    check.article = extract_article(text, url, site.hints(), list_hints=hints, fetched_at=datetime.now(timezone.utc))


def advice(check: ColumnCheck, index: int) -> list[str]:
    """What to fix in the site file (empty: nothing), also stored in ``check.problems``."""
    where = f"columns[{index}]"
    fixes = []
    if not check.ok_status:
        if "robots" in check.outcome:
            fixes.append("robots.txt disallows this page: govnews will not crawl it (nothing to fix in the file; "
                         "say so in the note)")
        else:
            code = check.outcome.split(" ", 1)[0]
            answer = f"answers {code}" if code.isdigit() else f"was {check.outcome}"
            fixes.append(f"the column URL {answer}, not 200: open the portal in a browser, find the column's list "
                         f"page and put its URL in {where}.url (check http vs https)")
    elif check.page is not None and not check.page.links:
        if check.shell_refused:
            fixes.append(f"the column URL is {check.shell_refused}: put the page it leads to in {where}.url "
                         "(and its host in hosts if it is the site's)")
        elif check.shell_to:
            fixes.append(f"the page is a redirect shell to {check.shell_to}, which lists nothing either: "
                         f"put the real list page in {where}.url")
        elif check.other_links:
            sample = ", ".join(urlsplit(u).path for u in check.other_links[:3])
            fixes.append(f"no link matches article_pattern '{check.column.rules.article_pattern}'; links on the page "
                         f"look like {sample}: adjust {where}.list.article_pattern (it matches the URL path)")
        else:
            fixes.append("the page has no links to this site: the list may be loaded by a script — look for "
                         "document.write lines, a JSON API or a <script type=\"text/xml\"> datastore and pick "
                         "the matching preset (family)")
    if check.pagination.startswith("broken"):
        fixes.append(f"paging: {check.pagination}: fix {where}.list.page_vars or page_url")
    if check.ok_status and check.page is not None and check.page.links:
        art = check.article
        if art is None and check.offline:
            pass
        elif art is None:
            fixes.append(f"the first article did not answer 200 ({check.article_outcome}): check the article pattern")
        else:
            if not art.get("title"):
                fixes.append("the article has no title: check the article pattern matches articles only")
            if len(art.get("body_text") or "") < 40:
                fixes.append("the article body is (nearly) empty: set [extract] body to the selector of the text")
            if art.get("published_at") is None:
                fixes.append("no publication date found on the article page or in the list")
    check.problems = fixes
    return fixes


def render(site: Site, check: ColumnCheck, index: int) -> list[str]:
    lines = [f"{site.slug} · {check.column.name}  {check.url}"]
    http = check.outcome
    if check.final_url and check.final_url != check.url:
        http += f" at {check.final_url}"
    lines.append(f"  HTTP:        {http}")
    if check.shell_refused:
        lines.append(f"  shell:       {check.shell_refused}")
    elif check.shell_to:
        lines.append(f"  shell:       the column URL is a redirect shell to {check.shell_to} (followed once, as a crawl does)")
    if check.page is not None and not (check.shell_refused and not check.page.links):
        links = check.page.links
        first = f"; first: {links[0].title or '(no title)'} {links[0].url}" if links else ""
        lines.append(f"  links:       {len(links)} match the article pattern{first}")
        lines.append(f"  pagination:  {check.pagination}")
    art = check.article
    if art is not None:
        when = art["published_at"].strftime("%Y-%m-%d %H:%M") if art.get("published_at") else "no date"
        lines.append(f"  article:     {art.get('title') or '(no title)'} | {when} | source {art.get('source') or '—'} | "
                     f"body {len(art.get('body_text') or '')} chars")
        lines.append(f"               {check.article_url}")
    elif check.offline:
        lines.append("  article:     not fetched (offline)")
    elif check.article_outcome:
        lines.append(f"  article:     {check.article_outcome} {check.article_url}")
    fixes = advice(check, index)
    lines += [f"  fix:         {f}" for f in fixes] or ["  fix:         nothing: the column looks right"]
    return lines
