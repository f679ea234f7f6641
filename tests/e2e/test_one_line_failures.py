"""Failures of the machine end in one line, not a traceback (issue 12, sections 3 and 5): a reader that
closes the pipe (``govnews … | head``), a port in use, a full disk, a path that cannot be written.

The full and read-only disks are real filesystems (:mod:`tests.fsfixtures`); "unwritable" is a
read-only mount and a path through a file.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, govnews, tree_hash
from tests.fsfixtures import mount  # noqa: F401 - a fixture
from tests.unit.test_warehouse_views import article, write_rows
from warehouse.layout import Layout




def _one_line(proc) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("govnews: "), proc.stderr
    return lines[0]


@pytest.fixture
def archive(tmp_path) -> Path:
    layout = Layout.at(tmp_path / "archive")
    # bodies of random hex: they do not compress, so an export of them is ~400 kB
    write_rows(layout, "articles", [article("beijing-haidian", n, body=os.urandom(1000).hex()) for n in range(200)])
    return layout.root


def test_a_closed_pipe_is_one_line_and_exit_141(archive):
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "query", "--archive", str(archive), "--format", "csv",
         "SELECT repeat('x', 200) AS x FROM range(5000)"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    first = proc.stdout.readline()  # what `head -1` does: read a line, then go away
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert first.strip() == "x"
    assert "Traceback" not in err and err.strip().splitlines() == ["govnews: output closed early (broken pipe)"]


def test_demo_serve_on_a_port_in_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = govnews("demo", "--serve", "--port", str(port), check=False, timeout=60)
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in _one_line(proc)


def test_export_onto_a_full_disk(archive, mount):
    disk = mount("64k")
    before = tree_hash(archive)
    proc = govnews("export", "--archive", str(archive), "--format", "jsonl", "--out", str(disk / "ds"),
                   check=False)
    assert proc.returncode == 1
    assert "No space left on device" in _one_line(proc)
    assert list(disk.iterdir()) == []  # no half export, no temp folder
    assert tree_hash(archive) == before


def test_export_onto_a_read_only_disk_and_through_a_file(archive, mount, tmp_path):
    disk = mount("1m", ro=True)
    proc = govnews("export", "--archive", str(archive), "--out", str(disk / "ds"), check=False)
    assert proc.returncode == 1 and "Read-only file system" in _one_line(proc)
    (tmp_path / "notes.txt").write_text("mine\n")
    proc = govnews("export", "--archive", str(archive), "--out", str(tmp_path / "notes.txt" / "ds"), check=False)
    assert proc.returncode == 2 and "is a file, not a folder" in _one_line(proc)
    assert (tmp_path / "notes.txt").read_text() == "mine\n"
