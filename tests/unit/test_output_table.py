"""Tables fit a terminal, and are whole into a file or a pipe; byte counts in human units (issue 12, section 5)."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

from crawler.output import _width, human_bytes, print_table
from tests.conftest import ROOT

URL = "http://www.bjhd.gov.cn/xinxi/xwfb/qzyw/202405/t20240506_4651234.html?from=" + "x" * 80
COLUMNS = ["run_id", "site", "title", "url", "peak_rss_bytes", "exit_code"]
ROWS = [("20240506T070809Z-1a2b3c4d", "beijing-haidian", "海淀区召开疫情防控工作会议" * 3, URL, 195530752, 0)]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_into_a_pipe_every_value_is_whole_and_bytes_are_human():
    buf = io.StringIO()
    print_table(COLUMNS, ROWS, out=buf)
    text = buf.getvalue()
    assert URL in text and ROWS[0][2] in text and "…" not in text
    assert "195.5 MB" in text and "195530752" not in text
    assert [human_bytes(n) for n in (0, 999, 1000, 2_500_000, 3 * 10**12)] == ["0 B", "999 B", "1.0 kB", "2.5 MB",
                                                                                "3.0 TB"]


def test_on_a_terminal_the_table_fits_the_window(monkeypatch):
    for width in (200, 100, 60):
        monkeypatch.setenv("COLUMNS", str(width))
        buf = Terminal()
        print_table(COLUMNS, ROWS, out=buf)
        lines = buf.getvalue().splitlines()
        assert all(_width(ln) <= width for ln in lines), (width, lines)
        assert lines[0].startswith("run_id") and "…" in lines[2]  # long cells clipped, not wrapped
    # at 60 columns some columns cannot fit at all: they are left out, and named
    assert lines[-1].startswith("(") and "not shown:" in lines[-1] and "exit_code" in lines[-1]
    assert "exit_code" not in lines[0]


def test_query_into_a_pipe_prints_the_whole_url_and_on_a_pty_fits_it(tmp_path):
    (tmp_path / "runs").mkdir()  # an (empty) archive
    sql = f"SELECT '{URL}' AS url, 195530752 AS peak_rss_bytes"
    cmd = [sys.executable, "-m", "crawler.cli", "query", "--archive", str(tmp_path), sql]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "70"}
    piped = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert URL in piped.stdout and "195.5 MB" in piped.stdout, piped.stdout + piped.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the pty
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=120) == 0
    lines = b"".join(chunks).decode().replace("\r", "").splitlines()
    assert lines and all(_width(ln) <= 70 for ln in lines) and URL not in "".join(lines)
