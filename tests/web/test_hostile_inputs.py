"""Hostile URL parameters against ``govnews serve``: each is refused (400/404/405, one line, never a
500) and nothing in the archive changes; the SQL page keeps the sandbox's refusals and time limit."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import govnews
from tests.web.conftest import tree_state

pytestmark = pytest.mark.slow

PASSWD = b"root:x:0:0"


def raw_get(served, path: str, method: str = "GET") -> tuple[int, bytes]:
    """A request with the path exactly as given (no client-side normalisation of ``..``)."""
    u = urlsplit(served.url)
    con = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    try:
        con.putrequest(method, path, skip_accept_encoding=True)
        con.endheaders()
        resp = con.getresponse()
        return resp.status, resp.read()
    finally:
        con.close()


HOSTILE = [
    # path traversal and absolute paths, in the path and in parameters
    ("/site/..%2F..%2F..%2Fetc%2Fpasswd", {400, 404}),
    ("/site/../../../etc/passwd", {400, 404}),
    ("/site/%2Fetc%2Fpasswd", {400, 404}),
    ("/site/demo-haidian%00", {400}),
    ("/site/" + "a" * 5000, {400}),
    ("/site/demo-haidian'%20OR%20'1'='1", {400}),
    ("/archive/../../../../etc/passwd", {404}),
    ("/archive//etc/passwd", {404}),
    ("/archive/%2Fetc%2Fpasswd", {404}),
    ("/archive/..%2F..%2Fstate%2Fcrawl.lock", {404}),
    ("/archive/haidian.demo.govnews.test/%00", {400}),
    ("/text/..%2F..%2F..%2Fetc%2Fpasswd", {404}),
    ("/text/" + "b" * 5000, {400}),
    ("/static/..%2F..%2Fapp.py", {404}),
    ("/static/../app.py", {404}),
    ("/static/%2Fetc%2Fpasswd", {404}),
    ("/article?key=..%2F..%2F..%2Fetc%2Fpasswd", {404}),
    ("/article?key=%2Fetc%2Fpasswd", {404}),
    ("/article?url=file%3A%2F%2F%2Fetc%2Fpasswd", {400}),
    ("/article?url=%2Fetc%2Fpasswd", {400}),
    ("/article?key=%00", {400}),
    ("/article?key=" + "k" * 5000, {400}),
    ("/article", {400}),
    ("/article?key=x'%20OR%201=1%20--", {404}),
    ("/api/article?key=x'%3B%20DROP%20TABLE%20articles%3B%20--", {404}),
    ("/api/sites/..%2F..", {400, 404}),
    # search: filters outside their allow-lists, SQL as terms
    ("/search?q=a&site=..%2Fetc", {400}),
    ("/search?q=a&site=demo-haidian'%20OR%201=1", {400}),
    ("/search?q=a&month=2020-13", {400}),
    ("/search?q=a&month=..%2F..", {400}),
    ("/search?q=a&page=99999999999999999999", {400}),
    ("/search?q=a&page=-1", {400}),
    ("/search?q=a&page=0", {400}),
    ("/search?q=%22unclosed", {400}),
    ("/search?q=" + "q" * 5000, {400}),
    ("/search?q=%00", {400}),
    ("/api/search", {400}),
    ("/api/runs?limit=1e9", {400}),
    # SQL that is not one SELECT
    ("/sql?q=" + quote("COPY articles TO '/tmp/govnews-web-copy.csv'"), {400}),
    ("/sql?q=" + quote("SELECT * FROM read_csv('/etc/passwd')"), {400}),
    ("/sql?q=" + quote("ATTACH '/tmp/govnews-web.db' AS x"), {400}),
    ("/sql?q=" + quote("SELECT 1; DROP TABLE articles"), {400}),
    ("/sql?q=" + quote("CREATE TABLE t AS SELECT 1"), {400}),
    ("/sql?q=" + quote("SELECT * FROM glob('/**')"), {400}),
    ("/sql.csv?q=" + quote("COPY (SELECT 1) TO '/tmp/govnews-web-copy2.csv'"), {400}),
    ("/api/sql?q=" + quote("INSTALL httpfs"), {400}),
]


def test_hostile_inputs_are_refused_and_change_nothing(served):
    before = tree_state(served.archive)
    for path, allowed in HOSTILE:
        status, body = raw_get(served, path)
        assert status in allowed, (path, status, body[:300])
        assert PASSWD not in body, path
        if path.startswith("/api/"):
            assert "error" in json.loads(body), path
    for path in ("/", "/sql", "/api/sites", "/search", "/article", "/archive/x"):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            status, _ = raw_get(served, path, method)
            assert status == 405, (method, path, status)
    assert tree_state(served.archive) == before
    for name in ("govnews-web-copy.csv", "govnews-web-copy2.csv", "govnews-web.db"):
        assert not Path("/tmp", name).exists()
    status, _, _ = served.get("/")
    assert status == 200  # still serving


def test_every_value_is_escaped(served):
    status, _, body = served.get("/sql?q=" + quote("SELECT '<script>alert(1)</script>' AS \"<b>x</b>\""))
    assert status == 200
    assert b"<script>alert(1)</script>" not in body and b"&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert b"<b>x</b>" not in body
    status, _, body = served.get("/search?q=" + quote('"<img src=x onerror=alert(1)>"'))
    assert status == 200 and b"<img src=x onerror" not in body


def test_a_query_past_its_time_limit_is_stopped(served):
    before = tree_state(served.archive)
    status, _, body = served.get("/api/sql?q=" + quote("SELECT count(*) FROM range(1000000000000) a"))
    assert status == 408, body[:300]
    assert json.loads(body)["kind"] == "QueryTimeout"
    status, _, body = served.get("/api/sql?q=" + quote("SELECT count(*) AS n FROM articles"))
    assert status == 200 and json.loads(body)["rows"] == [[161]]  # the worker answers again
    assert tree_state(served.archive) == before


def test_csv_and_parquet_downloads(served, tmp_path):
    import pyarrow.parquet as pq

    sql = quote("SELECT site, count(*) AS n FROM articles GROUP BY site ORDER BY site")
    status, headers, body = served.get("/sql.csv?q=" + sql)
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert body.decode().splitlines() == ['"site","n"', '"demo-haidian",103', '"demo-hostile",1', '"demo-yanqing",57']
    status, _, body = served.get("/sql.parquet?q=" + sql)
    (tmp_path / "q.parquet").write_bytes(body)
    assert pq.read_table(tmp_path / "q.parquet").to_pylist()[0] == {"site": "demo-haidian", "n": 103}


def test_json_api(served):
    status, _, body = served.get("/api/sites")
    sites = {r["site"]: r for r in json.loads(body)}
    assert sites["demo-haidian"]["articles"] == 103 and sites["demo-yanqing"]["articles"] == 57
    status, _, body = served.get("/api/sites/demo-yanqing")
    assert json.loads(body)["overview"]["articles"] == 57
    status, _, body = served.get("/api/search?q=" + quote("第九十七次会议"))
    res = json.loads(body)
    assert res["total"] >= 1 and any("第九十七次会议" in h["title"] for h in res["hits"])
    assert {"value": "demo-haidian", "articles": res["total"]} in res["facets"]["site"]
    key = res["hits"][0]["url_key"]
    status, _, body = served.get("/api/article?key=" + quote(key))
    assert status == 200 and json.loads(body)["latest"]["url_key"] == key
    status, _, body = served.get("/api/runs?limit=5")
    assert status == 200 and len(json.loads(body)) >= 2


def test_serve_warns_on_every_address_and_refuses_bad_options(web_archive, tmp_path):
    proc = govnews("serve", "--archive", str(web_archive), "--host", "0.0.0.0", "--port", "70000", check=False)
    assert proc.returncode == 2
    assert "warning: listening on 0.0.0.0" in proc.stderr and "--port must be between" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = govnews("serve", "--archive", str(tmp_path / "nowhere"), "--port", "0", check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "no archive at" in proc.stderr
    assert not (tmp_path / "nowhere").exists()
