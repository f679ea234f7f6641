"""In-memory DuckDB connections over the archive's files, with the views registered.

No shared ``.duckdb`` file: every reader opens its own in-memory connection,
so readers never block a writer or each other. Views are the SQL files in
``warehouse/views/`` (one view each), created in dependency order.

Readers never fail while a crawl (or a compaction) commits files:

- A connection *snapshots* the file list when it opens: the reader globs are
  expanded here, in Python, and each view reads an explicit list of files
  (``read_parquet([...])``). A file committed during a query is simply not
  in that query's list; a temp file (``.<name>.tmp``) is never listed; a
  file renamed in mid-listing is whole, because renames are atomic.
- Files superseded by a compacted file are left out of the snapshot (see
  :mod:`warehouse.compact`), so a reader never counts a row twice, and they
  stay on disk for a grace period longer than the query time limit, so a
  reader whose snapshot still names them can finish.
- A table with no file yet is an empty relation of its Arrow schema, so a
  connection over an empty archive, or one holding only some tables, works.

The ``articles`` view (latest version per url_key) does not rank versions in
every query: when the connection opens, ``_superseded`` (the rows a later
version replaces, by file name and row number) is computed once over the
snapshot from the small key columns and kept as a temp table, and
``articles`` is ``article_versions`` without those rows. Filters on
``articles`` (``body_text LIKE``, a site, a date range) so reach the Parquet
scan. Opening a connection costs that ranking (a connection over a compacted
million-article archive opens in about 0.5 s: ``python -m tests.bench.warehouse``).

Call :func:`connect` again to see files committed since.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.compact import live_files
from warehouse.layout import Layout
from warehouse.schema import TABLES, TZ

VIEWS_DIR = Path(__file__).parent / "views"
# dependency order: a view may use the views before it
VIEW_ORDER = ["article_versions", "_superseded", "articles", "captures", "runs", "site_daily"]
# computed once per connection (over its snapshot) and kept as a temp table, not a view
MATERIALISED = {"_superseded"}


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


Snapshot = dict[str, list[Path]]


def snapshot(archive: Layout | str | Path | None = None, sites: list[str] | None = None) -> Snapshot:
    """The files each table's views read now (``sites``: only those sites' partitions; runs always whole)."""
    layout = archive if isinstance(archive, Layout) else Layout.at(archive)
    layout = Layout(layout.root.resolve())
    out: Snapshot = {}
    for table in TABLES:
        if table == "runs" or not sites:
            out[table] = live_files(layout, table)
        else:
            out[table] = [p for s in sites for p in live_files(layout, table, s)]
    return out


def restrict(snap: Snapshot, sites: list[str]) -> Snapshot:
    """Part of a snapshot: only the partitions of ``sites`` (``runs`` kept whole)."""
    folders = {f"site={s}" for s in sites}
    return {t: (files if t == "runs" else [p for p in files if p.parent.parent.name in folders])
            for t, files in snap.items()}


def _source(con: duckdb.DuckDBPyConnection, table: str, files: list[Path], *, row_ids: bool = False) -> str:
    """A FROM-clause source for ``table``: a snapshot of its files, or an empty typed relation.

    ``row_ids``: add ``_file`` and ``_row`` (file name, row number in the file), the identity of
    a row within one snapshot (``_superseded``)."""
    ids = ", filename AS _file, file_row_number AS _row" if row_ids else ""
    if files:
        listed = "[" + ", ".join(_sql_str(str(p)) for p in files) + "]"
        if table == "runs":
            return f"read_parquet({listed}, union_by_name = true, hive_partitioning = false)"
        # ``site`` from the folder name lets DuckDB skip other sites' files; ``month`` is a
        # partition key only (published month), not a column of the views.
        return (f"(SELECT * EXCLUDE (month){ids} FROM read_parquet({listed}, union_by_name = true, "
                f"hive_partitioning = true, hive_types = {{'site': VARCHAR, 'month': VARCHAR}}))")
    name = f"_empty_{table}"
    con.register(name, pa.Table.from_pylist([], schema=TABLES[table]))
    if row_ids:
        return f"(SELECT *, NULL::VARCHAR AS _file, NULL::BIGINT AS _row FROM {name})"
    return name


# what ``_superseded`` ranks by: columns every articles file has had since schema v1
_KEY_COLUMNS = "site, url_key, fetched_at, run_id"


def _key_source(con: duckdb.DuckDBPyConnection, files: list[Path]) -> str:
    """The articles' key columns and row ids only: every file has these columns, so the
    files need not be matched up by name (``union_by_name`` costs a bind per file)."""
    if not files:
        return f"(SELECT {_KEY_COLUMNS}, _file, _row FROM {_source(con, 'articles', [], row_ids=True)})"
    listed = "[" + ", ".join(_sql_str(str(p)) for p in files) + "]"
    return (f"(SELECT {_KEY_COLUMNS}, filename AS _file, file_row_number AS _row FROM read_parquet({listed}, "
            f"union_by_name = false, hive_partitioning = true, hive_types = {{'site': VARCHAR, 'month': VARCHAR}}))")


def view_sql(name: str) -> str:
    return (VIEWS_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect(archive: Layout | str | Path | None = None, *, memory_limit: str = "2GB",
            threads: int | None = None, files: Snapshot | None = None,
            superseded: pa.Table | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the views ``articles``, ``article_versions``, ``captures``,
    ``runs`` and ``site_daily`` over a snapshot of the archive's files (``files``: one taken
    earlier by :func:`snapshot`, e.g. to read one snapshot through several connections).

    ``superseded``: the ranking another connection made of the same snapshot (or of more of
    it), from :func:`superseded_rows`, used instead of ranking again."""
    files = files if files is not None else snapshot(archive)
    # Publication times are Asia/Shanghai wall-clock times: show them so.
    con = duckdb.connect(":memory:", config={"memory_limit": memory_limit})
    try:
        con.execute(f"SET TimeZone = '{TZ}'")
        # every query re-binds the views: keep the files' footers instead of re-reading them
        con.execute("SET parquet_metadata_cache = true")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        sources = {t: _source(con, t, files.get(t, [])) for t in TABLES}
        sources["articles_rows"] = _source(con, "articles", files.get("articles", []), row_ids=True)
        sources["articles_keys"] = _key_source(con, files.get("articles", []))
        for name in VIEW_ORDER:
            body = view_sql(name).format(**sources)
            if name not in MATERIALISED:
                con.execute(f"CREATE VIEW {name} AS {body}")
            elif superseded is None:
                con.execute(f"CREATE TEMP TABLE {name} AS {body}")
            else:
                con.register("_given", superseded)
                con.execute(f"CREATE TEMP TABLE {name} AS SELECT _file, _row FROM _given")
                con.unregister("_given")
    except BaseException:
        con.close()
        raise
    return con


def superseded_rows(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The connection's ranking of article versions (``_superseded``), to hand to another
    connection over the same snapshot (:func:`connect`'s ``superseded``)."""
    return arrow_table(con, "SELECT _file, _row FROM _superseded")


def arrow_table(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | None = None) -> pa.Table:
    """A query's result as an Arrow table (through a relation: no extra copy)."""
    rel = con.sql(sql, params=params) if params else con.sql(sql)
    fetch = getattr(rel, "to_arrow_table", None) or rel.fetch_arrow_table
    return fetch()


def arrow_reader(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | None,
                 batch_rows: int) -> pa.RecordBatchReader:
    """A query's result as a stream of Arrow batches (through a relation: no extra copy)."""
    rel = con.sql(sql, params=params) if params else con.sql(sql)
    fetch = getattr(rel, "to_arrow_reader", None) or rel.fetch_arrow_reader
    return fetch(batch_rows)
