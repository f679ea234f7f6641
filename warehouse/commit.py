"""Make files visible only whole: temp name -> write -> fsync -> rename -> fsync dir.

A reader glob (``*.parquet``) never matches the temp name (``.<name>.<pid>.tmp``),
so a crash at any moment leaves either no file or a whole one. The archive's writers
put their temp files in ``<archive>/state/tmp/`` (``temp_dir``), outside the table
folders, because some readers (polars) refuse a folder holding any file not named
like the others; the rename into place stays atomic (same filesystem).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.schema import DICTIONARY_COLUMNS

PARQUET_COMPRESSION = "zstd"
PARQUET_COMPRESSION_LEVEL = 3
ROW_GROUP_ROWS = 128 * 1024


FAULT_ENV = "GOVNEWS_FAULT"
FAULT_POINTS = ("after_write", "after_fsync", "after_rename")
_commits_seen = 0


def _fault(point: str) -> None:
    """Test-only crash injection: ``GOVNEWS_FAULT=commit:<point>[@N]`` SIGKILLs this
    process at ``point`` of its N-th commit (default the first). Unset: does nothing."""
    spec = os.environ.get(FAULT_ENV)
    if not spec or not spec.startswith("commit:"):
        return
    want, _, nth = spec[len("commit:"):].partition("@")
    if want == point and _commits_seen == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def temp_path(final: Path, temp_dir: Path | None = None) -> Path:
    """``.<name>.<pid>.tmp`` (beside ``final``, or in ``temp_dir``): no reader glob matches it,
    and the pid tells a live writer's temp file from one left by a killed process
    (see :func:`remove_stale_temps`)."""
    name = f".{final.name}.{os.getpid()}.tmp"
    return temp_dir / name if temp_dir is not None else final.with_name(name)


_TEMP_PID = re.compile(r"\.(\d+)\.tmp$")


def _writer_alive(temp: Path) -> bool:
    m = _TEMP_PID.search(temp.name)
    if not m:
        return False
    pid = int(m.group(1))
    return pid != os.getpid() and pid_alive(pid)


def pid_alive(pid: int) -> bool:
    """True when a process ``pid`` exists (this one included)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(final: Path, temp_dir: Path | None = None) -> Iterator[BinaryIO]:
    """Open a temp file beside ``final`` (or in ``temp_dir``, on the same filesystem);
    on success fsync and rename it into place."""
    global _commits_seen
    final.parent.mkdir(parents=True, exist_ok=True)
    if temp_dir is not None:
        temp_dir.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(final, temp_dir)
    _commits_seen += 1
    try:
        with open(tmp, "wb") as fh:
            yield fh
            fh.flush()
            _fault("after_write")
            os.fsync(fh.fileno())
        _fault("after_fsync")
        os.replace(tmp, final)
        _fault("after_rename")
        fsync_dir(final.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_parquet(table: pa.Table, final: Path, *, kind: str | None = None,
                  temp_dir: Path | None = None) -> Path:
    """Write ``table`` to ``final`` atomically (zstd, dictionary only on small columns)."""
    if final.exists():
        raise FileExistsError(f"refusing to overwrite committed file {final}")
    dictionary = [c for c in DICTIONARY_COLUMNS.get(kind or "", []) if c in table.column_names]
    with atomic_file(final, temp_dir) as fh:
        pq.write_table(
            table,
            fh,
            compression=PARQUET_COMPRESSION,
            compression_level=PARQUET_COMPRESSION_LEVEL,
            use_dictionary=dictionary or False,
            row_group_size=ROW_GROUP_ROWS,
        )
    return final


def remove_stale_temps(root: Path) -> list[Path]:
    """Delete ``.*.tmp`` files left by killed writers (a live writer's are kept). Returns what was removed.

    Run it where no other writer can start meanwhile (``govnews crawl`` holds the
    archive's lock): a process that is not alive writes nothing more.
    """
    removed = []
    if root.is_dir():
        for p in root.rglob(".*.tmp"):
            if _writer_alive(p):
                continue
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
                removed.append(p)
    return removed
