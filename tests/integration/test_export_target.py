"""`govnews export --out X --overwrite` never destroys what an export did not make, and killed exports
leave nothing behind for ever (issue 12, section 3)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT, govnews, tree_hash
from tests.unit.test_warehouse_views import article, write_rows
from warehouse.export import export_articles
from warehouse.export_target import MARKER
from warehouse.layout import Layout




@pytest.fixture
def home(tmp_path) -> Path:
    """A user's folder holding the archive and files of their own, and a folder of notes beside it."""
    home = tmp_path / "home"
    layout = Layout.at(home / "archive")
    write_rows(layout, "articles", [article("beijing-haidian", n) for n in range(5)])
    (home / "thesis.txt").write_text("three years of work\n", encoding="utf-8")
    notes = home / "notes"
    notes.mkdir()
    (notes / "todo.md").write_text("- read the articles\n", encoding="utf-8")
    (home / "to-archive").symlink_to(home / "archive")
    (home / "to-home").symlink_to(home)
    # an export folder into which the user dropped a file of their own
    mixed = home / "mixed"
    export_articles(layout, mixed, "csv")
    (mixed / "my-analysis.ipynb").write_text("{}", encoding="utf-8")
    return home


HOSTILE = {
    "the archive": "archive",
    "inside the archive": "archive/articles",
    "a new folder inside the archive": "archive/new-export",
    "the archive's parent": ".",
    "the root": "/",
    "a symlink to the archive": "to-archive",
    "a symlink to the archive's parent": "to-home",
    "into the archive through ..": "notes/../archive",
    "the archive's parent through ..": "archive/..",
    "a folder of the user's": "notes",
    "an export the user added a file to": "mixed",
    "a file of the user's": "thesis.txt",
}


@pytest.mark.parametrize("out", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_out_is_refused_and_nothing_changes(home, out):
    before = tree_hash(home)
    target = out if out.startswith("/") else str(home / out)
    proc = govnews("export", "--archive", str(home / "archive"), "--format", "csv", "--overwrite",
                   "--out", target, check=False)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("govnews: ") and "Traceback" not in proc.stderr, proc.stderr
    assert "refusing" in lines[0] or "archive" in lines[0], lines[0]
    assert proc.stdout == ""
    assert tree_hash(home) == before  # the archive, the user's files, the symlinks: all as they were


def test_overwrite_replaces_a_previous_export_only(home, tmp_path):
    archive = home / "archive"
    out = tmp_path / "dataset"
    govnews("export", "--archive", str(archive), "--format", "csv", "--out", str(out))
    assert (out / MARKER).is_file() and (out / "data" / "train.csv").is_file()
    before = tree_hash(home)
    proc = govnews("export", "--archive", str(archive), "--format", "jsonl", "--overwrite", "--out", str(out))
    assert proc.returncode == 0 and "exported 5 articles" in proc.stdout
    assert sorted(p.name for p in (out / "data").iterdir()) == ["train.jsonl"]
    assert tree_hash(home) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from warehouse.export import export_articles
    from warehouse.layout import Layout

    def die(done, total):
        if done:  # rows are being written into the temp folder: kill -9 ourselves
            os.kill(os.getpid(), signal.SIGKILL)

    export_articles(Layout.at(sys.argv[1]), Path(sys.argv[2]), "parquet", progress=die)
""")


def test_a_killed_export_leaves_a_temp_folder_that_the_next_export_reclaims(home, tmp_path):
    archive, out = home / "archive", tmp_path / "ds"
    proc = subprocess.run([sys.executable, "-c", KILLER, str(archive), str(out)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    stale = [p for p in tmp_path.iterdir() if p.name.startswith(".ds.tmp-")]
    assert len(stale) == 1 and (stale[0] / MARKER).is_file() and not out.exists()
    # a hidden folder of the user's with a pid-like name but no marker is not ours: kept
    theirs = tmp_path / ".photos.tmp-999999999"
    theirs.mkdir()
    (theirs / "a.jpg").write_bytes(b"jpeg")
    govnews("export", "--archive", str(archive), "--format", "csv", "--out", str(tmp_path / "other"))
    assert not stale[0].exists()
    assert (theirs / "a.jpg").read_bytes() == b"jpeg"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".photos.tmp-999999999", "home", "other"]
