"""The crawl lock: exclusive across processes, never waits, dies with its holder (even under kill -9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from crawler.lock import EX_TEMPFAIL, CrawlLock, LockHeld
from tests.conftest import ROOT

HOLDER = """
import sys, time
from crawler.lock import CrawlLock
CrawlLock.for_archive(sys.argv[1]).acquire()
print("HELD", flush=True)
time.sleep(60)
"""


def _holder(archive):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(archive)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "HELD"
    return proc


def test_second_holder_is_refused_at_once_and_named(tmp_path):
    proc = _holder(tmp_path)
    try:
        with pytest.raises(LockHeld) as info:
            CrawlLock.for_archive(tmp_path).acquire()
        assert f"pid {proc.pid}" in str(info.value)
        assert str(tmp_path / "state" / "crawl.lock") in str(info.value)
    finally:
        proc.kill()
        proc.wait()


def test_kill_9_of_the_holder_frees_the_lock(tmp_path):
    proc = _holder(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    lock = CrawlLock.for_archive(tmp_path).acquire()
    lock.release()


def test_release_and_reacquire_in_one_process(tmp_path):
    with CrawlLock.for_archive(tmp_path):
        pass
    with CrawlLock.for_archive(tmp_path) as lock:
        assert lock.fd is not None
    assert EX_TEMPFAIL == 75
