"""Reading a site file: typed getters over its TOML tables, and the ``[list]`` rules checked and merged.

Every problem is a :class:`~crawler.site_model.SiteError` naming the file, the key
(where it was written: the column's ``[columns.list]``, the site's ``[list]``) and what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from crawler.site_model import FIXED_PLACEHOLDERS, PLACEHOLDER, ListRules, SiteError


def where(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Reader:
    """Typed getters over one TOML table that raise SiteError naming file and key."""

    def __init__(self, path: Path, data: dict[str, Any], prefix: str = "",
                 key_prefixes: dict[str, str] | None = None) -> None:
        self.path, self.data, self.prefix = path, data, prefix
        self.key_prefixes = key_prefixes or {}  # where each key was written, when tables were merged

    def fail(self, key: str, problem: str) -> SiteError:
        origin = self.key_prefixes.get(key, self.key_prefixes.get(key.split(".", 1)[0], self.prefix))
        return SiteError(f"{where(self.path)}: {origin}{key}: {problem}")

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


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise SiteError(f"{where(path)}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteError(f"{where(path)}: not valid TOML: {exc}") from None



def _compile(reader: Reader, key: str, pattern: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise reader.fail(key, f"bad regular expression: {exc}") from None


LIST_KEYS = {"article_pattern", "page_url", "first_page_number", "page_count_pattern", "max_pages",
             "page_method", "page_form", "page_vars", "first_page_after", "per_page", "record_count_pattern",
             "json_items", "json_title", "json_url", "json_date", "format"}
_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")


def str_table(r: Reader, key: str) -> tuple[tuple[str, str], ...]:
    table = r.table(key)
    if not all(isinstance(v, str) for v in table.values()):
        raise r.fail(key, "values must be strings")
    return tuple(table.items())


def _check_placeholders(r: Reader, key: str, template: str, names: set[str]) -> None:
    for name in PLACEHOLDER.findall(template):
        if name not in names:
            raise r.fail(key, f"only the placeholders {', '.join('{' + n + '}' for n in sorted(names))} are allowed "
                              f"(page_vars adds names), not {{{name}}}")


def list_rules(reader: Reader, preset: dict[str, Any], site_list: dict[str, Any],
                column_list: dict[str, Any]) -> ListRules:
    # report a problem where it was written: the column's [columns.list], else the site's [list]
    for prefix, table in ((f"{reader.prefix}list.", column_list), ("list.", site_list)):
        Reader(reader.path, table, prefix).check_known(LIST_KEYS)
    merged = {**preset.get("list", {}), **site_list, **column_list}
    origin = {**{k: "list." for k in site_list}, **{k: f"{reader.prefix}list." for k in column_list}}
    r = Reader(reader.path, merged, "list.", origin)
    rules = ListRules(
        article_pattern=r.str("article_pattern"),
        page_url=r.str("page_url", ""),
        first_page_number=r.int("first_page_number", 2),
        page_count_pattern=r.str("page_count_pattern", ""),
        max_pages=r.int("max_pages", 200, minimum=1),
        page_method=r.str("page_method", "GET", pattern=re.compile(r"^(GET|POST)$")),
        page_form=str_table(r, "page_form"),
        page_vars=str_table(r, "page_vars"),
        first_page_after=r.str("first_page_after", ""),
        per_page=r.int("per_page", 0),
        record_count_pattern=r.str("record_count_pattern", ""),
        json_items=r.str("json_items", ""),
        json_title=r.str("json_title", "title"),
        json_url=r.str("json_url", "url"),
        json_date=r.str("json_date", "date"),
        format=r.str("format", "", pattern=re.compile(r"^(generic)?$")),
    )
    names = FIXED_PLACEHOLDERS | {k for k, _ in rules.page_vars}
    for name, pattern in rules.page_vars:
        _compile(r, f"page_vars.{name}", pattern)
    if rules.first_page_after and rules.first_page_after not in names - FIXED_PLACEHOLDERS:
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
        uses_n = any(p in PLACEHOLDER.findall(rules.page_url + "".join(v for _, v in rules.page_form))
                     for p in FIXED_PLACEHOLDERS)
        if probe == rules.page_url and not uses_n:
            raise r.fail("page_url", "must contain {n}")
    return rules



def headers(r: Reader) -> tuple[tuple[str, str], ...]:
    headers = str_table(r, "headers")
    for name, value in headers:
        if not _HEADER_NAME.match(name) or "\n" in value or "\r" in value:
            raise r.fail(f"headers.{name}", "must be a header name (letters, digits, -) with a one-line value")
    return headers

