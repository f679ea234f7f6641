"""Shared fixtures: fixture-site servers on 127.0.0.1:0 (subprocesses), temp archives, CLI runs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.demo.server import DEMO_ROOT  # noqa: E402

EXPECTED_DIR = ROOT / "crawler" / "demo" / "expected"


def read_request_log(log: Path) -> list[dict]:
    """The requests a test server logged, one JSON object per line (none before the first)."""
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class FixtureServer:
    url: str
    root: Path
    log: Path
    proc: subprocess.Popen

    def requests(self) -> list[dict]:
        return read_request_log(self.log)

    def clear_log(self) -> None:
        self.log.write_text("", encoding="utf-8")


def start_fixture_server(root: Path, log: Path) -> FixtureServer:
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.demo.server", "--root", str(root), "--port", "0", "--log", str(log)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    line = proc.stdout.readline().strip()
    if not line.startswith("READY "):
        proc.kill()
        raise RuntimeError(f"fixture server did not start: {line!r}")
    return FixtureServer(url=line.split(" ", 1)[1], root=root, log=log, proc=proc)


@pytest.fixture
def site_tree(tmp_path) -> Path:
    """A private, editable copy of the bundled fixture sites."""
    dest = tmp_path / "www"
    shutil.copytree(DEMO_ROOT, dest)
    return dest


@pytest.fixture
def fixture_server(site_tree, tmp_path):
    server = start_fixture_server(site_tree, tmp_path / "requests.jsonl")
    yield server
    server.proc.send_signal(signal.SIGTERM)
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()


@pytest.fixture
def archive(tmp_path) -> Path:
    return tmp_path / "archive"


def expected(slug: str) -> dict:
    return json.loads((EXPECTED_DIR / f"{slug}.json").read_text(encoding="utf-8"))


def govnews(*args: str, env: dict | None = None, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess:
    """Run the ``govnews`` CLI in a subprocess, as a user would."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("GOVNEWS_ARCHIVE", None) if env is None or "GOVNEWS_ARCHIVE" not in env else None
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"govnews {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr[-4000:]}")
    return proc


def crawl(archive: Path, server: FixtureServer, *sites: str, extra: tuple[str, ...] = (),
          check: bool = True) -> subprocess.CompletedProcess:
    args = ["crawl", "--archive", str(archive), "--via", server.url, "--log-level", "WARNING"]
    for s in sites:
        args += ["--site", s]
    return govnews(*args, *extra, check=check)


#: folders a govnews reader writes in while it reads (its pinned snapshot's hard links, its temp
#: files), each emptied when the reader goes: their folders come and go, their files must not stay
READER_SCRATCH = (Path("state") / "pins", Path("state") / "tmp")


def is_reader_scratch_dir(p: Path, root: Path) -> bool:
    rel = p.relative_to(root)
    return p.is_dir() and not p.is_symlink() and any(rel == s or s in rel.parents for s in READER_SCRATCH)


def tree_hash(root: Path) -> str:
    """Every path under ``root`` (symlinks as their target text) and every file's bytes; the
    folders of :data:`READER_SCRATCH` are left out (any file left in them is not)."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if is_reader_scratch_dir(p, root):
            continue
        h.update(str(p.relative_to(root)).encode())
        if p.is_symlink():
            h.update(b"->" + os.readlink(p).encode())
        elif p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()
