"""What the archive already holds for a site: the incremental crawl's seen-set."""

from __future__ import annotations

import duckdb

from warehouse.layout import Layout


def known_articles(layout: Layout, site: str) -> dict[str, str]:
    """``url_key -> content_sha256`` of the latest version of every archived article of ``site``."""
    part = layout.root / "articles" / f"site={site}"
    if not part.is_dir() or not any(p for p in part.glob("*/*.parquet") if not p.name.startswith(".")):
        return {}
    glob = str(part / "*" / "*.parquet")
    con = duckdb.connect()
    try:
        rows = con.execute(
            """
            SELECT url_key, arg_max(content_sha256, fetched_at)
            FROM read_parquet(?, union_by_name = true, hive_partitioning = false)
            GROUP BY url_key
            """,
            [glob],
        ).fetchall()
    finally:
        con.close()
    return dict(rows)
