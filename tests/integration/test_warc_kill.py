"""kill -9 during WARC writing, 10 times: no reader breaks, and the next run repairs or sets aside the `.open` file."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT, crawl, start_fixture_server
from warehouse.db import connect
from warehouse.layout import Layout
from warehouse.warc import DAMAGED_DIR, check_file, closed_warc_files, read_payload

pytestmark = pytest.mark.slow

TRIALS = 10
SEED = 20261129


def _readers_work(archive) -> None:
    """Invariant 1 and 3 of RELIABILITY.md, for what is visible now."""
    layout = Layout.at(archive)
    for f in archive.rglob("*.parquet"):
        if not f.name.startswith("."):
            pq.read_metadata(f)
    if list(archive.rglob("*.parquet")):
        duckdb.sql(f"SELECT count(*) FROM read_parquet('{archive}/**/*.parquet', union_by_name = true)").fetchall()
    con = connect(layout)
    for view in ("articles", "captures", "runs"):
        con.execute(f"SELECT count(*) FROM {view}").fetchall()
    for f in closed_warc_files(layout):
        assert check_file(f) == [], f
    for warc_file, offset in con.execute("SELECT warc_file, warc_offset FROM articles").fetchall():
        headers, body = read_payload(layout, warc_file, offset)
        assert headers.get_statuscode() == "200" and body


def test_kill_9_while_writing_warc(tmp_path):
    from crawler.demo.server import DEMO_ROOT

    shutil.copytree(DEMO_ROOT, tmp_path / "www")
    server = start_fixture_server(tmp_path / "www", tmp_path / "requests.jsonl")
    rng = random.Random(SEED)
    left_open = recovered = 0
    try:
        for trial in range(TRIALS):
            archive = tmp_path / f"archive{trial}"
            # a slowed crawl (50 ms between requests) so the kill lands while records are being written
            proc = subprocess.Popen(
                [sys.executable, "-m", "scrapy", "crawl", "district_news", "-a", "site=demo-haidian",
                 "-s", f"GOVNEWS_ARCHIVE={archive}", "-s", f"GOVNEWS_VIA={server.url}",
                 "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.05", "-s", "LOG_LEVEL=ERROR"],
                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            # a random moment after the first WARC file opened (startup time varies with the machine's load)
            deadline = time.monotonic() + 60
            while not list(archive.glob("warc/*/*/*.open")) and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 1.5))
            # the whole process group: the crawl and its extraction workers, which a killed
            # parent's ProcessPoolExecutor would otherwise leave behind, idle, for ever
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            opened = list((archive / "warc").rglob("*.open")) if (archive / "warc").exists() else []
            left_open += bool(opened)
            _readers_work(archive)  # with the dead writer's .open file still there
            crawl(archive, server, "demo-haidian")
            assert not list((archive / "warc").rglob("*.open")), f"trial {trial}: an .open file survived"
            for f in opened:
                final = f.with_name(f.name[: -len(".open")])
                aside = archive / DAMAGED_DIR / f.relative_to(archive / "warc")
                assert final.exists() or aside.exists() or not f.exists(), f
                recovered += final.exists()
            _readers_work(archive)
            con = connect(Layout.at(archive))
            assert con.execute("SELECT count(*) - count(DISTINCT url_key) FROM articles").fetchone()[0] == 0
            stats = con.execute("SELECT stats['govnews/archive/recovered/closed'] FROM runs "
                                "WHERE status != 'running' ORDER BY ended_at DESC LIMIT 1").fetchall()
            if opened:
                assert stats and stats[0][0] is not None, f"trial {trial}: the re-run recorded no repair"
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    print(f"\n[kill -9] {TRIALS} trials: {left_open} left an .open WARC, {recovered} repaired and closed")
    assert left_open >= TRIALS - 1, "the kills did not land while WARC files were open"
