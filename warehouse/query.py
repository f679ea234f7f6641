"""The user-facing SQL: one SELECT/EXPLAIN in a sandboxed connection, with a time limit.

The sandbox (order matters; checked with duckdb 1.5–2.0):

1. an in-memory connection with a memory limit, the views created over a
   snapshot of the archive's files (:mod:`warehouse.db`);
2. ``allowed_directories`` = the archive root, extension auto-install and
   auto-load off, then ``enable_external_access = false`` (reads outside
   the archive, network and extension loading fail with a permission error);
3. ``lock_configuration = true`` last: the user's SQL cannot ``SET`` any of it back.

Before DuckDB sees it, the text must parse as exactly one statement of type
SELECT, or EXPLAIN [ANALYZE] of a SELECT: ``COPY``, ``ATTACH``, ``INSTALL``,
``LOAD``, ``SET``, ``PRAGMA``, ``CALL``, ``EXPORT`` and two statements are
refused (:class:`QueryRefused`). A timer interrupts the query after
``timeout`` seconds (:class:`QueryTimeout`).

Named queries are SQL files in ``warehouse/queries/`` with a comment header::

    -- title: Articles per district per month
    -- param: site = | one site slug; empty means every site
    -- param: since = 2000-01-01 | first publication day, inclusive

and ``$name`` placeholders bound as DuckDB prepared parameters (never pasted
into the SQL). An empty default binds NULL.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.db import arrow_table, connect
from warehouse.layout import Layout

QUERIES_DIR = Path(__file__).parent / "queries"
ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_LIMIT = "2GB"

_EXPLAIN = re.compile(
    r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*EXPLAIN\s+(?:ANALY[SZ]E\s+)?(?:\([^)]*\)\s*)?",
    re.IGNORECASE | re.DOTALL,
)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class QueryRefused(ValueError):
    """The SQL is not one SELECT/EXPLAIN statement, or touches what it may not."""


class QueryTimeout(TimeoutError):
    pass


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple]
    arrow: pa.Table | None = None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def check_statement(sql: str) -> None:
    """Raise :class:`QueryRefused` unless ``sql`` is exactly one SELECT or EXPLAIN SELECT."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"cannot parse the SQL: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise QueryRefused(f"exactly one statement is allowed, got {len(statements)}")
    kind = statements[0].type
    if kind not in ALLOWED:
        raise QueryRefused(f"only SELECT or EXPLAIN statements are allowed, not {kind.name}")
    if kind == duckdb.StatementType.EXPLAIN:
        # EXPLAIN ANALYZE runs its statement: only EXPLAIN of a SELECT
        m = _EXPLAIN.match(statements[0].query)
        inner = statements[0].query[m.end():] if m else ""
        try:
            kinds = [s.type for s in duckdb.extract_statements(inner)]
        except duckdb.Error:
            kinds = []
        if kinds != [duckdb.StatementType.SELECT]:
            raise QueryRefused("EXPLAIN is allowed only of a SELECT statement")


def sandboxed(layout: Layout, *, memory_limit: str = DEFAULT_MEMORY_LIMIT,
              threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A connection that can read only the archive, with its configuration locked."""
    layout = Layout(layout.root.resolve())
    con = connect(layout, memory_limit=memory_limit, threads=threads)
    try:
        root = str(layout.root).replace("'", "''")
        con.execute(f"SET allowed_directories = ['{root}/']")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def run_query(layout: Layout, sql: str, *, timeout: float = DEFAULT_TIMEOUT,
              memory_limit: str = DEFAULT_MEMORY_LIMIT, params: list | dict | None = None,
              arrow: bool = False, relations: dict[str, pa.Table] | None = None) -> Result:
    """Run one user SELECT in the sandbox; raise QueryRefused / QueryTimeout / duckdb.Error.

    With ``arrow=True`` the result is also returned as an Arrow table (``Result.arrow``).
    ``relations``: Arrow tables the SQL may name besides the views (e.g. ``hits``)."""
    check_statement(sql)
    con = sandboxed(layout, memory_limit=memory_limit)
    for name, table in (relations or {}).items():
        con.register(name, table)
    timer = threading.Timer(timeout, con.interrupt)
    timer.daemon = True
    timer.start()
    try:
        if arrow:
            table = arrow_table(con, sql, params)
            return Result(table.column_names, [], table)
        cur = con.execute(sql, params) if params else con.execute(sql)
        columns = [d[0] for d in cur.description or []]
        return Result(columns, cur.fetchall())
    except duckdb.InterruptException:
        raise QueryTimeout(f"query interrupted after {timeout:g} s (--timeout)") from None
    except duckdb.PermissionException as exc:
        raise QueryRefused(_first_line(exc)) from None
    finally:
        timer.cancel()
        con.close()


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


def run_named(layout: Layout, name: str, given: dict[str, str] | None = None, **kwargs) -> Result:
    queries = named_queries()
    if name not in queries:
        raise QueryRefused(f"no named query {name!r} (govnews query --list)")
    q = queries[name]
    return run_query(layout, q.sql, params=q.bind(given or {}) or None, **kwargs)
