"""In-memory DuckDB connections over the archive's files, with the views registered.

No shared ``.duckdb`` file: every reader opens its own in-memory connection,
so readers never block a writer or each other. Views are the SQL files in
``warehouse/views/`` (one view each), created in dependency order.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.layout import Layout
from warehouse.schema import TABLES, TZ

VIEWS_DIR = Path(__file__).parent / "views"
# dependency order
VIEW_ORDER = ["article_versions", "articles", "captures", "runs"]


def _source(con: duckdb.DuckDBPyConnection, layout: Layout, table: str) -> str:
    """A FROM-clause source for ``table``: its files, or an empty typed relation."""
    schema = TABLES[table]
    if layout.has_files(table):
        glob = layout.glob(table).replace("'", "''")
        hive = "true" if table != "runs" else "false"
        extra = ", hive_types = {'site': VARCHAR, 'month': VARCHAR}" if table != "runs" else ""
        src = f"read_parquet('{glob}', union_by_name = true, hive_partitioning = {hive}{extra})"
        if table != "runs":
            src = f"(SELECT * EXCLUDE (month) FROM {src})"
        return src
    name = f"_empty_{table}"
    con.register(name, pa.Table.from_pylist([], schema=schema))
    return name


def view_sql(name: str) -> str:
    return (VIEWS_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect(archive: Layout | str | Path | None = None, *, memory_limit: str = "2GB",
            threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with ``articles``, ``article_versions``, ``captures``, ``runs``."""
    layout = archive if isinstance(archive, Layout) else Layout.at(archive)
    # Publication times are Asia/Shanghai wall-clock times: show them so.
    con = duckdb.connect(":memory:", config={"memory_limit": memory_limit})
    con.execute(f"SET TimeZone = '{TZ}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    sources = {t: _source(con, layout, t) for t in TABLES}
    for name in VIEW_ORDER:
        body = view_sql(name).format(**sources)
        con.execute(f"CREATE VIEW {name} AS {body}")
    return con
