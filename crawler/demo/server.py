"""The fixture server: serves the bundled demo district sites over HTTP on 127.0.0.1.

Stdlib only. The crawler sends every request through this server as an HTTP
proxy (``request.meta['proxy'] = 'http://127.0.0.1:PORT'``), so requests arrive
in absolute form::

    GET http://haidian.demo.govnews.test/xwzx/qzyw/index.html HTTP/1.1

Origin form (``GET /xwzx/qzyw/index.html`` plus a ``Host:`` header) works too.
Archived URLs therefore keep the fake ``*.demo.govnews.test`` host names whatever
port the server got.

``https://`` sites: a client asks the proxy for a tunnel (``CONNECT host:443``);
the server answers ``200`` and speaks TLS on that connection itself, with a
self-signed certificate made when the first tunnel opens
(:mod:`crawler.demo.tls`; Scrapy does not verify certificates), then serves the
requests inside it from the same folders. Their log lines carry ``"scheme": "https"``.

Mapping a request to a file (the disk is read on every request, no caching, so
tests may add, edit or remove files between crawls):

* ``http://<host>/<path>`` -> ``ROOT/<host>/<path>`` (host lower-cased, port dropped,
  the path percent-decoded).
* ``/`` and every path ending in ``/`` -> ``.../index.html``.
* A query string selects the file ``<path>@<query>`` (the query verbatim, not
  decoded or reordered): ``/col/col1001/index.html?uid=0&pageNum=2`` ->
  ``ROOT/<host>/col/col1001/index.html@uid=0&pageNum=2``.
* A path with a ``..`` segment (or one that would resolve outside the host
  directory) -> 403. Unknown host or missing file -> 404 with a small HTML body.

Content-Type: ``.html``/``.htm`` -> ``text/html; charset=utf-8``; other extensions
by :mod:`mimetypes` (judged on the URL path, not the ``@query`` file name).
A host may override it with ``ROOT/<host>/_headers.json``: an object mapping an
:func:`fnmatch.fnmatch` glob over the URL path (leading ``/``, no query) to a
Content-Type value; the first matching glob in file order wins, e.g.
``{"/xwzx/tzgg/*.html": "text/html"}`` (no charset: the page's meta decides).

POST (JSON list APIs, Hanweb jpage proxies) selects the file
``<path>@POST@<query>@<key>``, ``<key>`` the first 16 hex digits of the SHA-256
of the form body put in canonical order (:func:`form_key`: parsed, sorted,
re-encoded), so a request with other form fields finds no file (404).

A host may require request headers with ``ROOT/<host>/_require.json``: glob
over the URL path -> ``{header: value}``; a request that does not send them
gets 403 (Haidian's portal wants a Referer).

Every request is appended to ``--log FILE`` as one JSON line::

    {"t": 1700000000.123, "method": "GET", "host": "...", "path": "/...?q", "status": 200, "bytes": 1234}

CLI: ``python -m crawler.demo.server --root DIR [--port 0] [--log FILE]`` prints
exactly one line ``READY http://127.0.0.1:PORT`` once listening, then serves until
SIGTERM/SIGINT and exits 0.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import html
import io
import json
import mimetypes
import signal
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

DEMO_ROOT = Path(__file__).parent / "www"
HOST = "127.0.0.1"
HEADERS_FILE = "_headers.json"
REQUIRE_FILE = "_require.json"
STATUS_FILE = "_status.json"  # glob -> an error status the path answers (a fixture's failing page)
MAX_FORM_BYTES = 64 * 1024


def form_key(body: str) -> str:
    """The file-name key of a POST form body (field order and encoding do not matter)."""
    canonical = urlencode(sorted(parse_qsl(body, keep_blank_values=True)))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def post_file(rel: str, query: str, form: dict[str, str]) -> str:
    """Where a fixture keeps the answer to a POST of ``form`` to ``rel?query``."""
    return f"{rel}@POST@{query}@{form_key(urlencode(form))}"


class DemoServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, port: int = 0, log_path: Path | None = None) -> None:
        self.root = Path(root).resolve()
        self._log_lock = threading.Lock()
        self._log: IO[str] | None = None
        if log_path is not None:
            self._log = open(log_path, "a", encoding="utf-8", buffering=1)
        self._tls: ssl.SSLContext | None = None
        super().__init__((HOST, port), DemoHandler)

    def tls_context(self) -> ssl.SSLContext:
        """The TLS context of ``CONNECT`` tunnels (made once, with a fresh self-signed certificate)."""
        with self._log_lock:
            if self._tls is None:
                from crawler.demo.tls import server_context

                self._tls = server_context()
            return self._tls

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"

    def log_request_line(self, record: dict) -> None:
        if self._log is None:
            return
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._log_lock:
            self._log.write(line)
            self._log.flush()

    def server_close(self) -> None:
        super().server_close()
        with self._log_lock:
            if self._log is not None:
                self._log.close()
                self._log = None


def _host_rule(host_dir: Path, name: str, url_path: str):
    """The value of the first glob in ``host_dir/name`` matching ``url_path`` (None: no file, no match)."""
    path = host_dir / name
    if not path.is_file():
        return None
    try:
        rules = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for pattern, value in rules.items():
        if fnmatch.fnmatchcase(url_path, pattern):
            return value
    return None


def _content_type(host_dir: Path, url_path: str) -> str:
    value = _host_rule(host_dir, HEADERS_FILE, url_path)
    if value is not None:
        return str(value)
    lower = url_path.lower()
    if lower.endswith((".html", ".htm", ".shtml", "/")):
        return "text/html; charset=utf-8"
    guessed, _ = mimetypes.guess_type(lower)
    if guessed is None:
        return "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/json", "application/javascript"):
        return f"{guessed}; charset=utf-8"
    return guessed


class _TLSWriter(io.BufferedIOBase):
    """``wfile`` of a tunnelled connection (what socketserver's writer is for a plain one)."""

    def __init__(self, sock: ssl.SSLSocket) -> None:
        self.sock = sock

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.sock.sendall(data)
        return len(data)


class DemoHandler(BaseHTTPRequestHandler):
    server: DemoServer
    server_version = "govnews-demo/1.0"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    tunnel = False  # inside a CONNECT tunnel (https)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet
        pass

    def do_CONNECT(self) -> None:
        """Open a tunnel for an https site: TLS on this connection, then the site's requests inside it."""
        if self.tunnel:
            self.send_error(400, "CONNECT inside a tunnel")
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        try:
            tls = self.server.tls_context().wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        self.connection = tls
        self.rfile = tls.makefile("rb", self.rbufsize)
        self.wfile = _TLSWriter(tls)
        self.tunnel = True
        self.close_connection = False

    def finish(self) -> None:
        super().finish()
        if self.tunnel:
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.connection.close()

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_FORM_BYTES:
            self._form = None
        else:
            self._form = self.rfile.read(length).decode("utf-8", "replace")
        self._serve(head=False)

    # -- request to (host, path, query) ---------------------------------------

    def _target(self) -> tuple[str, str, str]:
        raw = self.path
        if raw.lower().startswith(("http://", "https://")):
            parts = urlsplit(raw)
            host = parts.hostname or ""
            path, query = parts.path or "/", parts.query
        else:
            host = (self.headers.get("Host") or "").strip()
            if host.startswith("["):
                host = host.split("]")[0] + "]"
            else:
                host = host.rsplit(":", 1)[0] if ":" in host else host
            path, _, query = raw.partition("?")
            path = path.split("#", 1)[0] or "/"
        return host.lower().rstrip("."), path, query

    def _serve(self, head: bool) -> None:
        host, path, query = self._target()
        logged_path = path + (f"?{query}" if query else "")
        if self.command == "POST":
            status, body, ctype = self._resolve_post(host, path, query)
        else:
            status, body, ctype = self._resolve(host, path, query)
        # logged before the response goes out, so a client that has its answer
        # always finds the line in the log
        record = {"t": round(time.time(), 3), "method": self.command, "host": host,
                  "path": logged_path, "status": status, "bytes": 0 if head else len(body)}
        if self.tunnel:
            record["scheme"] = "https"
        self.server.log_request_line(record)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _resolve_post(self, host: str, path: str, query: str) -> tuple[int, bytes, str]:
        form = getattr(self, "_form", None)
        if form is None:
            return self._error(413, "Form too large")
        return self._resolve(host, path, f"POST@{query}@{form_key(form)}")

    def _resolve(self, host: str, path: str, query: str) -> tuple[int, bytes, str]:
        decoded = unquote(path)
        segments = decoded.split("/")
        if any(seg == ".." for seg in segments) or "\\" in decoded or "\x00" in decoded or ".." in query.split("/"):
            return self._error(403, "Forbidden")
        root = self.server.root
        if not host or "/" in host or host.startswith(".") or not (root / host).is_dir():
            return self._error(404, f"Unknown host {host}")
        host_dir = (root / host).resolve()
        rel = decoded.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        url_path = "/" + rel
        if query:
            if "/" in query:
                return self._error(403, "Forbidden")
            rel = f"{rel}@{query}"
        target = (host_dir / rel).resolve()
        if host_dir != target and host_dir not in target.parents:
            return self._error(403, "Forbidden")
        if target.name in (HEADERS_FILE, REQUIRE_FILE, STATUS_FILE) and target.parent == host_dir:
            return self._error(404, "Not Found")
        failing = _host_rule(host_dir, STATUS_FILE, url_path)
        if isinstance(failing, int) and 400 <= failing < 600:
            return self._error(failing, "Internal Server Error" if failing == 500 else "Error")
        required = _host_rule(host_dir, REQUIRE_FILE, url_path) or {}
        missing = [k for k, v in required.items() if self.headers.get(k) != v]
        if missing:
            return self._error(403, f"Forbidden (send {', '.join(missing)})")
        try:
            body = target.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return self._error(404, "Not Found")
        except PermissionError:
            return self._error(403, "Forbidden")
        return 200, body, _content_type(host_dir, url_path)

    @staticmethod
    def _error(status: int, message: str) -> tuple[int, bytes, str]:
        text = html.escape(message)
        body = (f"<!DOCTYPE html><html><head><title>{status} {text}</title></head>"
                f"<body><h1>{status} {text}</h1></body></html>\n").encode("utf-8")
        return status, body, "text/html; charset=utf-8"


def start_server(root: Path, port: int = 0, log_path: Path | None = None) -> tuple[DemoServer, str]:
    """Serve ``root`` on 127.0.0.1:``port`` (0 = any free port) in a daemon thread."""
    server = DemoServer(Path(root), port, log_path)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="govnews-demo-server", daemon=True)
    thread.start()
    return server, server.url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo.server", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEMO_ROOT, help="directory holding one folder per host")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free port)")
    parser.add_argument("--log", type=Path, default=None, help="append one JSON line per request here")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"--root {args.root} is not a directory")
    stop = threading.Event()

    def _stop(signum, frame) -> None:  # noqa: ARG001
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    server, url = start_server(args.root, args.port, args.log)
    print(f"READY {url}", flush=True)
    try:
        while not stop.wait(0.1):
            pass
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
