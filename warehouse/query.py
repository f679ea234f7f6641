"""Named queries: SQL files in ``warehouse/queries/``, run by the sandbox like any user SQL.

Each file has a comment header::

    -- title: Articles per district per month
    -- param: site = | one site slug; empty means every site
    -- param: since = 2000-01-01 | first publication day, inclusive

and ``$name`` placeholders bound as DuckDB prepared parameters (never pasted
into the SQL). An empty default binds NULL. The sandbox itself (the statement
guard, the read-only connection, the caps) is :mod:`warehouse.sandbox`; its
names are re-exported here for the callers of this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.layout import Layout
from warehouse.sandbox import (Deadline, Limits, QueryError, QueryFailed, QueryOutOfMemory, QueryRefused,
                               QueryTimeout, Result, ResultTooLarge, run_query)
from warehouse.sqlguard import check as check_statement

__all__ = ["Deadline", "Limits", "NamedQuery", "Param", "QueryError", "QueryFailed", "QueryOutOfMemory",
           "QueryRefused", "QueryTimeout", "Result", "ResultTooLarge", "check_statement", "is_query_name",
           "named_queries", "parse_named", "run_named", "run_query"]

QUERIES_DIR = Path(__file__).parent / "queries"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


# ---------------------------------------------------------------- named queries

@dataclass
class Param:
    name: str
    default: str | None
    help: str


@dataclass
class NamedQuery:
    name: str
    title: str
    sql: str
    params: list[Param] = field(default_factory=list)

    def bind(self, given: dict[str, str]) -> dict[str, str | None]:
        """The parameter values: given ones over defaults; unknown names are refused."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryRefused(f"query {self.name!r} has no parameter {', '.join(unknown)} "
                               f"(it takes: {', '.join(known) or 'none'})")
        return {n: (given[n] if n in given else p.default) or None for n, p in known.items()}


def parse_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    title, params = "", []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        body = line[2:].strip()
        if body.startswith("title:"):
            title = body[len("title:"):].strip()
        elif body.startswith("param:"):
            spec, _, help_ = body[len("param:"):].partition("|")
            name, _, default = spec.partition("=")
            params.append(Param(name.strip(), default.strip() or None, help_.strip()))
    return NamedQuery(path.stem, title, text, params)


def named_queries() -> dict[str, NamedQuery]:
    return {p.stem: parse_named(p) for p in sorted(QUERIES_DIR.glob("*.sql"))}


def is_query_name(text: str) -> bool:
    return bool(_NAME.match(text)) and (QUERIES_DIR / f"{text}.sql").is_file()


def run_named(layout: Layout, name: str, given: dict[str, str] | None = None, limits: Limits | None = None,
              *, arrow: bool = False, relations: dict | None = None) -> Result:
    """Run a named query with its parameters (``given`` over the defaults) in the sandbox."""
    queries = named_queries()
    if name not in queries:
        raise QueryRefused(f"no named query {name!r} (govnews query --list)")
    q = queries[name]
    return run_query(layout, q.sql, q.bind(given or {}) or None, limits, arrow=arrow, relations=relations)
