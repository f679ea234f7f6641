"""The Starlette application: GET routes only, Jinja2 with autoescaping, assets from ``static/``.

Every response carries a Content-Security-Policy (the app's pages: nothing from outside govnews;
archived responses: :data:`crawler.web.routes.archived.ARCHIVED_CSP`), ``nosniff`` and no referrer."""

from __future__ import annotations

from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from crawler.web.inputs import BadInput
from crawler.web.searching import Searcher
from crawler.web.sqlworker import SqlWorker
from crawler.web.store import ArchiveStore

HERE = Path(__file__).parent
APP_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
           "form-action 'self'; base-uri 'none'; frame-ancestors 'self'")


class SecurityHeaders:
    """Pure ASGI middleware: the headers every response gets (a route may set a stricter CSP)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", APP_CSP.encode()))
                # no Cross-Origin-Resource-Policy: the sandboxed iframe has an opaque origin, and its
                # archived images (from govnews) would count as cross-origin
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with)


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["dt"] = lambda v: "" if v is None else str(v)[:19]
    return Jinja2Templates(env=env)


async def bad_input(request: Request, exc: BadInput):
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": str(exc)}, status_code=400)
    return request.app.state.templates.TemplateResponse(request, "error.html", {"message": str(exc)},
                                                        status_code=400)


async def not_found(request: Request, exc):
    """404 (nothing under that name) and 405 (not GET: no endpoint writes), in one line."""
    status = getattr(exc, "status_code", 404)
    detail = getattr(exc, "detail", None) or ("not found" if status == 404 else "only GET is served")
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": detail}, status_code=status)
    return PlainTextResponse(detail, status_code=status)


def create_app(layout, registry: dict, *, sql_timeout: float = 60.0, prepare_index: bool = True) -> Starlette:
    from crawler.web.routes import api, archived, article, pages, search, sql

    routes = [Route(path, fn, methods=["GET"]) for path, fn in
              [*pages.ROUTES, *search.ROUTES, *article.ROUTES, *archived.ROUTES, *sql.ROUTES, *api.ROUTES]]
    routes.append(Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"))
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)],
                    exception_handlers={BadInput: bad_input, 404: not_found, 405: not_found})
    app.state.layout = layout
    app.state.registry = registry
    app.state.store = ArchiveStore(layout)
    app.state.searcher = Searcher(layout)
    app.state.sql = SqlWorker(str(layout.root), timeout=sql_timeout)
    app.state.templates = _templates()
    app.state.sql.start()  # its process opens the sandbox while the index and the pages' data are read
    if prepare_index:
        app.state.searcher.prepare()
        from crawler.web.data import all_sites_tables, article_detail, sites_overview

        # the pages' data of this snapshot, read once now: the first pages asked for come from memory
        sites_overview(app.state.store, registry)
        all_sites_tables(app.state.store)
        keys = app.state.store.key_files()
        if keys:  # the first part-snapshot connection and captures read cost most: pay them now
            article_detail(app.state.store, next(iter(keys)))
    return app


def known_slugs(request: Request) -> set[str]:
    from crawler.web.data import sites_overview

    state = request.app.state
    return set(state.registry) | {r["site"] for r in sites_overview(state.store, state.registry)}


def render(request: Request, name: str, **context):
    return request.app.state.templates.TemplateResponse(request, name, context)
