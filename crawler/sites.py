"""The site registry: ``crawler/sites/*.toml`` loaded and validated into frozen dataclasses.

One data file per district portal; a site names its CMS family and the
family's preset (``crawler/sites/presets/<family>.toml``) fills in what the
site does not override. No Scrapy here: the CLI, the spider and the tests
all load sites through :func:`load_registry`.

Errors name the file, the key and the problem::

    SiteError: crawler/sites/beijing-haidian.toml: columns[0].url: must be an http(s) URL on one of hosts
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from pipelines.extract import SiteHints
from warehouse.layout import SLUG, SLUG_MAX

SITES_DIR = Path(__file__).parent / "sites"
PRESETS_DIR = SITES_DIR / "presets"

_ADMIN = re.compile(r"\A[0-9]{6}\Z")  # ASCII digits only: \d takes full-width ones, $ a trailing newline
_NONEMPTY = re.compile(r"^\S")
DEFAULT_STOP_AFTER_KNOWN = 10
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_FIXED_PLACEHOLDERS = {"n", "start", "end", "per"}


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
        names = {n for n in _PLACEHOLDER.findall(templates) if n not in _FIXED_PLACEHOLDERS}
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


def _where(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Reader:
    """Typed getters over one TOML table that raise SiteError naming file and key."""

    def __init__(self, path: Path, data: dict[str, Any], prefix: str = "",
                 key_prefixes: dict[str, str] | None = None) -> None:
        self.path, self.data, self.prefix = path, data, prefix
        self.key_prefixes = key_prefixes or {}  # where each key was written, when tables were merged

    def fail(self, key: str, problem: str) -> SiteError:
        origin = self.key_prefixes.get(key, self.key_prefixes.get(key.split(".", 1)[0], self.prefix))
        return SiteError(f"{_where(self.path)}: {origin}{key}: {problem}")

    def str(self, key: str, default: str | None = None, *, pattern: re.Pattern[str] | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "is required")
        if not isinstance(value, str):
            raise self.fail(key, f"must be a string, not {type(value).__name__}")
        if pattern is not None and not pattern.match(value):
            raise self.fail(key, f"{value!r} does not match {pattern.pattern}")
        return value

    def int(self, key: str, default: int, *, minimum: int = 0) -> int:
        value = self.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.fail(key, f"must be an integer >= {minimum}")
        return value

    def bool(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def strs(self, key: str, default: list[str] | None = None) -> tuple[str, ...]:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "is required")
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, "must be a list of non-empty strings")
        return tuple(value)

    def table(self, key: str) -> dict[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return value

    def check_known(self, known: set[str]) -> None:
        for key in self.data:
            if key not in known:
                raise self.fail(key, f"unknown key (known: {', '.join(sorted(known))})")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise SiteError(f"{_where(path)}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteError(f"{_where(path)}: not valid TOML: {exc}") from None


def load_preset(family: str, presets_dir: Path = PRESETS_DIR) -> dict[str, Any]:
    path = presets_dir / f"{family}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in presets_dir.glob("*.toml"))
        raise SiteError(f"no preset for family {family!r} (known: {', '.join(known)})")
    return _read_toml(path)


def _compile(reader: _Reader, key: str, pattern: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise reader.fail(key, f"bad regular expression: {exc}") from None


LIST_KEYS = {"article_pattern", "page_url", "first_page_number", "page_count_pattern", "max_pages",
             "page_method", "page_form", "page_vars", "first_page_after", "per_page", "record_count_pattern",
             "json_items", "json_title", "json_url", "json_date", "format"}
_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")


def _str_table(r: _Reader, key: str) -> tuple[tuple[str, str], ...]:
    table = r.table(key)
    if not all(isinstance(v, str) for v in table.values()):
        raise r.fail(key, "values must be strings")
    return tuple(table.items())


def _check_placeholders(r: _Reader, key: str, template: str, names: set[str]) -> None:
    for name in _PLACEHOLDER.findall(template):
        if name not in names:
            raise r.fail(key, f"only the placeholders {', '.join('{' + n + '}' for n in sorted(names))} are allowed "
                              f"(page_vars adds names), not {{{name}}}")
_FAMILY = re.compile(r"^[a-z0-9_-]+$")


def _list_rules(reader: _Reader, preset: dict[str, Any], site_list: dict[str, Any],
                column_list: dict[str, Any]) -> ListRules:
    # report a problem where it was written: the column's [columns.list], else the site's [list]
    for prefix, table in ((f"{reader.prefix}list.", column_list), ("list.", site_list)):
        _Reader(reader.path, table, prefix).check_known(LIST_KEYS)
    merged = {**preset.get("list", {}), **site_list, **column_list}
    origin = {**{k: "list." for k in site_list}, **{k: f"{reader.prefix}list." for k in column_list}}
    r = _Reader(reader.path, merged, "list.", origin)
    rules = ListRules(
        article_pattern=r.str("article_pattern"),
        page_url=r.str("page_url", ""),
        first_page_number=r.int("first_page_number", 2),
        page_count_pattern=r.str("page_count_pattern", ""),
        max_pages=r.int("max_pages", 200, minimum=1),
        page_method=r.str("page_method", "GET", pattern=re.compile(r"^(GET|POST)$")),
        page_form=_str_table(r, "page_form"),
        page_vars=_str_table(r, "page_vars"),
        first_page_after=r.str("first_page_after", ""),
        per_page=r.int("per_page", 0),
        record_count_pattern=r.str("record_count_pattern", ""),
        json_items=r.str("json_items", ""),
        json_title=r.str("json_title", "title"),
        json_url=r.str("json_url", "url"),
        json_date=r.str("json_date", "date"),
        format=r.str("format", "", pattern=re.compile(r"^(generic)?$")),
    )
    names = _FIXED_PLACEHOLDERS | {k for k, _ in rules.page_vars}
    for name, pattern in rules.page_vars:
        _compile(r, f"page_vars.{name}", pattern)
    if rules.first_page_after and rules.first_page_after not in names - _FIXED_PLACEHOLDERS:
        raise r.fail("first_page_after", f"{rules.first_page_after!r} is not one of page_vars")
    if rules.record_count_pattern:
        _compile(r, "record_count_pattern", rules.record_count_pattern)
        if not rules.per_page:
            raise r.fail("record_count_pattern", "needs per_page (records per page)")
    for k, v in rules.page_form:
        _check_placeholders(r, f"page_form.{k}", v, names)
    if rules.page_form and rules.page_method != "POST":
        raise r.fail("page_form", "is sent only with page_method = \"POST\"")
    if not rules.article_pattern and rules.format != "generic":
        raise r.fail("article_pattern", "is required for this family (the preset has none)")
    _compile(r, "article_pattern", rules.article_pattern)
    if rules.page_count_pattern:
        _compile(r, "page_count_pattern", rules.page_count_pattern)
    if rules.page_url:
        _check_placeholders(r, "page_url", rules.page_url, names)
        try:
            probe = rules.page_url.format(**{k: "2" for k in names})
        except (KeyError, IndexError, ValueError) as exc:
            raise r.fail("page_url", f"only the placeholders {{n}} and page_vars are allowed ({exc!r})") from None
        uses_n = any(p in _PLACEHOLDER.findall(rules.page_url + "".join(v for _, v in rules.page_form))
                     for p in _FIXED_PLACEHOLDERS)
        if probe == rules.page_url and not uses_n:
            raise r.fail("page_url", "must contain {n}")
    return rules


SITE_KEYS = {
    "slug", "name", "district", "city", "province", "admin_code", "homepage", "hosts",
    "family", "verified", "demo", "note", "stop_after_known", "columns", "list", "extract",
    "headers", "evidence", "unknown",
}
COLUMN_KEYS = {"name", "url", "list"}


def load_site(path: Path, presets_dir: Path = PRESETS_DIR) -> Site:
    data = _read_toml(path)
    r = _Reader(path, data)
    r.check_known(SITE_KEYS)
    slug = r.str("slug", pattern=SLUG)
    if len(slug) > SLUG_MAX:
        raise r.fail("slug", f"is {len(slug)} characters long: at most {SLUG_MAX}")
    if slug != path.stem:
        raise r.fail("slug", f"{slug!r} must equal the file name {path.stem!r}")
    hosts = tuple(h.lower() for h in r.strs("hosts"))
    homepage = r.str("homepage")
    if urlsplit(homepage).scheme not in ("http", "https") or urlsplit(homepage).hostname not in hosts:
        raise r.fail("homepage", "must be an http(s) URL on one of hosts")
    family = r.str("family", "generic", pattern=_FAMILY)
    try:
        preset = load_preset(family, presets_dir)
    except SiteError as exc:
        raise r.fail("family", str(exc)) from None
    site_list = r.table("list")
    raw_columns = data.get("columns")
    if not isinstance(raw_columns, list) or not raw_columns:
        raise r.fail("columns", "needs at least one [[columns]] table")
    columns = []
    seen_urls: set[str] = set()
    for i, raw in enumerate(raw_columns):
        if not isinstance(raw, dict):
            raise r.fail(f"columns[{i}]", "must be a table")
        cr = _Reader(path, raw, f"columns[{i}].")
        cr.check_known(COLUMN_KEYS)
        url = cr.str("url")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname not in hosts:
            raise cr.fail("url", "must be an http(s) URL on one of hosts")
        rules = _list_rules(cr, preset, site_list, cr.table("list"))
        if url in seen_urls:
            raise cr.fail("url", f"{url} is already the url of another column")
        seen_urls.add(url)
        columns.append(Column(name=cr.str("name"), url=url, rules=rules))
    extract = {**preset.get("extract", {}), **r.table("extract")}
    er = _Reader(path, extract, "extract.")
    er.check_known({"body"})
    admin_code = r.str("admin_code", "")
    if admin_code and not _ADMIN.match(admin_code):
        raise r.fail("admin_code", f"{admin_code!r} must be 6 digits")
    return Site(
        slug=slug,
        name=r.str("name", pattern=_NONEMPTY),
        district=r.str("district", pattern=_NONEMPTY),
        city=r.str("city", ""),
        province=r.str("province", ""),
        admin_code=admin_code,
        homepage=homepage,
        hosts=hosts,
        family=family,
        columns=tuple(columns),
        body_selectors=er.strs("body", []),
        stop_after_known=r.int("stop_after_known", DEFAULT_STOP_AFTER_KNOWN, minimum=1),
        verified=r.bool("verified", False),
        demo=r.bool("demo", False),
        note=r.str("note", ""),
        headers=_headers(r),
        evidence=r.strs("evidence", []),
        unknown=r.strs("unknown", []),
        path=path,
    )


def _headers(r: _Reader) -> tuple[tuple[str, str], ...]:
    headers = _str_table(r, "headers")
    for name, value in headers:
        if not _HEADER_NAME.match(name) or "\n" in value or "\r" in value:
            raise r.fail(f"headers.{name}", "must be a header name (letters, digits, -) with a one-line value")
    return headers


def load_registry(*dirs: Path) -> dict[str, Site]:
    """All sites in ``dirs`` (default: the bundled registry), keyed by slug."""
    sites: dict[str, Site] = {}
    for d in dirs or (SITES_DIR,):
        for path in sorted(Path(d).glob("*.toml")):
            site = load_site(path)
            if site.slug in sites:
                raise SiteError(f"{_where(path)}: slug: {site.slug!r} is already defined in {sites[site.slug].path}")
            sites[site.slug] = site
    return sites


def shared_hosts(registry: dict[str, Site]) -> dict[str, list[str]]:
    """Hosts that more than one site lists: ``host -> slugs``."""
    owners: dict[str, list[str]] = {}
    for slug, site in registry.items():
        for host in site.hosts:
            owners.setdefault(host, []).append(slug)
    return {h: sorted(slugs) for h, slugs in sorted(owners.items()) if len(slugs) > 1}


def registry_warnings(registry: dict[str, Site]) -> list[str]:
    """What is legal but probably wrong in a registry, one line each."""
    return [f"host {host} is listed by sites {', '.join(slugs)}: import-warc cannot tell whose pages it holds "
            f"and skips them" for host, slugs in shared_hosts(registry).items()]


def load_registry_with(extra_dirs=()) -> dict[str, Site]:
    """The bundled registry plus the site files in ``extra_dirs`` (``--sites-dir`` / GOVNEWS_SITES_DIRS)."""
    return load_registry(SITES_DIR, *map(Path, extra_dirs))


def select(registry: dict[str, Site], slugs: list[str] | None, *, all_sites: bool = False) -> list[Site]:
    """Sites named by ``slugs`` (comma lists allowed) or every non-demo site with ``all_sites``."""
    if all_sites:
        return [s for s in registry.values() if not s.demo]
    wanted = [s for arg in slugs or [] for s in arg.split(",") if s]
    unknown = [s for s in wanted if s not in registry]
    if unknown:
        raise SiteError(f"unknown site(s): {', '.join(unknown)} (see `govnews sites`)")
    return [registry[s] for s in wanted]
