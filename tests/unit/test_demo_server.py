"""The fixture server: proxy-form and origin-form requests over real sockets on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.demo.server import DEMO_ROOT, start_server

REPO = Path(__file__).resolve().parents[2]
HOST = "site.demo.govnews.test"


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "www"
    site = root / HOST
    (site / "news" / "202007").mkdir(parents=True)
    (site / "col" / "col1").mkdir(parents=True)
    (site / "gbk").mkdir()
    (site / "index.html").write_text("<html>home</html>", encoding="utf-8")
    (site / "news" / "index.html").write_text("<html>news 首页</html>", encoding="utf-8")
    (site / "news" / "202007" / "t20200706_1.html").write_text("<html>article</html>", encoding="utf-8")
    (site / "col" / "col1" / "index.html").write_text("page 1", encoding="utf-8")
    (site / "col" / "col1" / "index.html@uid=0&pageNum=2").write_text("page 2", encoding="utf-8")
    (site / "gbk" / "a.html").write_bytes("<html>王堃</html>".encode("gbk"))
    (site / "gbk" / "a.pdf").write_bytes(b"%PDF-1.4\n")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /search/\n", encoding="utf-8")
    (site / "_headers.json").write_text(json.dumps({"/gbk/*.html": "text/html"}), encoding="utf-8")
    (root / "secret.txt").write_text("outside the host dir", encoding="utf-8")
    return root


@pytest.fixture()
def served(tree: Path, tmp_path: Path):
    log = tmp_path / "requests.jsonl"
    server, url = start_server(tree, 0, log)
    try:
        yield server, url, log, tree
    finally:
        server.shutdown()
        server.server_close()


def _get(url: str, target: str, host: str | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    port = int(url.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = {"Host": host} if host else {}
        conn.request(method, target, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def _proxy(url: str, path: str, method: str = "GET") -> tuple[int, dict, bytes]:
    # absolute-URI form, exactly what Scrapy sends to an HTTP proxy
    return _get(url, f"http://{HOST}{path}", host=HOST, method=method)


def test_binds_loopback_only(served):
    server, url, _, _ = served
    assert server.server_address[0] == "127.0.0.1"
    assert url.startswith("http://127.0.0.1:")


def test_proxy_form_and_origin_form(served):
    _, url, _, _ = served
    status, headers, body = _proxy(url, "/news/202007/t20200706_1.html")
    assert (status, body) == (200, b"<html>article</html>")
    assert headers["content-type"] == "text/html; charset=utf-8"
    status, _, body = _get(url, "/news/202007/t20200706_1.html", host=f"{HOST}:80")
    assert (status, body) == (200, b"<html>article</html>")


def test_directory_maps_to_index(served):
    _, url, _, _ = served
    assert _proxy(url, "/")[2] == b"<html>home</html>"
    assert _proxy(url, "/news/")[2].decode("utf-8") == "<html>news 首页</html>"


def test_query_maps_to_at_file(served):
    _, url, _, _ = served
    assert _proxy(url, "/col/col1/index.html")[2] == b"page 1"
    status, headers, body = _proxy(url, "/col/col1/index.html?uid=0&pageNum=2")
    assert (status, body) == (200, b"page 2")
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert _proxy(url, "/col/col1/index.html?uid=0&pageNum=9")[0] == 404


def test_not_found_and_unknown_host(served):
    _, url, _, _ = served
    status, headers, body = _proxy(url, "/nope.html")
    assert status == 404 and b"404" in body and headers["content-type"].startswith("text/html")
    status, _, _ = _get(url, "http://other.demo.govnews.test/index.html")
    assert status == 404
    assert _proxy(url, "/_headers.json")[0] == 404


@pytest.mark.parametrize("path", ["/../secret.txt", "/news/../../secret.txt", "/%2e%2e/secret.txt"])
def test_traversal_is_forbidden(served, path):
    _, url, _, _ = served
    status, _, body = _get(url, path, host=HOST)
    assert status == 403
    assert b"outside" not in body


def test_headers_json_overrides_content_type(served):
    _, url, _, _ = served
    status, headers, body = _proxy(url, "/gbk/a.html")
    assert status == 200 and headers["content-type"] == "text/html"
    assert body.decode("gb18030") == "<html>王堃</html>"
    assert _proxy(url, "/gbk/a.pdf")[1]["content-type"] == "application/pdf"
    assert _proxy(url, "/robots.txt")[1]["content-type"].startswith("text/plain")


def test_head(served):
    _, url, _, _ = served
    status, headers, body = _proxy(url, "/news/202007/t20200706_1.html", method="HEAD")
    assert status == 200 and body == b"" and headers["content-length"] == str(len(b"<html>article</html>"))


def test_reads_disk_on_every_request(served):
    _, url, _, tree = served
    page = tree / HOST / "news" / "202007" / "t20200706_2.html"
    assert _proxy(url, "/news/202007/t20200706_2.html")[0] == 404
    page.write_text("v1", encoding="utf-8")
    assert _proxy(url, "/news/202007/t20200706_2.html")[2] == b"v1"
    page.write_text("v2", encoding="utf-8")
    assert _proxy(url, "/news/202007/t20200706_2.html")[2] == b"v2"
    page.unlink()
    assert _proxy(url, "/news/202007/t20200706_2.html")[0] == 404


def test_request_log_lines(served):
    _, url, log, _ = served
    _proxy(url, "/news/202007/t20200706_1.html")
    _proxy(url, "/col/col1/index.html?uid=0&pageNum=2")
    _proxy(url, "/missing.html", method="HEAD")
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    assert set(lines[0]) == {"t", "method", "host", "path", "status", "bytes"}
    assert lines[0]["host"] == HOST and lines[0]["path"] == "/news/202007/t20200706_1.html"
    assert lines[0]["status"] == 200 and lines[0]["bytes"] == len(b"<html>article</html>")
    assert lines[1]["path"] == "/col/col1/index.html?uid=0&pageNum=2"
    assert (lines[2]["method"], lines[2]["status"], lines[2]["bytes"]) == ("HEAD", 404, 0)


def test_serves_the_bundled_demo_sites():
    server, url = start_server(DEMO_ROOT)
    try:
        status, headers, body = _get(url, "http://haidian.demo.govnews.test/xwzx/qzyw/index.html")
        assert status == 200 and b"createPageHTML(" in body
        status, headers, _ = _get(url, "http://haidian.demo.govnews.test/xwzx/tzgg/index.html")
        assert status == 200 and headers["content-type"] == "text/html"
        status, _, body = _get(url, "http://yanqing.demo.govnews.test/col/col1001/index.html?uid=0&pageNum=2")
        assert status == 200 and b"<datastore>" in body
        status, _, body = _get(url, "http://yanqing.demo.govnews.test/robots.txt")
        assert status == 200 and b"Disallow: /search/" in body
    finally:
        server.shutdown()
        server.server_close()


def test_cli_prints_ready_and_exits_on_sigterm(tree: Path, tmp_path: Path):
    log = tmp_path / "cli.jsonl"
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.demo.server", "--root", str(tree), "--port", "0", "--log", str(log)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("READY http://127.0.0.1:"), (line, proc.stderr.read() if proc.poll() is not None else "")
        url = line.split()[1]
        assert _proxy(url, "/")[0] == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert proc.stdout.read() == ""  # exactly one line of output
        assert json.loads(log.read_text(encoding="utf-8").splitlines()[0])["status"] == 200
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
