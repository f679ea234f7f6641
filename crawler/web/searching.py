"""The search page's data: ``govnews search``'s own library (grammar, filters, counts, snippets).

The index is brought up to date once, when ``govnews serve`` starts (:func:`prepare`); requests only
read it (no endpoint writes), reloading it to see what a later ``govnews index`` committed."""

from __future__ import annotations

import threading
from dataclasses import asdict

from warehouse.fulltext import grammar
from warehouse.fulltext.search import count, count_by, current, filtered, top_hits
from warehouse.fulltext.store import exists, open_index
from warehouse.layout import Layout

PER_PAGE = 20
MAX_PAGE = 50
CHART_SITES = 8


class Searcher:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._index = None
        self._lock = threading.Lock()

    def prepare(self, wait: float = 600.0) -> None:
        """Build or catch up the index (at start-up, before any request)."""
        self._index = current(self.layout, wait=wait)

    def index(self):
        with self._lock:
            if self._index is None:
                if not exists(self.layout):
                    return None
                self._index = open_index(self.layout)
            self._index.reload()
            return self._index

    def search(self, terms: str, *, site: str | None = None, column: str | None = None,
               since=None, until=None, page: int = 1) -> dict:
        """Hits of one page, the total, facet counts (site, column, month) and the month-by-site chart data.

        Raises :class:`grammar.QueryError` for malformed terms."""
        tree = grammar.parse(terms)
        index = self.index()
        if index is None:
            return {"total": 0, "hits": [], "facets": {}, "chart": ([], {}), "no_index": True}
        sites, columns = [site] if site else [], [column] if column else []
        query = filtered(index.schema, tree, sites=sites, columns=columns, since=since, until=until)
        total = count(index, query)
        hits = top_hits(self.layout, index, query, tree, page * PER_PAGE)[(page - 1) * PER_PAGE:]
        facets = {f: count_by(index, query, f) for f in ("site", "column", "month")}
        months = [m for m, _ in facets["month"] if m]
        series = {}
        for s, _ in sorted(facets["site"], key=lambda r: -r[1])[:CHART_SITES]:
            if s is None:
                continue
            q = filtered(index.schema, tree, sites=[s], columns=columns, since=since, until=until)
            per = dict(count_by(index, q, "month"))
            series[s] = [per.get(m, 0) for m in months]
        return {"total": total, "hits": [asdict(h) for h in hits], "facets": facets, "chart": (months, series),
                "no_index": False}
