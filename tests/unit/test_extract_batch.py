"""pipelines.extract_batch: pages to a real process pool in batches (spawned workers, asyncio loop)."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import pytest

from pipelines.extract_batch import Batcher


def page(n: int) -> tuple[int, int]:
    """Stands for extract_page: fails on 13, else answers with the worker's pid."""
    if n == 13:
        raise ValueError(f"page {n} is broken")
    return n * 2, os.getpid()


@pytest.fixture(scope="module")
def pool():
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as p:
        yield p


def test_each_page_gets_its_own_result_full_batches_and_the_rest_by_time(pool):
    async def run():
        batcher = Batcher(pool, page, size=3, wait=0.05)
        futures = [batcher.submit(n) for n in range(7)]  # two full batches now, one page after 50 ms
        assert len(batcher._pending) == 1
        return await asyncio.gather(*futures)

    results = asyncio.run(run())
    assert [value for (value, _pid), _cpu in results] == [n * 2 for n in range(7)]
    assert all(cpu >= 0 for _, cpu in results)


def test_a_failing_page_fails_alone(pool):
    async def run():
        batcher = Batcher(pool, page, size=4, wait=0.05)
        futures = [batcher.submit(n) for n in (12, 13, 14, 15)]
        return await asyncio.gather(*futures, return_exceptions=True)

    results = asyncio.run(run())
    assert isinstance(results[1], ValueError) and "page 13" in str(results[1])
    assert [r[0][0] for i, r in enumerate(results) if i != 1] == [24, 28, 30]


def test_flush_sends_what_waits_and_a_closed_pool_fails_every_page_of_the_batch():
    async def run():
        p = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        batcher = Batcher(p, page, size=100, wait=60)
        first = batcher.submit(1)
        batcher.flush()  # what close_spider does: nothing waits for the 60 s timer
        assert (await first)[0][0] == 2
        p.shutdown()
        late = [batcher.submit(n) for n in (2, 3)]
        batcher.flush()
        return await asyncio.gather(*late, return_exceptions=True)

    results = asyncio.run(run())
    assert all(isinstance(r, RuntimeError) for r in results)
