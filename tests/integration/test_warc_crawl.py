"""Every response a crawl receives is archived as a WARC request/response pair with a captures row.

Crawls run the real engine in a subprocess against servers on 127.0.0.1: the bundled fixture sites
(one article deleted, so a 404 page with a body is archived too), and a small "wire" server that
sends gzip-encoded pages, a 301 and a 404, to show the stored headers agree with the stored payload.
"""

from __future__ import annotations

import base64
import os
import gzip
import hashlib
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT, crawl, expected, govnews, start_fixture_server
from warehouse.db import connect
from warehouse.layout import Layout
from warehouse.warc import check_file, closed_warc_files, read_record

pytestmark = pytest.mark.slow

SITES = ["demo-haidian", "demo-yanqing"]


def warcio_check(path: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("warcio")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "warcio.cli"]
    return subprocess.run([*cmd, "check", str(path)], capture_output=True, text=True)


def _rows(con, sql, params=()):
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    from crawler.demo.server import DEMO_ROOT

    tmp = tmp_path_factory.mktemp("warc-crawl")
    www = tmp / "www"
    shutil.copytree(DEMO_ROOT, www)
    gone = expected("demo-yanqing")["articles"][3]["url"]
    parts = urlsplit(gone)
    (www / parts.hostname / parts.path.lstrip("/")).unlink()
    server = start_fixture_server(www, tmp / "requests.jsonl")
    archive = tmp / "archive"
    try:
        crawl(archive, server, *SITES)
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    return archive, www, gone


def test_warcio_check_passes_on_every_closed_warc(crawled):
    archive, _, _ = crawled
    files = closed_warc_files(Layout.at(archive))
    assert len(files) == len(SITES)
    assert not list(archive.rglob("*.open"))
    for f in files:
        proc = warcio_check(f)
        assert proc.returncode == 0, f"{f}: {proc.stdout}{proc.stderr}"
        assert check_file(f) == []


def test_every_response_has_a_capture_and_a_record_with_its_exact_payload(crawled):
    archive, www, gone = crawled
    layout = Layout.at(archive)
    con = connect(layout)
    caps = _rows(con, "SELECT * FROM captures")
    by_kind: dict[str, list] = {}
    for c in caps:
        by_kind.setdefault(c["kind"], []).append(c)
    n_articles = sum(len(expected(s)["articles"]) for s in SITES)
    # the removed article's 404 is an article capture too, with its outcome
    (missing,) = [c for c in by_kind["article"] if c["outcome"] != "stored"]
    assert (missing["url"], missing["status"], missing["outcome"]) == (gone, 404, "not_found")
    assert len(by_kind["article"]) == n_articles
    assert len(by_kind["list"]) == sum(len(expected(s)["list_pages"]) for s in SITES)
    assert len(by_kind["robots"]) == len(SITES)
    assert "other" not in by_kind
    assert {c["outcome"] for c in by_kind["article"]} == {"stored", "not_found"}
    seen = set()
    for c in caps:
        assert c["run_id"] and c["site"] in SITES and c["fetched_at"] and c["origin"] == "crawl"
        assert c["truncated"] is False
        rec, http, body = read_record(layout, c["warc_file"], c["warc_offset"])
        assert rec.get_header("WARC-Target-URI") == c["url"] and rec.get_header("WARC-Type") == "response"
        assert int(http.get_statuscode()) == c["status"] and len(body) == c["length"]
        sha1 = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
        assert c["payload_digest"] == sha1 == rec.get_header("WARC-Payload-Digest")
        assert http.get_header("Content-Length") == str(len(body))
        if c["status"] == 200:  # the fixture file is what the server sent
            p = urlsplit(c["url"])
            path = p.path + (f"@{p.query}" if p.query else "")
            assert body == (www / p.hostname / path.lstrip("/")).read_bytes(), c["url"]
        seen.add((c["warc_file"], c["warc_offset"]))
    assert len(seen) == len(caps)
    # article rows point at their response records
    arts = _rows(con, "SELECT url, warc_file, warc_offset, warc_length FROM articles")
    cap_at = {(c["url"], c["warc_file"], c["warc_offset"], c["warc_length"]) for c in by_kind["article"]
              if c["outcome"] == "stored"}
    assert {(a["url"], a["warc_file"], a["warc_offset"], a["warc_length"]) for a in arts} == cap_at


