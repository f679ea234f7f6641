"""Archived responses, read from the WARC record a capture points to.

``/archive/<host>/<path>?<query>`` serves the response archived for ``http(s)://<host>/<path>?<query>``
(found by its url_key in the captures, never by a file name): an HTML page under a CSP that allows
nothing but inline styles and images from govnews itself, and ``sandbox`` (no scripts, an opaque
origin) even when it is opened outside the article page's ``<iframe sandbox>``. The page's relative
image links resolve to this same route, so archived images come from the WARC too; anything else
(scripts, styles from files, fonts, other hosts) is blocked by the browser. Images of an allowed
type are served as images, any other content as text. ``/text/…``: the payload as plain text."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from crawler.web import data, inputs

ARCHIVED_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp")
MAX_TARGET = 4000


def _record(request: Request):
    from warehouse.identity import url_key
    from warehouse.warc import read_payload

    target = inputs.text(request.path_params["target"], "path", limit=MAX_TARGET, required=True)
    query = inputs.text(request.url.query, "query", limit=MAX_TARGET)
    key = url_key("http://" + target + (f"?{query}" if query else ""))
    state = request.app.state
    cap = data.latest_capture(state.store, key)
    if cap is None:
        raise HTTPException(404, f"not archived: {key}")
    try:
        headers, body = read_payload(state.layout, cap["warc_file"], cap["warc_offset"])
    except (OSError, ValueError):
        raise HTTPException(404, f"the archived record of {key} cannot be read") from None
    return headers, body


def _charset(ctype: str) -> str | None:
    for part in ctype.split(";")[1:]:
        k, _, v = part.strip().partition("=")
        if k.lower() == "charset" and v.strip().strip('"').replace("-", "").replace("_", "").isalnum():
            return v.strip().strip('"')
    return None


def archived(request: Request):
    headers, body = _record(request)
    ctype = (headers.get_header("Content-Type") or "") if headers else ""
    mime = ctype.split(";")[0].strip().lower()
    charset = _charset(ctype)
    if mime in IMAGE_TYPES:
        out = mime
    elif mime in ("text/html", "application/xhtml+xml", ""):
        out = "text/html" + (f"; charset={charset}" if charset else "")
    else:
        out = "text/plain" + (f"; charset={charset}" if charset else "")
    return Response(body, media_type=None, headers={"content-type": out, "content-security-policy": ARCHIVED_CSP,
                                                    "cache-control": "no-store"})


def as_text(request: Request):
    headers, body = _record(request)
    ctype = (headers.get_header("Content-Type") or "") if headers else ""
    charset = _charset(ctype)
    out = "text/plain" + (f"; charset={charset}" if charset else "")
    return Response(body, headers={"content-type": out, "content-security-policy": ARCHIVED_CSP})


ROUTES = [("/archive/{target:path}", archived), ("/text/{target:path}", as_text)]
