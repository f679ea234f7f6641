"""What a site file describes, as frozen dataclasses: a site, its news columns, each column's list rules.

Built by :func:`crawler.sites.load_site`; no TOML and no Scrapy here. The list rules say
how to find the article links on a column's list pages and how to reach its later pages
(a URL template, or a form POSTed; values named in the first page fill its placeholders).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from pipelines.extract import SiteHints

DEFAULT_STOP_AFTER_KNOWN = 10
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
FIXED_PLACEHOLDERS = {"n", "start", "end", "per"}


class SiteError(ValueError):
    """A site file is missing, malformed, or contradicts itself."""


@dataclass(frozen=True, slots=True)
class ListRules:
    article_pattern: str
    page_url: str
    first_page_number: int
    page_count_pattern: str
    max_pages: int = 200
    # later pages fetched another way than GET page_url (JSON APIs, Hanweb jpage proxies):
    page_method: str = "GET"  # GET or POST (POST sends page_form as a form body)
    page_form: tuple[tuple[str, str], ...] = ()
    # name -> regular expression with one group, searched in the column's first list page;
    # the values fill {name} in page_url / page_form (channel ids, column ids named in scripts)
    page_vars: tuple[tuple[str, str], ...] = ()
    first_page_after: str = ""  # a page var holding the pages the first list page already shows
    per_page: int = 0  # records per later page: {start}/{end}/{per}, and the page count from a record count
    record_count_pattern: str = ""  # total records as the first page states them (page count = ceil(records/per_page))
    # JSON lists: the dotted path to the records and each record's keys
    json_items: str = ""
    json_title: str = "title"
    json_url: str = "url"
    json_date: str = "date"
    format: str = ""  # "generic": links and the next page by the generic list rule (crawler.genericlist)

    @property
    def article_re(self) -> re.Pattern[str]:
        return re.compile(self.article_pattern)

    def missing_vars(self, found: dict[str, str]) -> list[str]:
        """The page vars later pages need that the first list page did not give (``found``)."""
        templates = self.page_url + "".join(v for _, v in self.page_form)
        names = {n for n in PLACEHOLDER.findall(templates) if n not in FIXED_PLACEHOLDERS}
        if self.first_page_after:
            names.add(self.first_page_after)
        return sorted(n for n in names if n not in found)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    url: str
    rules: ListRules

    def page_number(self, index: int, page_vars: dict[str, str] | None = None) -> int:
        """The ``{n}`` of list page ``index`` >= 1."""
        rules = self.rules
        if rules.first_page_after:
            return int((page_vars or {}).get(rules.first_page_after, "0") or 0) + index
        return rules.first_page_number + index - 1

    def _fill(self, template: str, index: int, page_vars: dict[str, str] | None) -> str:
        n = self.page_number(index, page_vars)
        per = self.rules.per_page
        values = {**(page_vars or {}), "n": n, "per": per,
                  "start": (n - 1) * per + 1 if per else n, "end": n * per if per else n}
        return template.format(**values)

    def page_url(self, index: int, page_vars: dict[str, str] | None = None, base: str = "") -> str:
        """URL of list page ``index`` (0 = the column URL itself; ``base``: where a redirect shell led)."""
        if index == 0:
            return self.url
        if not self.rules.page_url:
            raise ValueError(f"column {self.name!r} has one page only (no page_url)")
        return urljoin(base or self.url, self._fill(self.rules.page_url, index, page_vars))

    def page_form(self, index: int, page_vars: dict[str, str] | None = None) -> dict[str, str]:
        """The form body of list page ``index`` when the rules POST (else empty)."""
        return {k: self._fill(v, index, page_vars) for k, v in self.rules.page_form}


@dataclass(frozen=True, slots=True)
class Site:
    slug: str
    name: str
    district: str
    city: str
    province: str
    admin_code: str
    homepage: str
    hosts: tuple[str, ...]
    family: str
    columns: tuple[Column, ...]
    body_selectors: tuple[str, ...]
    stop_after_known: int = DEFAULT_STOP_AFTER_KNOWN
    verified: bool = False
    demo: bool = False
    note: str = ""
    headers: tuple[tuple[str, str], ...] = ()  # sent with every request to the site (e.g. a Referer)
    evidence: tuple[str, ...] = ()  # where what the file states comes from (source and date)
    unknown: tuple[str, ...] = ()  # what the evidence does not say
    path: Path | None = field(default=None, compare=False)

    def hints(self) -> SiteHints:
        """What pure extraction needs to know about this site."""
        return SiteHints(
            slug=self.slug,
            district=self.district,
            city=self.city,
            province=self.province,
            admin_code=self.admin_code,
            site_names=(self.name,),
            body_selectors=self.body_selectors,
            family=self.family,
        )

