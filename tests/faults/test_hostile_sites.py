"""Whole sites that will not be crawled: a wall of challenges, robots.txt Disallow: /, a dead host.

One ``govnews crawl`` of the three ends with a per-site summary on stderr (no traceback), the wall's
crawl stops after GOVNEWS_BLOCKED_STOP_AFTER (3) challenge pages with finish reason ``blocked``, and
nothing is stored. The robots and dead sites fetched no list page: their runs end ``failed``
(``robots_disallowed``, ``unreachable``) with one line each, and ``health`` flags all three.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.faults.conftest import ROOT, RUN_BOUND_S, SITES_DIR, Crawl
from tests.faults.server import WALL_ARTICLES

pytestmark = pytest.mark.slow

SITES = ("faults-wall", "faults-robots", "faults-dead")


@pytest.fixture(scope="module")
def hostile(fault_server, tmp_path_factory):
    archive = tmp_path_factory.mktemp("hostile") / "archive"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--archive", str(archive), "--via", fault_server.url,
         "--sites-dir", str(SITES_DIR), "-s", f"GOVNEWS_SITES_DIRS={SITES_DIR}", "--site", ",".join(SITES),
         "--log-level", "WARNING", "--progress", "off"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=180)
    return Crawl(archive=archive, proc=proc, seconds=time.monotonic() - started, log=archive / "none"), fault_server


def test_summary_not_traceback(hostile):
    crawl, _ = hostile
    assert crawl.seconds < RUN_BOUND_S
    assert crawl.proc.returncode == 1  # the wall's crawl did not finish
    assert "Traceback" not in crawl.proc.stderr
    summary = [line for line in crawl.proc.stderr.splitlines() if line.startswith(SITES)]
    assert {line.split()[0] for line in summary} == set(SITES), crawl.proc.stderr[-3000:]
    assert any(line.startswith("faults-wall") and line.rstrip().endswith("blocked") for line in summary)
    failed = [line for line in crawl.proc.stderr.splitlines() if line.startswith("govnews: crawl of")]
    # robots.txt and the one list page of the dead host: each a connection closed before any answer
    assert failed == [
        "govnews: crawl of faults-robots failed: robots_disallowed, no list page fetched (1 robots_disallowed)",
        "govnews: crawl of faults-dead failed: unreachable, no list page fetched (2 connection_error)",
    ], crawl.proc.stderr[-3000:]


def test_wall_backs_off_and_stores_nothing(hostile):
    crawl, server = hostile
    finish = dict(crawl.rows("SELECT site, finish_reason FROM runs"))
    assert finish == {"faults-wall": "blocked", "faults-robots": "robots_disallowed", "faults-dead": "unreachable"}
    status = dict(crawl.rows("SELECT site, status FROM runs"))
    assert status == {"faults-wall": "partial", "faults-robots": "failed", "faults-dead": "failed"}
    stats = crawl.stats("faults-wall")
    assert int(stats["govnews/outcome/blocked"]) >= 3
    assert stats["govnews/blocked/stopped"] == "1"
    fetched = [r for r in server.requests() if r["host"].startswith("wall.") and r["path"].startswith("/wall/a-")]
    assert 3 <= len(fetched) < WALL_ARTICLES
    assert crawl.rows("SELECT count(*) FROM articles")[0][0] == 0


def test_robots_disallow_and_dead_host_are_classified(hostile):
    crawl, server = hostile
    robots = crawl.stats("faults-robots")
    assert int(robots["govnews/outcome/robots_disallowed"]) >= 1
    assert not [r for r in server.requests() if r["host"].startswith("robots.") and r["path"] != "/robots.txt"]
    dead = crawl.stats("faults-dead")
    assert int(dead["govnews/outcome/connection_error"]) >= 1


def test_health_flags_each_site_with_its_reason(hostile):
    crawl, _ = hostile
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "health", "--archive", str(crawl.archive), "--sites-dir", str(SITES_DIR),
         "--site", ",".join(SITES), "--format", "json"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    health = {r["site"]: r["health"] for r in map(json.loads, proc.stdout.splitlines())}
    assert health == {"faults-wall": "blocked", "faults-robots": "robots_disallowed", "faults-dead": "unreachable"}
    lines = [line for line in proc.stderr.strip().splitlines()  # the fault sites share one host on purpose
             if not line.startswith("govnews: warning: host faults.govnews.test is listed by sites")]
    assert lines == [
        "govnews health: 3 site(s) flagged: blocked: faults-wall; robots_disallowed: faults-robots; "
        "unreachable: faults-dead"]
