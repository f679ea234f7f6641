"""`govnews import-warc`: WARC files of other tools become captures and articles, as if crawled."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import crawl, expected, govnews, start_fixture_server
from warehouse.db import connect
from warehouse.layout import Layout
from warehouse.warc import check_file, closed_warc_files, read_payload

COLUMN = "区政要闻"
FIELDS = ('url_key, content_sha256, url, title, published_at, date_source, source, authors, editor, "column", '
          "body_text, attachments, images, encoding")


def _articles(archive, where="TRUE"):
    return connect(Layout.at(archive)).execute(
        f"SELECT {FIELDS} FROM articles WHERE {where} ORDER BY url_key").fetchall()


@pytest.mark.slow
def test_wget_warc_gives_the_same_articles_as_a_crawl(tmp_path):
    wget = shutil.which("wget")
    if wget is None:
        pytest.skip("wget is not installed (apt-get install -y wget; .ci/run installs it)")
    from crawler.demo.server import DEMO_ROOT

    shutil.copytree(DEMO_ROOT, tmp_path / "www")
    server = start_fixture_server(tmp_path / "www", tmp_path / "requests.jsonl")
    port = urlsplit(server.url).port
    pages = [u for u in expected("demo-haidian")["list_pages"] if "/xwzx/qzyw/" in u]
    try:
        crawl(tmp_path / "crawled", server, "demo-haidian")
        proc = subprocess.run(
            [wget, "--quiet", "-e", "use_proxy=yes", "-e", f"http_proxy=127.0.0.1:{port}", "-e", "robots=off",
             "--recursive", "--level=1", "--no-parent", "--domains=haidian.demo.govnews.test",
             "--warc-file=" + str(tmp_path / "wget"), "--directory-prefix", str(tmp_path / "mirror"), *pages],
            capture_output=True, text=True, timeout=120)
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    assert proc.returncode in (0, 8), proc.stderr  # 8: some link answered 404 (a JS string wget took for a URL)
    warc = tmp_path / "wget.warc.gz"
    imported = tmp_path / "imported"
    out = govnews("import-warc", "--archive", str(imported), str(warc)).stderr
    assert "1 files (0 already imported)" in out
    want = _articles(tmp_path / "crawled", f"\"column\" = '{COLUMN}'")
    got = _articles(imported)
    assert len(want) == len([a for a in expected("demo-haidian")["articles"] if a["column"] == COLUMN])
    assert [r[:2] for r in got] == [r[:2] for r in want]  # same url_keys, same content hashes
    assert got == want  # and the same fields
    # the copy is in the archive, whole, and every capture points into it
    layout = Layout.at(imported)
    (copy,) = closed_warc_files(layout)
    assert copy.read_bytes() == warc.read_bytes() and check_file(copy) == []
    assert copy.parent.name == "imported" and copy.parent.parent.name == "site=demo-haidian"
    con = connect(layout)
    caps = con.execute("SELECT url, kind, status, outcome, origin, warc_file, warc_offset FROM captures").fetchall()
    assert {c[4] for c in caps} == {"import"}
    assert sum(1 for c in caps if c[1] == "article" and c[3] == "stored") == len(want)
    assert sum(1 for c in caps if c[1] == "list") == len(pages)
    for url, _, status, _, _, warc_file, offset in caps:
        http, _ = read_payload(layout, warc_file, offset)
        assert int(http.get_statuscode()) == status
    # twice: nothing added
    out = govnews("import-warc", "--archive", str(imported), str(warc)).stderr
    assert "1 already imported" in out
    assert connect(layout).execute("SELECT count(*) FROM captures").fetchone()[0] == len(caps)
    assert _articles(imported) == got
    # into the crawled archive: the articles are there already
    out = govnews("import-warc", "--archive", str(tmp_path / "crawled"), str(warc)).stderr
    assert f"articles: 0 new, {len(want)} unchanged" in out


def _record(writer, url, body=None, *, rtype="response", status="200 OK", refers=None, digest=None):
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    http = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    if rtype == "revisit":
        rec = writer.create_revisit_record(url, digest, refers, when, http_headers=http)
    else:
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                        http_headers=http, warc_headers_dict={"WARC-Date": when})
    writer.write_record(rec)
    return rec


@pytest.mark.slow
@pytest.mark.parametrize("gz", [True, False], ids=["gzip-per-record", "uncompressed"])
def test_revisits_other_hosts_and_other_records(tmp_path, gz):
    """A hand-made WARC (as Heritrix or a CDX extract would have it): one article, a revisit of it
    under its https variant, another host, a warcinfo record; uncompressed files are recompressed."""
    from crawler.demo.server import DEMO_ROOT

    art = expected("demo-haidian")["articles"][0]
    p = urlsplit(art["url"])
    body = (DEMO_ROOT / p.hostname / p.path.lstrip("/")).read_bytes()
    src = tmp_path / ("other.warc.gz" if gz else "other.warc")
    with open(src, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        w.write_record(w.create_warcinfo_record("other.warc", {"software": "hand-made"}))
        first = _record(w, art["url"], body)
        digest = first.rec_headers.get_header("WARC-Payload-Digest")
        _record(w, art["url"].replace("http://", "https://"), rtype="revisit", refers=art["url"],
                digest=digest)
        _record(w, "http://www.example.com/index.html", b"<html>elsewhere</html>")
        _record(w, "http://haidian.demo.govnews.test/xwzx/qzyw/202001/t20200101_1.html", rtype="revisit",
                refers="http://haidian.demo.govnews.test/unknown.html", digest="sha1:AAAA")
    archive = tmp_path / "archive"
    out = govnews("import-warc", "--archive", str(archive), str(src)).stderr
    assert "5 records" in out and "4 responses" not in out
    assert "3 responses of registry sites archived (2 revisits, 1 unresolved)" in out
    assert "1 responses of other hosts skipped, 1 other records skipped" in out
    assert "articles: 1 new, 1 unchanged" in out
    layout = Layout.at(archive)
    (copy,) = closed_warc_files(layout)
    assert check_file(copy) == []
    if gz:
        assert copy.read_bytes() == src.read_bytes()
    rows = _articles(archive)
    assert len(rows) == 1 and rows[0][3] == art["title"]
    outcomes = sorted(connect(layout).execute("SELECT outcome FROM captures").fetchall())
    assert outcomes == [("ok",), ("stored",), ("unchanged",)]
