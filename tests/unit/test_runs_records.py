"""Run records: crashed runs found by pid, health flags a site that went quiet (exit 1)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.conftest import govnews
from tests.reliability.conftest import query
from warehouse.layout import Layout
from warehouse.runs import mark_crashed, now, open_runs, pid_alive, write_run_event
from warehouse.schema import TZ


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_run_left_running_by_a_dead_process_is_marked_crashed_once(tmp_path):
    layout = Layout.at(tmp_path)
    t0 = now() - timedelta(minutes=5)
    dead = _dead_pid()
    write_run_event(layout, run_id="r-dead", site="demo-yanqing", event="start", status="running",
                    started_at=t0, pid=dead)
    # a live process (this one's parent) that started before the run: not crashed
    write_run_event(layout, run_id="r-live", site="demo-yanqing", event="start", status="running",
                    started_at=now(), pid=__import__("os").getppid())
    # another host's run cannot be judged by pid
    write_run_event(layout, run_id="r-other", site="demo-yanqing", event="start", status="running",
                    started_at=t0, pid=dead, host="some-other-host")
    assert not pid_alive(dead)
    assert {r.run_id for r in open_runs(layout)} == {"r-dead", "r-live", "r-other"}
    assert [r.run_id for r in mark_crashed(layout)] == ["r-dead"]
    assert mark_crashed(layout) == []
    rows = dict(query(tmp_path, "SELECT run_id, status FROM runs"))
    assert rows == {"r-dead": "crashed", "r-live": "running", "r-other": "running"}


def _run(layout, run_id, site, started, *, status="ok", new=0, lists=2, blocked=0, errors=0):
    write_run_event(layout, run_id=run_id, site=site, event="start", status="running", started_at=started)
    write_run_event(layout, run_id=run_id, site=site, event="end", status=status, started_at=started,
                    ended_at=started + timedelta(minutes=1), finish_reason="finished",
                    counts={"list_pages": lists, "article_pages": new, "new_articles": new, "blocked": blocked,
                            "errors": errors})


def test_health_flags_a_site_whose_lists_answer_but_yield_nothing(tmp_path):
    layout = Layout.at(tmp_path)
    t = now()
    # quiet: new articles 20 days ago, then daily runs that fetch list pages and find nothing
    _run(layout, "q0", "quiet-site", t - timedelta(days=20), new=5)
    for d in range(10, 0, -1):
        _run(layout, f"q{d}", "quiet-site", t - timedelta(days=d), blocked=1)
    # busy: new articles yesterday and today
    _run(layout, "b0", "busy-site", t - timedelta(days=9), new=4)
    _run(layout, "b1", "busy-site", t - timedelta(days=1), new=2, errors=3)
    # "today" is a day in the archive's time zone (warehouse.schema.TZ), as health counts it: halfway
    # between its midnight and now (an hour ago would be yesterday there between 16:00 and 17:00 UTC)
    midnight = t.astimezone(ZoneInfo(TZ)).replace(hour=0, minute=0, second=0, microsecond=0)
    _run(layout, "b2", "busy-site", midnight + (t - midnight) / 2, new=1)
    proc = govnews("health", "--archive", str(tmp_path), "--format", "json", "--stale-days", "7", check=False)
    assert proc.returncode == 1, proc.stderr
    assert "quiet-site" in proc.stderr and "busy-site" not in proc.stderr
    report = {r["site"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert report["quiet-site"]["stale"] is True and report["busy-site"]["stale"] is False
    assert sum(report["busy-site"]["new_per_day"]) == 7 and len(report["busy-site"]["new_per_day"]) == 14
    assert report["busy-site"]["new_per_day"][-1] == 1
    assert report["busy-site"]["errors_14d"] == 3 and report["quiet-site"]["blocked_14d"] == 10
    assert report["quiet-site"]["days_since_new"] == 20
    # a longer window: nobody is stale yet
    ok = govnews("health", "--archive", str(tmp_path), "--stale-days", "30", "--site", "quiet-site,busy-site",
                 check=False)  # the registry's sites would be never_crawled
    assert ok.returncode == 0, ok.stderr
    assert "STALE" not in ok.stdout and "quiet-site" in ok.stdout
    runs = govnews("runs", "--archive", str(tmp_path), "--format", "json", "--limit", "3")
    got = [json.loads(line) for line in runs.stdout.splitlines()]
    assert [r["run_id"] for r in got] == ["b2", "q1", "b1"]  # same start: run_id breaks the tie
    assert got[0]["status"] == "ok"
