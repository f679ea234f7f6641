"""The statement guard of the query sandbox: an allow-list over DuckDB's own parse tree.

:func:`check` takes the user's SQL text and returns the SQL to run, or raises
:class:`QueryRefused` (one line). It needs no archive and runs nothing: the
text is parsed by a private, plain in-memory DuckDB connection (no files, no
extensions) with ``json_serialize_sql``, and the tree is walked node by node.
Allowed is exactly one statement whose every node is on these lists:

- query nodes: ``SELECT``, set operations (``UNION``/``EXCEPT``/``INTERSECT``),
  ``WITH`` and ``WITH RECURSIVE`` (their bodies are walked like the rest);
- table references: base tables named by a plain identifier (the views, a
  CTE, ``information_schema``/``pg_catalog``), subqueries, joins, ``VALUES``,
  ``DESCRIBE``/``SHOW``/``SUMMARIZE`` and the table functions of
  :data:`TABLE_FUNCTIONS` (``range``, ``generate_series``, ``unnest``, catalog
  listings). A quoted path (``FROM '/etc/passwd'``), ``read_csv``, ``read_text``,
  ``read_blob``, ``read_json``, ``read_parquet``, ``glob``, ``query``, ... are refused;
- expressions of the classes in :data:`EXPRESSION_CLASSES`, calling any built-in
  scalar or aggregate function except :data:`SCALAR_DENIED` (computations in
  memory; none of DuckDB's scalar functions opens a file).

``EXPLAIN`` / ``EXPLAIN ANALYZE`` cannot be serialised by DuckDB: the prefix is
recognised here, the statement after it must pass on its own, and the SQL to run
is rebuilt as ``EXPLAIN [ANALYZE] <that statement>`` (so what runs is what was checked).

This is the first layer; :mod:`warehouse.sandbox` runs what passes in a
connection that cannot write (the second).
"""

from __future__ import annotations

import json
import re
import threading

import duckdb

MAX_SQL_CHARS = 100_000

QUERY_NODES = frozenset({"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"})
TABLE_REFS = frozenset({"BASE_TABLE", "TABLE_FUNCTION", "SUBQUERY", "JOIN", "EMPTY", "EXPRESSION_LIST",
                        "SHOW_REF"})
TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest", "duckdb_columns", "duckdb_tables",
                             "duckdb_views", "duckdb_functions", "duckdb_types", "duckdb_keywords",
                             "pragma_table_info"})
EXPRESSION_CLASSES = frozenset({"AGGREGATE", "BETWEEN", "CASE", "CAST", "COLLATE", "COLUMN_REF", "COMPARISON",
                                "CONJUNCTION", "CONSTANT", "FUNCTION", "LAMBDA", "LAMBDA_REF", "OPERATOR",
                                "PARAMETER", "POSITIONAL_REFERENCE", "STAR", "SUBQUERY", "TYPE", "WINDOW"})
# scalar functions with an effect outside the value they return (a log write, a stall the
# interrupt cannot cut) or internal ones
SCALAR_DENIED = frozenset({"write_log", "sleep_ms", "pg_sleep", "json_execute_serialized_sql"})
SCHEMAS = frozenset({"", "main", "information_schema", "pg_catalog"})
CATALOGS = frozenset({"", "memory", "system", "temp"})

_IDENTIFIER = re.compile(r"^[^\W\d]\w*$")
_SHOW_SPECIAL = frozenset({'"tables"', '"databases"', "tables", "databases", ""})
_EXPLAIN = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*EXPLAIN\s+(ANALY[SZ]E\s+)?", re.IGNORECASE | re.DOTALL)


class QueryError(Exception):
    """A query that did not run to the end; the message is one line, ``exit_code`` the CLI's."""
    exit_code = 2


class QueryRefused(QueryError, ValueError):
    """The SQL is not one read-only SELECT made of allowed parts."""


_parser_lock = threading.Lock()
_parser: duckdb.DuckDBPyConnection | None = None


def _parse_connection() -> duckdb.DuckDBPyConnection:
    global _parser
    if _parser is None:
        _parser = duckdb.connect(":memory:", config={
            "enable_external_access": False, "autoload_known_extensions": False,
            "autoinstall_known_extensions": False, "temp_directory": "", "lock_configuration": True})
    return _parser


def _one_line(text: str) -> str:
    return (str(text).strip().splitlines() or ["?"])[0]


