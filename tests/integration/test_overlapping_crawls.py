"""Two crawls of one site that overlap store every article twice; no version is visible twice.

The job engine keeps one crawl per site, but a lease that expired under a slow
worker (or a ``govnews crawl`` beside the workers) lets two run at once. Here
both ignore the archive (``--full``), as two crawls that started before either
stored anything do, and run side by side (different locks: ``--lock site`` and
``--lock archive``).
"""

from __future__ import annotations

import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT, expected
from tests.distributed.conftest import query

pytestmark = pytest.mark.slow

SITE = "demo-yanqing"


def test_overlapping_crawls_show_each_version_once(tmp_path, fixture_server, archive):
    base = [sys.executable, "-m", "crawler.cli", "crawl", "--archive", str(archive), "--via", fixture_server.url,
            "--log-level", "WARNING", "--progress", "off", "--site", SITE, "--full", "-s", "EXTRACT_WORKERS=1"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen(base + ["--lock", lock], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for lock in ("site", "archive")]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-3000:]
    stored = [u for f in sorted((archive / "articles").rglob("*.parquet"))
              for u in pq.read_table(f, columns=["url"]).column("url").to_pylist()]
    n = len(set(stored))
    assert n == len(expected(SITE)["articles"])
    assert len(stored) == 2 * n  # both crawls stored every article
    versions = query(archive, "SELECT url, count(*) FROM article_versions GROUP BY url")
    assert len(versions) == n and all(c == 1 for _, c in versions)
    assert query(archive, "SELECT count(*) FROM articles")[0][0] == n
    # the same through a connection that ranks in each query, and one handed another's ranking
    from warehouse.db import connect, snapshot, superseded_rows
    from warehouse.layout import Layout

    lazy = connect(Layout.at(archive), rank_once=False)
    files = snapshot(Layout.at(archive))  # a ranking is handed on within one snapshot (its pinned paths)
    given = connect(Layout.at(archive), files=files,
                    superseded=superseded_rows(connect(Layout.at(archive), files=files)))
    for con in (lazy, given):
        assert con.execute("SELECT count(*), count(DISTINCT url) FROM article_versions").fetchone() == (n, n)
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (n,)
    # the copy that stands for a version is the one `articles` shows
    assert query(archive, "SELECT count(*) FROM articles a SEMI JOIN article_versions v "
                          "ON a.url_key = v.url_key AND a.run_id = v.run_id")[0][0] == n
    # two crawls ran, both ok
    runs = query(archive, "SELECT count(DISTINCT run_id) FROM runs WHERE status = 'ok'")
    assert runs[0][0] == 2
