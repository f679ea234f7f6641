"""The extraction worker processes: what runs in them, and their pool, started as early as a crawl can.

A worker imports only the extractor (``pipelines.extract``), not Scrapy, Twisted or pyarrow: it
is ready about 0.3 s after it is spawned. ``govnews crawl`` calls :func:`prestart` as soon as it holds
the archive's lock, so the workers start while the crawl process is still writing its run records
and building Scrapy's engine (about 0.5 s), and the first article pages find them ready; the
ExtractPipeline then :func:`take`\\ s that pool (or starts its own: ``scrapy crawl``, a second site).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone

from pipelines.extract import ListHints, SiteHints, decode_html, extract_article


def extract_page(body: bytes, declared: str | None, content_type: str | None, url: str,
                 hints: SiteHints, list_hints: ListHints, fetched_at: datetime) -> dict:
    """Decode + extract one page (runs in a worker process)."""
    text, encoding = decode_html(body, declared, content_type)
    fields = extract_article(text, url, hints, list_hints=list_hints, fetched_at=fetched_at)
    fields["encoding"] = encoding
    return fields


def exit_with_parent(parent_pid: int, interval: float = 1.0) -> None:
    """Make this worker process exit when ``parent_pid`` is gone (e.g. the crawl was killed -9).

    A ProcessPoolExecutor's workers otherwise outlive a killed parent, idle, for ever.
    """
    import threading

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent_pid:
                os._exit(0)

    threading.Thread(target=watch, name="govnews-parent-watch", daemon=True).start()


WARM_PAGE = ("<html><head><meta charset='utf-8'><title>预热</title></head><body><h1>预热</h1>"
             "<div class='TRS_Editor'><p>发布时间：2020-07-06 08:57 来源：区政府</p><p>预热段落。</p></div>"
             "</body></html>").encode()


def warm_up() -> None:
    """Run the extractor once on a small page: what it loads on first use (its date and byline rules,
    compiled patterns) is loaded before the first real page arrives."""
    try:
        extract_page(WARM_PAGE, "utf-8", "text/html; charset=utf-8", "http://warm.invalid/a.html", SiteHints(),
                     ListHints(), datetime.now(timezone.utc))
    except Exception:  # noqa: BLE001 - warming is an optimisation only
        pass


#: the niceness EXTRACT_NICE may add (os.nice's range above the default priority)
NICE_RANGE = range(0, 20)


def lower_priority(nice: int) -> None:
    """Add ``nice`` to this process's niceness (``os.nice``; 0 leaves it)."""
    if nice > 0:
        os.nice(nice)


def warm(parent_pid: int | None = None, nice: int = 0) -> None:
    """Worker initializer: lower the priority, load and run the extractor once; die with the parent.

    A crawl's workers run ``EXTRACT_NICE`` below the crawl process: on a machine with fewer cores
    than processes, the scheduler gives the reactor (downloads, timeouts, writing the archive) the
    CPU whenever it can use it, and extraction takes what is left, instead of each of the three
    taking a third of two cores and the reactor, which every page passes through, running slowest.
    """
    lower_priority(nice)
    warm_up()
    if parent_pid is not None:
        exit_with_parent(parent_pid)


def _ready() -> int:
    return os.getpid()


def start_pool(workers: int, nice: int = 0) -> ProcessPoolExecutor:
    """``workers`` spawned processes, each starting now (a pool spawns one per task submitted),
    ``nice`` below this process's priority."""
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=warm, initargs=(os.getpid(), nice))
    for _ in range(workers):
        pool.submit(_ready)
    return pool


_early: ProcessPoolExecutor | None = None
_early_shape = (0, 0)  # (workers, nice) of the prestarted pool


def prestart(workers: int, nice: int = 0) -> None:
    """Start the pool the next :func:`take` of ``workers``, ``nice`` gets (``workers`` < 1: none)."""
    global _early, _early_shape
    discard()
    if workers >= 1:
        _early, _early_shape = start_pool(workers, nice), (workers, nice)


def take(workers: int, nice: int = 0) -> ProcessPoolExecutor:
    """The pool :func:`prestart` started, when it has that shape; else a new one."""
    global _early
    pool, _early = _early, None
    if pool is not None and _early_shape == (workers, nice):
        return pool
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
    return start_pool(workers, nice)


def discard() -> None:
    """Shut down a prestarted pool nobody took (a crawl that never opened its spider)."""
    global _early
    pool, _early = _early, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
