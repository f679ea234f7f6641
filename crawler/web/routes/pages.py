"""Home (every district at a glance) and the district page."""

from __future__ import annotations

from starlette.requests import Request

from crawler.web import charts, data, inputs
from crawler.web.app import known_slugs, render


def home(request: Request):
    state = request.app.state
    rows = data.sites_overview(state.store, state.registry)
    return render(request, "home.html", rows=rows, sparkline=charts.sparkline,
                  total=sum(r["articles"] for r in rows), runs=data.runs_recent(state.store, 10))


def site(request: Request):
    state = request.app.state
    slug = inputs.slug(request.path_params["slug"], known_slugs(request))
    d = data.site_detail(state.store, state.registry, slug)
    months, series = data.monthly_series(d["monthly"])
    days = [r["day"].strftime("%m-%d") for r in d["daily"]]
    crawl = charts.stacked_bars(days, {"new": [r["new"] for r in d["daily"]],
                                       "blocked": [r["blocked"] for r in d["daily"]],
                                       "errors": [r["errors"] for r in d["daily"]]},
                                label="new articles, blocked and errors per day")
    return render(request, "site.html", d=d, monthly_chart=charts.stacked_bars(
        months, series, label="articles per month and column"), crawl_chart=crawl)


ROUTES = [("/", home), ("/site/{slug}", site)]
