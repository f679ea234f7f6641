"""An archived article page that tries to run code and reach the network, as a WARC to import.

Its shape is a Hanweb article page (as on the demo-yanqing family and the real Hanweb portals:
``art/YYYY/M/D/art_<col>_<id>.html``, a 发布时间 line, the body in a ``div#zoom``), which carry
inline ``<script>`` blocks of their own (visit counters, share buttons). Here the scripts set
markers in the page, its parent and its title, and call out; an ``<img src=x onerror=…>`` does the
same; images, a style sheet and a frame point at another host. One image (``logo.png``, relative)
is archived too, so govnews serves it from the WARC. ``version=2`` writes the page once more with
an edited paragraph (a second version of the article)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HOST = "hostile.demo.govnews.test"
ARTICLE = f"http://{HOST}/art/2024/3/8/art_1_101.html"
IMAGE = f"http://{HOST}/art/2024/3/8/logo.png"
TITLE = "测试区召开安全生产工作会议"
#: where its links to "another host" point: the tests pass a canary server on 127.0.0.1 that counts hits
OUTSIDE = "http://203.0.113.7"  # TEST-NET-3, when no canary is given

MARKERS = ("PWNED", "PWNED_IMG", "PWNED_LOAD")

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{outside}/style.css">
<script>window.PWNED = 1; try {{ window.parent.PWNED = 1; window.top.PWNED = 1; }} catch (e) {{}}
document.title = "PWNED"; try {{ fetch("{outside}/beacon"); }} catch (e) {{}}</script>
<script src="{outside}/tracker.js"></script>
</head><body onload="window.PWNED_LOAD = 1; try {{ parent.PWNED_LOAD = 1; }} catch (e) {{}}">
<div class="main"><h1 class="title">{title}</h1>
<div class="info">发布时间：2024-03-08 09:30 来源：测试区应急管理局</div>
<div id="zoom" style="font-size:16px">
<p>3月8日上午，测试区召开安全生产工作会议，传达学习上级关于安全生产工作的部署要求，分析当前全区安全生产形势。</p>
<p>{edited}</p>
<p>会议要求，各街道、各部门要压实安全生产责任，开展隐患排查整治，确保全区安全生产形势持续稳定。</p>
<p><img src="logo.png" alt="会议现场"><img src="x" onerror="window.PWNED_IMG = 1; parent.PWNED_IMG = 1">
<img src="{outside}/pixel.gif"></p>
<iframe src="{outside}/frame.html"></iframe>
</div></div></body></html>
"""
EDITS = {1: "会议指出，今年以来全区安全生产形势总体平稳，但部分领域仍存在风险隐患。",
         2: "会议指出，今年以来全区安全生产形势总体平稳向好，但建筑施工、燃气等领域仍存在风险隐患，必须高度重视。"}


def png(width: int = 4, height: int = 4) -> bytes:
    """A tiny red PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def page(version: int = 1, outside: str = OUTSIDE) -> bytes:
    return PAGE.format(title=TITLE, outside=outside, edited=EDITS[version]).encode("utf-8")


def write_warc(path: Path, version: int = 1, outside: str = OUTSIDE) -> Path:
    records = [(ARTICLE, "text/html; charset=utf-8", page(version, outside))]
    if version == 1:
        records.append((IMAGE, "image/png", png()))
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, ctype, body in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            date = "2024-03-08T02:00:00Z" if version == 1 else "2024-03-09T02:00:00Z"
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                            warc_headers_dict={"WARC-Date": date})
            writer.write_record(rec)
    return path
