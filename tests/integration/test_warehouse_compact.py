"""Compaction never loses or doubles a row (kill -9 at random moments), and readers never fail
while writers and compaction commit files."""

from __future__ import annotations

import gc
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT
from tests.unit.test_warehouse_views import T0, article, capture, write_rows
from warehouse.compact import MERGED_PREFIX, compact, live_files
from warehouse.db import connect
from warehouse.export import export_articles
from warehouse.layout import Layout

SITES = ("beijing-haidian", "beijing-yanqing", "beijing-chaoyang")


def add_small_files(layout: Layout, batch: int, files_per_partition: int = 3, rows: int = 5) -> None:
    """``files_per_partition`` small files in each of 3 sites × 2 months, like daily crawl commits."""
    for f in range(files_per_partition):
        run = f"b{batch:02d}f{f}"
        arts, caps = [], []
        for s in SITES:
            for k in range(rows * 2):
                n = batch * 10_000 + f * 100 + k
                when = T0 + timedelta(days=batch, minutes=f)
                published = T0.replace(month=1 + k % 2)
                arts.append(article(s, n, published=published, fetched=when, run_id=run,
                                    body=f"{s}第{n}篇。正文。"))
                caps.append(capture(s, n, "stored", fetched=when, run_id=run))
        write_rows(layout, "articles", arts, run_id=run)
        write_rows(layout, "captures", caps, run_id=run)


def state(layout: Layout) -> tuple[int, Counter, int, int]:
    con = connect(layout)
    try:
        n, distinct = con.execute(
            "SELECT count(*), count(DISTINCT (url_key, fetched_at, run_id)) FROM article_versions").fetchone()
        hashes = Counter(h for (h,) in con.execute("SELECT content_sha256 FROM article_versions").fetchall())
        caps = con.execute("SELECT count(*) FROM captures").fetchone()[0]
        arts = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()
    assert n == distinct, "a row is visible twice"
    return n, hashes, caps, arts


def all_visible_files_open(layout: Layout) -> None:
    for p in layout.root.rglob("*.parquet"):
        if not p.name.startswith(".") and "trash" not in p.parts:
            pq.read_metadata(p)


COMPACT_SCRIPT = """
import sys
from warehouse.compact import compact
from warehouse.layout import Layout
print("START", flush=True)
compact(Layout.at(sys.argv[1]), target_mb=64, grace=0)
print("DONE", flush=True)
"""