def test_show_prints_the_article_and_raw_writes_the_exact_bytes(crawled, tmp_path):
    archive, www, _ = crawled
    art = next(a for a in expected("demo-haidian")["articles"] if a["encoding"] != "utf-8")
    out = govnews("show", "--archive", str(archive), art["url"].replace("http://", "https://")).stdout
    assert art["title"] in out and art["body_start"] in out and "gb18030" in out
    raw = tmp_path / "raw.html"
    govnews("show", "--archive", str(archive), art["url"], "--raw", str(raw))
    p = urlsplit(art["url"])
    assert raw.read_bytes() == (www / p.hostname / p.path.lstrip("/")).read_bytes()
    stdout = subprocess.run([sys.executable, "-m", "crawler.cli", "show", "--archive", str(archive), art["url"],
                             "--raw", "-"], cwd=ROOT, capture_output=True, env={"PYTHONPATH": str(ROOT)}).stdout
    assert stdout == raw.read_bytes()
    proc = govnews("show", "--archive", str(archive), "http://haidian.demo.govnews.test/nope.html", check=False)
    assert proc.returncode == 1 and "nothing archived" in proc.stderr


def test_bytes_on_disk_against_raw_html(crawled, capsys):
    archive, _, _ = crawled
    con = connect(Layout.at(archive))
    html, pages = con.execute("SELECT sum(length), count(*) FROM captures WHERE status = 200 AND kind IN "
                              "('list', 'article')").fetchone()
    warc = sum(f.stat().st_size for f in (archive / "warc").rglob("*.warc.gz"))
    parquet = {t: sum(f.stat().st_size for f in (archive / t).rglob("*.parquet"))
               for t in ("articles", "captures", "runs")}
    total = warc + sum(parquet.values())
    with capsys.disabled():
        print(f"\n[bytes on disk] fixture crawl: {pages} HTML pages, {html:,} raw HTML bytes; "
              f"WARC {warc:,} ({warc / html:.2f}x); articles {parquet['articles']:,}, captures "
              f"{parquet['captures']:,}, runs {parquet['runs']:,} Parquet; total {total:,} ({total / html:.2f}x)")
    assert warc < html  # gzip per record must still beat the raw bytes


# ----------------------------------------------------------------------------- the wire server

WIRE_HOST = "wire.demo.govnews.test"
SITE_TOML = f"""
slug = "demo-wire"
name = "线上测试区人民政府"
district = "线上区"
city = "北京市"
province = "北京市"
admin_code = "110199"
homepage = "http://{WIRE_HOST}/"
hosts = ["{WIRE_HOST}"]
family = "generic"
demo = true
verified = true

[list]
article_pattern = '/news/(old|2026)/\\d+\\.html$'

[[columns]]
name = "要闻"
url = "http://{WIRE_HOST}/news/index.html"
"""


def _article(n: int) -> bytes:
    paras = "".join(f"<p>线上区第{n}篇新闻的第{i}段，内容足够长，用来检验归档与抽取是否一致。</p>" for i in range(4))
    return (f"<html><head><meta charset='utf-8'><title>线上区新闻{n}</title></head><body>"
            f"<h1>线上区新闻{n}</h1><div class='date'>发布时间：2026-01-0{n} 08:00</div>"
            f"<div class='article-content'>{paras}</div></body></html>").encode()


LIST = ("<html><head><meta charset='utf-8'><title>要闻</title></head><body><ul>"
        "<li><a href='/news/old/1.html'>线上区新闻1</a> 2026-01-01</li>"
        "<li><a href='/news/2026/2.html'>线上区新闻2</a> 2026-01-02</li>"
        "<li><a href='/news/2026/3.html'>线上区新闻3</a> 2026-01-03</li>"
        "</ul></body></html>").encode()
