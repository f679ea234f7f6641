"""Pinned snapshots: hard links that keep a reader's files readable after compaction moves them.

Compaction moves the files a merged file replaces into ``trash/`` the moment the merged
file is committed, so a plain glob of ``articles/**`` never shows a row twice. A govnews
reader lists its files first (a snapshot) and opens them later, maybe after such a move.
So when it lists a partition it hard-links each live file into a folder of its own,
``state/pins/<pid>-<hex>/<table>/site=…/month=…/<name>``, and reads the links: a link
keeps the file's data whatever happens to its name, until the pin folder is removed
(when the connection is garbage-collected or the process exits; the folders of dead
processes are removed by the next compaction or snapshot).

The pin folder keeps the ``site=…/month=…`` folders, so hive partitioning reads the same
``site`` from a link as from the file. A filesystem that refuses links (read-only archive,
``articles`` on another device) gets the original paths: the snapshot works as before
the move-at-once rule, without its protection.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
import weakref
from pathlib import Path

from warehouse.commit import pid_alive

PINS = ("state", "pins")


def pins_root(root: Path) -> Path:
    return root.joinpath(*PINS)


class Pins:
    """One snapshot's pin folder (created on the first link), removed when this object is
    garbage-collected (or at exit). A connection keeps its snapshot's pins alive (:func:`hold`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = pins_root(root) / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.usable = True
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.dir), True)

    def link(self, path: Path) -> Path:
        """A pinned path for ``path`` (FileNotFoundError when it is gone: list again)."""
        if not self.usable:
            if not path.exists():
                raise FileNotFoundError(path)
            return path
        dest = self.dir / path.relative_to(self.root)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                os.link(path, dest)
        except FileNotFoundError:
            if path.exists():  # our pin folder vanished (removed as stale): pin no more
                self.usable = False
                return path
            raise
        except OSError:  # read-only, another device, no links: read the original paths
            self.usable = False
            return path
        return dest

    def release(self) -> None:
        self._finalizer()


def hold(owner: object, pins: Pins | None) -> None:
    """Keep ``pins`` alive as long as ``owner`` (a connection) is."""
    if pins is not None:
        weakref.finalize(owner, _noop, pins)


def _noop(*_args) -> None:
    pass


def remove_dead_pins(root: Path) -> int:
    """Remove pin folders of processes that are gone. Returns how many."""
    base = pins_root(root)
    removed = 0
    if not base.is_dir():
        return 0
    for d in base.iterdir():
        pid, _, _ = d.name.partition("-")
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)
            removed += 1
    return removed