def _parse(sql: str) -> tuple[list, list[duckdb.StatementType]]:
    with _parser_lock:
        con = _parse_connection()
        try:
            kinds = [s.type for s in con.extract_statements(sql)]
        except duckdb.Error as exc:
            raise QueryRefused(f"cannot parse the SQL: {_one_line(exc)}") from None
        except ValueError:  # a statement type this duckdb module has no name for
            raise QueryRefused("only SELECT (or EXPLAIN of one) is allowed") from None
        if len(kinds) != 1:
            raise QueryRefused(f"exactly one statement is allowed, got {len(kinds)}")
        tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0])
    return tree, kinds


def _refuse_node(d: dict) -> str | None:
    """Why ``d`` (one object of the parse tree) is not allowed, or None."""
    kind = d.get("type")
    if "info_type" in d or (isinstance(kind, str) and kind.endswith(("_STATEMENT", "_INFO"))):
        return f"{d.get('info_type') or kind} is not allowed"
    if isinstance(kind, str) and kind.endswith("_NODE"):
        return None if kind in QUERY_NODES else f"{kind.removesuffix('_NODE')} is not allowed (only SELECT)"
    if "sample" in d and "alias" in d and kind is not None:  # a table reference
        if kind not in TABLE_REFS:
            return f"FROM {kind} is not allowed"
        if kind == "BASE_TABLE":
            name = d.get("table_name", "")
            if not _IDENTIFIER.match(name) or d.get("schema_name", "") not in SCHEMAS \
                    or d.get("catalog_name", "") not in CATALOGS:
                return f"FROM {name!r} is not allowed (name a view, e.g. articles; files are not readable)"
        elif kind == "TABLE_FUNCTION":
            fn = d.get("function") or {}
            name = str(fn.get("function_name", "")).lower()
            if name not in TABLE_FUNCTIONS or fn.get("schema", "") not in SCHEMAS \
                    or fn.get("catalog", "") not in CATALOGS:
                return (f"table function {name or '?'}() is not allowed (only range, generate_series, "
                        "unnest and catalog listings; read the archive through its views)")
        elif kind == "SHOW_REF" and d.get("table_name", "") not in _SHOW_SPECIAL \
                and not _IDENTIFIER.match(d.get("table_name", "")):
            return f"DESCRIBE/SHOW of {d.get('table_name')!r} is not allowed"
        return None
    if "class" in d:
        cls = d["class"]
        if cls not in EXPRESSION_CLASSES:
            return f"expression {cls} is not allowed"
        if cls == "FUNCTION":
            name = str(d.get("function_name", "")).lower()
            if name in SCALAR_DENIED or name.startswith("__internal"):
                return f"function {name}() is not allowed"
    return None


def _walk(tree) -> None:
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            why = _refuse_node(node)
            if why:
                raise QueryRefused(why)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _check_select(sql: str) -> None:
    tree, kinds = _parse(sql)
    if kinds != [duckdb.StatementType.SELECT]:
        raise QueryRefused(f"only SELECT (or EXPLAIN of one) is allowed, not {kinds[0].name}")
    if tree.get("error"):
        raise QueryRefused(f"only SELECT is allowed: {_one_line(tree.get('error_message', 'not a SELECT'))}")
    statements = tree.get("statements") or []
    if len(statements) != 1:
        raise QueryRefused(f"exactly one statement is allowed, got {len(statements)}")
    _walk(statements[0])


def check(sql: str) -> str:
    """The SQL to run for the user's ``sql``, or :class:`QueryRefused` (see the module doc)."""
    if not isinstance(sql, str) or not sql.strip():
        raise QueryRefused("give one SELECT statement")
    if len(sql) > MAX_SQL_CHARS:
        raise QueryRefused(f"the SQL is longer than {MAX_SQL_CHARS:,} characters")
    if "\x00" in sql:
        raise QueryRefused("the SQL contains a NUL character")
    _, kinds = _parse(sql)
    if kinds == [duckdb.StatementType.EXPLAIN]:
        m = _EXPLAIN.match(sql)
        if not m:
            raise QueryRefused("EXPLAIN is allowed only as EXPLAIN [ANALYZE] SELECT ...")
        inner = sql[m.end():]
        if _EXPLAIN.match(inner):
            raise QueryRefused("EXPLAIN of EXPLAIN is not allowed")
        try:
            _check_select(inner)
        except QueryRefused as exc:
            raise QueryRefused(f"EXPLAIN is allowed only of an allowed SELECT: {exc}") from None
        run = ("EXPLAIN ANALYZE " if m.group(1) else "EXPLAIN ") + inner
        if _parse(run)[1] != [duckdb.StatementType.EXPLAIN]:  # pragma: no cover - defensive
            raise QueryRefused("EXPLAIN is allowed only as EXPLAIN [ANALYZE] SELECT ...")
        return run
    _check_select(sql)
    return sql
