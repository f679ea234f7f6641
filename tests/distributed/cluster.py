"""A job-engine cluster on loopback for tests and the benchmark: a real redis-server, real workers.

* :func:`build_sites` writes N small TRS-style district sites (``dist-NN``, host
  ``dNN.dist.govnews.test``), generated from the demo site's templates by
  tests/bench/site.py (list pages and article pages structured like Haidian's
  TRS portal), and their site files.
* :class:`Redis` runs ``redis-server`` on 127.0.0.1 on a free port with its own
  data dir and the append-only file on (``appendfsync always``), and can be
  restarted on the same port and data.
* :func:`start_worker` runs ``govnews worker`` as a subprocess (its own process
  group, so a test can kill it whole).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.site import build_site

ROOT = Path(__file__).resolve().parent.parent.parent
COLUMNS = [("qzyw", "区政要闻"), ("bmdt", "部门动态")]

# Short timeouts so a test sees redelivery within seconds (production defaults: crawler/distributed/config.py).
FAST = {
    "GOVNEWS_JOB_VISIBILITY_SECONDS": "40",  # longer than any crawl of these small sites
    "GOVNEWS_JOB_MAX_SECONDS": "35",
    "GOVNEWS_LEASE_SECONDS": "4",
    "GOVNEWS_LOCK_RETRY_SECONDS": "1",
    "GOVNEWS_RESTORE_SECONDS": "2",
}


def slug(i: int) -> str:
    return f"dist-{i:02d}"


def build_sites(out: Path, n: int, articles: int = 4) -> tuple[Path, Path]:
    """N sites of ``articles`` articles each; returns (www root, sites dir)."""
    www = sites = None
    for i in range(n):
        www, sites, _ = build_site(out, articles, host=f"d{i:02d}.dist.govnews.test", slug=slug(i),
                                   columns=COLUMNS, padding=False)
    return www, sites


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    def __init__(self, data_dir: Path) -> None:
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "Redis":
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError("redis-server not installed (apt-get install redis-server; .ci/run does)")
        self.proc = subprocess.Popen(
            [exe, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.dir), "--appendonly", "yes",
             "--appendfsync", "always", "--save", "", "--daemonize", "no", "--protected-mode", "yes",
             "--logfile", str(self.dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start: {(self.dir / 'redis.log').read_text()[-2000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def restart(self, down_seconds: float = 1.0) -> None:
        self.stop(signal.SIGKILL)  # no shutdown save: what comes back is what the AOF held
        time.sleep(down_seconds)
        self.start()


def env(redis: Redis, **extra: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "GOVNEWS_BROKER": redis.url, **FAST, **extra}


def start_worker(redis: Redis, name: str, log: Path, concurrency: int = 1, **extra: str) -> subprocess.Popen:
    fh = open(log, "ab")
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "worker", "--concurrency", str(concurrency),
                             "--name", name, "--loglevel", "INFO"],
                            cwd=ROOT, env=env(redis, **extra), stdout=fh, stderr=subprocess.STDOUT,
                            start_new_session=True)
    fh.close()
    return proc


def stop_worker(proc: subprocess.Popen, graceful: bool = False) -> None:
    """Stop a worker and its pool and crawls (the whole process group); at once unless ``graceful``."""
    if proc.poll() is None and graceful:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
