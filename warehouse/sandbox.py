"""The query sandbox: the one engine that runs SQL a user wrote (``govnews query``, the named
queries, the web UI).

    from warehouse.sandbox import Limits, run_query
    result = run_query(archive, "SELECT site, count(*) FROM articles GROUP BY site",
                       params=None, limits=Limits(timeout=10, max_rows=1000))

Defence in depth:

1. The statement: :func:`warehouse.sqlguard.check` lets through one SELECT made of
   allowed nodes only (an allow-list over DuckDB's own parse tree), and nothing else.
2. The connection (:func:`open_sandbox`): in memory, over a snapshot of the archive's
   files; ``temp_directory = ''`` from the start (nothing spills to disk: a query that
   needs more than ``memory_limit`` fails), no Python replacement scans, no extension
   installing or autoloading, no persistent secrets; then ``allowed_paths`` = exactly the
   Parquet files of the snapshot, ``allowed_directories`` = none,
   ``enable_external_access = false``, and ``lock_configuration = true`` last. DuckDB's
   ``allowed_paths`` does not tell reading from writing, so it is layer 1 that keeps a
   ``COPY`` from ever reaching one of those files.
3. The result: at most ``max_rows`` rows and ``max_bytes`` bytes (text as UTF-8, 8 bytes
   for any other value; Arrow buffer sizes for ``arrow=True``), fetched in chunks so a
   cap stops the query early (:class:`ResultTooLarge`).
4. Time: one :class:`Deadline` for opening, running and fetching; a watchdog thread
   interrupts DuckDB when it passes (:class:`QueryTimeout`). ``Result.deadline`` goes on
   to the caller, who checks it while formatting. DuckDB checks for the interrupt between
   chunks of rows: one scalar call that builds a huge value (``range(1000000000)`` as a
   list) runs on, and outside the memory limit; ``Limits.on_stuck`` is then called
   ``stuck_after`` seconds past the deadline (the CLI ends the process there; a server
   must run user queries in a worker process it can end).

Every error is a :class:`QueryError` with a one-line message and the CLI exit code
(2: refused or bad SQL; 1: a limit stopped it).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.db import connect, snapshot
from warehouse.layout import Layout
from warehouse.sqlguard import QueryError, QueryRefused, check
from warehouse.sqltext import sql_list

FETCH_ROWS = 10_000
_MEMORY = re.compile(r"^\s*[1-9]\d*(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.IGNORECASE)
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_BYTES = 100_000_000
DEFAULT_MEMORY_LIMIT = "2GB"

__all__ = ["Deadline", "Limits", "QueryError", "QueryFailed", "QueryOutOfMemory", "QueryRefused",
           "QueryTimeout", "Result", "ResultTooLarge", "open_sandbox", "run_query"]


class QueryTimeout(QueryError, TimeoutError):
    exit_code = 1


class ResultTooLarge(QueryError):
    """More rows or bytes than the limits allow (``what`` is "rows" or "bytes")."""
    exit_code = 1

    def __init__(self, what: str, limit: int) -> None:
        self.what, self.limit = what, limit
        super().__init__(f"result exceeds {limit:,} {what}")


class QueryOutOfMemory(QueryError, MemoryError):
    exit_code = 1


class QueryFailed(QueryError):
    """DuckDB rejected the SQL (unknown column, wrong types, ...)."""


def _one_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


@dataclass(frozen=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT  # seconds, for opening, running, fetching (and the caller's formatting)
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    threads: int | None = None
    # called from the watchdog thread when DuckDB has not stopped ``stuck_after`` seconds after the
    # interrupt (one scalar building a huge value is not interruptible); the CLI exits the process
    on_stuck: Callable[[], None] | None = field(default=None, compare=False)
    stuck_after: float = 3.0

    def __post_init__(self) -> None:
        t = self.timeout
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) or t <= 0:
            raise ValueError(f"the time limit must be a finite number of seconds > 0, got {t!r}")
        for name in ("max_rows", "max_bytes"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be a whole number >= 1, got {v!r}")
        if not isinstance(self.memory_limit, str) or not _MEMORY.match(self.memory_limit):
            raise ValueError(f"the memory limit must be a size like 2GB or 512MB, got {self.memory_limit!r}")


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def error(self) -> QueryTimeout:
        return QueryTimeout(f"query interrupted after {self.seconds:g} s (time limit)")

    def check(self) -> None:
        if self.expired():
            raise self.error()


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple]
    arrow: pa.Table | None = None
    deadline: Deadline = field(default_factory=lambda: Deadline(DEFAULT_TIMEOUT))


_RELATION_NAME = re.compile(r"[a-z][a-z0-9_]{0,30}")


def open_sandbox(layout: Layout, limits: Limits,
                 relations: dict[str, pa.Table] | None = None) -> duckdb.DuckDBPyConnection:
    """A connection over a snapshot of the archive that can read only the snapshot's files.

    ``relations``: Arrow tables the SQL may name besides the views (e.g. ``hits`` from the
    full-text index), registered before the configuration is locked."""
    layout = Layout(layout.root.resolve())
    files = snapshot(layout)
    con = connect(layout, files=files, memory_limit=limits.memory_limit, threads=limits.threads,
                  config={"temp_directory": "", "python_enable_replacements": False,
                          "autoinstall_known_extensions": False, "autoload_known_extensions": False,
                          "allow_community_extensions": False, "allow_persistent_secrets": False})
    try:
        paths = sorted({str(p) for table in files.values() for p in table})
        for name, table in (relations or {}).items():
            if not _RELATION_NAME.fullmatch(name):
                raise QueryRefused(f"not a relation name: {name!r}")
            con.register(name, table)
        con.execute(f"SET allowed_paths = {sql_list(paths)}")
        con.execute("SET allowed_directories = []")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    if getattr(files, "pins", None) is not None:
        _PINS[id(con)] = files.pins  # released by run_query when it closes the connection
    return con


_PINS: dict[int, object] = {}


def _size(v) -> int:
    if isinstance(v, str):
        return len(v) if v.isascii() else len(v.encode("utf-8", "surrogatepass"))
    if isinstance(v, (bytes, bytearray)):
        return len(v)
    if isinstance(v, (list, tuple)):
        return 8 + sum(_size(x) for x in v)
    if isinstance(v, dict):
        return 8 + sum(_size(k) + _size(x) for k, x in v.items())
    return 8


class _Caps:
    def __init__(self, limits: Limits, deadline: Deadline) -> None:
        self.limits, self.deadline = limits, deadline
        self.rows = self.bytes = 0

    def add(self, rows: int, nbytes: int) -> None:
        self.rows += rows
        self.bytes += nbytes
        if self.rows > self.limits.max_rows:
            raise ResultTooLarge("rows", self.limits.max_rows)
        if self.bytes > self.limits.max_bytes:
            raise ResultTooLarge("bytes", self.limits.max_bytes)
        self.deadline.check()


def _fetch_rows(con, sql: str, params, caps: _Caps) -> Result:
    cur = con.execute(sql, params) if params else con.execute(sql)
    columns = [d[0] for d in cur.description or []]
    rows: list[tuple] = []
    while True:
        chunk = cur.fetchmany(FETCH_ROWS)
        if not chunk:
            break
        caps.add(len(chunk), sum(_size(v) for row in chunk for v in row))
        rows.extend(chunk)
    return Result(columns, rows, deadline=caps.deadline)


def _fetch_arrow(con, sql: str, params, caps: _Caps) -> Result:
    rel = con.sql(sql, params=params) if params else con.sql(sql)
    fetch = getattr(rel, "to_arrow_reader", None) or rel.fetch_arrow_reader
    reader = fetch(FETCH_ROWS)
    batches = []
    for batch in reader:
        caps.add(batch.num_rows, batch.nbytes)
        batches.append(batch)
    table = pa.Table.from_batches(batches, schema=reader.schema)
    return Result(table.column_names, [], table, deadline=caps.deadline)


class Sandbox:
    """One sandboxed connection over one snapshot of the archive, for many queries (a
    server's worker keeps one per snapshot: opening it, which ranks the versions, is most of
    a query's cost). Each :meth:`run` has its own time limit and caps; the connection's
    memory limit and threads are the ``limits`` it was opened with."""

    def __init__(self, archive: Layout | str | Path | None, limits: Limits | None = None,
                 relations: dict[str, pa.Table] | None = None) -> None:
        self.limits = limits or Limits()
        layout = archive if isinstance(archive, Layout) else Layout.at(archive)
        try:
            self._con = open_sandbox(layout, self.limits, relations)
        except duckdb.Error as exc:
            raise QueryFailed(f"cannot open the archive: {_one_line(exc)}") from None
        self._lock, self._open = threading.Lock(), True

    def run(self, sql: str, params: list | dict | None = None, limits: Limits | None = None, *,
            arrow: bool = False, deadline: Deadline | None = None) -> Result:
        """One user SELECT (checked by the guard first); raise a :class:`QueryError`."""
        return self._execute(check(sql), params, limits, arrow=arrow, deadline=deadline)

    def _execute(self, to_run: str, params, limits: Limits | None, *, arrow: bool,
                 deadline: Deadline | None) -> Result:
        """Run SQL the guard has already checked (``to_run`` is what :func:`check` returned)."""
        limits = limits or self.limits
        deadline = deadline or Deadline(limits.timeout)
        con, running = self._con, {"on": True}

        def interrupt() -> None:
            with self._lock:
                if self._open and running["on"]:
                    con.interrupt()

        def stuck() -> None:
            with self._lock:
                still = self._open and running["on"]
            if still and limits.on_stuck:
                limits.on_stuck()

        timer = threading.Timer(max(deadline.remaining(), 0.0), interrupt)
        hard = threading.Timer(max(deadline.remaining(), 0.0) + limits.stuck_after, stuck)
        for t in (timer, hard):
            t.daemon = True
            t.start()
        caps = _Caps(limits, deadline)
        try:
            deadline.check()
            return (_fetch_arrow if arrow else _fetch_rows)(con, to_run, params or None, caps)
        except duckdb.InterruptException:
            raise deadline.error() from None
        except duckdb.OutOfMemoryException as exc:
            raise QueryOutOfMemory(f"query ran out of memory (limit {self.limits.memory_limit}): "
                                   f"{_one_line(exc)}") from None
        except duckdb.PermissionException as exc:
            raise QueryRefused(_one_line(exc)) from None
        except duckdb.Error as exc:
            if deadline.expired():
                raise deadline.error() from None
            raise QueryFailed(_one_line(exc)) from None
        finally:
            timer.cancel()
            hard.cancel()
            with self._lock:
                running["on"] = False

    def close(self) -> None:
        with self._lock:
            if not self._open:
                return
            self._open = False
        self._con.close()
        pins = _PINS.pop(id(self._con), None)
        if pins is not None:
            pins.release()  # the snapshot's hard links go now, not when the connection is collected

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def run_query(archive: Layout | str | Path | None, sql: str, params: list | dict | None = None,
              limits: Limits | None = None, *, arrow: bool = False,
              relations: dict[str, pa.Table] | None = None) -> Result:
    """Run one user SELECT in the sandbox (see the module doc); raise a :class:`QueryError`.

    ``params``: values for ``$name`` (a dict) or ``?`` (a list) placeholders, bound by DuckDB.
    ``arrow=True``: the result as an Arrow table (``Result.arrow``) instead of Python rows.
    ``relations``: Arrow tables the SQL may name besides the views (see :func:`open_sandbox`).
    The time limit covers opening the snapshot too."""
    limits = limits or Limits()
    deadline = Deadline(limits.timeout)
    to_run = check(sql)  # refused before the archive is opened (and checked once)
    with Sandbox(archive, limits, relations) as sandbox:
        return sandbox._execute(to_run, params, limits, arrow=arrow, deadline=deadline)
