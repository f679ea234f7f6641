"""A hostile district web server for fault tests (in the style of Scrapy's tests/mockserver).

    python -m tests.faults.server [--host 127.0.0.1] [--port 0] [--log requests.jsonl]

Prints ``READY http://HOST:PORT`` once listening. It answers both as an origin
(``GET /path``) and as an HTTP proxy (``GET http://host/path``), so crawls use
the fixed hosts of tests/faults/sites/*.toml through ``--via``. Raw asyncio
sockets, so it can misbehave on purpose: drip, hang, cut bodies short, break
chunking, reset connections. One JSON line per request goes to ``--log``.

Routes (host ``faults.govnews.test`` unless said otherwise):

- ``/net/index.html``: the list page, one link per fault route below (``/net/<name>.html``)
- ``/enc/index.html``: the 50 encoding variants ``/enc/<body>-<declaration>-<shape>.html``
- ``/bomb/index.html``, ``/base/index.html``: bombs + plain articles, and the plain articles alone
- host ``wall.faults.govnews.test``: every article is a 521 加速乐 challenge
- host ``robots.faults.govnews.test``: robots.txt disallows everything
- host ``dead.faults.govnews.test``: the connection closes before any response
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import socket
import struct
import sys
import time
import zlib
from urllib.parse import urlsplit

try:
    import brotli
except ImportError:  # pragma: no cover - declared in the project's dependencies
    brotli = None

MARKERS = "镕堃喆祎玥犇"  # in GBK, not in GB2312
GRID_TEXT = (f"朱{MARKERS[0]}基、王{MARKERS[1]}、张{MARKERS[2]}、李{MARKERS[3]}、陈{MARKERS[4]}、"
             f"{MARKERS[5]}牛：区政府召开常务会议。")
# body key -> (python codec, label a page would declare, what decoding should record)
GRID_BODIES = {
    "utf-8": ("utf-8", "utf-8", "utf-8"),
    "utf-8-bom": ("utf-8-sig", "utf-8", "utf-8"),
    "gb2312-declared-gbk": ("gbk", "gb2312", "gb18030"),
    "gbk": ("gbk", "gbk", "gb18030"),
    "gb18030": ("gb18030", "gb18030", "gb18030"),
}
GRID_DECLARATIONS = ("header", "meta", "both", "header-lies", "none")
GRID_SHAPES = ("short", "script30k")
GRID = [f"{b}-{d}-{s}" for b, d, s in itertools.product(GRID_BODIES, GRID_DECLARATIONS, GRID_SHAPES)]

#: the routes of /net/index.html (each an article link)
NET_ROUTES = (
    "ok-1", "ok-2", "unclosed", "slow", "drip", "hang", "truncated", "badchunk", "reset", "e500", "e502",
    "e503", "e404", "retry-after-then-ok", "retry-after-long", "c412", "c521", "challenge200", "loop-a",
    "chain-0", "metarefresh", "jsredirect", "big", "big-stream", "gzip-bomb", "deflate-bomb", "br-bomb",
    "empty", "offsite-redirect", "subdomain-redirect", "literal-redirect", "private/secret",
)
BOMB_ROUTES = ("ok-1", "ok-2", "gzip-bomb", "deflate-bomb", "br-bomb")
BASE_ROUTES = ("ok-1", "ok-2")
WALL_ARTICLES = 40
BOMB_BYTES = 256 * 1024 * 1024  # decompressed size of each bomb
BIG_BYTES = 3 * 1024 * 1024  # over the size limit the fault tests set (1 MiB)

CHALLENGE_412 = (b"<html><head><meta charset='utf-8'><script>var $_ts=window['$_ts'];if(!$_ts)$_ts={};"
                 b"$_ts.nsd=58104;$_ts.cd='qEKqrAAl';document.cookie='FSSBBIl1UgzbN7N80T=' + "
                 b"Math.random() + ';path=/';location.reload();</script></head><body></body></html>")
CHALLENGE_521 = (b"<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')"
                 b"+('a')+('n')+('c')+('e')+('=')+(+!+[]+'')+(1+7)+('.')+(2+4)+('|0|')+('4Kq%2FqG6')"
                 b"+';max-age=3600;path=/';location.href=location.pathname+location.search</script>")
CHALLENGE_200 = (b"<!DOCTYPE html><html><head><meta charset='utf-8'><title></title></head><body>"
                 b"<script>var s='';for(var i=0;i<8;i++){s+=String.fromCharCode(97+i)}"
                 b"document.cookie='waf_token='+s+';path=/';window.location.href=window.location.href;</script>"
                 b"</body></html>")


def article_html(title: str, text: str, *, charset: str = "utf-8", extra_head: str = "") -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return (f"<!DOCTYPE html><html><head>{meta}{extra_head}<title>{title}</title></head><body>"
            f"<div class='TRS_Editor'><h1>{title}</h1><p>发布时间：2020-07-06 08:57 来源：区政府办</p>"
            f"<p>{text}</p><p>{text}</p></div></body></html>")


def list_html(prefix: str, routes, title: str = "区政要闻") -> bytes:
    items = "".join(f"<li><a href='/{prefix}/{r}.html'>{title}：{r}</a><span>2020-07-06</span></li>" for r in routes)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<ul class='list'>{items}</ul></body></html>").encode()


def grid_page(case: str) -> tuple[bytes, str]:
    """(body, Content-Type) of one of the 50 encoding cases."""
    body_kind, rest = next((b, case[len(b) + 1:]) for b in sorted(GRID_BODIES, key=len, reverse=True)
                           if case.startswith(b + "-"))
    declaration, shape = rest.rsplit("-", 1)
    codec, label, expected = GRID_BODIES[body_kind]
    wrong = "gbk" if expected == "utf-8" else "utf-8"
    header_label, meta_label = {
        "header": (label, None), "meta": (None, label), "both": (label, label),
        "header-lies": (wrong, label), "none": (None, None),
    }[declaration]
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={meta_label}">' if meta_label else ""
    script = "<script>" + "var cfg = {a: 1, b: 'x'};\n" * 1250 + "</script>" if shape == "script30k" else ""
    html = (f"<html><head>{meta}{script}<title>会议{MARKERS} {case}</title></head>"
            f"<body><div class='TRS_Editor'><p>{GRID_TEXT}</p><p>case {case}</p></div></body></html>")
    return html.encode(codec), f"text/html; charset={header_label}" if header_label else "text/html"


class Bombs:
    """Compressed bodies that inflate to BOMB_BYTES, made once, on first use."""

    def __init__(self) -> None:
        self.cache: dict[str, bytes] = {}

    def get(self, kind: str) -> bytes:
        if kind not in self.cache:
            chunk = b"\0" * (1024 * 1024)
            n = BOMB_BYTES // len(chunk)
            if kind == "gzip":
                c = zlib.compressobj(6, zlib.DEFLATED, 31)
            elif kind == "deflate":
                c = zlib.compressobj(6, zlib.DEFLATED, 15)
            else:
                c = brotli.Compressor(quality=1)
            parts = [c.compress(chunk) if kind != "br" else c.process(chunk) for _ in range(n)]
            parts.append(c.flush() if kind != "br" else c.finish())
            self.cache[kind] = b"".join(parts)
        return self.cache[kind]


BOMBS = Bombs()
STATE: dict[str, int] = {}


def response(status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers) -> bytes:
    reason = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found", 412: "Precondition Failed",
              429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
              503: "Service Unavailable", 521: "Web Server Is Down"}.get(status, "Status")
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {ctype}", f"Content-Length: {len(body)}",
             "Connection: close"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def redirect(location: str, status: int = 302) -> bytes:
    return response(status, b"", Location=location)


async def handle_net(route: str, writer: asyncio.StreamWriter) -> bytes | None:
    """The response of one /net/ route, or None when the route wrote (or refused to write) its own."""
    if route.startswith("ok-"):
        return response(200, article_html(f"正常文章{route}", f"海淀区召开{route}专题会议，部署重点工作。" * 3).encode())
    if route == "unclosed":
        html = ("<html><head><meta charset='utf-8'><title>未闭合标签的文章</title><body><div class='TRS_Editor'>"
                "<p>发布时间：2020-07-06 来源：区政府办<p>区政府召开常务会议，研究部署防汛工作。<p>会议要求各部门压实责任"
                "<div><span><b>加强值守<table><tr><td>确保安全度汛")
        return response(200, html.encode())
    if route == "slow":
        await asyncio.sleep(30)
        return response(200, b"late")
    if route == "drip":
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 600\r\nConnection: close\r\n\r\n")
        for _ in range(600):
            writer.write(b"x")
            await writer.drain()
            await asyncio.sleep(1)
        return None
    if route == "hang":
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(60)
        return None
    if route == "truncated":
        body = article_html("被截断的文章", "这篇文章的正文在传输中被截断，不应入库。" * 20).encode()
        writer.write(response(200, body)[: len(body) // 2 + 200])  # header says the full length
        return None
    if route == "badchunk":
        body = article_html("分块错误的文章", "这篇文章的分块编码是坏的，不应入库。" * 10).encode()
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
        writer.write(head + f"{len(body) // 2:x}\r\n".encode() + body[: len(body) // 2] + b"\r\nzzzz\r\nnot a chunk\r\n")
        return None
    if route == "reset":
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
        return None
    if route in ("e500", "e502", "e503"):
        return response(int(route[1:]), b"<html><body>server error</body></html>")
    if route == "e404":
        return response(404, b"<html><body>not found</body></html>")
    if route == "retry-after-then-ok":
        STATE[route] = STATE.get(route, 0) + 1
        if STATE[route] == 1:
            return response(429, b"slow down", Retry_After="1")
        return response(200, article_html("限流后成功的文章", "服务器要求稍后重试，重试后成功获取。" * 3).encode())
    if route == "retry-after-long":
        return response(429, b"slow down", Retry_After="3600")
    if route == "c412":
        return response(412, CHALLENGE_412, Set_Cookie="FSSBBIl1UgzbN7N80S=abc; Path=/")
    if route == "c521":
        return response(521, CHALLENGE_521, ctype="text/html", Set_Cookie="__jsluid_h=8a1e0c; max-age=31536000; path=/")
    if route == "challenge200":
        return response(200, CHALLENGE_200)
    if route == "loop-a":
        return redirect("/net/loop-b.html")
    if route == "loop-b":
        return redirect("/net/loop-a.html")
    if route.startswith("chain-"):
        n = int(route.split("-")[1])
        if n >= 25:
            return response(200, article_html("跳转链尽头", "经过二十五次跳转才到达的文章。" * 3).encode())
        return redirect(f"/net/chain-{n + 1}.html", 301)
    if route == "metarefresh":
        return response(200, b"<html><head><meta http-equiv='refresh' content='0;url=/net/ok-1.html'></head></html>")
    if route == "jsredirect":
        return response(200, b"<html><head><script>window.location.href='/net/ok-2.html';</script></head><body></body></html>")
    if route == "big":
        return response(200, b"<html><body>" + b"a" * BIG_BYTES + b"</body></html>")
    if route == "big-stream":
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
        for _ in range(BIG_BYTES // 65536 + 1):
            writer.write(b"a" * 65536)
            await writer.drain()
        return None
    if route.endswith("-bomb"):
        kind = route.split("-")[0]
        body = await asyncio.get_running_loop().run_in_executor(None, BOMBS.get, kind)
        return response(200, body, Content_Encoding={"gzip": "gzip", "deflate": "deflate", "br": "br"}[kind])
    if route == "empty":
        return response(200, b"")
    if route == "offsite-redirect":
        return redirect("http://other.govnews.test/net/ok-1.html")
    if route == "subdomain-redirect":
        return redirect("http://sub.faults.govnews.test/net/ok-1.html")
    if route == "literal-redirect":
        return redirect("http://127.0.0.2/net/ok-1.html")
    if route == "private/secret":
        return response(200, article_html("不该抓取的文章", "robots.txt 禁止抓取这一页。" * 3).encode())
    return response(404, b"no such route")


ROBOTS = b"User-agent: *\nDisallow: /net/private/\n"


async def route(host: str, path: str, writer: asyncio.StreamWriter) -> bytes | None:
    if host.startswith("dead."):
        writer.transport.abort()
        return None
    if path == "/robots.txt":
        return response(200, b"User-agent: *\nDisallow: /\n" if host.startswith("robots.") else ROBOTS, "text/plain")
    if host.startswith("wall."):
        if path == "/wall/index.html":
            return response(200, list_html("wall", [f"a-{i}" for i in range(WALL_ARTICLES)]))
        return response(521, CHALLENGE_521, ctype="text/html")
    if path in ("/", "/index.html"):
        return response(200, list_html("net", NET_ROUTES))
    for prefix, routes in (("net", NET_ROUTES), ("bomb", BOMB_ROUTES), ("base", BASE_ROUTES)):
        if path == f"/{prefix}/index.html":
            return response(200, list_html(prefix, routes))
    if path == "/enc/index.html":
        return response(200, list_html("enc", GRID, title="编码"))
    if path.startswith("/enc/") and path.endswith(".html"):
        case = path[len("/enc/"):-len(".html")]
        if case not in GRID:
            return response(404, b"no such case")
        body, ctype = grid_page(case)
        return response(200, body, ctype)
    for prefix in ("/net/", "/bomb/", "/base/", "/addr/"):
        if path.startswith(prefix) and path.endswith(".html"):
            return await handle_net(path[len(prefix):-len(".html")], writer)
    if path == "/addr/index.html":
        return response(200, list_html("addr", ["ok-1"]))
    return response(404, b"no such page")


class Server:
    def __init__(self, log_path: str | None, extra_list: str | None) -> None:
        self.log = open(log_path, "a", encoding="utf-8") if log_path else None  # noqa: SIM115
        self.extra_list = extra_list  # a file, read on each request (it may name this server's own port)

    def record(self, **entry) -> None:
        if self.log:
            self.log.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self.log.flush()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError):
            writer.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = (lines[0].split(" ") + ["", ""])[:3]
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            host, path = (parts.hostname or ""), parts.path or "/"
        else:
            host, path = headers.get("host", "").split(":")[0], target.split("?")[0]
        sockname = writer.get_extra_info("sockname")
        self.record(t=time.time(), method=method, host=host, path=path, server=sockname[0] if sockname else "")
        try:
            if path == "/addr/index.html" and self.extra_list is not None:
                with open(self.extra_list, "rb") as f:
                    out = response(200, f.read())
            else:
                out = await route(host, path, writer)
            if out is not None:
                writer.write(out)
                await writer.drain()
            if not writer.transport.is_closing():
                writer.close()
        except (ConnectionError, OSError):
            writer.transport.abort()


async def main(args) -> None:
    server = Server(args.log, args.list_page)
    if args.bombs:
        for kind in ("gzip", "deflate", "br"):
            BOMBS.get(kind)
    srv = await asyncio.start_server(server.handle, args.host, args.port, limit=1 << 20)
    host, port = srv.sockets[0].getsockname()[:2]
    print(f"READY http://{host}:{port}", flush=True)
    async with srv:
        await srv.serve_forever()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log")
    p.add_argument("--bombs", action="store_true", help="make the compression bombs before listening")
    p.add_argument("--list-page", help="a file served as /addr/index.html (address-guard tests)")
    a = p.parse_args()
    if not a.host.startswith("127."):
        sys.exit("the fault server listens on 127.0.0.0/8 only")
    try:
        asyncio.run(main(a))
    except KeyboardInterrupt:
        pass
