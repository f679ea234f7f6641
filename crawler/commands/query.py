"""govnews query: one SELECT over the archive, or a named query, in a sandboxed in-memory DuckDB.

    govnews query "SELECT site, count(*) FROM articles GROUP BY site"
    govnews query --list
    govnews query latest --param site=beijing-haidian --param n=5
    govnews query articles_per_month --format parquet --out per-month.parquet

Exit codes: 0 ok, 1 the query was interrupted by --timeout, 2 refused or bad SQL.
"""

from __future__ import annotations

import sys
from pathlib import Path

from crawler.commands import archive_option
from crawler.output import UsageError, print_result, write_parquet_result
from warehouse.layout import Layout

NAME = "query"
HELP = "run one SELECT (or a named query) over the archive"


def add_arguments(p) -> None:
    archive_option(p)
    p.add_argument("sql", nargs="?", help="one SELECT/EXPLAIN statement, or the name of a named query")
    p.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of the named query ($NAME in the SQL); repeatable")
    p.add_argument("--format", choices=["table", "csv", "json", "jsonl", "parquet"], default="table",
                   help="json and jsonl are both JSON lines; parquet needs --out")
    p.add_argument("--out", help="output file for --format parquet (written atomically)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds before the query is interrupted")
    p.add_argument("--memory-limit", default="2GB", help="DuckDB memory limit (default 2GB)")
    p.add_argument("--hits", metavar="TERMS",
                   help="also offer the relation hits(url_key, site, district, column, month, published_at, "
                        "title): the articles matching TERMS (govnews search syntax), from the full-text index")
    p.add_argument("--max-cell", type=int, default=None,
                   help="table format: clip cells to this many columns (default: fit the terminal)")


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param wants NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


def _list() -> int:
    from warehouse.query import named_queries

    for q in named_queries().values():
        print(f"{q.name}: {q.title}")
        for prm in q.params:
            default = f" (default: {prm.default})" if prm.default else " (default: none)"
            print(f"    --param {prm.name}=…  {prm.help}{default}")
    return 0


def run(args) -> int:
    import duckdb

    from warehouse.query import QueryRefused, QueryTimeout, is_query_name, run_named, run_query

    if args.list:
        return _list()
    if not args.sql:
        raise UsageError("give one SELECT statement or a query name (govnews query --list)")
    if args.format == "parquet":
        if not args.out:
            raise UsageError("--format parquet needs --out FILE")
        if Path(args.out).exists() and not args.overwrite:
            raise UsageError(f"{args.out} exists; choose another --out or pass --overwrite")
    elif args.out:
        raise UsageError("--out is for --format parquet; other formats go to standard output")
    params = _params(args.param)
    layout = Layout.at(args.archive)
    kwargs = dict(timeout=args.timeout, memory_limit=args.memory_limit, arrow=args.format == "parquet")
    if args.hits:
        from crawler.commands.search import hits_relation

        kwargs["relations"] = {"hits": hits_relation(layout, args.hits)}
    try:
        if is_query_name(args.sql):
            result = run_named(layout, args.sql, params, **kwargs)  # run_query's keywords pass through
        else:
            result = run_query(layout, args.sql, params=params or None, **kwargs)
    except QueryRefused as exc:
        raise UsageError(f"refused: {exc}") from None
    except QueryTimeout as exc:
        print(f"govnews: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        raise UsageError(str(exc).strip().splitlines()[0]) from None
    if args.format == "parquet":
        path = write_parquet_result(result.arrow, Path(args.out))
        print(f"wrote {result.arrow.num_rows} rows to {path}", file=sys.stderr)
    else:
        print_result(result.columns, result.rows, args.format, max_cell=args.max_cell)
    return 0
