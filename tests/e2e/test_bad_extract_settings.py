"""A wrong EXTRACT_* value never switches extraction off and never reads as "unreachable": ``govnews
crawl`` refuses it in one line naming the setting (exit 2) and leaves the archive as it was; a crawler
started another way (crawler.runner) ends ``failed: not started`` with the same reason."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest
from scrapy.utils.test import get_crawler

from pipelines.extract_pipeline import ExtractPipeline
from tests.conftest import ROOT, govnews, tree_hash
from tests.unit.test_warehouse_views import article, write_rows
from warehouse.layout import Layout

HOSTILE = [
    ("EXTRACT_WORKERS", "0"), ("EXTRACT_WORKERS", "-2"), ("EXTRACT_WORKERS", "two"), ("EXTRACT_WORKERS", "1.5"),
    ("EXTRACT_BATCH", "0"), ("EXTRACT_BATCH", "abc"), ("EXTRACT_BATCH", ""), ("EXTRACT_BATCH", "1e3"),
    ("EXTRACT_BATCH_WAIT", "-1"), ("EXTRACT_BATCH_WAIT", "nan"), ("EXTRACT_BATCH_WAIT", "inf"),
    ("EXTRACT_BATCH_WAIT", "11"), ("EXTRACT_NICE", "20"), ("EXTRACT_NICE", "-1"), ("EXTRACT_NICE", "5; rm -rf /"),
]


@pytest.mark.parametrize("name, value", HOSTILE)
def test_the_pipeline_refuses_each_wrong_value_by_name(name, value):
    with pytest.raises(ValueError, match=rf"^{name} must be .*, not {re.escape(repr(value))}$"):
        ExtractPipeline.from_crawler(get_crawler(settings_dict={name: value}))


@pytest.mark.parametrize("name, value", [("EXTRACT_WORKERS", "1"), ("EXTRACT_BATCH", "1"),
                                         ("EXTRACT_BATCH_WAIT", "0"), ("EXTRACT_NICE", "0"), ("EXTRACT_NICE", "19")])
def test_the_edges_of_each_range_are_taken(name, value):
    pipe = ExtractPipeline.from_crawler(get_crawler(settings_dict={name: value}))
    got = {"EXTRACT_WORKERS": pipe.workers, "EXTRACT_BATCH": pipe.batch, "EXTRACT_BATCH_WAIT": pipe.batch_wait,
           "EXTRACT_NICE": pipe.nice}[name]
    assert got == float(value)


def test_crawl_refuses_wrong_values_in_one_line_and_changes_nothing(tmp_path):
    layout = Layout.at(tmp_path / "archive")
    write_rows(layout, "articles", [article("beijing-haidian", n) for n in range(3)])
    before = tree_hash(layout.root)
    for name, value in HOSTILE[::2]:  # every setting, a handful of values (each is a process start)
        proc = govnews("crawl", "--site", "demo-yanqing", "--archive", str(layout.root), "--via",
                       "http://127.0.0.1:9", "--progress", "off", "-s", f"{name}={value}", check=False, timeout=120)
        assert proc.returncode == 2, (name, value, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith(f"govnews: {name} must be ") and lines[0].endswith(f"not {value!r}"), lines
        assert tree_hash(layout.root) == before, (name, value)


def test_a_crawler_that_never_starts_ends_not_started_with_the_reason(tmp_path):
    script = textwrap.dedent(f"""
        import json
        from crawler.commands.crawl import summarise
        from crawler.runner import crawl_settings, run_crawl
        from crawler.sites import load_registry_with
        settings = crawl_settings({str(tmp_path / "a")!r}, via="http://127.0.0.1:9", log_level="WARNING",
                                  extra={{"EXTRACT_NICE": 50}})
        stats = run_crawl([load_registry_with()["demo-yanqing"]], settings)["demo-yanqing"]
        print(json.dumps([stats["finish_reason"], stats["govnews/not_started"], summarise({{"demo-yanqing": stats}})]))
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    reason, why, code = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (reason, code) == ("not started", 1)
    assert why == "EXTRACT_NICE must be 0..19 (niceness added to the workers), not 50"
    assert ("govnews: crawl of demo-yanqing ended failed: not started (EXTRACT_NICE must be 0..19 "
            "(niceness added to the workers), not 50)") in proc.stderr
    assert "unreachable" not in proc.stderr
