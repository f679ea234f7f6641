"""Many sites over 3 real workers (real redis-server, real crawls over loopback), with workers killed.

The issue asks for 30 sites; on the 2-core CI machine (shared) each crawl
subprocess takes several seconds of wall time, so the test uses
``GOVNEWS_TEST_DIST_SITES`` sites (default 10) to stay within its time budget;
``make bench-distributed`` runs 30.
"""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from crawler.distributed import jobs
from tests.distributed import cluster
from tests.distributed.conftest import (article_urls, assert_whole_archive, crawl_args, enqueue, query,
                                        wait_batch)

pytestmark = pytest.mark.slow

N_SITES = int(os.environ.get("GOVNEWS_TEST_DIST_SITES", "10"))
KILLS = 5


def _running(states: dict[str, dict]) -> list[tuple[str, dict]]:
    return sorted((k, j) for k, j in states.items() if j.get("state") == "running" and j.get("worker_pid"))


def test_sites_archived_exactly_once_with_workers_killed(tmp_path, redis, workers, dist_server):
    seed = int(os.environ.get("GOVNEWS_TEST_SEED") or random.SystemRandom().randrange(1 << 30))
    print(f"kill moments seed: {seed} (rerun with GOVNEWS_TEST_SEED={seed})")
    rng = random.Random(seed)
    server, sites, www = dist_server(N_SITES)
    names = [f"w{i}" for i in range(3)]
    for name in names:
        workers.start(name)
    workers.wait_ready()
    archive = tmp_path / "archive"
    slugs = [cluster.slug(i) for i in range(N_SITES)]
    client = jobs.client(redis.url)
    batch = enqueue(redis, *crawl_args(archive, sites, server, slugs))

    # 5 random moments: after a random pause, kill -9 the worker process running a random job
    # (its crawl child dies with it). The 3rd kill takes a whole worker (main process and pool),
    # as when a machine dies, and a replacement worker starts (systemd's Restart=always).
    killed: dict[str, str] = {}
    killed_pids: set[int] = set()
    whole = 2
    while len(killed_pids) < KILLS:
        k = len(killed_pids)
        time.sleep(rng.uniform(0.5, 4.0))
        deadline = time.monotonic() + 120
        # a job whose process was killed reads "running" until it is delivered again: not a target
        while not (running := [(j_id, j) for j_id, j in _running(jobs.batch(client, batch))
                               if int(j["worker_pid"]) not in killed_pids]):
            assert time.monotonic() < deadline, "no job running to kill"
            time.sleep(0.1)
        job_id, job = rng.choice(running)
        pid = int(job["worker_pid"])
        if k == whole:
            name = job["worker"].split("@")[0]
            os.killpg(workers.procs[name].pid, signal.SIGKILL)
            workers.procs[name].wait()
            workers.start(f"{name}b")
            print(f"kill {k + 1}: worker {name} whole (job {job_id}, {job['target']})")
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # its job ended in between: another moment
                continue
            print(f"kill {k + 1}: pool process {pid} of {job['worker']} (job {job_id}, {job['target']})")
        killed_pids.add(pid)
        killed[job_id] = job["target"]

    states = wait_batch(client, batch, timeout=240)
    assert {j["state"] for j in states.values()} == {"done"}, states
    for job_id in killed:
        assert int(states[job_id]["deliveries"]) >= 2, (job_id, states[job_id])

    # every killed job delivered again and finished: a later delivery's run ended ok
    runs = query(archive, "SELECT job_id, job_delivery, status, worker, worker_pid FROM runs WHERE job_id IS NOT NULL")
    ok = {(r[0]) for r in runs if r[2] == "ok"}
    assert set(states) <= ok, set(states) - ok
    redelivered_ok = {r[0] for r in runs if r[2] == "ok" and r[1] >= 2}
    assert set(killed) <= redelivered_ok, (killed, runs)
    assert all(r[3] and r[4] for r in runs)

    # every article exactly once
    expected = article_urls(www)
    assert len(expected) == 4 * N_SITES
    rows = query(archive, "SELECT url, count(*) FROM article_versions GROUP BY url")
    assert {u for u, _ in rows} == expected
    assert all(n == 1 for _, n in rows), [r for r in rows if r[1] != 1]
    assert query(archive, "SELECT count(*) FROM articles")[0][0] == len(expected)
    assert_whole_archive(archive)
