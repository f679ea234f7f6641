"""The archive's crawl lock: one ``govnews crawl`` at a time per archive.

An exclusive, non-blocking ``fcntl.flock`` on ``<archive>/state/crawl.lock``,
held for the life of the process (the kernel drops it when the process dies,
however it dies, so a ``kill -9`` never leaves a stale lock behind). The file
holds the holder's pid, host and start time, for the message a second run
prints. flock is local to one machine: several hosts sharing one archive over
a network filesystem need a lock of their own: ``govnews worker`` takes a lease
in Redis per site (crawler/distributed/lease.py) and runs ``govnews crawl
--lock site``, which holds ``state/locks/crawl-<site>.lock`` instead, so crawls
of different sites share the archive.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from pathlib import Path

EX_TEMPFAIL = 75  # sysexits.h: "try again later"; cron and systemd show it as such


class LockHeld(Exception):
    """Another process holds the crawl lock."""

    def __init__(self, path: Path, holder: dict) -> None:
        self.path, self.holder = path, holder
        who = f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}" if holder else "another process"
        since = f" since {holder['since']}" if holder.get("since") else ""
        super().__init__(f"another crawl holds {path} ({who}{since})")


class CrawlLock:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.fd: int | None = None

    @classmethod
    def for_archive(cls, root: Path | str) -> "CrawlLock":
        return cls(Path(root) / "state" / "crawl.lock")

    @classmethod
    def for_site(cls, root: Path | str, slug: str) -> "CrawlLock":
        """One crawl of ``slug`` at a time on this machine (slugs are ``[a-z0-9-]``: a safe file name)."""
        return cls(Path(root) / "state" / "locks" / f"crawl-{slug}.lock")

    def acquire(self) -> "CrawlLock":
        """Take the lock or raise :class:`LockHeld` at once (never waits)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockHeld(self.path, holder) from None
        except BaseException:
            os.close(fd)
            raise
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                           "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, info + b"\n", 0)
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)  # closing the last descriptor drops the flock

    def __enter__(self) -> "CrawlLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read_holder(fd: int) -> dict:
    try:
        return json.loads(os.pread(fd, 4096, 0).decode() or "{}")
    except (OSError, ValueError):
        return {}
