"""GcTuning (crawler/gctune.py): the collector's thresholds while engines run, and as they were after."""

from __future__ import annotations

import gc

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.gctune import GcTuning


@pytest.fixture
def clean_gc():
    found = gc.get_threshold()
    yield found
    gc.unfreeze()
    gc.set_threshold(*found)


def test_engine_start_freezes_and_raises_gen0_then_stop_restores(clean_gc):
    ext = GcTuning.from_crawler(get_crawler(settings_dict={"GOVNEWS_GC_GEN0": 40_000}))
    before = gc.get_freeze_count()
    ext.engine_started()
    assert gc.get_threshold() == (40_000, clean_gc[1], clean_gc[2])
    assert gc.get_freeze_count() > before
    ext.engine_stopped()
    assert gc.get_threshold() == clean_gc
    assert gc.get_freeze_count() == 0


def test_two_engines_in_one_process_restore_only_when_the_last_stops(clean_gc):
    a = GcTuning.from_crawler(get_crawler(settings_dict={"GOVNEWS_GC_GEN0": 30_000}))
    b = GcTuning.from_crawler(get_crawler(settings_dict={"GOVNEWS_GC_GEN0": 30_000}))
    a.engine_started()
    b.engine_started()
    a.engine_stopped()
    assert gc.get_threshold()[0] == 30_000  # b still crawls
    b.engine_stopped()
    assert gc.get_threshold() == clean_gc
    b.engine_stopped()  # a second stop changes nothing
    assert gc.get_threshold() == clean_gc


def test_a_stop_without_a_start_changes_nothing(clean_gc):
    GcTuning.from_crawler(get_crawler(settings_dict={"GOVNEWS_GC_GEN0": 30_000})).engine_stopped()
    assert gc.get_threshold() == clean_gc


def test_a_larger_threshold_already_set_is_kept(clean_gc):
    gc.set_threshold(90_000, clean_gc[1], clean_gc[2])
    ext = GcTuning.from_crawler(get_crawler(settings_dict={"GOVNEWS_GC_GEN0": 30_000}))
    ext.engine_started()
    assert gc.get_threshold()[0] == 90_000
    ext.engine_stopped()
    assert gc.get_threshold()[0] == 90_000


@pytest.mark.parametrize("value", [0, -1])
def test_zero_or_negative_is_not_configured(value):
    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(get_crawler(settings_dict={"GOVNEWS_GC_GEN0": value}))
