"""Make files visible only whole: temp name -> write -> fsync -> rename -> fsync dir.

A reader glob (``*.parquet``) never matches the temp name (``.<name>.tmp``),
so a crash at any moment leaves either no file or a whole one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.schema import DICTIONARY_COLUMNS

PARQUET_COMPRESSION = "zstd"
PARQUET_COMPRESSION_LEVEL = 3
ROW_GROUP_ROWS = 128 * 1024


def temp_path(final: Path) -> Path:
    return final.with_name(f".{final.name}.tmp")


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(final: Path) -> Iterator[BinaryIO]:
    """Open a temp file beside ``final``; on success fsync and rename it into place."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(final)
    try:
        with open(tmp, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        fsync_dir(final.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_parquet(table: pa.Table, final: Path, *, kind: str | None = None) -> Path:
    """Write ``table`` to ``final`` atomically (zstd, dictionary only on small columns)."""
    if final.exists():
        raise FileExistsError(f"refusing to overwrite committed file {final}")
    dictionary = [c for c in DICTIONARY_COLUMNS.get(kind or "", []) if c in table.column_names]
    with atomic_file(final) as fh:
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
    """Delete ``.*.tmp`` files left by a killed writer. Returns what was removed."""
    removed = []
    if root.is_dir():
        for p in root.rglob(".*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
                removed.append(p)
    return removed
