"""The search page: ``govnews search`` terms, facets (district, column, month) with counts, snippets,
pages of 20, and the term's articles per month and district as a chart."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request

from crawler.web import charts, inputs
from crawler.web.app import known_slugs, render
from crawler.web.searching import MAX_PAGE, PER_PAGE


def parse(request: Request) -> dict:
    """The search parameters of the request, each through its allow-list."""
    q = request.query_params
    since, until = inputs.month_range(q.get("month"))
    return {"terms": inputs.text(q.get("q"), "q", limit=500),
            "site": inputs.slug(q.get("site"), known_slugs(request)),
            "column": inputs.text(q.get("column"), "column", limit=100),
            "month": inputs.month(q.get("month")), "since": since, "until": until,
            "page": inputs.integer(q.get("page"), "page", default=1, lo=1, hi=MAX_PAGE)}


def run_search(request: Request, p: dict) -> dict | None:
    from warehouse.fulltext.grammar import QueryError

    if not p["terms"]:
        return None
    try:
        return request.app.state.searcher.search(p["terms"], site=p["site"], column=p["column"], since=p["since"],
                                                 until=p["until"], page=p["page"])
    except QueryError as exc:
        raise inputs.BadInput(f"bad search terms: {exc}") from None


def search(request: Request):
    p = parse(request)
    res = run_search(request, p)
    base = {k: p[k] for k in ("site", "column", "month") if p[k]} | {"q": p["terms"] or ""}

    def link(**change) -> str:
        args = {**base, **change}
        return "/search?" + urlencode({k: v for k, v in args.items() if v not in (None, "")})

    chart = None
    if res and res["chart"][0]:
        chart = charts.stacked_bars(*res["chart"], label="matching articles per month and district")
    pages = 0 if not res else min(MAX_PAGE, (res["total"] + PER_PAGE - 1) // PER_PAGE)
    return render(request, "search.html", p=p, res=res, link=link, chart=chart, pages=pages)


ROUTES = [("/search", search)]
