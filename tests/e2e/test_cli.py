"""The ``govnews`` commands as a user runs them, each in a subprocess."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import expected, govnews

pytestmark = pytest.mark.slow

N_DEMO = len(expected("demo-haidian")["articles"]) + len(expected("demo-yanqing")["articles"])


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory):
    archive = tmp_path_factory.mktemp("demo") / "archive"
    first = govnews("demo", "--archive", str(archive))
    second = govnews("demo", "--archive", str(archive))
    return archive, first, second


def test_demo_prints_both_tables_and_is_incremental(demo_archive):
    archive, first, second = demo_archive
    assert "Articles per column per month" in first.stdout and "Five newest articles" in first.stdout
    assert "区政要闻" in first.stdout
    # the second demo run adds nothing: still one row per article
    out = govnews("query", "SELECT count(*) AS n, count(DISTINCT url_key) AS k FROM article_versions",
                  "--archive", str(archive), "--format", "json")
    row = json.loads(out.stdout)
    assert row == {"n": N_DEMO, "k": N_DEMO}
    assert "Five newest articles" in second.stdout


def test_query_formats_and_env_archive(demo_archive):
    archive, _, _ = demo_archive
    sql = "SELECT site, count(*) AS n FROM articles GROUP BY site ORDER BY site"
    table = govnews("query", sql, "--archive", str(archive)).stdout
    assert "demo-haidian" in table and "(2 rows)" in table
    rows = list(csv.reader(io.StringIO(govnews("query", sql, "--archive", str(archive), "--format", "csv").stdout)))
    assert rows[0] == ["site", "n"] and len(rows) == 3
    by_env = govnews("query", sql, "--format", "json", env={"GOVNEWS_ARCHIVE": str(archive)}).stdout
    counts = {json.loads(line)["site"]: json.loads(line)["n"] for line in by_env.splitlines()}
    assert counts == {s: len(expected(s)["articles"]) for s in ("demo-haidian", "demo-yanqing")}


@pytest.mark.parametrize("sql", [
    "COPY (SELECT 1) TO '/tmp/govnews-evil.csv'",
    "SELECT 1; SELECT 2",
    "SELECT * FROM read_csv('/etc/passwd')",
    "ATTACH '/tmp/x.duckdb'",
    "SET memory_limit = '100GB'",
])
def test_query_refuses_what_is_not_one_select(demo_archive, sql):
    archive, _, _ = demo_archive
    proc = govnews("query", sql, "--archive", str(archive), check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and proc.stderr.startswith("govnews: ")


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_round_trip(demo_archive, tmp_path, fmt):
    archive, _, _ = demo_archive
    out = tmp_path / f"export-{fmt}"
    govnews("export", "--archive", str(archive), "--format", fmt, "--out", str(out))
    assert (out / "README.md").is_file()  # the dataset card; the data files are in data/
    files = sorted((out / "data").iterdir())
    assert [f.suffix for f in files] == [{"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}[fmt]]
    if fmt == "parquet":
        table = pq.read_table(files[0])
        assert table.num_rows == N_DEMO
        urls = duckdb.sql(f"SELECT url FROM read_parquet('{files[0]}')").fetchall()
    elif fmt == "csv":
        urls = [(r["url"],) for r in csv.DictReader(files[0].open(encoding="utf-8"))]
    else:
        urls = [(json.loads(line)["url"],) for line in files[0].read_text(encoding="utf-8").splitlines()]
    assert len(urls) == N_DEMO == len(set(urls))
    # an existing --out is refused without --overwrite
    again = govnews("export", "--archive", str(archive), "--format", fmt, "--out", str(out), check=False)
    assert again.returncode == 2 and "exists" in again.stderr


def test_sites_lists_registry():
    out = govnews("sites", "--format", "json").stdout
    sites = {json.loads(line)["slug"]: json.loads(line) for line in out.splitlines()}
    assert len([s for s in sites if s.startswith("beijing-")]) == 16
    assert sites["beijing-haidian"]["admin_code"] == "110108"
    assert sites["demo-haidian"]["note"].startswith("demo: Demo fixture")
    assert sites["beijing-shunyi"]["verified"] == "no" and "robots.txt" in sites["beijing-shunyi"]["note"]


def test_unknown_site_is_a_clear_usage_error(tmp_path):
    proc = govnews("crawl", "--site", "nowhere", "--archive", str(tmp_path / "a"), check=False)
    assert proc.returncode == 2 and "unknown site" in proc.stderr and "Traceback" not in proc.stderr


def test_scrapy_crawl_command_does_the_same(tmp_path, fixture_server):
    """`scrapy crawl district_news -a site=SLUG` through Scrapy's own command line."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    archive = tmp_path / "scrapy-archive"
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "district_news", "-a", "site=demo-yanqing",
         "-s", f"GOVNEWS_ARCHIVE={archive}", "-s", f"GOVNEWS_VIA={fixture_server.url}",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    n = duckdb.sql(f"SELECT count(DISTINCT url) FROM read_parquet('{archive}/articles/*/*/*.parquet')").fetchall()[0][0]
    assert n == len(expected("demo-yanqing")["articles"])
