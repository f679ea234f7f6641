"""Fixtures for the job-engine tests: redis-server, fixture sites, workers, run-record readers."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import start_fixture_server
from tests.distributed import cluster

if shutil.which("redis-server") is None:
    pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run installs it)",
                allow_module_level=True)


@pytest.fixture
def redis(tmp_path):
    server = cluster.Redis(tmp_path / "redis").start()
    yield server
    server.stop()


class Workers:
    def __init__(self, redis: cluster.Redis, logs: Path) -> None:
        self.redis, self.logs = redis, logs
        self.procs: dict[str, subprocess.Popen] = {}
        logs.mkdir(parents=True, exist_ok=True)

    def start(self, name: str, **extra: str) -> subprocess.Popen:
        self.procs[name] = cluster.start_worker(self.redis, f"{name}@test", self.logs / f"{name}.log", **extra)
        return self.procs[name]

    def wait_ready(self, names: list[str] | None = None, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        for name in names or list(self.procs):
            log = self.logs / f"{name}.log"
            while b" ready." not in (log.read_bytes() if log.exists() else b""):
                assert self.procs[name].poll() is None, f"worker {name} exited: {log.read_text()[-3000:]}"
                assert time.monotonic() < deadline, f"worker {name} not ready: {log.read_text()[-3000:]}"
                time.sleep(0.1)

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def stop_all(self, graceful: bool = False) -> None:
        for proc in self.procs.values():
            cluster.stop_worker(proc, graceful=graceful)


@pytest.fixture
def workers(redis, tmp_path):
    w = Workers(redis, tmp_path / "workers")
    yield w
    w.stop_all()


@pytest.fixture
def dist_server(tmp_path):
    """``(fixture server, sites dir, www root)`` over generated small sites; ``build(n)`` first."""
    state = {}

    def build(n: int, articles: int = 4):
        www, sites = cluster.build_sites(tmp_path / "gen", n, articles)
        state["server"] = start_fixture_server(www, tmp_path / "requests.jsonl")
        return state["server"], sites, www

    yield build
    if "server" in state:
        state["server"].proc.send_signal(signal.SIGTERM)
        state["server"].proc.wait(timeout=10)


def enqueue(redis: cluster.Redis, *args: str, timeout: float = 60) -> str:
    """Run ``govnews enqueue``; return the batch id it printed."""
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "enqueue", *args], cwd=cluster.ROOT,
                          env=cluster.env(redis), capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stderr.split(" as batch ", 1)[1].split()[0]


def crawl_args(archive: Path, sites: Path, server, slugs: list[str]) -> list[str]:
    return ["--archive", str(archive), "--sites-dir", str(sites), "--via", server.url, "--log-level", "WARNING",
            "-s", "EXTRACT_WORKERS=1", "--site", ",".join(slugs)]


def wait_batch(client, batch_id: str, timeout: float, on_tick=None) -> dict[str, dict]:
    from crawler.distributed import jobs

    deadline = time.monotonic() + timeout
    while True:
        states = jobs.batch(client, batch_id)
        if states and all(j.get("state") in jobs.FINAL for j in states.values()):
            return states
        if on_tick is not None:
            on_tick(states)
        assert time.monotonic() < deadline, f"jobs not finished in {timeout} s: {states}"
        time.sleep(0.2)


def query(archive: Path, sql: str, params=None) -> list[tuple]:
    from warehouse.db import connect
    from warehouse.layout import Layout

    con = connect(Layout.at(archive))
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def article_urls(www: Path) -> set[str]:
    """Every article page the generated sites serve (``t<date>_<id>.html``)."""
    return {f"http://{p.relative_to(www).parts[0]}/{'/'.join(p.relative_to(www).parts[1:])}"
            for p in www.rglob("t*_*.html")}


def assert_whole_archive(archive: Path) -> None:
    """Every visible Parquet file reads back, no WARC left open, ``warcio check`` clean."""
    import pyarrow.parquet as pq

    parquet = [p for p in archive.rglob("*.parquet") if not p.name.startswith(".")]
    assert parquet
    for p in parquet:
        pq.read_table(p)
    assert not list((archive / "warc").rglob("*.open")), "a WARC file was left open"
    warcs = sorted(str(p) for p in (archive / "warc").rglob("*.warc.gz"))
    assert warcs
    check = subprocess.run([str(Path(sys.executable).with_name("warcio")), "check", *warcs],
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
