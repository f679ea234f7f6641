"""The archive as the web pages read it: one in-memory DuckDB connection over a snapshot of the files.

The connection (with its ranking of article versions) is opened once per *stamp* of the archive
(the modification times of the table folders): a crawl or a compaction that commits files changes
the stamp, and the next request opens a new snapshot. Page data is memoised per stamp, so a page
asked for twice on the same snapshot is answered from memory. All DuckDB calls hold one lock (a
connection serves one query at a time). Nothing here writes to the archive.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from warehouse.layout import Layout

#: folders whose changes mean a new snapshot (hive folders two levels deep, runs flat)
STAMPED = ("articles", "captures", "runs")
#: the stamp is re-read at most this often (seconds)
RESTAMP_EVERY = 2.0


def archive_stamp(root: Path) -> tuple:
    """The modification times of the archive's table folders: a new one means a new snapshot."""
    out = []
    for table in STAMPED:
        base = root / table
        try:
            out.append((table, os.stat(base).st_mtime_ns))
            for site in os.scandir(base):
                if site.is_dir():
                    out.append((site.name, site.stat().st_mtime_ns))
                    for month in os.scandir(site.path):
                        if month.is_dir():
                            out.append((site.name, month.name, month.stat().st_mtime_ns))
        except FileNotFoundError:
            out.append((table, None))
    return tuple(out)


class ArchiveStore:
    """Read-only access to one archive for the pages; ``rows()`` runs SQL the *code* wrote (never a user)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._lock = threading.RLock()
        self._con = None
        self._stamp: tuple | None = None
        self._stamped_at = 0.0
        self._memo: dict = {}
        self._snap: dict = {}

    def _current(self):
        now = time.monotonic()
        if self._con is not None and now - self._stamped_at < RESTAMP_EVERY:
            return self._con
        stamp = archive_stamp(self.layout.root)
        self._stamped_at = now
        if self._con is None or stamp != self._stamp:
            from warehouse.db import connect, snapshot

            self._snap = snapshot(self.layout)
            old, self._con = self._con, connect(self.layout, files=self._snap)
            self._stamp, self._memo = stamp, {}
            if old is not None:
                old.close()
        return self._con

    def _key_files(self) -> dict[str, tuple[str, list[str]]]:
        """``url_key -> (site, [articles files holding it])`` of the snapshot: one scan of two columns."""
        from warehouse.db import _read_parquet
        from warehouse.sqltext import sql_list

        files = self._snap.get("articles") or []
        if not files:
            return {}
        src = _read_parquet(sql_list(files), union_by_name=False)[:-1] + ", filename = true)"
        out: dict[str, tuple[str, list[str]]] = {}
        for key, site, name in self._current().execute(f"SELECT url_key, site, filename FROM {src}").fetchall():
            got = out.setdefault(key, (site, []))
            if name not in got[1]:
                got[1].append(name)
        return out

    def key_files(self) -> dict[str, tuple[str, list[str]]]:
        return self.memo(("key_files",), self._key_files)

    def versions_of(self, key: str) -> tuple[str | None, list[dict]]:
        """(site, every stored version of ``key``), read from only the files that hold it (the
        article_versions view over that part of the snapshot, so it is the view's answer)."""
        from warehouse.db import Snapshot, connect

        with self._lock:
            site, names = self.key_files().get(key, (None, []))
            if not names:
                return None, []
            part = Snapshot({"articles": [Path(n) for n in names]})
            part.pins = getattr(self._snap, "pins", None)
            con = connect(files=part, rank_once=False)
            try:
                cur = con.execute("SELECT * FROM article_versions WHERE url_key = ? "
                                  "ORDER BY fetched_at DESC, run_id DESC", [key])
                cols = [d[0] for d in cur.description]
                return site, [dict(zip(cols, r)) for r in cur.fetchall()]
            finally:
                con.close()

    def rows(self, sql: str, params: list | dict | None = None) -> list[dict]:
        with self._lock:
            cur = self._current().execute(sql, params or [])
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]

    def columns_of(self, view: str) -> set[str]:
        return {r["column_name"] for r in self.rows(f"DESCRIBE {view}")}

    def memo(self, key, make: Callable[[], object]):
        """``make()`` once per snapshot and ``key``."""
        with self._lock:
            self._current()
            if key not in self._memo:
                self._memo[key] = make()
            return self._memo[key]

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
