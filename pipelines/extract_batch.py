"""Pages to the extraction worker processes in batches: one pool task for up to ``size`` pages.

A ``ProcessPoolExecutor`` task costs the crawl process about 0.3 ms of CPU (its management and
queue-feeder threads pickle, send and wake up, and take the GIL from the reactor thread each time):
measured on 71 KB pages, 316 µs of the parent's CPU per page one task per page, 69 µs four pages per
task (``EXTRACT_BATCH``, default 8). So the pipeline hands pages to :class:`Batcher`, which sends a batch when ``size`` pages
wait or ``wait`` seconds after the first of them (a slow crawl waits that long, no more), and each
page's awaitable gets its own result, or its own exception: one page that fails does not fail
the others of its batch.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import Executor


def run_batch(fn: Callable, batch: list[tuple]) -> list[tuple[bool, object, float]]:
    """In the worker: ``fn(*args)`` for each page; ``(ok, result or exception, CPU seconds)`` each."""
    out = []
    for args in batch:
        start = time.process_time()
        try:
            out.append((True, fn(*args), time.process_time() - start))
        except Exception as exc:  # noqa: BLE001 - handed back to that page's awaitable
            out.append((False, exc, time.process_time() - start))
    return out


class Batcher:
    def __init__(self, pool: Executor, fn: Callable, *, size: int = 8, wait: float = 0.02) -> None:
        self.pool, self.fn, self.size, self.wait = pool, fn, size, wait
        self._pending: list[tuple[tuple, asyncio.Future]] = []
        self._timer: asyncio.TimerHandle | None = None

    def submit(self, *args) -> asyncio.Future:
        """An awaitable of ``(fn(*args), worker CPU seconds)``."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._pending.append((args, future))
        if len(self._pending) >= self.size:
            self.flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.wait, self.flush)
        return future

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, []
        if not batch:
            return
        try:
            done = asyncio.wrap_future(self.pool.submit(run_batch, self.fn, [args for args, _ in batch]))
        except Exception as exc:  # noqa: BLE001 - a pool shut down or broken: every page of the batch fails
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        done.add_done_callback(lambda task: _deliver(task, batch))


def _deliver(task: asyncio.Future, batch: list[tuple[tuple, asyncio.Future]]) -> None:
    if task.cancelled():
        for _, future in batch:
            future.cancel()
        return
    error = task.exception()
    for i, (_, future) in enumerate(batch):
        if future.done():
            continue
        if error is not None:
            future.set_exception(error)
            continue
        ok, value, cpu = task.result()[i]
        if ok:
            future.set_result((value, cpu))
        else:
            future.set_exception(value)
