"""Pinned snapshots: hard links that keep a reader's files readable after compaction moves them.

Compaction moves the files a merged file replaces into ``trash/`` the moment the merged
file is committed, so a plain glob of ``articles/**`` never shows a row twice. A govnews
reader lists its files first (a snapshot) and opens them later, maybe after such a move.
So when it lists a partition it hard-links each live file as
``state/pins/<table>/site=…/month=…/<pid>-<hex>-<name>`` and reads the links: a link
keeps the file's data whatever happens to its name, until it is removed (when the
connection is garbage-collected or the process exits; the links of dead processes are
removed by the next compaction).

The pin folders repeat the ``site=…/month=…`` folders, so hive partitioning reads the same
``site`` from a link as from the file. They are shared by every snapshot and kept (making
and removing a folder per partition and connection cost seconds on a busy disk; a link
and its removal cost tens of microseconds). A filesystem that refuses links (read-only
archive, ``articles`` on another device) gets the original paths: the snapshot works as
before the move-at-once rule, without its protection.
"""

from __future__ import annotations

import contextlib
import os
import uuid
import weakref
from pathlib import Path

from warehouse.commit import pid_alive

PINS = ("state", "pins")


def pins_root(root: Path) -> Path:
    return root.joinpath(*PINS)


class Pins:
    """One snapshot's links, removed when this object is garbage-collected (or at exit).
    A connection keeps its snapshot's pins alive (:func:`hold`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.prefix = f"{os.getpid()}-{uuid.uuid4().hex[:12]}-"
        self.usable = True
        self.links: list[str] = []
        self._made: set[Path] = set()  # pin folders seen to exist
        self._finalizer = weakref.finalize(self, _unlink_all, self.links)

    def link(self, path: Path) -> Path:
        """A pinned path for ``path`` (FileNotFoundError when it is gone: list again)."""
        if not self.usable:
            if not path.exists():
                raise FileNotFoundError(path)
            return path
        rel = path.relative_to(self.root)
        folder = pins_root(self.root) / rel.parent
        dest = folder / (self.prefix + rel.name)
        try:
            if folder not in self._made:
                folder.mkdir(parents=True, exist_ok=True)
                self._made.add(folder)
            with contextlib.suppress(FileExistsError):
                os.link(path, dest)
        except FileNotFoundError:
            if path.exists():  # the pin folder vanished meanwhile: pin no more
                self.usable = False
                return path
            raise
        except OSError:  # read-only, another device, no links: read the original paths
            self.usable = False
            return path
        self.links.append(str(dest))
        return dest

    def release(self) -> None:
        self._finalizer()


def _unlink_all(paths: list[str]) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(p)
    paths.clear()


def hold(owner: object, pins: Pins | None) -> None:
    """Keep ``pins`` alive as long as ``owner`` (a connection) is."""
    if pins is not None:
        weakref.finalize(owner, _noop, pins)


def _noop(*_args) -> None:
    pass


def remove_dead_pins(root: Path) -> int:
    """Remove the links of processes that are gone. Returns how many."""
    base = pins_root(root)
    removed = 0
    if not base.is_dir():
        return 0
    alive: dict[int, bool] = {}
    for dirpath, _dirs, names in os.walk(base):
        for n in names:
            pid = n.partition("-")[0]
            if not pid.isdigit():
                continue
            if int(pid) not in alive:
                alive[int(pid)] = int(pid) == os.getpid() or pid_alive(int(pid))
            if not alive[int(pid)]:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(dirpath, n))
                    removed += 1
    return removed
