"""Fault-test fixtures: the hostile server (tests/faults/server.py) on 127.0.0.x:0 and crawls of it.

Crawls run ``scrapy crawl district_news`` (or the ``govnews`` CLI) in a
subprocess, with ``-s`` settings that shorten timeouts. Every crawl reports
how long it took, its exit code, and the archive it wrote.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import read_request_log

ROOT = Path(__file__).resolve().parents[2]
SITES_DIR = Path(__file__).resolve().parent / "sites"

#: what every fault crawl through the fault server uses: short timeouts, one retry, a 1 MiB size limit
FAST = {
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_TIMES": "1",
    "DOWNLOAD_MAXSIZE": str(1024 * 1024),
    "DOWNLOAD_WARNSIZE": str(512 * 1024),
    "GOVNEWS_RETRY_AFTER_MAX": "5",
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "CONCURRENT_REQUESTS": "32",
    "EXTRACT_WORKERS": "1",
    "LOG_LEVEL": "INFO",
}
#: no fault crawl may take longer than this (the slowest route times out after 3 s, retried once)
RUN_BOUND_S = 90


@dataclass
class FaultServer:
    url: str
    log: Path
    proc: subprocess.Popen

    def requests(self) -> list[dict]:
        return read_request_log(self.log)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_fault_server(log: Path, *, host: str = "127.0.0.1", bombs: bool = False,
                       list_page: Path | None = None) -> FaultServer:
    args = [sys.executable, "-m", "tests.faults.server", "--host", host, "--port", "0", "--log", str(log)]
    if bombs:
        args.append("--bombs")
    if list_page is not None:
        args += ["--list-page", str(list_page)]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    line = proc.stdout.readline().strip()
    if not line.startswith("READY "):
        proc.kill()
        raise RuntimeError(f"fault server did not start: {line!r}")
    return FaultServer(url=line.split(" ", 1)[1], log=log, proc=proc)


@dataclass
class Crawl:
    archive: Path
    proc: subprocess.CompletedProcess
    seconds: float
    log: Path

    def con(self):
        from warehouse.db import connect
        from warehouse.layout import Layout

        return connect(Layout.at(self.archive))

    def rows(self, sql: str, *params) -> list[tuple]:
        return self.con().execute(sql, list(params)).fetchall()

    def stats(self, site: str) -> dict[str, str]:
        rows = self.rows("SELECT stats FROM runs WHERE site = ?", site)
        assert len(rows) == 1, rows
        return dict(rows[0][0])

    def outcomes(self) -> dict[str, set[str]]:
        """url -> every outcome the captures table recorded for it."""
        out: dict[str, set[str]] = {}
        for url, outcome in self.rows("SELECT url, outcome FROM captures"):
            out.setdefault(url, set()).add(outcome)
        return out

    def article_urls(self) -> set[str]:
        return {u for (u,) in self.rows("SELECT url FROM articles")}


def scrapy_crawl(archive: Path, site: str, settings: dict[str, str], *, via: str | None = None,
                 sites_dir: Path = SITES_DIR, timeout: float = 180, prefix: list[str] | None = None) -> Crawl:
    """``scrapy crawl district_news -a site=SITE -s ...`` in a subprocess (``prefix`` wraps the interpreter)."""
    log = archive.parent / f"{archive.name}-{site}.log"
    s = {"GOVNEWS_ARCHIVE": str(archive), "GOVNEWS_SITES_DIRS": str(sites_dir), "LOG_FILE": str(log), **settings}
    if via:
        s["GOVNEWS_VIA"] = via
    args = [*(prefix or [sys.executable, "-m", "scrapy"]), "crawl", "district_news", "-a", f"site={site}"]
    for k, v in s.items():
        args += ["-s", f"{k}={v}"]
    started = time.monotonic()
    proc = subprocess.run(args, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=timeout)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise AssertionError(f"crawl of {site} exited {proc.returncode}\n{proc.stderr[-4000:]}")
    return Crawl(archive=archive, proc=proc, seconds=seconds, log=log)


@pytest.fixture(scope="package")
def fault_server(tmp_path_factory):
    """One fault server (bombs made up front) for every fault test."""
    server = start_fault_server(tmp_path_factory.mktemp("faults") / "requests.jsonl", bombs=True)
    yield server
    server.stop()
