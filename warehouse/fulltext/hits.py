"""The matches of a search as a relation for SQL: ``hits`` in ``govnews query --hits TERMS``.

One row per matching article (its latest version), from the index's stored fields, so
a query over ``hits`` never reads a body:

    url_key, site, district, column, month (YYYY-MM), published_at, title

Join it to ``articles`` on ``url_key`` for any other column.
"""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from warehouse.fulltext import grammar
from warehouse.fulltext.search import SH, current, filtered
from warehouse.layout import Layout
from warehouse.schema import TZ

HITS_SCHEMA = pa.schema([
    ("url_key", pa.string()), ("site", pa.string()), ("district", pa.string()), ("column", pa.string()),
    ("month", pa.string()), ("published_at", pa.timestamp("s", tz=TZ)), ("title", pa.string()),
])


def hits_table(layout: Layout, terms: str, *, wait: float = 120.0) -> pa.Table:
    """Every article matching ``terms`` (the :mod:`grammar` of ``govnews search``)."""
    tree = grammar.parse(terms)
    index = current(layout, wait=wait)
    query = filtered(index.schema, tree)
    searcher = index.searcher()
    n = searcher.search(query, limit=1, count=True).count
    cols: dict[str, list] = {f.name: [] for f in HITS_SCHEMA}
    if n:
        for _, addr in searcher.search(query, limit=n, count=False).hits:
            d = searcher.doc(addr)
            if not (layout.root / d["file"][0]).is_file():  # the archive no longer holds it
                continue
            for name in ("url_key", "site", "district", "column", "month"):
                cols[name].append(d.get_first(name))
            pub = d.get_first("published")
            cols["published_at"].append(datetime.fromtimestamp(pub, SH) if pub is not None else None)
            title = d.get_first("title_text")
            cols["title"].append(bytes(title).decode("utf-8") if title is not None else None)
    return pa.table({f.name: pa.array(cols[f.name], f.type) for f in HITS_SCHEMA}, schema=HITS_SCHEMA)
