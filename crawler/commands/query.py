"""govnews query: one SELECT over the archive, or a named query, in a sandboxed in-memory DuckDB.

    govnews query "SELECT site, count(*) FROM articles GROUP BY site"
    govnews query --list
    govnews query latest --param site=beijing-haidian --param n=5
    govnews query articles_per_month --format parquet --out per-month.parquet

Exit codes: 0 ok; 1 a limit stopped the query (--timeout, --max-rows, --max-bytes, --memory-limit);
2 refused or bad SQL. The sandbox is :mod:`warehouse.sandbox`.
"""

from __future__ import annotations

import io
import math
import os
import re
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from crawler.commands import archive_option, existing_archive, known_sites
from crawler.output import UsageError, print_result, write_parquet_result

NAME = "query"
HELP = "run one SELECT (or a named query) over the archive"
# per output: text goes to a terminal or a pipe; Parquet goes to a file
DEFAULT_CAPS = {"text": (100_000, 100_000_000), "parquet": (10_000_000, 1_000_000_000)}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?\s*$", re.IGNORECASE)
_UNITS = {None: 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "kib": 2**10, "mib": 2**20, "gib": 2**30}


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
    p.add_argument("--timeout", default="60",
                   help="seconds for the whole query: running, fetching and formatting (default 60)")
    p.add_argument("--max-rows", default=None,
                   help="most result rows (default 100,000; 10,000,000 for --format parquet)")
    p.add_argument("--max-bytes", default=None,
                   help="most result bytes, e.g. 50MB (default 100MB; 1GB for --format parquet)")
    p.add_argument("--memory-limit", default="2GB", help="DuckDB memory limit (default 2GB); nothing spills to disk")
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


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise UsageError(f"--timeout must be a finite number of seconds > 0, got {text!r}")
    return value


def _count(text: str | None, option: str, default: int, sizes: bool = False) -> int:
    if text is None:
        return default
    m = _SIZE.match(str(text)) if sizes else re.match(r"^\s*(\d+)\s*()$", str(text))
    value = int(float(m.group(1)) * _UNITS[(m.group(2) or "").lower() or None]) if m else 0
    if value < 1:
        raise UsageError(f"{option} must be a whole number >= 1{' (or like 50MB)' if sizes else ''}, got {text!r}")
    return value


def _limits(args):
    from warehouse.sandbox import Limits

    rows, nbytes = DEFAULT_CAPS["parquet" if args.format == "parquet" else "text"]
    timeout = _timeout(args.timeout)

    def stuck() -> None:  # DuckDB ignores the interrupt (one huge value): end the process
        print(f"govnews: query interrupted after {timeout:g} s (--timeout)", file=sys.stderr, flush=True)
        os._exit(1)

    max_rows = _count(args.max_rows, "--max-rows", rows)
    max_bytes = _count(args.max_bytes, "--max-bytes", nbytes, sizes=True)
    try:
        return Limits(timeout=timeout, max_rows=max_rows, max_bytes=max_bytes, memory_limit=args.memory_limit,
                      on_stuck=stuck)
    except ValueError as exc:  # the memory limit: the rest is checked above
        raise UsageError(f"--memory-limit: {exc}") from None


def _list() -> int:
    from warehouse.query import named_queries

    for q in named_queries().values():
        print(f"{q.name}: {q.title}")
        for prm in q.params:
            default = f" (default: {prm.default})" if prm.default else " (default: none)"
            print(f"    --param {prm.name}=…  {prm.help}{default}")
    return 0


class _TimedRows(list):
    """The result rows; iterating them checks the query's deadline every 1,000 rows."""

    def __init__(self, rows, deadline) -> None:
        super().__init__(rows)
        self.deadline = deadline

    def __iter__(self):
        for i, row in enumerate(super().__iter__()):
            if i % 1000 == 0:
                self.deadline.check()
            yield row


class _Buffer(io.StringIO):
    """Formatted output held back until it is complete; a table still fits the real terminal."""

    def isatty(self) -> bool:
        return sys.stdout.isatty()


@contextmanager
def _deadline_alarm(deadline):
    """Interrupt the Python work in this block (formatting, writing) when the deadline passes."""
    deadline.check()
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def fire(signum, frame):
        raise deadline.error()

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, max(deadline.remaining(), 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _too_large(exc, args) -> str:
    flag = f"--max-{exc.what}"
    if args.format == "parquet":
        return f"{exc} ({flag}); add LIMIT or raise {flag} (govnews export writes whole archives)"
    return f"{exc} ({flag}); add LIMIT, or write it with --format parquet --out FILE"


def _emit(result, args) -> None:
    with _deadline_alarm(result.deadline):
        if args.format == "parquet":
            path = write_parquet_result(result.arrow, Path(args.out))
            print(f"wrote {result.arrow.num_rows} rows to {path}", file=sys.stderr)
            return
        buf = _Buffer()
        print_result(result.columns, _TimedRows(result.rows, result.deadline), args.format, out=buf,
                     max_cell=args.max_cell)
        text = buf.getvalue()
    for i in range(0, len(text), _CHUNK):  # in pipe-sized pieces: a reader that went away (| head) is seen
        sys.stdout.write(text[i:i + _CHUNK])
        sys.stdout.flush()


_CHUNK = 1 << 16


def run(args) -> int:
    from warehouse.query import (QueryError, QueryRefused, QueryTimeout, ResultTooLarge, is_query_name, run_named,
                                 run_query)

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
    limits = _limits(args)
    params = _params(args.param)
    layout = existing_archive(args)
    if "site" in params:  # a named query's site (latest, ...): a typo is not an empty answer
        known_sites(args, [params["site"]], layout)
    arrow = args.format == "parquet"
    relations = None
    if args.hits:
        from crawler.commands.search import hits_relation

        relations = {"hits": hits_relation(layout, args.hits)}
    try:
        if is_query_name(args.sql):
            result = run_named(layout, args.sql, params, limits, arrow=arrow, relations=relations)
        else:
            result = run_query(layout, args.sql, params or None, limits, arrow=arrow, relations=relations)
        _emit(result, args)
    except QueryTimeout:
        print(f"govnews: query interrupted after {limits.timeout:g} s (--timeout)", file=sys.stderr)
        return 1
    except ResultTooLarge as exc:
        print(f"govnews: {_too_large(exc, args)}", file=sys.stderr)
        return 1
    except QueryError as exc:
        if exc.exit_code == 2:
            raise UsageError(f"refused: {exc}" if isinstance(exc, QueryRefused) else str(exc)) from None
        print(f"govnews: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0
