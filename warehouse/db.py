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
  :mod:`warehouse.compact`), so a reader never counts a row twice. Compaction
  moves them to ``trash/`` at once; a snapshot reads hard links of its files
  (:mod:`warehouse.pins`), so a reader whose snapshot still names them can finish.
- The partitioned tables' files do not hold ``site``: it comes from the
  ``site=<slug>`` folder (hive partitioning), which also lets DuckDB skip the
  files of other sites. Older files that do hold it read the same.
- A table with no file yet is an empty relation of its Arrow schema, so a
  connection over an empty archive, or one holding only some tables, works.

The ``articles`` view (latest version per url_key) does not rank versions in
every query: when the connection opens, ``_superseded`` (the rows a later
version replaces, by file name and row number) is computed once over the
snapshot from the small key columns and kept as a temp table, and
``articles`` is ``article_versions`` without those rows. Filters on
``articles`` (``body_text LIKE``, a site, a date range) so reach the Parquet
scan. Likewise ``_repeated`` names the rows that repeat a version already
stored (same site, url_key, content_sha256 and extractor_version: two crawls
of one site that overlapped, or one job run twice), and ``article_versions``
leaves them out, so no version is visible twice. Opening a connection costs that ranking (a connection over a compacted
million-article archive opens in about 0.5 s: ``python -m tests.bench.warehouse``).

Call :func:`connect` again to see files committed since.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.compact import live_files
from warehouse.filegroups import by_schema
from warehouse.layout import Layout
from warehouse.pins import Pins, hold
from warehouse.schema import PARTITION_COLUMNS, TABLES, TZ
from warehouse.sqltext import sql_list

VIEWS_DIR = Path(__file__).parent / "views"
# dependency order: a view may use the views before it
VIEW_ORDER = ["_repeated", "article_versions", "_superseded", "articles", "captures", "runs", "site_daily"]
# computed once per connection (over its snapshot) and kept as a temp table, not a view
MATERIALISED = {"_repeated", "_superseded"}


class Snapshot(dict[str, list[Path]]):
    """``table -> files`` a connection reads; ``pins`` keeps them readable while it lives."""

    pins: Pins | None = None


def snapshot(archive: Layout | str | Path | None = None, sites: list[str] | None = None) -> Snapshot:
    """The files each table's views read now (``sites``: only those sites' partitions; runs always whole),
    pinned (:mod:`warehouse.pins`) for as long as the snapshot, or a connection over it, lives."""
    layout = archive if isinstance(archive, Layout) else Layout.at(archive)
    layout = Layout(layout.root.resolve())
    out = Snapshot()
    out.pins = Pins(layout.root)
    for table in TABLES:
        if table == "runs" or not sites:
            out[table] = live_files(layout, table, pins=out.pins)
        else:
            out[table] = [p for s in sites for p in live_files(layout, table, s, pins=out.pins)]
    return out


def restrict(snap: Snapshot, sites: list[str]) -> Snapshot:
    """Part of a snapshot: only the partitions of ``sites`` (``runs`` kept whole)."""
    folders = {f"site={s}" for s in sites}
    out = Snapshot({t: (files if t == "runs" else [p for p in files if p.parent.parent.name in folders])
                    for t, files in snap.items()})
    out.pins = getattr(snap, "pins", None)
    return out


# what ``_superseded`` ranks by: columns every articles file has had since schema v1
_KEY_COLUMNS = "site, url_key, content_sha256, fetched_at, run_id"
# a row's identity within one snapshot: file name, row number in the file
_ROW_IDS = "filename AS _file, file_row_number AS _row"
_NO_ROW_IDS = "NULL::VARCHAR AS _file, NULL::BIGINT AS _row"


def _columns(table: str, also: tuple[str, ...] = ()) -> str:
    """The view's columns in schema order (a hive column would come last), ``month`` left out;
    ``also``: more columns, last (the row ids)."""
    schema = TABLES[table]
    keys = PARTITION_COLUMNS[table]
    if not keys:
        return "*"
    # schema order up to the last partition column, then every other column as the files have it
    last = max(schema.get_field_index(k) for k in keys)
    head = [f'"{n}"' for n in schema.names[:last + 1]]
    tail = [f'"{n}"' for n in also]
    return f"{', '.join(head)}, * EXCLUDE ({', '.join(head + tail)}, month){''.join(', ' + t for t in tail)}"


def _read_parquet(listed: str, *, hive: bool = True, union_by_name: bool = True) -> str:
    # ``site`` from the folder name lets DuckDB skip other sites' files
    partitions = ("hive_partitioning = true, hive_types = {'site': VARCHAR, 'month': VARCHAR}" if hive
                  else "hive_partitioning = false")
    return f"read_parquet({listed}, union_by_name = {str(union_by_name).lower()}, {partitions})"


def _grouped(groups: list[list[Path]], select: str, *, hive: bool = True, row_ids: bool = False) -> str:
    """``(SELECT {select} FROM (<group 1> UNION ALL BY NAME <group 2> ...))``: each group of files of
    one schema read without ``union_by_name`` (:mod:`warehouse.filegroups`); the columns are chosen
    over the union, so a group that lacks some (an older, narrower schema) reads them as NULL."""
    if len(groups) == 1 and not row_ids:
        return f"(SELECT {select} FROM {_read_parquet(sql_list(groups[0]), hive=hive, union_by_name=False)})"
    ids = f", {_ROW_IDS}" if row_ids else ""
    parts = [f"SELECT *{ids} FROM {_read_parquet(sql_list(g), hive=hive, union_by_name=False)}" for g in groups]
    return f"(SELECT {select} FROM ({' UNION ALL BY NAME '.join(parts)}))"


