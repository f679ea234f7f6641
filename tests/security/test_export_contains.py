"""``govnews export --contains TEXT``: the text is bound as a DuckDB parameter, never pasted into SQL,
so SQL in it is only text to look for, and nothing in the archive changes."""

from __future__ import annotations

import pytest

from tests.security.test_query_sandbox import tree_hash
from tests.unit.test_warehouse_views import article, write_rows
from warehouse.export import ExportFilter, export_articles
from warehouse.layout import Layout

HOSTILE_CONTAINS = [
    "x' OR '1'='1",
    "') OR true --",
    "'); COPY (SELECT 1) TO '@ROOT@/pwn.csv'; --",
    "' UNION SELECT * FROM read_text('/etc/passwd') --",
    "$contains",
    "%",
    "\\'; ATTACH '@ROOT@/x.duckdb'; --",
]


@pytest.fixture
def archive(tmp_path) -> Layout:
    layout = Layout.at(tmp_path / "archive")
    write_rows(layout, "articles", [article("beijing-haidian", n) for n in range(6)])
    return layout


@pytest.mark.parametrize("text", HOSTILE_CONTAINS)
def test_hostile_contains_matches_nothing_and_writes_nothing_in_the_archive(archive, tmp_path, text):
    before = tree_hash(archive.root)
    text = text.replace("@ROOT@", str(archive.root))
    res = export_articles(archive, tmp_path / "out", "jsonl", filters=ExportFilter(contains=text))
    assert res.rows == 0
    assert tree_hash(archive.root) == before
    assert not (archive.root / "pwn.csv").exists()


def test_contains_still_filters(archive, tmp_path):
    res = export_articles(archive, tmp_path / "out", "jsonl", filters=ExportFilter(contains="接诉即办"))
    assert res.rows == 3  # even n of 0..5
