"""Run records of job-engine crawls: govnews runs shows worker and delivery; health flags failing jobs;
a crashed delivery keeps its job; archives older than the job columns still read."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

from tests.conftest import govnews
from warehouse.layout import Layout
from warehouse.runs import mark_crashed, now, open_runs, write_run_event


def _job(job_id: str, delivery: int, pid: int = 4321) -> dict:
    return {"job_id": job_id, "job_delivery": delivery, "worker": "w1@host-a", "worker_pid": pid}


def _run(layout, run_id, site, started, status, job=None):
    write_run_event(layout, run_id=run_id, site=site, event="start", status="running", started_at=started, job=job)
    write_run_event(layout, run_id=run_id, site=site, event="end", status=status, started_at=started,
                    ended_at=started + timedelta(minutes=1), finish_reason="finished", job=job,
                    counts={"list_pages": 2, "new_articles": 1})


def test_runs_shows_worker_and_delivery_and_a_crashed_delivery_keeps_its_job(tmp_path):
    layout = Layout.at(tmp_path)
    t0 = now() - timedelta(minutes=10)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    write_run_event(layout, run_id="r1", site="demo-yanqing", event="start", status="running", started_at=t0,
                    pid=dead.pid, job=_job("crawl-1", 1))
    assert [r.job for r in open_runs(layout)] == [_job("crawl-1", 1)]
    assert [r.run_id for r in mark_crashed(layout)] == ["r1"]
    _run(layout, "r2", "demo-yanqing", t0 + timedelta(minutes=1), "ok", _job("crawl-1", 2, pid=4400))
    out = govnews("runs", "--archive", str(tmp_path), "--format", "json").stdout
    rows = {r["run_id"]: r for r in map(json.loads, out.splitlines())}
    assert rows["r1"]["status"] == "crashed" and rows["r1"]["job_id"] == "crawl-1"
    assert rows["r1"]["job_delivery"] == 1 and rows["r1"]["worker_pid"] == 4321
    assert rows["r2"]["job_delivery"] == 2 and rows["r2"]["worker"] == "w1@host-a"
    table = govnews("runs", "--archive", str(tmp_path)).stdout
    assert "worker" in table.splitlines()[0] and "delivery" in table.splitlines()[0]
    assert "w1@host-a/4400" in table


def test_runs_and_health_read_an_archive_older_than_the_job_columns(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from warehouse.schema import RUNS

    old = pa.schema([f for f in RUNS if f.name not in ("job_id", "job_delivery", "worker", "worker_pid")])
    row = {"run_id": "r0", "site": "demo-yanqing", "event": "end", "status": "ok", "started_at": now(),
           "ended_at": now(), "stats": [], "host": "h", "pid": 1}
    (tmp_path / "runs").mkdir()
    pq.write_table(pa.Table.from_pylist([row], schema=old), tmp_path / "runs" / "r0-demo-yanqing-end.parquet")
    table = govnews("runs", "--archive", str(tmp_path)).stdout
    assert "r0" in table and "delivery" not in table
    assert govnews("health", "--archive", str(tmp_path), "--stale-days", "30", "--site", "demo-yanqing").returncode == 0


def test_health_flags_a_site_whose_last_deliveries_all_failed(tmp_path):
    layout = Layout.at(tmp_path)
    t0 = now() - timedelta(hours=3)
    # demo-haidian: ok, then 3 failed/crashed deliveries; demo-yanqing: 2 failed, then ok
    _run(layout, "h0", "demo-haidian", t0, "ok", _job("j-h0", 1))
    for i, status in enumerate(["failed", "crashed", "failed"], 1):
        _run(layout, f"h{i}", "demo-haidian", t0 + timedelta(minutes=10 * i), status, _job("j-h", i))
    _run(layout, "y1", "demo-yanqing", t0, "failed", _job("j-y", 1))
    _run(layout, "y2", "demo-yanqing", t0 + timedelta(minutes=10), "failed", _job("j-y", 2))
    _run(layout, "y3", "demo-yanqing", t0 + timedelta(minutes=20), "ok", _job("j-y", 3))
    # runs outside the job engine do not count as deliveries
    _run(layout, "c1", "demo-yanqing", t0 + timedelta(minutes=30), "failed")
    proc = govnews("health", "--archive", str(tmp_path), "--stale-days", "30", check=False)
    assert proc.returncode == 1
    failing = [line for line in proc.stderr.splitlines() if "failing:" in line]
    assert failing == ["govnews health: failing: the last 3 job deliveries failed or crashed: demo-haidian"]
    proc = govnews("health", "--archive", str(tmp_path), "--stale-days", "30", "--failed-deliveries", "4",
                   check=False)
    assert "failing:" not in proc.stderr, proc.stderr
