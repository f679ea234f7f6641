"""Batching, partitioned Parquet writers that commit each file atomically.

Rows are plain dicts keyed by the table's column names. A writer buffers rows
per ``(site, month)`` partition and commits a file per partition when the
buffer holds ``batch_rows`` rows in all, or on ``flush()``. Files are named
``<run_id>-<seq>.parquet``: several processes can share one archive.
``before_flush`` runs before a writer with rows commits any file (the articles
writer commits the captures its rows reference first).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from warehouse.commit import write_parquet
from warehouse.layout import Layout
from warehouse.schema import META_PARTITION, TABLES, TZ, file_schema

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover
    raise

_SHANGHAI = ZoneInfo(TZ)


def month_of(published_at: datetime | None, fetched_at: datetime) -> str:
    """Partition month: publication month (Asia/Shanghai), else fetch month."""
    when = published_at.astimezone(_SHANGHAI) if published_at else fetched_at.astimezone(_SHANGHAI)
    return f"{when:%Y-%m}"


class PartitionedWriter:
    def __init__(self, layout: Layout, table: str, run_id: str, batch_rows: int = 5000,
                 before_flush: Callable[[], None] | None = None) -> None:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        self.layout, self.table, self.run_id, self.batch_rows = layout, table, run_id, batch_rows
        self.schema = file_schema(table)  # the partition column (site) is the folder's, not the file's
        self.before_flush = before_flush
        self.buffers: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.pending = 0
        self.seq = 0
        self.committed: list[Path] = []
        self.rows_committed = 0

    def add(self, row: dict, month: str) -> None:
        self.buffers[(row["site"], month)].append(row)
        self.pending += 1
        if self.pending >= self.batch_rows:
            self.flush()

    def flush(self) -> list[Path]:
        written = []
        if self.before_flush is not None and self.pending:
            self.before_flush()
        for (site, month), rows in sorted(self.buffers.items()):
            if not rows:
                continue
            self.seq += 1
            path = self.layout.data_file(self.table, site, month, self.run_id, self.seq)
            partition = str(path.parent.relative_to(self.layout.table_dir(self.table)))
            table = pa.Table.from_pylist(rows, schema=self.schema.with_metadata({META_PARTITION: partition}))
            written.append(write_parquet(table, path, kind=self.table, temp_dir=self.layout.temp_dir()))
            self.rows_committed += len(rows)
        self.buffers.clear()
        self.pending = 0
        self.committed.extend(written)
        return written