NOT_FOUND = "<html><body><h1>404 页面不存在</h1></body></html>".encode()


class _Wire(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body, *, ctype="text/html; charset=utf-8", gz=False, extra=()):
        payload = gzip.compress(body) if gz else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if gz:
            self.send_header("Content-Encoding", "gzip")
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        path = urlsplit(self.path).path
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nAllow: /\n", ctype="text/plain")
        elif path == "/news/index.html":
            self._send(200, LIST, gz=True)
        elif path == "/news/old/1.html":
            self._send(301, b"<html>moved</html>", gz=True, extra=[("Location", f"http://{WIRE_HOST}/news/2026/1.html")])
        elif path in ("/news/2026/1.html", "/news/2026/2.html"):
            self._send(200, _article(int(path[-6])), gz=True)
        else:
            self._send(404, NOT_FOUND)


@pytest.fixture(scope="module")
def wire_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wire")
    sites = tmp / "sites"
    sites.mkdir()
    (sites / "demo-wire.toml").write_text(SITE_TOML, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Wire)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    archive = tmp / "archive"
    try:
        # `scrapy crawl`: `govnews crawl --sites-dir` does not reach the spider's settings
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "district_news", "-a", "site=demo-wire",
             "-s", f"GOVNEWS_SITES_DIRS={sites}", "-s", f"GOVNEWS_ARCHIVE={archive}",
             "-s", f"GOVNEWS_VIA=http://127.0.0.1:{server.server_address[1]}", "-s", "AUTOTHROTTLE_ENABLED=False",
             "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-3000:]
    finally:
        server.shutdown()
        server.server_close()
    return archive


def test_redirects_gzip_and_error_pages_are_archived_with_headers_that_agree(wire_crawl):
    archive = wire_crawl
    layout = Layout.at(archive)
    for f in closed_warc_files(layout):
        proc = warcio_check(f)
        assert proc.returncode == 0, proc.stdout
    caps = {(c["url"].split(WIRE_HOST)[1], c["kind"], c["status"], c["outcome"]): c
            for c in _rows(connect(layout), "SELECT * FROM captures")}
    assert set(caps) == {
        ("/robots.txt", "robots", 200, "ok"),
        ("/news/index.html", "list", 200, "ok"),
        ("/news/old/1.html", "redirect", 301, "ok"),
        ("/news/2026/1.html", "article", 200, "stored"),
        ("/news/2026/2.html", "article", 200, "stored"),
        ("/news/2026/3.html", "article", 404, "not_found"),
    }
    redirect = caps[("/news/old/1.html", "redirect", 301, "ok")]
    assert redirect["redirect_to"] == f"http://{WIRE_HOST}/news/2026/1.html"
    # a redirect is stored as it came off the wire: gzip payload, its Content-Encoding kept
    _, http, raw = read_record(layout, redirect["warc_file"], redirect["warc_offset"], decoded=False)
    assert http.get_header("Content-Encoding") == "gzip" and gzip.decompress(raw) == b"<html>moved</html>"
    # a decoded page: payload is the decoded body, Content-Encoding moved to X-Govnews-Original-*
    lst = caps[("/news/index.html", "list", 200, "ok")]
    _, http, raw = read_record(layout, lst["warc_file"], lst["warc_offset"], decoded=False)
    assert raw == LIST
    assert http.get_header("Content-Encoding") is None
    assert http.get_header("X-Govnews-Original-Content-Encoding") == "gzip"
    assert http.get_header("Content-Length") == str(len(LIST))
    assert int(http.get_header("X-Govnews-Original-Content-Length")) == len(gzip.compress(LIST))
    # the error page's body is kept
    err = caps[("/news/2026/3.html", "article", 404, "not_found")]
    assert read_record(layout, err["warc_file"], err["warc_offset"])[2] == NOT_FOUND
    titles = connect(layout).execute("SELECT url, title FROM articles ORDER BY url").fetchall()
    assert [t for _, t in titles] == ["线上区新闻1", "线上区新闻2"]