def _sources(con: duckdb.DuckDBPyConnection, files: Snapshot) -> dict[str, str]:
    """The FROM-clause sources the view SQL files name: ``{articles}``, ``{captures}``, ``{runs}``
    (a snapshot of the table's files, or an empty relation of its Arrow schema), and for
    ``_superseded``/``articles`` the articles with row ids: ``{articles_rows}`` (every column)
    and ``{articles_keys}`` (the key columns only)."""
    out: dict[str, str] = {}
    groups: dict[str, list[list[Path]]] = {}
    for table in TABLES:
        if not files.get(table):
            out[table] = f"_empty_{table}"
            con.register(out[table], pa.Table.from_pylist([], schema=TABLES[table]))
            continue
        groups[table] = by_schema(con, files[table])
        # ``month`` is a partition key only (published month), not a column of the views
        out[table] = (_grouped(groups[table], "*", hive=False) if table == "runs"
                      else _grouped(groups[table], _columns(table)))
    if "articles" in groups:
        out["articles_rows"] = _grouped(groups["articles"], _columns("articles", ("_file", "_row")), row_ids=True)
        # every file has the key columns: one read, no matching of files by name
        out["articles_keys"] = (f"(SELECT {_KEY_COLUMNS}, {_ROW_IDS} "
                                f"FROM {_read_parquet(sql_list(files['articles']), union_by_name=False)})")
    else:
        out["articles_rows"] = f"(SELECT *, {_NO_ROW_IDS} FROM {out['articles']})"
        out["articles_keys"] = f"(SELECT {_KEY_COLUMNS}, {_NO_ROW_IDS} FROM {out['articles']})"
    return out


def view_sql(name: str) -> str:
    return (VIEWS_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect(archive: Layout | str | Path | None = None, *, memory_limit: str = "2GB",
            threads: int | None = None, files: Snapshot | None = None,
            superseded: pa.Table | None = None, rank_once: bool = True,
            config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the views ``articles``, ``article_versions``, ``captures``,
    ``runs`` and ``site_daily`` over a snapshot of the archive's files (``files``: one taken
    earlier by :func:`snapshot`, e.g. to read one snapshot through several connections).

    ``superseded``: the ranking another connection made of the same snapshot (or of more of
    it), from :func:`superseded_rows`, used instead of ranking again. ``rank_once=False``:
    no ranking when the connection opens; ``_superseded`` is a view, ranked in each query
    that reads ``articles`` (for connections that read other views only). ``config``: more
    DuckDB settings for the connection (e.g. the sandbox's ``temp_directory = ''``)."""
    files = files if files is not None else snapshot(archive)
    # Publication times are Asia/Shanghai wall-clock times: show them so.
    con = duckdb.connect(":memory:", config={**(config or {}), "memory_limit": memory_limit})
    hold(con, getattr(files, "pins", None))  # the snapshot's files stay readable while the connection lives
    try:
        con.execute(f"SET TimeZone = '{TZ}'")
        con.execute("SET enable_progress_bar = false")  # DuckDB would draw it over the command's output
        # every query re-binds the views: keep the files' footers instead of re-reading them
        con.execute("SET parquet_metadata_cache = true")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        sources = _sources(con, files)
        materialise = superseded is not None or rank_once
        for name in VIEW_ORDER:
            if name == "_repeated":
                sources["repeated_candidates"] = _repeated_candidates(con, sources, materialise)
            body = view_sql(name).format(**sources)
            if name == "_repeated" and sources["repeated_candidates"] == "_repeated_none":
                body = f"SELECT {_NO_ROW_IDS} WHERE false"  # the usual case: no version stored twice
            if name not in MATERIALISED or (superseded is None and not rank_once):
                con.execute(f"CREATE VIEW {name} AS {body}")
            elif superseded is None or name != "_superseded":
                con.execute(f"CREATE TEMP TABLE {name} AS {body}")
            else:
                con.register("_given", superseded)
                con.execute(f"CREATE TEMP TABLE {name} AS SELECT _file, _row FROM _given")
                con.unregister("_given")
    except BaseException:
        con.close()
        raise
    return con


# (site, url_key, content_sha256) hashes seen more than once: the only rows _repeated ranks
_REPEATED_CANDIDATES = ("SELECT hash(site, url_key, content_sha256) AS h FROM {articles_keys} "
                        "GROUP BY h HAVING count(*) > 1")


def _repeated_candidates(con: duckdb.DuckDBPyConnection, sources: dict[str, str], materialise: bool) -> str:
    """What ``_repeated.sql`` takes its candidates from: a subquery (views ranked per query), a temp
    table, or ``_repeated_none`` when there is none (then ``_repeated`` reads no articles file again)."""
    sql = _REPEATED_CANDIDATES.format(**sources)
    if not materialise:
        return f"({sql})"
    con.execute(f"CREATE TEMP TABLE _repeated_candidates AS {sql}")
    if con.execute("SELECT count(*) FROM _repeated_candidates").fetchone()[0] == 0:
        return "_repeated_none"
    return "_repeated_candidates"


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
