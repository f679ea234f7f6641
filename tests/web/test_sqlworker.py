"""crawler.web.sqlworker: the SQL page's worker process over a real archive (real DuckDB, real files).

A crawl that commits while ``govnews serve`` runs: the next query sees the new rows, and an idle
worker opens the new snapshot before that query comes (so the query does not pay the opening)."""

from __future__ import annotations

import time

from crawler.web import sqlworker
from crawler.web.sqlworker import SqlWorker
from tests.unit.test_warehouse_views import article, write_rows
from warehouse.layout import Layout

COUNT = "SELECT count(*) AS n FROM articles"


def _count(worker: SqlWorker) -> tuple[int, float]:
    answer = worker.run(COUNT, max_rows=10)
    assert answer.error is None, answer.error
    return answer.table.column("n")[0].as_py(), answer.opened_at


def test_a_query_sees_a_commit_at_once(tmp_path):
    layout = Layout.at(tmp_path)
    write_rows(layout, "articles", [article("beijing-haidian", n) for n in range(3)])
    worker = SqlWorker(str(tmp_path), timeout=30)
    try:
        assert _count(worker)[0] == 3
        write_rows(layout, "articles", [article("beijing-chaoyang", n) for n in range(2)], run_id="r2")
        assert _count(worker)[0] == 5  # no wait for the idle look: the query reopens
    finally:
        worker.close()


def test_an_idle_worker_opens_the_new_snapshot_before_the_next_query(tmp_path):
    layout = Layout.at(tmp_path)
    write_rows(layout, "articles", [article("beijing-haidian", n) for n in range(3)])
    worker = SqlWorker(str(tmp_path), timeout=30)
    try:
        n, first_opened = _count(worker)
        assert n == 3
        write_rows(layout, "articles", [article("beijing-chaoyang", n) for n in range(2)], run_id="r2")
        committed = time.time()
        time.sleep(3 * sqlworker.IDLE_CHECK + 2)  # two looks that agree, then the opening
        asked = time.time()
        n, opened = _count(worker)
        assert n == 5
        assert committed < opened < asked  # opened while idle, after the commit, before the query
        assert _count(worker)[1] == opened  # and kept for the queries after it
    finally:
        worker.close()
