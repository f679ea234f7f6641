"""The job engine under faults: Redis restarted mid-run; two workers handed the same site at once."""

from __future__ import annotations

import time

import pytest

from crawler.distributed import jobs
from tests.distributed import cluster
from tests.distributed.conftest import article_urls, assert_whole_archive, crawl_args, enqueue, query, wait_batch

pytestmark = pytest.mark.slow


def test_redis_restarted_mid_run_completes(tmp_path, redis, workers, dist_server):
    server, sites, www = dist_server(3)
    for name in ("w0", "w1"):
        workers.start(name)
    workers.wait_ready()
    archive = tmp_path / "archive"
    client = jobs.client(redis.url)
    batch = enqueue(redis, *crawl_args(archive, sites, server, [cluster.slug(i) for i in range(3)]))
    deadline = time.monotonic() + 120
    while not any(j.get("state") == "running" for j in jobs.batch(client, batch).values()):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    before = jobs.batch(client, batch)
    assert any(j["state"] == "queued" for j in before.values()), before  # jobs still waiting in Redis
    redis.restart(down_seconds=2.0)  # SIGKILL: only the append-only file brings the queue back
    states = wait_batch(client, batch, timeout=200)
    assert {j["state"] for j in states.values()} == {"done"}, states
    rows = query(archive, "SELECT url, count(*) FROM article_versions GROUP BY url")
    assert {u for u, _ in rows} == article_urls(www)
    assert all(n == 1 for _, n in rows)
    assert_whole_archive(archive)
    assert "redis" in (redis.dir / "redis.log").read_text().lower()


def test_same_site_given_to_two_workers_one_crawls_the_other_retries(tmp_path, redis, workers, dist_server):
    server, sites, www = dist_server(1, articles=6)
    for name in ("w0", "w1"):
        workers.start(name)
    workers.wait_ready()
    archive = tmp_path / "archive"
    client = jobs.client(redis.url)
    args = crawl_args(archive, sites, server, [cluster.slug(0)])
    first, second = enqueue(redis, *args), enqueue(redis, *args)
    states = {**wait_batch(client, first, timeout=150), **wait_batch(client, second, timeout=150)}
    assert {j["state"] for j in states.values()} == {"done"}
    # both workers took a job; the one that found the site leased was delivered again later
    assert {j["worker"] for j in states.values()} <= {"w0@test", "w1@test"}
    assert sorted(int(j["deliveries"]) for j in states.values())[-1] >= 2, states
    logs = workers.log("w0") + workers.log("w1")
    assert "is leased to another job: delivered again later" in logs
    # two crawls, one after the other, never side by side; every article once
    runs = query(archive, "SELECT job_id, started_at, ended_at, status, new_articles FROM runs "
                          "WHERE site = ? ORDER BY started_at", [cluster.slug(0)])
    assert [r[3] for r in runs] == ["ok", "ok"], runs
    assert runs[0][2] <= runs[1][1], runs
    assert sorted(r[4] for r in runs) == [0, 6]
    assert {r[0] for r in runs} == set(states)
    rows = query(archive, "SELECT url, count(*) FROM article_versions GROUP BY url")
    assert {u for u, _ in rows} == article_urls(www) and all(n == 1 for _, n in rows)
