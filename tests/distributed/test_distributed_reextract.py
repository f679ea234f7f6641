"""Re-extraction over 3 workers (one job per WARC file) reproduces a single-process re-extraction row for row."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from crawler.distributed import jobs
from tests.distributed import cluster
from tests.distributed.conftest import crawl_args, enqueue, query, wait_batch

pytestmark = pytest.mark.slow

SITES = 3


def _rows(archive):
    # every column but run_id (each re-extraction names its own run)
    return query(archive, "SELECT * EXCLUDE (run_id) FROM article_versions ORDER BY url_key, content_sha256")


def test_distributed_reextract_matches_single_process(tmp_path, redis, workers, dist_server):
    server, sites, www = dist_server(SITES)
    for name in ("w0", "w1", "w2"):
        workers.start(name)
    crawled = tmp_path / "crawled"
    slugs = [cluster.slug(i) for i in range(SITES)]
    subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--progress", "off",
                    *crawl_args(crawled, sites, server, slugs)],
                   cwd=cluster.ROOT, env=cluster.env(redis), check=True, capture_output=True, timeout=300)
    original = _rows(crawled)
    assert len(original) == 4 * SITES
    # two copies with the WARC files and captures, no articles: each re-extraction rebuilds them all
    single, spread = tmp_path / "single", tmp_path / "spread"
    for dest in (single, spread):
        shutil.copytree(crawled, dest)
        shutil.rmtree(dest / "articles")
    subprocess.run([sys.executable, "-m", "crawler.cli", "reextract", "--archive", str(single), "--sites-dir",
                    str(sites), "--workers", "1"], cwd=cluster.ROOT, env=cluster.env(redis), check=True,
                   capture_output=True, timeout=300)
    workers.wait_ready()
    client = jobs.client(redis.url)
    batch = enqueue(redis, "--reextract", "--archive", str(spread), "--sites-dir", str(sites))
    states = wait_batch(client, batch, timeout=200)
    assert len(states) >= SITES  # one job per WARC file
    assert {j["state"] for j in states.values()} == {"done"}, states
    assert len({j["worker"] for j in states.values()}) >= 2  # spread over workers
    assert _rows(spread) == _rows(single)
    assert _rows(single) == original  # same extractor, same pages: the crawl's rows again
    # a second distributed pass adds nothing (every row is already archived)
    again = wait_batch(client, enqueue(redis, "--reextract", "--archive", str(spread), "--sites-dir", str(sites)),
                       timeout=200)
    assert {j["state"] for j in again.values()} == {"done"}
    assert _rows(spread) == _rows(single)
