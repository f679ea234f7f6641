"""govnews enqueue / worker / schedule: refusals (allow-lists) and what lands on the queue."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crawler.distributed import jobs
from crawler.distributed.config import QUEUE, broker_url
from crawler.distributed.lease import Lease
from crawler.output import UsageError
from tests.conftest import ROOT, govnews
from tests.distributed import cluster

HOSTILE_BROKERS = [
    "amqp://127.0.0.1:5672//", "http://127.0.0.1:6379/0", "file:///etc/passwd", "redis://", "redis:///0",
    "redis://127.0.0.1:notaport/0", "redis://127.0.0.1:6379/0 --flag", "sqla+sqlite:///x.db", "memory://",
    "../../redis", "redis://127.0.0.1:6379/0\n", "",
]


def _tree(path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*")) if path.exists() else []


@pytest.mark.parametrize("broker", HOSTILE_BROKERS)
def test_broker_url_is_an_allow_list(broker):
    with pytest.raises(UsageError):
        broker_url(broker)


def test_broker_url_accepts_redis_urls():
    for url in ("redis://127.0.0.1:6379/0", "rediss://queue.example:6380/1", "redis://:pw@host/0",
                "redis+socket:///run/redis/redis.sock"):
        assert broker_url(url) == url


@pytest.mark.parametrize("broker", ["amqp://127.0.0.1:5672//", "redis://127.0.0.1:6379/0 --flag", ""])
def test_enqueue_and_worker_refuse_a_broker_that_is_not_redis(tmp_path, broker):
    archive = tmp_path / "archive"
    before = _tree(tmp_path)
    env = {"GOVNEWS_BROKER": ""}
    for cmd in (["enqueue", "--broker", broker, "--archive", str(archive), "--site", "demo-haidian"],
                ["worker", "--broker", broker]):
        proc = govnews(*cmd, env=env, check=False, timeout=60)
        assert proc.returncode == 2, (cmd, proc.stderr)
        assert proc.stderr.startswith("govnews: ") and proc.stderr.count("\n") == 1, proc.stderr
        assert "Traceback" not in proc.stderr
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("args", [["--site", "no-such-site"], [],
                                  ["--site", "demo-haidian", "--since", "2020-13-01"],
                                  ["--reextract", "--site", "demo-haidian"], ["--reextract", "--batch-files", "0"],
                                  ["--site", "demo-haidian", "-s", "NOEQUALS"]])
def test_enqueue_refuses_bad_input_and_queues_nothing(tmp_path, redis, args):
    proc = govnews("enqueue", "--broker", redis.url, "--archive", str(tmp_path / "a"), *args, check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    client = jobs.client(redis.url)
    assert client.llen(QUEUE) == 0 and not client.keys("govnews:*")
    assert not (tmp_path / "a").exists()


def test_worker_refuses_bad_settings(tmp_path):
    for env in ({"GOVNEWS_JOB_VISIBILITY_SECONDS": "60", "GOVNEWS_JOB_MAX_SECONDS": "120"},
                {"GOVNEWS_LEASE_SECONDS": "soon"}, {"GOVNEWS_LEASE_SECONDS": "0"}):
        proc = govnews("worker", "--broker", "redis://127.0.0.1:1/0", env=env, check=False, timeout=60)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    proc = govnews("worker", "--broker", "redis://127.0.0.1:1/0", "--name", "a b;c", check=False, timeout=60)
    assert proc.returncode == 2 and "--name" in proc.stderr


def test_schedule_with_a_broker_enqueues_instead_of_crawling(tmp_path, redis):
    archive = tmp_path / "archive"
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "schedule", "0 0 1 1 *", "--run-now", "--max-runs",
                           "1", "--broker", redis.url, "--archive", str(archive), "--site", "demo-haidian,demo-yanqing"],
                          cwd=ROOT, env=cluster.env(redis), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    client = jobs.client(redis.url)
    assert client.llen(QUEUE) == 2  # one job per site, waiting for a worker
    batch = client.keys("govnews:batch:*")
    assert len(batch) == 1
    states = jobs.batch(client, batch[0].split(":", 2)[2])
    assert sorted(j["target"] for j in states.values()) == ["demo-haidian", "demo-yanqing"]
    assert {j["state"] for j in states.values()} == {"queued"}
    assert not (archive / "runs").exists()  # nothing crawled here


def test_lease_is_released_only_by_its_holder_and_expires(redis):
    import time

    client = jobs.client(redis.url)
    a = Lease(client, "govnews:lease:site:x", 1.0)
    b = Lease(client, "govnews:lease:site:x", 1.0)
    assert a.acquire() and not b.acquire()
    assert b.holder()["token"] == a.holder()["token"]
    assert not b.release()  # compare-and-delete: not b's lease
    assert a.renew()
    time.sleep(1.5)  # not renewed: expired
    assert not a.renew()
    assert b.acquire()
    assert not a.release()  # a's lease expired and went to b: a never removes b's
    assert client.get("govnews:lease:site:x") == b.value
    assert b.release() and client.get("govnews:lease:site:x") is None
    c = Lease(client, "govnews:lease:site:y", 1.0)
    assert c.acquire()
    lost = []
    c.keep(lost.append)
    time.sleep(2.5)
    assert not lost and client.pttl("govnews:lease:site:y") > 0  # renewed past its ttl
    client.delete("govnews:lease:site:y")  # gone (e.g. expired while Redis was away): c finds out
    deadline = time.monotonic() + 5
    while not lost and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lost and c.lost
    assert c.release() is False
