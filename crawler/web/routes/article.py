"""The article page: every field, the versions with body diffs, the captures, the archived response."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from crawler.web import data, inputs
from crawler.web.app import render

#: fields shown in the table at the top (the rest of the row is shown below it, field by field)
HEAD = ["title", "subtitle", "published_at", "date_source", "source", "authors", "editor", "photographers",
        "column", "site", "district", "city", "province", "admin_code", "url", "url_key"]
INFO = ["index_no", "doc_number", "issuer", "written_at"]  # 信息公开 fields
SKIP = {"body_text", "attachments", "images", "meta", "diff", *HEAD, *INFO}


def lookup_key(request: Request) -> str:
    """The url_key of ``?key=`` or of ``?url=`` (any variant of the URL), within its allow-list."""
    from warehouse.identity import url_key

    q = request.query_params
    key = inputs.text(q.get("key"), "key")
    if key is None:
        url = inputs.text(q.get("url"), "url", required=True)
        if not url.lower().startswith(("http://", "https://")):
            raise inputs.BadInput("url must start with http:// or https://")
        key = url_key(url)
    return key


def archived_path(url: str) -> str:
    """Where ``/archive/…`` serves the archived response of ``url`` (its relative links resolve there too)."""
    rest = url.split("://", 1)[-1]
    return "/archive/" + rest


def article(request: Request):
    key = lookup_key(request)
    d = data.article_detail(request.app.state.store, key)
    if d is None:
        raise HTTPException(404, f"nothing archived under url_key {key}")
    latest = d["latest"] or {}
    return render(request, "article.html", d=d, latest=latest, head=[f for f in HEAD if f in latest],
                  info=[f for f in INFO if f in latest], rest=[f for f in latest if f not in SKIP],
                  archived=archived_path(d["url"]), text_view="/text/" + archived_path(d["url"])[len("/archive/"):])


ROUTES = [("/article", article)]