@pytest.mark.slow
def test_kill_9_during_compaction_ten_times(tmp_path):
    layout = Layout.at(tmp_path / "archive")
    add_small_files(layout, 0, files_per_partition=6)
    # how long a whole compaction takes here: the kills land anywhere in it
    probe = Layout.at(tmp_path / "probe")
    shutil.copytree(layout.root, probe.root)
    t = time.perf_counter()
    compact(probe, target_mb=64, grace=0)
    duration = time.perf_counter() - t
    shutil.rmtree(probe.root)

    rng = random.Random(5)
    expected = state(layout)
    killed = 0
    for trial in range(10):
        add_small_files(layout, trial + 1)
        expected = state(layout)
        proc = subprocess.Popen([sys.executable, "-c", COMPACT_SCRIPT, str(layout.root)], cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "START"
        time.sleep(rng.uniform(0, duration * 1.2))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait(timeout=60)
        proc.stdout.close()
        all_visible_files_open(layout)
        got = state(layout)
        assert got[0] == expected[0] and got[1] == expected[1], f"trial {trial}: rows or hashes changed"
        assert got[2:] == expected[2:], f"trial {trial}: captures or articles changed"
    # a last run finishes what the killed ones left: one file per partition, no temp files, empty trash
    compact(layout, target_mb=64, grace=0)
    assert state(layout)[:2] == expected[:2]
    for part in (layout.root / "articles").glob("site=*/month=*"):
        names = [p.name for p in part.iterdir()]
        assert len(names) == 1 and names[0].startswith(MERGED_PREFIX), names
    assert not list((layout.root / "articles").rglob(".*.tmp"))
    assert not any((layout.root / "trash").iterdir())
    print(f"killed {killed} of 10 compactions mid-run (compaction took {duration:.2f} s)")


def plain_glob_count(layout: Layout, table: str) -> int:
    """What a reader without govnews sees: every file under the table's folder."""
    return duckdb.sql(f"SELECT count(*) FROM read_parquet('{layout.root / table}/**/*.parquet')").fetchall()[0][0]


def test_superseded_files_leave_the_table_at_once_and_earlier_snapshots_still_read_them(tmp_path):
    layout = Layout.at(tmp_path / "archive")
    add_small_files(layout, 0)
    before = state(layout)
    old = set(live_files(layout, "articles")) | set(live_files(layout, "captures"))
    early = connect(layout)  # took its snapshot before the compaction, queries after it
    assert plain_glob_count(layout, "articles") == before[0]
    rep = compact(layout, target_mb=64, grace=3600)
    assert rep.files_in == len(old) and rep.retired == len(old)
    assert not any(p.exists() for p in old)  # gone from the table folders at once ...
    trash = [p for p in (layout.root / "trash").rglob("*.parquet")]
    assert sorted(p.name for p in trash) == sorted(p.name for p in old)  # ... into the trash
    # a plain glob sees every row once, during the grace period too
    assert plain_glob_count(layout, "articles") == before[0]
    assert plain_glob_count(layout, "captures") == before[2]
    assert state(layout)[:2] == before[:2]
    # compacting again merges the new small files with the merged one, still nothing doubled
    add_small_files(layout, 1)
    after_add = state(layout)
    compact(layout, target_mb=64, grace=3600)
    assert state(layout)[:2] == after_add[:2]
    assert plain_glob_count(layout, "articles") == after_add[0]
    # past the grace period the trash is purged; the early snapshot reads its pins to the end
    compact(layout, target_mb=64, grace=0)
    assert not list((layout.root / "trash").rglob("*.parquet"))
    n, distinct = early.execute(
        "SELECT count(*), count(DISTINCT (url_key, fetched_at, run_id)) FROM article_versions").fetchone()
    assert n == distinct == before[0]
    assert early.execute("SELECT count(*) FROM captures").fetchone()[0] == before[2]
    pins = layout.root / "state" / "pins"
    assert list(pins.rglob("*.parquet"))
    early.close()
    del early
    gc.collect()
    assert not list(pins.rglob("*.parquet")), "a connection's pins outlived it"


def test_compaction_keeps_new_columns_and_old_files_without_them(tmp_path):
    """Files written before a column was added read as NULL in that column after merging."""
    import pyarrow as pa

    layout = Layout.at(tmp_path / "archive")
    write_rows(layout, "articles", [article("beijing-haidian", 1)], run_id="a")
    part = layout.partition_dir("articles", "beijing-haidian", "2020-02")
    legacy = pq.read_table(next(part.iterdir())).drop_columns(["subtitle", "images", "run_id"])
    legacy = legacy.append_column("run_id", pa.array(["old"]))
    # an earlier version (another content hash): the same one twice would be shown once
    legacy = legacy.set_column(legacy.schema.get_field_index("content_sha256"), "content_sha256",
                               pa.array(["h-old"]))
    pq.write_table(legacy, part / "old-00001.parquet")
    pq.write_table(pa.table({"url_key": ["x"], "site": ["beijing-haidian"], "content_sha256": ["h"],
                             "fetched_at": legacy.column("fetched_at"), "run_id": ["older"]}),
                   part / "older-00001.parquet")
    n = state(layout)[0]
    compact(layout, target_mb=64, grace=0)
    assert state(layout)[0] == n == 3
    merged = pq.read_table(next(part.iterdir()))
    assert "subtitle" in merged.column_names and merged.num_rows == 3


@pytest.mark.slow
def test_readers_and_an_export_while_a_writer_commits_50_files_and_compaction_runs(tmp_path):
    layout = Layout.at(tmp_path / "archive")
    add_small_files(layout, 0, files_per_partition=1)
    total_final = state(layout)[0] + 50 * 4
    errors: list[BaseException] = []
    done = threading.Event()

    def writer():
        try:
            for i in range(50):
                s = SITES[i % 3]
                write_rows(layout, "articles",
                           [article(s, 50_000 + i * 10 + k, fetched=T0 + timedelta(hours=i), run_id=f"w{i:02d}")
                            for k in range(4)], run_id=f"w{i:02d}")
                time.sleep(0.01)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            done.set()

    def compactor():
        try:
            while not done.is_set():
                compact(layout, target_mb=64, grace=30)  # longer than any query here
                time.sleep(0.05)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def exporter():
        try:
            n = 0
            while not done.is_set():
                res = export_articles(layout, tmp_path / f"export-{n}", "parquet")
                assert pq.read_table(res.out / "data").num_rows == res.rows
                n += 1
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=f) for f in (writer, compactor, exporter)]
    for t in threads:
        t.start()
    seen: list[int] = []
    try:
        for _ in range(200):
            con = connect(layout)
            n = con.execute("SELECT count(*) FROM article_versions").fetchone()[0]
            k = con.execute("SELECT count(DISTINCT (url_key, fetched_at, run_id)) FROM article_versions").fetchone()[0]
            con.close()
            assert n == k, "a row counted twice"
            assert not seen or n >= seen[-1], f"count went down: {seen[-1]} -> {n}"
            seen.append(n)
    finally:
        done.wait(120)
        for t in threads:
            t.join(120)
    assert not errors, errors
    assert max(seen) <= total_final
    assert state(layout)[0] == total_final
    assert len(set(seen)) > 1  # the readers did see commits land
