"""The archive opens as it is in pandas, pyarrow, polars, DuckDB (and Spark when present), without govnews.

The archive is made by a real crawl of the two demo fixture sites, plus an edit of three
articles committed through the real writer (so the latest-version recipe has work to do).
Each tool reads the table folders with no option at all, and must count what govnews'
own views count; the README's latest-version recipe must give the ``articles`` count.
The same holds during compaction's grace period and for an archive written in the old
layout once ``govnews compact`` has run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import crawl, govnews, start_fixture_server
from warehouse.db import connect
from warehouse.layout import Layout
from warehouse.writer import PartitionedWriter, month_of

pytestmark = pytest.mark.slow

SITES = ("demo-haidian", "demo-yanqing")
EDITED = 3


def _edit_some(archive: Path) -> None:
    """Three articles get a second version, a day later, through the real writer."""
    con = connect(Layout.at(archive))
    cur = con.execute("SELECT * FROM articles ORDER BY url LIMIT ?", [EDITED])
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    con.close()
    w = PartitionedWriter(Layout.at(archive), "articles", "20990101T000000Z-edit0000")
    for r in rows:
        r.update(body_text=r["body_text"] + "（修订）", content_sha256="0" * 64,
                 fetched_at=r["fetched_at"] + timedelta(days=1), run_id="20990101T000000Z-edit0000",
                 meta=list((r["meta"] or {}).items()) if isinstance(r["meta"], dict) else r["meta"])
        w.add(r, month_of(r["published_at"], r["fetched_at"]))
    w.flush()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    from crawler.demo.server import DEMO_ROOT

    tmp = tmp_path_factory.mktemp("everywhere")
    shutil.copytree(DEMO_ROOT, tmp / "www")
    server = start_fixture_server(tmp / "www", tmp / "requests.jsonl")
    archive = tmp / "archive"
    try:
        crawl(archive, server, *SITES)
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    _edit_some(archive)
    return archive


def govnews_counts(archive: Path) -> dict[str, int]:
    con = connect(Layout.at(archive))
    try:
        return {
            "versions": con.execute("SELECT count(*) FROM article_versions").fetchone()[0],
            "latest": con.execute("SELECT count(*) FROM articles").fetchone()[0],
            "captures": con.execute("SELECT count(*) FROM captures").fetchone()[0],
            "runs": con.execute("SELECT count(*) FROM read_parquet(?)",
                                [str(archive / "runs" / "*.parquet")]).fetchone()[0],
        }
    finally:
        con.close()


# ------------------------------------------------------------------ the readers, with no govnews code

def _pandas(archive: Path) -> dict:
    arts = pd.read_parquet(archive / "articles")
    latest = arts.sort_values(["fetched_at", "run_id"]).drop_duplicates("url_key", keep="last")  # README recipe
    return {"versions": len(arts), "latest": len(latest), "captures": len(pd.read_parquet(archive / "captures")),
            "runs": len(pd.read_parquet(archive / "runs")), "sites": sorted(arts["site"].astype(str).unique())}


def _pyarrow(archive: Path) -> dict:
    arts = pq.read_table(archive / "articles")
    return {"versions": arts.num_rows, "captures": pq.read_table(archive / "captures").num_rows,
            "runs": pq.read_table(archive / "runs").num_rows,
            "sites": sorted(set(arts.column("site").cast(pa.string()).to_pylist()))}


def _polars(archive: Path) -> dict:
    arts = pl.read_parquet(archive / "articles")
    latest = arts.sort("fetched_at", "run_id").unique("url_key", keep="last")  # README recipe
    return {"versions": arts.height, "latest": latest.height,
            "captures": pl.read_parquet(archive / "captures").height, "runs": pl.read_parquet(archive / "runs").height,
            "sites": sorted(arts["site"].unique().to_list())}


def _duckdb(archive: Path) -> dict:
    con = duckdb.connect()
    glob = f"{archive}/articles/**/*.parquet"
    one = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
    out = {
        "versions": one(f"SELECT count(*) FROM '{glob}'"),
        # README recipe
        "latest": one(f"SELECT count(*) FROM (SELECT * FROM '{glob}' QUALIFY row_number() OVER "
                      "(PARTITION BY url_key ORDER BY fetched_at DESC, run_id DESC) = 1)"),
        "captures": one(f"SELECT count(*) FROM '{archive}/captures/**/*.parquet'"),
        "runs": one(f"SELECT count(*) FROM '{archive}/runs/*.parquet'"),
        "sites": [s for (s,) in con.execute(f"SELECT DISTINCT site FROM '{glob}' ORDER BY 1").fetchall()],
    }
    con.close()
    return out


READERS = {"pandas": _pandas, "pyarrow": _pyarrow, "polars": _polars, "duckdb": _duckdb}


def check_every_reader(archive: Path) -> dict[str, int]:
    want = govnews_counts(archive)
    for name, read in READERS.items():
        got = read(archive)
        assert got.pop("sites") == list(SITES), name
        assert got == {k: want[k] for k in got}, f"{name} reads {got}, govnews {want}"
    return want


def test_every_tool_reads_the_archive_as_it_is(crawled):
    want = check_every_reader(crawled)
    assert want["versions"] == want["latest"] + EDITED and want["latest"] > 20


def test_no_row_twice_in_a_plain_read_during_compactions_grace_period(tmp_path, crawled):
    archive = tmp_path / "archive"
    shutil.copytree(crawled, archive)
    before = govnews_counts(archive)
    govnews("compact", "--archive", str(archive), "--grace", "3600")
    assert list((archive / "trash").rglob("*.parquet")), "nothing was compacted: the test proves nothing"
    assert check_every_reader(archive) == before


def _legacy_copy(src: Path, dest: Path) -> None:
    """The archive as the old writers left it: every partitioned file also holds ``site``."""
    shutil.copytree(src, dest)
    for table in ("articles", "captures"):
        for p in (dest / table).rglob("*.parquet"):
            data = pq.ParquetFile(p).read()
            site = p.parent.parent.name.split("=", 1)[1]
            data = data.add_column(2, "site", pa.array([site] * data.num_rows, pa.string()))
            p.unlink()
            pq.write_table(data, p)


def test_an_old_layout_archive_reads_in_govnews_and_compact_migrates_it(tmp_path, crawled):
    want = govnews_counts(crawled)
    old = tmp_path / "old"
    _legacy_copy(crawled, old)
    assert govnews_counts(old) == want  # govnews reads the old layout as it is
    with pytest.raises(pa.ArrowTypeError):  # what users met: the column and the folder clash
        pd.read_parquet(old / "articles")
    proc = govnews("compact", "--archive", str(old), "--grace", "0")
    assert proc.returncode == 0
    for table in ("articles", "captures"):
        assert not any("site" in pq.read_schema(p).names for p in (old / table).rglob("*.parquet")), table
    assert check_every_reader(old) == want
    # a second run has nothing left to migrate
    files = sorted(p.name for p in (old / "articles").rglob("*.parquet"))
    govnews("compact", "--archive", str(old), "--grace", "0")
    assert sorted(p.name for p in (old / "articles").rglob("*.parquet")) == files


SPARK_SCRIPT = """
import json, sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
root = sys.argv[1]
arts = spark.read.parquet(root + "/articles")
out = {"versions": arts.count(), "captures": spark.read.parquet(root + "/captures").count(),
       "runs": spark.read.parquet(root + "/runs").count(),
       "sites": sorted(r[0] for r in arts.select("site").distinct().collect())}
print("RESULT " + json.dumps(out))
spark.stop()
"""


def _spark_python() -> str | None:
    """A Python that has pyspark: this one, or ``$GOVNEWS_SPARK_PYTHON`` (pyspark is ~450 MB: not a test dependency)."""
    try:
        import pyspark  # noqa: F401

        return sys.executable
    except ImportError:
        return os.environ.get("GOVNEWS_SPARK_PYTHON") or None


def test_spark_reads_the_archive_as_it_is(crawled):
    python = _spark_python()
    if python is None or shutil.which("java") is None:
        pytest.skip("Spark not here: needs pyspark (or GOVNEWS_SPARK_PYTHON) and java on PATH")
    proc = subprocess.run([python, "-c", SPARK_SCRIPT, str(crawled)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYSPARK_PYTHON": python})
    line = next((s for s in proc.stdout.splitlines() if s.startswith("RESULT ")), None)
    assert line, proc.stderr[-3000:]
    got = json.loads(line[len("RESULT "):])
    assert got.pop("sites") == list(SITES)
    want = govnews_counts(crawled)
    assert got == {k: want[k] for k in got}
