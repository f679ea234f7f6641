"""warehouse.filegroups: files grouped by Parquet schema (real files, read back by DuckDB)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from warehouse.filegroups import by_schema


def _write(path, table):
    pq.write_table(table, path)
    return path


def test_groups_follow_the_schema_and_keep_the_files_order(tmp_path):
    wide = pa.table({"a": [1], "b": ["x"]})
    narrow = pa.table({"a": [2]})
    retyped = pa.table({"a": ["3"], "b": ["y"]})  # same names, another type: a group of its own
    files = [_write(tmp_path / "1.parquet", wide), _write(tmp_path / "2.parquet", narrow),
             _write(tmp_path / "3.parquet", wide), _write(tmp_path / "4.parquet", retyped)]
    con = duckdb.connect()
    groups = by_schema(con, files)
    assert groups == [[files[0], files[2]], [files[1]], [files[3]]]


def test_a_known_file_is_not_read_again_and_a_rewritten_one_is(tmp_path):
    path = _write(tmp_path / "f.parquet", pa.table({"a": [1]}))
    con = duckdb.connect()
    assert by_schema(con, [path]) == [[path]]
    con.close()
    assert by_schema(con, [path]) == [[path]]  # from the cache: the closed connection is not used
    other = _write(tmp_path / "g.parquet", pa.table({"a": [1]}))
    with pytest.raises(duckdb.ConnectionException):
        by_schema(con, [path, other])  # a file not seen before needs its footer


def test_groups_read_back_as_one_relation(tmp_path):
    """What warehouse.db builds from the groups: UNION ALL BY NAME over reads without union_by_name."""
    files = [_write(tmp_path / "1.parquet", pa.table({"a": [1], "b": ["x"]})),
             _write(tmp_path / "2.parquet", pa.table({"a": [2]}))]
    con = duckdb.connect()
    parts = [f"SELECT * FROM read_parquet({[str(p) for p in g]}, union_by_name = false)" for g in by_schema(con, files)]
    rows = con.execute(" UNION ALL BY NAME ".join(parts) + " ORDER BY a").fetchall()
    assert rows == [(1, "x"), (2, None)]
