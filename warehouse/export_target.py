"""Where an export may write: never onto, into or around the archive, and it replaces only an export.

An allow-list, after resolving symlinks and ``..``:

- ``--out`` must not be the archive, lie inside it, or contain it (``/``, the
  archive's parent, a symlink to the archive, ``archive/../archive`` are the
  same folders as what they resolve to);
- an existing ``--out`` is replaced (``overwrite``) only when a previous export
  made it: it carries the marker file :data:`MARKER` (or, for exports made
  before the marker, a govnews dataset card), and holds nothing but what an
  export writes (``README.md``, ``data/`` of ``train*`` files, the marker). A
  folder with one file of the user's in it is refused whole.

An export writes into ``.<name>.tmp-<pid>`` beside ``--out`` and moves the
folder it replaces to ``.<name>.old-<pid>``; both carry the marker from their
first moment. :func:`reclaim_stale` removes such folders whose process is gone
(a killed export), and only those that carry the marker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from warehouse.commit import pid_alive

MARKER = ".govnews-export"
CARD = "README.md"
DATA = "data"
_STALE = re.compile(r"^\..+\.(?:tmp|old)-(\d+)$")


class TargetRefused(ValueError):
    """An ``--out`` an export must not write to (one line, for the user)."""


def _is_export(folder: Path) -> bool:
    if not folder.is_dir() or folder.is_symlink():
        return False
    names = {p.name for p in folder.iterdir()}
    if not names <= {CARD, DATA, MARKER}:
        return False
    data = folder / DATA
    if data.exists() and (not data.is_dir() or data.is_symlink()
                          or any(not p.is_file() or not p.name.startswith("train") for p in data.iterdir())):
        return False
    if (folder / MARKER).is_file():
        return True
    card = folder / CARD  # made before the marker existed: the card says who wrote it
    try:
        head = card.read_text(encoding="utf-8")[:400] if card.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return False
    return head.startswith("---\n") and "pretty_name: govnews" in head


def check_out(out: Path, archive: Path, overwrite: bool) -> Path:
    """The resolved folder to export to, or :class:`TargetRefused` (see the module doc)."""
    target = Path(os.path.abspath(out)).resolve()
    root = Path(os.path.abspath(archive)).resolve()
    if target == root:
        raise TargetRefused(f"--out {out} is the archive itself; choose a folder outside {root}")
    if root in target.parents:
        raise TargetRefused(f"--out {out} is inside the archive {root}; choose a folder outside it")
    if target in root.parents:
        raise TargetRefused(f"--out {out} contains the archive {root}; choose a folder outside it")
    for parent in target.parents:  # the nearest existing folder above must be a folder
        if os.path.lexists(parent):
            if not parent.is_dir():
                raise TargetRefused(f"--out {out}: {parent} is a file, not a folder")
            break
    if os.path.lexists(target):
        if not overwrite:
            raise TargetRefused(f"{out} exists; choose another --out or pass --overwrite")
        if not _is_export(target):
            raise TargetRefused(f"{out} exists and is not a folder made by govnews export "
                                f"(no {MARKER} marker, or files of its own); refusing to replace it")
    return target


def mark(folder: Path) -> None:
    """Write the marker that says ``folder`` is (becoming) an export of this process."""
    (folder / MARKER).write_text(json.dumps({"made_by": "govnews export", "pid": os.getpid()}) + "\n",
                                 encoding="utf-8")


def reclaim_stale(parent: Path) -> list[Path]:
    """Remove the temp and replaced folders of exports that were killed (their pid is gone)."""
    removed: list[Path] = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return removed
    for p in entries:
        m = _STALE.match(p.name)
        if not m or not p.is_dir() or p.is_symlink() or not ((p / MARKER).is_file() or _is_export(p)):
            continue
        pid = int(m.group(1))
        if pid == os.getpid() or pid_alive(pid):
            continue
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    return removed
