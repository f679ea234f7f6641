"""govnews serve: a read-only web application over the archive (browse, search, SQL, JSON API).

    govnews serve                         # http://127.0.0.1:8000/
    govnews serve --port 0                # a free port (the first line printed names it)

Pages: districts and their health (/), one district (/site/SLUG), search (/search?q=…), one
article with its versions, captures and archived response (/article?url=… or ?key=URL_KEY), SQL
in the sandbox of ``govnews query`` (/sql?q=…), JSON under /api/ (README "govnews serve"). Every
page is rendered on the server and works without JavaScript; no asset comes from outside govnews.
It binds to 127.0.0.1 unless told otherwise (and warns when it listens on every address). No
endpoint writes; the full-text index is brought up to date once, before the server starts.
First line on stdout: ``govnews serve: listening on http://HOST:PORT/``.
"""

from __future__ import annotations

import ipaddress
import socket
import sys

from crawler.commands import archive_option, existing_archive, registry, sites_option
from crawler.output import UsageError

NAME = "serve"
HELP = "a read-only web application over the archive (pages, search, SQL, JSON API)"


def add_arguments(p) -> None:
    archive_option(p)
    sites_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: a free one)")
    p.add_argument("--sql-timeout", type=float, default=60.0,
                   help="seconds for one query of the SQL page (default 60, as govnews query)")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def run(args) -> int:
    import uvicorn

    from crawler.web.app import create_app

    layout = existing_archive(args)
    if not _loopback(args.host):
        print(f"govnews: warning: listening on {args.host}: every machine that can reach this one can read "
              "the archive (there is no login); use --host 127.0.0.1 to keep it to this machine", file=sys.stderr)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {args.port}")
    if not 0 < args.sql_timeout <= 600:
        raise UsageError("--sql-timeout must be between 0 and 600 seconds")
    try:
        family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((args.host, args.port))
        sock.listen(128)  # connections wait in the backlog from the moment the address is printed
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    app = create_app(layout, registry(args), sql_timeout=args.sql_timeout)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"govnews serve: listening on http://{shown}:{port}/ (archive {layout.root}; Ctrl-C stops)", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    try:
        server.run(sockets=[sock])
    finally:
        app.state.sql.close()
        app.state.store.close()
    return 0
