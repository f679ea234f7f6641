"""A table's files grouped by their Parquet schema, so each group is read without ``union_by_name``.

``read_parquet([...], union_by_name = true)`` matches every file's columns by name each time a
query binds: over the 2,304 files of a daily-crawled 100k-article archive that is about 0.4 s of
every statement (a warm ``SELECT site, count(*) FROM articles GROUP BY site`` in one sandbox:
0.72 s with it, 0.26–0.30 s without; ``make bench-serve``, README "govnews serve"). An archive's files
have few distinct schemas (one per schema version it has seen), so the views read each group of
identical schemas with ``union_by_name = false`` and join the groups with ``UNION ALL BY NAME``,
which gives the same columns and the same type promotion as before.

A file's schema is read from its footer once per process (DuckDB's ``parquet_schema``) and kept
by inode, size and modification time: committed files never change (they are written under a
temp name and renamed), and a snapshot's hard links (:mod:`warehouse.pins`) share the inode.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

import duckdb

from warehouse.sqltext import sql_list

_CACHE: OrderedDict[tuple[int, int, int, int], str] = OrderedDict()
_CACHE_MAX = 500_000
_BATCH = 2_000  # files per parquet_schema call


def _key(path: Path) -> tuple[int, int, int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _read_fingerprints(con: duckdb.DuckDBPyConnection, paths: list[str]) -> dict[str, str]:
    """file -> a string naming every column of its schema in order (name, types, repetition)."""
    out: dict[str, str] = {}
    for i in range(0, len(paths), _BATCH):
        rows = con.execute(
            "SELECT file_name, string_agg(concat_ws(':', name, type, converted_type, logical_type, "
            "repetition_type, num_children), '|' ORDER BY rn) "
            f"FROM (SELECT *, row_number() OVER () AS rn FROM parquet_schema({sql_list(paths[i:i + _BATCH])})) "
            "GROUP BY file_name").fetchall()
        out.update(rows)
    return out


def by_schema(con: duckdb.DuckDBPyConnection, files: list[Path]) -> list[list[Path]]:
    """``files`` in groups of identical Parquet schema, in order of each group's first file
    (one group in the usual case). Reads only the footers not already known."""
    keys = [_key(p) for p in files]
    missing = {str(p): k for p, k in zip(files, keys) if k not in _CACHE}
    if missing:
        found = _read_fingerprints(con, list(missing))
        for p, k in missing.items():
            fp = found.get(p)
            if fp is None:
                raise duckdb.IOException(f"no Parquet schema read from {p}")
            _CACHE[k] = fp
        while len(_CACHE) > _CACHE_MAX:
            _CACHE.popitem(last=False)
    groups: dict[str, list[Path]] = {}
    for p, k in zip(files, keys):
        groups.setdefault(_CACHE[k], []).append(p)
    return list(groups.values())
