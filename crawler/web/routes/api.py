"""The JSON API: the data of each page (README "govnews serve" lists the endpoints)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from crawler.output import jsonable
from crawler.web import data, inputs
from crawler.web.app import known_slugs
from crawler.web.routes.article import lookup_key
from crawler.web.routes.search import parse, run_search
from crawler.web.routes.sql import PAGE_ROWS, STATUS, statement


def _json(value, status: int = 200) -> JSONResponse:
    return JSONResponse(jsonable(value), status_code=status)


def sites(request: Request):
    return _json(data.sites_overview(request.app.state.store, request.app.state.registry))


def site(request: Request):
    slug = inputs.slug(request.path_params["slug"], known_slugs(request))
    return _json(data.site_detail(request.app.state.store, request.app.state.registry, slug))


def runs(request: Request):
    limit = inputs.integer(request.query_params.get("limit"), "limit", default=50, lo=1, hi=1000)
    return _json(data.runs_recent(request.app.state.store, limit))


def search(request: Request):
    p = parse(request)
    if not p["terms"]:
        raise inputs.BadInput("q is required")
    res = run_search(request, p)
    res["facets"] = {k: [{"value": v, "articles": n} for v, n in rows] for k, rows in res["facets"].items()}
    months, series = res.pop("chart")
    res["per_month_and_site"] = {"months": months, "sites": series}
    return _json({"q": p["terms"], "page": p["page"], **res})


def article(request: Request):
    d = data.article_detail(request.app.state.store, lookup_key(request))
    if d is None:
        raise HTTPException(404)
    return _json(d)


def sql(request: Request):
    q = statement(request)
    if not q:
        raise inputs.BadInput("q is required")
    answer = request.app.state.sql.run(q, max_rows=PAGE_ROWS)
    if answer.error:
        return _json({"error": answer.error, "kind": answer.kind}, STATUS.get(answer.kind, 400))
    return _json({"columns": answer.table.column_names, "rows": [list(r.values()) for r in answer.table.to_pylist()]})


ROUTES = [("/api/sites", sites), ("/api/sites/{slug}", site), ("/api/runs", runs), ("/api/search", search),
          ("/api/article", article), ("/api/sql", sql)]
