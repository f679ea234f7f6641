"""How an export writes its rows: the SELECT list per format, and the Parquet, CSV and JSON-lines writers.

- Parquet is written by pyarrow (zstd) from DuckDB's Arrow batches; a file is closed when
  the next row group would take it over the size bound (:class:`ParquetSink`).
- CSV flattens lists/structs to JSON text and can start with a UTF-8 BOM (Excel).
- JSON lines come from DuckDB's ``to_json``.
- A map column becomes a list of ``{key, value}`` structs, times in CSV and JSON lines
  ISO 8601 with their offset (see :mod:`warehouse.export`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from warehouse.commit import PARQUET_COMPRESSION, PARQUET_COMPRESSION_LEVEL
from warehouse.db import arrow_reader, arrow_table, connect, restrict, superseded_rows
from warehouse.schema import DICTIONARY_COLUMNS

BATCH_ROWS = 16 * 1024
ROW_GROUP_ROWS = 64 * 1024


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _iso8601(col: str) -> str:
    """A TIMESTAMPTZ as ISO 8601 text in the session time zone with its offset:
    ``2020-03-04T15:21:00+08:00`` (``.123`` when there are milliseconds)."""
    off = f"CAST(epoch(CAST({col} AS TIMESTAMP)) - epoch({col}) AS BIGINT)"
    return (f"(strftime({col}, '%Y-%m-%dT%H:%M:%S') || CASE WHEN epoch_ms({col}) % 1000 <> 0 "
            f"THEN strftime({col}, '.%g') ELSE '' END || CASE WHEN {off} < 0 THEN '-' ELSE '+' END "
            f"|| printf('%02d:%02d', abs({off}) // 3600, abs({off}) % 3600 // 60))")


def _typed_expr(col: str, t: str) -> str:
    """The column as exported, before any text conversion: a map becomes a list of {key, value}."""
    return f"map_entries({col})" if t.startswith("MAP") else col


def select_list(con, view: str, columns: list[str], fmt: str, *, as_text: bool = True) -> str:
    """The exported columns (``as_text=False``: with their types, before CSV/JSON text conversion)."""
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {view})").fetchall())
    out = []
    for c in columns:
        t, q = types[c].upper(), quote(c)
        expr = _typed_expr(q, t)
        if as_text and fmt == "csv" and (t.endswith("[]") or t.startswith(("MAP", "STRUCT", "UNION"))):
            expr = f"CAST(to_json({expr}) AS VARCHAR)"
        elif as_text and fmt in ("csv", "jsonl") and t.startswith("TIMESTAMP"):
            expr = _iso8601(q)
        out.append(f"{expr} AS {q}")
    return ", ".join(out)



class ParquetSink:
    """Rolling Parquet files: a new file when the next row group would pass ``max_bytes``."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder, self.max_bytes = folder, max_bytes
        self.files: list[Path] = []
        self.writer: pq.ParquetWriter | None = None
        self.fh = None
        self.last_group = 0

    def _open(self, schema: pa.Schema) -> None:
        path = self.folder / f"part-{len(self.files):05d}.parquet"
        self.files.append(path)
        self.fh = open(path, "wb")
        dictionary = [c for c in DICTIONARY_COLUMNS["articles"] if c in schema.names]
        self.writer = pq.ParquetWriter(self.fh, schema, compression=PARQUET_COMPRESSION,
                                       compression_level=PARQUET_COMPRESSION_LEVEL,
                                       use_dictionary=dictionary or False)
        self.last_group = 0

    def write(self, table: pa.Table) -> None:
        if self.writer is not None and self.fh.tell() + self.last_group > self.max_bytes:
            self.close()
        if self.writer is None:
            self._open(table.schema)
        before = self.fh.tell()
        self.writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
        self.last_group = max(self.last_group, self.fh.tell() - before)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            self.writer = self.fh = None

    def finish(self) -> list[Path]:
        self.close()
        n = len(self.files)
        final = []
        for i, p in enumerate(self.files):
            target = p.with_name(f"train-{i:05d}-of-{n:05d}.parquet")
            os.replace(p, target)
            final.append(target)
        return final


def _batches(reader, want: int):
    """Re-chunk a RecordBatchReader into tables of about ``want`` rows (bigger row groups)."""
    buf, n = [], 0
    for batch in reader:
        buf.append(batch)
        n += batch.num_rows
        if n >= want:
            yield pa.Table.from_batches(buf)
            buf, n = [], 0
    if buf:
        yield pa.Table.from_batches(buf)



def write_data(con, snap, view, columns, fmt, where, params, sites, folder: Path, *, bom, max_bytes, total,
                versions, progress) -> list[Path]:
    select = select_list(con, view, columns, fmt)
    ranked = superseded_rows(con)  # the site connections share the main one's ranking
    order = "published_at NULLS LAST, url_key" + (", fetched_at, run_id" if versions else "")
    done = 0
    if progress:
        progress(0, total)
    parquet = ParquetSink(folder, max_bytes) if fmt == "parquet" else None
    path = folder / f"train.{fmt}"
    fh = None if parquet else open(path, "wb")
    csv_writer = None
    try:
        if fh and bom and fmt == "csv":
            fh.write("\ufeff".encode())
        for site in sites:
            p = {**params, "_site": site}
            body = f"SELECT {select} FROM {view} WHERE site = $_site AND {where} ORDER BY {order}"
            if fmt == "jsonl":
                body = f"SELECT CAST(to_json(t) AS VARCHAR) AS j FROM ({body}) t"
            site_con = connect(files=restrict(snap, [site]), superseded=ranked)
            try:
                reader = arrow_reader(site_con, body, p, BATCH_ROWS)
                for table in _batches(reader, ROW_GROUP_ROWS if parquet else BATCH_ROWS):
                    if parquet:
                        parquet.write(table)
                    elif fmt == "csv":
                        if csv_writer is None:
                            csv_writer = pacsv.CSVWriter(fh, table.schema)
                        csv_writer.write_table(table)
                    else:
                        lines = table.column(0).to_pylist()
                        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
                    done += table.num_rows
                    if progress:
                        progress(done, total)
            finally:
                site_con.close()
        if parquet:
            if not parquet.files:  # nothing matched: one empty file with the columns
                empty = arrow_table(con, f"SELECT {select} FROM {view} WHERE false")
                parquet.write(empty)
            return parquet.finish()
        if fmt == "csv" and csv_writer is None:  # header only
            empty = arrow_table(con, f"SELECT {select} FROM {view} WHERE false")
            csv_writer = pacsv.CSVWriter(fh, empty.schema)
        if csv_writer is not None:
            csv_writer.close()
        fh.flush()
        os.fsync(fh.fileno())
        return [path]
    finally:
        if parquet:
            parquet.close()
        if fh:
            fh.close()

