"""A crawl onto a disk that fills up: it stops, says so in one line per site, exits 1, and leaves its runs
marked ``failed`` (not ``running``) with every article it counted committed (issue 12, section 3).

The archive lives on a real small tmpfs (:mod:`tests.fsfixtures`); the demo sites take ~1.1 MB.
"""

from __future__ import annotations

import pytest

from tests.conftest import govnews
from tests.fsfixtures import mount  # noqa: F401 - a fixture
from warehouse.db import connect
from warehouse.layout import Layout

pytestmark = pytest.mark.slow
SITES = ("demo-haidian", "demo-yanqing")


def _crawl(archive, server, min_free_mb: str):
    args = ["crawl", "--archive", str(archive), "--via", server.url, "--log-level", "WARNING"]
    for s in SITES:
        args += ["--site", s]
    return govnews(*args, "-s", f"GOVNEWS_MIN_FREE_MB={min_free_mb}", check=False)


def _runs(archive):
    return connect(Layout.at(archive)).execute(
        "SELECT site, status, finish_reason, new_articles, exit_code FROM runs ORDER BY site").fetchall()


def test_the_disk_guard_stops_the_crawl_before_the_disk_is_full(fixture_server, mount):
    archive = mount("1100k") / "archive"
    proc = _crawl(archive, fixture_server, "0.7")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    lines = [ln for ln in proc.stderr.splitlines() if "disk full" in ln]
    assert len(lines) == len(SITES) and all(str(archive) in ln and "stopping the crawl" in ln for ln in lines)
    runs = _runs(archive)
    assert [(s, st, r, code) for s, st, r, _, code in runs] == [(s, "failed", "disk_full", 1) for s in SITES]
    con = connect(Layout.at(archive))
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == sum(r[3] for r in runs) > 0
    assert not list((archive / "state").glob("reserve-*"))  # the end events' reserves are given back


def test_a_disk_filled_past_the_guard_still_ends_every_run(fixture_server, mount):
    """Guard off (as when another program fills the disk): writes fail, and the end events are written
    into the room each run set aside at its start."""
    archive = mount("600k") / "archive"
    proc = _crawl(archive, fixture_server, "0")
    assert proc.returncode == 1
    runs = _runs(archive)
    assert [r[0] for r in runs] == list(SITES)
    assert all(st in ("failed", "partial") for _, st, _, _, _ in runs) and "disk_full" in {r[2] for r in runs}
