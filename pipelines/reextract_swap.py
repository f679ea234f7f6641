"""Re-extraction's ``replace`` mode on disk: carry the sites it does not rebuild into the new
tree, keep the replaced files for readers (the trash), and swap the new ``articles`` tree in
(``renameat2(RENAME_EXCHANGE)``, two renames where the kernel lacks it)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

from warehouse.commit import fsync_dir
from warehouse.layout import Layout

TEMP_PREFIX = ".reextract-"


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE). False when unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return rc == 0


def swap_in(layout: Layout, built: Path) -> None:
    """Make ``built`` (a whole articles tree) the archive's ``articles``; delete the old tree."""
    live = layout.table_dir("articles")
    holder = built.parent
    if live.exists():
        if not _exchange(built, live):
            old = holder / "articles.old"
            os.replace(live, old)
            os.replace(built, live)
    else:
        os.replace(built, live)
    fsync_dir(layout.root)
    shutil.rmtree(holder, ignore_errors=True)


def remove_stale_builds(layout: Layout) -> None:
    if layout.root.is_dir():
        for p in layout.root.glob(TEMP_PREFIX + "*"):
            shutil.rmtree(p, ignore_errors=True)


def keep_for_readers(layout: Layout, target: Layout, rebuilt: set[str] | None) -> None:
    """The replaced files go to the trash for compaction's grace period, not straight to deletion.

    Every file of a rebuilt partition is hard-linked into ``trash/`` (:func:`warehouse.compact.retire_to_trash`)
    before the swap: a govnews query that listed them before the swap reads its own pins
    (:mod:`warehouse.pins`), a reader that opened them keeps its handle, a plain glob over
    ``articles/`` sees only the new rows after the swap, and ``govnews compact`` purges the trash
    once the grace period (15 min) is over."""
    from warehouse.compact import partitions, retire_to_trash

    for part in partitions(layout, "articles"):
        if rebuilt is not None and part.parent.name.split("=", 1)[1] not in rebuilt:
            continue
        names = {n for n in os.listdir(part) if n.endswith(".parquet") and not n.startswith(".")}
        if names:
            retire_to_trash(layout, part, names, "-reextract")


def carry_other_sites(layout: Layout, target: Layout, rebuilt: set[str]) -> None:
    live = layout.table_dir("articles")
    if not live.is_dir():
        return
    for part in live.glob("site=*"):
        if part.name.split("=", 1)[1] in rebuilt:
            continue
        dest = target.table_dir("articles") / part.name
        shutil.copytree(part, dest, ignore=shutil.ignore_patterns(".*"), copy_function=os.link)
