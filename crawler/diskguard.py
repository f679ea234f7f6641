"""DiskGuard: a crawl stops, and says so, before the archive's disk is full.

A Scrapy extension. Before the first request and after every response it
compares the free space of the archive's filesystem (``statvfs``) with
``GOVNEWS_MIN_FREE_MB``; below it, the spider closes with reason
``disk_full`` (run status ``failed``, exit 1), one error line names the
folder and the space left, and what the pipelines still hold is committed
into the margin. Without it a full disk gave hundreds of tracebacks, a crawl
that said ``finished`` and runs left ``running``.

The margin also covers the run's end event; and when something else fills the
disk meanwhile, :class:`crawler.extensions.RunRecorder` frees the small file
:func:`reserve` set aside at the start to write it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from pipelines import runctx

log = logging.getLogger(__name__)

REASON = "disk_full"
RESERVE_BYTES = 256 << 10  # room for a run's end event (a runs file is ~20 kB), set aside at its start


def free_bytes(path: Path) -> int:
    """Free bytes for an unprivileged writer on the filesystem of ``path`` (or its nearest parent)."""
    for p in (path, *path.parents):
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            st = os.statvfs(p)
            return st.f_bavail * st.f_frsize
    return 0


def reserve_path(state_dir: Path, run_id: str, site: str) -> Path:
    return state_dir / f"reserve-{run_id}-{site}"


def reserve(path: Path, size: int = RESERVE_BYTES) -> bool:
    """Set ``size`` bytes aside in ``path`` (written, not sparse); False when the disk has no room."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(b"\0" * size)
            fh.flush()
            os.fsync(fh.fileno())
        return True
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()
        return False


def remove_reserves(state_dir: Path) -> int:
    """Delete every reserve (of runs that ended or were killed); run it under the crawl lock."""
    n = 0
    if state_dir.is_dir():
        for p in state_dir.glob("reserve-*"):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
                n += 1
    return n


class DiskGuard:
    def __init__(self, crawler, min_free: int) -> None:
        self.crawler, self.min_free = crawler, min_free
        self.root = runctx.layout(crawler).root
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler):
        mb = crawler.settings.getfloat("GOVNEWS_MIN_FREE_MB", 64)
        if mb <= 0:
            raise NotConfigured("GOVNEWS_MIN_FREE_MB <= 0: no disk guard")
        ext = cls(crawler, int(mb * 1024 * 1024))
        crawler.signals.connect(ext.check, signal=signals.spider_opened)
        crawler.signals.connect(ext.check, signal=signals.response_received)
        return ext

    def check(self, *args, **kwargs) -> None:  # noqa: ARG002 - any signal's arguments
        if self.closing:
            return
        free = free_bytes(self.root)
        if free >= self.min_free:
            return
        self.closing = True
        self.crawler.stats.set_value("govnews/disk_full_free_bytes", free)
        log.error("disk full: %.2f MB free under %s (below GOVNEWS_MIN_FREE_MB=%g): stopping the crawl",
                  free / 1e6, self.root, self.min_free / (1024 * 1024))
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=REASON))
