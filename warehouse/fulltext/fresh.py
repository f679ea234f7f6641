"""A cheap answer to "is the index up to the archive?", so a search does not list every file.

Which files are live depends only on the listings of the articles folders (merged files
are immutable, and a file is committed by a rename into its folder, which changes the
folder's mtime). After each update the state of those folders (their mtimes) is written
to ``index/state.json`` beside the index's commit stamp (``opstamp`` in tantivy's
``meta.json``). A search whose folders and commit stamp still match needs no listing.

The fingerprint is taken *before* the update lists the live files, so a file committed
while the update runs changes a folder after it and shows as a mismatch. A folder changed
less than :data:`SETTLE_NS` before the fingerprint is not trusted (two changes within one
clock tick could leave the same mtime): it forces the full check until it settles.
"""

from __future__ import annotations

import contextlib
import json
import os
import time

from warehouse.commit import atomic_file
from warehouse.fulltext.store import index_path, index_root
from warehouse.layout import Layout

SETTLE_NS = 2_000_000_000
STATE = "state.json"


def fingerprint(layout: Layout) -> dict[str, int | None] | None:
    """{folder: mtime_ns, or None if it changed too recently} of the articles folders; None if unreadable."""
    base = layout.table_dir("articles")
    now = time.time_ns()
    out: dict[str, int | None] = {}
    def note(name: str, m: int) -> None:
        out[name] = m if now - m > SETTLE_NS else None

    try:
        note(".", os.stat(base).st_mtime_ns)
        for site in os.scandir(base):
            if site.is_dir():
                note(site.name, site.stat().st_mtime_ns)
                for month in os.scandir(site.path):
                    if month.is_dir():
                        note(f"{site.name}/{month.name}", month.stat().st_mtime_ns)
    except FileNotFoundError:
        return None
    return out


def _opstamp(layout: Layout) -> int | None:
    try:
        return json.loads((index_path(layout) / "meta.json").read_text(encoding="utf-8")).get("opstamp")
    except (FileNotFoundError, ValueError):
        return None


def record(layout: Layout, fp: dict | None) -> None:
    """After an update: the folders as they were before it listed the files, and the commit it made."""
    if fp is None:
        return
    with atomic_file(index_root(layout) / STATE) as fh:
        fh.write(json.dumps({"opstamp": _opstamp(layout), "folders": fp}).encode("utf-8"))


def is_current(layout: Layout) -> bool:
    """True only when nothing can have changed since the last update (else: do the full check)."""
    with contextlib.suppress(FileNotFoundError, ValueError):
        state = json.loads((index_root(layout) / STATE).read_text(encoding="utf-8"))
        fp = fingerprint(layout)
        return (fp is not None and None not in fp.values() and state["folders"] == fp
                and state["opstamp"] is not None and state["opstamp"] == _opstamp(layout))
    return False
