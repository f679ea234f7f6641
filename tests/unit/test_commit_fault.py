"""kill -9 inside the commit step (after write, after fsync, after rename): a file is absent or whole, never torn.

Each trial is a real process that commits Parquet files through warehouse.commit
with ``GOVNEWS_FAULT=commit:<point>@<n>``; the hook SIGKILLs it at that point of
its n-th commit. 10 trials per point.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT
from warehouse.commit import FAULT_POINTS, remove_stale_temps

TRIALS = 10

WRITER = """
import sys
from pathlib import Path
import pyarrow as pa
from warehouse.commit import write_parquet
out = Path(sys.argv[1])
for i in range(int(sys.argv[2])):
    rows = [{"n": j, "text": "延庆区" * 50} for j in range(2000 * (i + 1))]
    write_parquet(pa.table({"n": [r["n"] for r in rows], "text": [r["text"] for r in rows]}),
                  out / f"part-{i:03d}.parquet")
print("done")
"""


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_kill_inside_commit_never_leaves_a_torn_visible_file(tmp_path, point):
    outcomes = {"killed": 0, "visible_files": 0, "temps_left": 0}
    for trial in range(TRIALS):
        out = tmp_path / f"{point}-{trial}"
        out.mkdir()
        nth = trial % 3 + 1  # die in the 1st, 2nd or 3rd commit
        env = {**os.environ, "PYTHONPATH": str(ROOT), "GOVNEWS_FAULT": f"commit:{point}@{nth}"}
        proc = subprocess.run([sys.executable, "-c", WRITER, str(out), "4"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == -signal.SIGKILL, f"trial {trial}: not killed: {proc.returncode} {proc.stderr[-500:]}"
        outcomes["killed"] += 1
        visible = sorted(p.name for p in out.glob("*.parquet"))
        # commits before the n-th are whole; the n-th is visible only once renamed
        want = [f"part-{i:03d}.parquet" for i in range(nth if point == "after_rename" else nth - 1)]
        assert visible == want, f"trial {trial} ({point}@{nth}): visible {visible}"
        for name in visible:
            meta = pq.read_metadata(out / name)
            assert meta.num_rows == 2000 * (int(name[5:8]) + 1)
        duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/*.parquet')").fetchall() if visible else None
        temps = list(out.glob(".*.tmp"))
        assert len(temps) == (0 if point == "after_rename" else 1)
        outcomes["visible_files"] += len(visible)
        outcomes["temps_left"] += len(temps)
        assert remove_stale_temps(out) == temps
        assert not list(out.glob(".*.tmp"))
    assert outcomes["killed"] == TRIALS
    print(f"commit:{point}: {outcomes}")
