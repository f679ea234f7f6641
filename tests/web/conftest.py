"""One archive and one ``govnews serve`` (a real subprocess on 127.0.0.1, a free port) for tests/web.

The archive: ``govnews demo`` (103 + 57 articles), then tests/web/hostile.py's page imported twice
(two versions of one article of ``demo-hostile``, a site file of tests/web/sites)."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, govnews
from tests.web.hostile import write_warc

SITES = Path(__file__).parent / "sites"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@dataclass
class Served:
    url: str
    archive: Path
    proc: subprocess.Popen

    def get(self, path: str, method: str = "GET") -> tuple[int, dict, bytes]:
        req = urllib.request.Request(self.url + path, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()


def start_serve(archive: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """``govnews serve --port 0``; (process, base URL) once it listens (its first stdout line)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--archive", str(archive),
                             "--sites-dir", str(SITES), "--port", "0", *extra],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    if "listening on " not in line:
        proc.kill()
        raise RuntimeError(f"govnews serve did not start: {line!r} {proc.stderr.read()[-2000:]}")
    return proc, line.split("listening on ", 1)[1].split(" ", 1)[0].rstrip("/")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


class Canary:
    """An HTTP server on 127.0.0.1 standing for "another host": it records every request it gets."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="package")
def canary():
    c = Canary()
    yield c
    c.server.shutdown()


@pytest.fixture(scope="package")
def web_archive(tmp_path_factory, canary) -> Path:
    archive = tmp_path_factory.mktemp("web") / "archive"
    govnews("demo", "--archive", str(archive))
    for version in (1, 2):
        warc = write_warc(tmp_path_factory.mktemp("warc") / f"hostile-v{version}.warc.gz", version, canary.url)
        govnews("import-warc", "--archive", str(archive), "--sites-dir", str(SITES), str(warc))
    return archive


@pytest.fixture(scope="package")
def served(web_archive):
    proc, url = start_serve(web_archive, "--sql-timeout", "3")
    yield Served(url=url, archive=web_archive, proc=proc)
    stop(proc)


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no {CHROMIUM} (apt-get install chromium; .ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the screenshots of each page go (the pytest tmp folder; printed by the tests)."""
    return tmp_path_factory.mktemp("screenshots")


def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under the archive with its size and mtime, but the readers' snapshot pins
    (``state/pins/``: hard links each reader makes and removes, README "The archive")."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if rel.startswith("state/pins") or not p.is_file():
            continue
        st = p.stat()
        out[rel] = (st.st_size, st.st_mtime_ns)
    return out
