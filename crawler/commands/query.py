"""govnews query: one SELECT over the archive, in a sandboxed in-memory DuckDB."""

from __future__ import annotations

import sys

from crawler.commands import archive_option
from crawler.output import UsageError, print_result
from warehouse.layout import Layout

NAME = "query"
HELP = "run one SELECT over the archive"


def add_arguments(p) -> None:
    archive_option(p)
    p.add_argument("sql")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds before the query is interrupted")


def run(args) -> int:
    import duckdb

    from warehouse.query import QueryRefused, QueryTimeout, run_query

    try:
        result = run_query(Layout.at(args.archive), args.sql, timeout=args.timeout)
    except QueryRefused as exc:
        raise UsageError(f"refused: {exc}") from None
    except QueryTimeout as exc:
        print(f"govnews: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        raise UsageError(str(exc).splitlines()[0]) from None
    print_result(result.columns, result.rows, args.format)
    return 0
