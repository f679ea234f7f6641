"""Extraction workers run EXTRACT_NICE below the crawl process (pipelines/extract_worker.py), in real
spawned processes; the prestarted pool is taken only by a pipeline that wants the same shape."""

from __future__ import annotations

import os

import pytest
from scrapy.utils.test import get_crawler

from pipelines import extract_worker
from pipelines.extract_pipeline import ExtractPipeline


def _niceness(pool) -> set[int]:
    """The niceness each worker reports (``os.nice(0)`` adds nothing and returns it)."""
    return {f.result(timeout=60) for f in [pool.submit(os.nice, 0) for _ in range(4)]}


def test_workers_run_nice_below_the_parent():
    mine = os.nice(0)
    pool = extract_worker.start_pool(2, nice=7)
    try:
        assert _niceness(pool) == {min(mine + 7, 19)}
    finally:
        pool.shutdown(wait=True)


def test_nice_zero_leaves_the_priority():
    mine = os.nice(0)
    pool = extract_worker.start_pool(1, nice=0)
    try:
        assert _niceness(pool) == {mine}
    finally:
        pool.shutdown(wait=True)


def test_take_reuses_the_prestarted_pool_only_for_the_same_shape():
    extract_worker.prestart(1, 5)
    early = extract_worker._early
    same = extract_worker.take(1, 5)
    assert same is early
    same.shutdown(wait=True)

    extract_worker.prestart(1, 5)
    early = extract_worker._early
    other = extract_worker.take(1, 0)  # another niceness: a pool of its own, the early one let go
    try:
        assert other is not early
        assert _niceness(other) == {os.nice(0)}
        assert extract_worker._early is None
    finally:
        other.shutdown(wait=True)
        early.shutdown(wait=True)


@pytest.mark.parametrize("value", [-1, 20, 99])
def test_a_niceness_outside_0_to_19_stops_the_crawl_with_one_line(value):
    with pytest.raises(ValueError, match=rf"EXTRACT_NICE must be 0\.\.19 .*not {value}"):
        ExtractPipeline.from_crawler(get_crawler(settings_dict={"EXTRACT_NICE": value}))


def test_unset_it_is_ten_as_in_govnews_settings():
    from crawler.settings import govnews_settings

    assert ExtractPipeline.from_crawler(get_crawler()).nice == 10
    assert govnews_settings().getint("EXTRACT_NICE") == 10
