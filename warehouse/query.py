"""The user-facing SQL: one SELECT/EXPLAIN in a sandboxed connection, with a time limit.

The connection can read only the archive (``allowed_directories``), has no
other external access, no extension auto-loading, a memory limit, and its
configuration is locked before the user's statement runs. Statements other
than one SELECT or EXPLAIN are refused before they reach DuckDB.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import duckdb

from warehouse.db import connect
from warehouse.layout import Layout

ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


class QueryRefused(ValueError):
    """The SQL is not one SELECT/EXPLAIN statement, or touches what it may not."""


class QueryTimeout(TimeoutError):
    pass


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple]


def check_statement(sql: str) -> None:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"cannot parse the SQL: {str(exc).splitlines()[0]}") from None
    if len(statements) != 1:
        raise QueryRefused(f"exactly one statement is allowed, got {len(statements)}")
    kind = statements[0].type
    if kind not in ALLOWED:
        raise QueryRefused(f"only SELECT or EXPLAIN statements are allowed, not {kind.name}")


def sandboxed(layout: Layout, *, memory_limit: str = "2GB", threads: int | None = None) -> duckdb.DuckDBPyConnection:
    con = connect(layout, memory_limit=memory_limit, threads=threads)
    root = str(layout.root.resolve()).replace("'", "''")
    con.execute(f"SET allowed_directories = ['{root}/']")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def run_query(layout: Layout, sql: str, *, timeout: float = 60.0, memory_limit: str = "2GB",
              params: list | None = None) -> Result:
    """Run one user SELECT in the sandbox; raise QueryRefused / QueryTimeout / duckdb.Error."""
    check_statement(sql)
    con = sandboxed(layout, memory_limit=memory_limit)
    timer = threading.Timer(timeout, con.interrupt)
    timer.start()
    try:
        cur = con.execute(sql, params or [])
        columns = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except duckdb.InterruptException:
        raise QueryTimeout(f"query interrupted after {timeout:g} s (--timeout)") from None
    except duckdb.PermissionException as exc:
        raise QueryRefused(str(exc).splitlines()[0]) from None
    finally:
        timer.cancel()
        con.close()
    return Result(columns, rows)
