"""Dataset exports of the ``articles`` view (or ``article_versions``), written by govnews, never by user SQL.

Layout of an export folder (a Hugging Face dataset repository as it stands)::

    out/
      README.md                         dataset card: YAML header (configs / data_files), fields, counts
      data/train-00000-of-00003.parquet split into files of at most about --max-file-mb
      data/train.csv | data/train.jsonl one file for the text formats

- Rows come in a deterministic order: site, published_at (nulls last), url_key
  (then fetched_at for ``--versions``); each site is read and written in turn,
  so the sort never holds more than one site.
- Filters (sites, publication dates, a substring of title or body) are bound
  as DuckDB parameters, never pasted into SQL.
- Parquet is written by pyarrow (zstd) from DuckDB's Arrow batches; a file is
  closed when the next row group would take it over the size bound. CSV
  flattens lists/structs to JSON text and can start with a UTF-8 BOM
  (Excel). JSON lines come from DuckDB's ``to_json``.
- Every format loads in Hugging Face ``datasets`` as it is: a map column
  (``meta``) is exported as a list of ``{key, value}`` structs (``datasets`` has no
  map type and refuses the Parquet file; a list of structs keeps every pair, its
  order and its types in every format, and DuckDB's ``map_from_entries`` gives the
  map back; a JSON string would need parsing). Times in CSV and JSON lines are
  ISO 8601 with their offset (``2020-03-04T15:21:00+08:00``), and the card's
  ``dataset_info.features`` gives every column's type, so ``datasets`` reads
  them as time-zone-aware timestamps, not naive ones.
- Everything is written into a hidden folder beside ``out``
  (``.<name>.tmp-<pid>``), fsynced, then renamed into place; an existing
  ``out`` is refused unless ``overwrite``, and even then unless a previous
  export made it; ``out`` never is, holds or lies inside the archive
  (:mod:`warehouse.export_target`). Temp folders of killed exports are
  reclaimed by the next export beside them. The export reads a snapshot of the
  archive (:mod:`warehouse.db`), so a crawl committing meanwhile is harmless.

This module runs an export; the row selection is :mod:`warehouse.export_filter`, the
SELECT list and the writers per format :mod:`warehouse.export_formats`, the dataset card
:mod:`warehouse.export_card`, the refusal of a target :mod:`warehouse.export_target`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from warehouse.commit import fsync_dir
from warehouse.db import arrow_table, connect, snapshot
from warehouse.export_card import csv_empty_times_as_text, dataset_card, features_yaml
from warehouse.export_filter import ExportFilter
from warehouse.export_formats import select_list, write_data
from warehouse.export_target import TargetRefused, check_out, mark, reclaim_stale
from warehouse.layout import Layout

__all__ = ["DEFAULT_MAX_FILE_MB", "FORMATS", "ExportError", "ExportFilter", "ExportResult", "export_articles"]

FORMATS = ("parquet", "csv", "jsonl")
DEFAULT_MAX_FILE_MB = 256


class ExportError(ValueError):
    pass


@dataclass
class ExportResult:
    out: Path
    files: list[Path]
    rows: int
    per_site: dict[str, int]



def export_articles(layout: Layout, out: Path, fmt: str, *, overwrite: bool = False, versions: bool = False,
                    filters: ExportFilter | None = None, columns: list[str] | None = None, bom: bool = False,
                    max_file_mb: float = DEFAULT_MAX_FILE_MB, command: str | None = None,
                    progress: Callable[[int, int], None] | None = None) -> ExportResult:
    """Export the ``articles`` view (``article_versions`` with ``versions``); see the module doc."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    if max_file_mb <= 0:
        raise ExportError("--max-file-mb must be positive")
    filters = filters or ExportFilter()
    try:
        out = check_out(Path(out), layout.root, overwrite)
    except TargetRefused as exc:
        raise ExportError(str(exc)) from None
    view = "article_versions" if versions else "articles"
    # one snapshot of the files for the whole export; each site is then read through a
    # connection over its own files only (smaller binds, a sort of one site at a time)
    snap = snapshot(layout, sites=filters.sites or None)
    con = connect(layout, files=snap)
    try:
        all_columns = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
        if columns:
            unknown = [c for c in columns if c not in all_columns]
            if unknown:
                raise ExportError(f"unknown field {', '.join(unknown)} (fields: {', '.join(all_columns)})")
            chosen = list(dict.fromkeys(columns))
        else:
            chosen = all_columns
        where, params = filters.where()
        stats = con.execute(
            f"SELECT site, count(*), min(published_at), max(published_at) FROM {view} WHERE {where} "
            "GROUP BY site ORDER BY site", params).fetchall()
        per_site = {s: n for s, n, _, _ in stats}
        total = sum(per_site.values())
        dates = [d for _, _, lo, hi in stats for d in (lo, hi) if d is not None]

        out.parent.mkdir(parents=True, exist_ok=True)
        reclaim_stale(out.parent)
        tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        (tmp / "data").mkdir(parents=True)
        mark(tmp)
        try:
            files = write_data(con, snap, view, chosen, fmt, where, params, list(per_site), tmp / "data",
                                bom=bom, max_bytes=int(max_file_mb * 1024 * 1024), total=total,
                                versions=versions, progress=progress)
            schema_types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {view})").fetchall())
            typed = arrow_table(con, f"SELECT {select_list(con, view, chosen, fmt, as_text=False)} "
                                     f"FROM {view} WHERE false").schema
            if fmt == "csv":  # lists and structs are JSON text there
                typed = pa.schema([f if not pa.types.is_nested(f.type) else pa.field(f.name, pa.string())
                                   for f in typed])
                typed = csv_empty_times_as_text(con, view, where, params, typed)
            card = dataset_card(fmt=fmt, view=view, columns=chosen, types=schema_types, per_site=per_site,
                                features=features_yaml(typed),
                                date_range=(min(dates), max(dates)) if dates else None, filters=filters,
                                files=[f.relative_to(tmp).as_posix() for f in files], command=command)
            with open(tmp / "README.md", "w", encoding="utf-8") as fh:
                fh.write(card)
                fh.flush()
                os.fsync(fh.fileno())
            fsync_dir(tmp / "data")
            fsync_dir(tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        con.close()
    if os.path.lexists(out):
        try:  # it may have appeared, or changed, meanwhile
            check_out(out, layout.root, overwrite)
        except TargetRefused as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise ExportError(str(exc)) from None
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()
    else:
        os.replace(tmp, out)
    fsync_dir(out.parent)
    final = sorted(p for p in out.rglob("*") if p.is_file())
    return ExportResult(out=out, files=final, rows=total, per_site=per_site)

