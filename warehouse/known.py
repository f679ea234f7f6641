"""What the archive already holds for a site: the incremental crawl's seen-set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from warehouse.compact import live_files
from warehouse.layout import Layout
from warehouse.pins import Pins


@dataclass(frozen=True, slots=True)
class KnownArticle:
    url: str  # as last fetched
    content_sha256: str
    published_at: datetime | None  # aware (Asia/Shanghai), or None when the page gave no date
    column: str | None = None


def known_article_info(layout: Layout, site: str) -> dict[str, KnownArticle]:
    """``url_key -> KnownArticle`` of the latest version of every archived article of ``site``.

    Reads the same file snapshot as every other reader (``live_files``): files a compaction
    has replaced are skipped, and a file moved to trash meanwhile cannot abort the read (the
    snapshot reads its pins, :mod:`warehouse.pins`).
    """
    pins = Pins(layout.root.resolve())
    files = [str(p) for p in live_files(Layout(layout.root.resolve()), "articles", site, pins=pins)]
    if not files:
        return {}
    con = duckdb.connect()
    try:
        rows = con.execute(
            """
            SELECT url_key, arg_max(url, fetched_at), arg_max(content_sha256, fetched_at),
                   arg_max(published_at, fetched_at), arg_max("column", fetched_at)
            FROM read_parquet(?, union_by_name = true, hive_partitioning = false)
            GROUP BY url_key
            """,
            [files],
        ).fetchall()
    finally:
        con.close()
        pins.release()
    return {key: KnownArticle(url, sha, published, column) for key, url, sha, published, column in rows}


def known_articles(layout: Layout, site: str) -> dict[str, str]:
    """``url_key -> content_sha256`` of the latest version of every archived article of ``site``."""
    return {key: info.content_sha256 for key, info in known_article_info(layout, site).items()}
