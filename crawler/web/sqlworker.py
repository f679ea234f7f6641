"""User SQL for the web app: the sandbox engine (:class:`warehouse.sandbox.Sandbox`, the same
refusals and limits as ``govnews query``) in a child process the server can end. The child keeps
one sandbox connection over the archive's current snapshot and opens a new one when a folder of
the archive changes: at once when a query comes, and while idle (it looks every ``IDLE_CHECK``
seconds and opens the new snapshot once two looks agree), so that after a crawl has committed the
next query does not pay the opening (about 2 s at 100k articles: it ranks every version).

One worker process is kept ready; a query goes to it through a pipe and its answer comes back as an
Arrow IPC stream (or the error's class and one line). In the child, ``Limits.on_stuck`` ends the
process when DuckDB does not stop after its interrupt; the parent also kills a child that has not
answered ``stuck_after`` seconds past the deadline, and starts a fresh one. Queries run one at a time.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from dataclasses import dataclass

import pyarrow as pa

from warehouse.sandbox import Limits


IDLE_CHECK = 2.0  # seconds between the idle worker's looks at the archive's folders


@dataclass
class Answer:
    table: pa.Table | None = None
    error: str | None = None  # the sandbox's one line
    kind: str | None = None  # the error's class name (QueryRefused, QueryTimeout, ...)
    opened_at: float | None = None  # when (time.time()) the worker opened the snapshot that answered


def _serve(conn, root: str) -> None:  # the child
    from crawler.web.store import archive_stamp
    from warehouse.layout import Layout
    from warehouse.sandbox import QueryError, Sandbox

    layout = Layout.at(root)
    opened: dict = {}  # the one sandbox, over the snapshot whose stamp it carries
    seen: dict = {}  # the stamp the idle worker saw at its last look

    def sandbox(stamp=None):
        """The sandbox over the archive as it is now: reopened only when a folder changed
        (opening ranks every version: most of a query's cost on a large archive)."""
        stamp = stamp if stamp is not None else archive_stamp(layout.root)
        if opened.get("stamp") != stamp:
            if "box" in opened:
                opened.pop("box").close()
            opened["box"] = Sandbox(layout, Limits(timeout=60, on_stuck=lambda: os._exit(3)))
            opened["stamp"], opened["at"] = stamp, time.time()
        return opened["box"]

    def idle() -> None:
        """Open the newest snapshot ahead of the next query once the archive's folders have not
        changed between two looks (the first snapshot at start, or after a crawl committed; not
        again and again while a crawl is still committing)."""
        stamp = archive_stamp(layout.root)
        settled, seen["stamp"] = seen.get("stamp") == stamp, stamp
        if (settled or "box" not in opened) and opened.get("stamp") != stamp:
            try:
                sandbox(stamp)
            except QueryError:
                pass

    while True:
        try:
            if not conn.poll(IDLE_CHECK):
                idle()
                continue
            sql, timeout, max_rows, max_bytes = conn.recv()
        except EOFError:
            return
        limits = Limits(timeout=timeout, max_rows=max_rows, max_bytes=max_bytes, on_stuck=lambda: os._exit(3))
        try:
            res = sandbox().run(sql, None, limits, arrow=True)
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, res.arrow.schema) as w:
                w.write_table(res.arrow)
            conn.send(("ok", sink.getvalue().to_pybytes(), opened["at"]))
        except QueryError as exc:
            conn.send((type(exc).__name__, str(exc), opened.get("at")))
        except Exception as exc:  # noqa: BLE001 - any other failure is one line too
            conn.send(("QueryFailed", f"{type(exc).__name__}: {exc}", opened.get("at")))


class SqlWorker:
    def __init__(self, root: str, *, timeout: float = 60.0, stuck_after: float = 3.0) -> None:
        self.root, self.timeout, self.stuck_after = root, timeout, stuck_after
        self._lock = threading.Lock()
        self._ctx = mp.get_context("spawn")  # no copy of the server's threads and DuckDB connection
        self._proc = None
        self._conn = None
        self.restarts = 0

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_serve, args=(child, self.root), daemon=True, name="govnews-sql")
        self._proc.start()
        child.close()
        self._conn = parent

    def start(self) -> None:
        with self._lock:
            if self._proc is None:
                self._start()

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None
        self.restarts += 1

    def run(self, sql: str, *, max_rows: int, max_bytes: int = 100_000_000) -> Answer:
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                self._start()
            self._conn.send((sql, self.timeout, max_rows, max_bytes))
            # a fresh worker imports duckdb first: allow for that on top of the query's own limit
            if not self._conn.poll(self.timeout + self.stuck_after + 10):
                self._kill()
                return Answer(error=f"the query did not stop at its time limit ({self.timeout:g} s); "
                                    "its worker process was ended", kind="QueryTimeout")
            try:
                status, payload, opened_at = self._conn.recv()
            except (EOFError, OSError):
                self._kill()
                return Answer(error=f"the query did not stop at its time limit ({self.timeout:g} s); "
                                    "its worker process was ended", kind="QueryTimeout")
        if status != "ok":
            return Answer(error=payload, kind=status, opened_at=opened_at)
        return Answer(table=pa.ipc.open_stream(payload).read_all(), opened_at=opened_at)

    def close(self) -> None:
        with self._lock:
            if self._proc is not None:
                self._conn.close()
                self._proc.join(2)
                if self._proc.is_alive():
                    self._proc.kill()
                self._proc = None
