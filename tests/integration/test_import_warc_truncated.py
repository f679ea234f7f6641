"""`govnews import-warc` on WARC files that are cut short or whose lengths lie (issue 12, section 2).

Real WARC files, written with warcio, then damaged as copies on their way between machines are: bytes
cut off the end (an interrupted download of a ``.warc.gz``), or a record header forged to announce
more bytes than follow. The whole records are imported; the cut one is recorded as a ``truncated``
capture, is reported on one line naming the file, never becomes an article row, and the exit is 1.
"""

from __future__ import annotations

import gzip
import io
import re
from urllib.parse import urlsplit

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import expected, govnews
from warehouse.db import connect
from warehouse.layout import Layout
from warehouse.warc import check_file, closed_warc_files

pytestmark = pytest.mark.slow


def _pages(n: int = 3) -> list[tuple[str, bytes]]:
    from crawler.demo.server import DEMO_ROOT

    out = []
    for art in expected("demo-haidian")["articles"][:n]:
        p = urlsplit(art["url"])
        out.append((art["url"], (DEMO_ROOT / p.hostname / p.path.lstrip("/")).read_bytes()))
    return out


def _record_bytes(url: str, body: bytes, *, http_length: str | None = None) -> bytes:
    """One response record, uncompressed, as warcio writes it."""
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    headers = [("Content-Type", "text/html; charset=utf-8")]
    if http_length is not None:
        headers.append(("Content-Length", http_length))
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                        http_headers=http,
                                        warc_headers_dict={"WARC-Date": "2024-05-06T07:08:09Z"}))
    return buf.getvalue()


def _forge_length(record: bytes, value: int) -> bytes:
    """The WARC header's Content-Length replaced (the first one: the record's, not the HTTP one)."""
    return re.sub(rb"Content-Length: \d+", f"Content-Length: {value}".encode(), record, count=1)


def _import(tmp_path, src):
    archive = tmp_path / "archive"
    proc = govnews("import-warc", "--archive", str(archive), str(src), check=False)
    layout = Layout.at(archive)
    con = connect(layout)
    articles = {r[0] for r in con.execute("SELECT url FROM articles").fetchall()}
    caps = {r[0]: r[1:] for r in con.execute(
        "SELECT url, outcome, truncated, warc_file, reason FROM captures").fetchall()}
    return proc, layout, articles, caps


def _one_line(proc, src) -> str:
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("govnews:")]
    assert len(lines) == 1, proc.stderr
    assert str(src) in lines[0] and "truncated" in lines[0]
    return lines[0]


def test_a_gzip_warc_cut_inside_its_last_record(tmp_path):
    pages = _pages()
    members = [gzip.compress(_record_bytes(u, b)) for u, b in pages]
    whole = b"".join(members[:2])
    src = tmp_path / "interrupted.warc.gz"
    src.write_bytes(whole + members[2][: len(members[2]) // 2])  # the download stopped mid-record
    proc, layout, articles, caps = _import(tmp_path, src)
    assert proc.returncode == 1
    line = _one_line(proc, src)
    assert pages[2][0] in line and f"whole records end at byte {len(whole)}" in line
    assert articles == {pages[0][0], pages[1][0]}  # the whole records' articles, not the cut one
    assert caps[pages[2][0]][:3] == ("truncated", True, None)  # recorded, pointing at no bytes
    assert {caps[u][0] for u, _ in pages[:2]} == {"stored"}
    (copy,) = closed_warc_files(layout)
    assert copy.read_bytes() == whole and check_file(copy) == []  # only whole records are kept


def test_a_record_whose_warc_content_length_lies(tmp_path):
    pages = _pages()
    records = [_record_bytes(u, b) for u, b in pages]
    records[1] = _forge_length(records[1], 2 * 1024**3)  # 2 GB announced on a few kB
    src = tmp_path / "forged.warc.gz"
    src.write_bytes(b"".join(gzip.compress(r) for r in records))
    proc, _, articles, caps = _import(tmp_path, src)
    assert proc.returncode == 1
    line = _one_line(proc, src)
    assert pages[1][0] in line and "2147483648 bytes announced" in line
    assert articles == {pages[0][0], pages[2][0]}
    assert caps[pages[1][0]][:2] == ("truncated", True)
    assert "Content-Length" in caps[pages[1][0]][3]


def test_an_uncompressed_warc_whose_length_lies_swallows_nothing_into_an_article(tmp_path):
    pages = _pages()
    records = [_record_bytes(u, b) for u, b in pages]
    records[1] = _forge_length(records[1], 2 * 1024**3)  # what follows is read as its body
    src = tmp_path / "forged.warc"
    src.write_bytes(b"".join(records))
    proc, _, articles, caps = _import(tmp_path, src)
    assert proc.returncode == 1
    assert pages[1][0] in _one_line(proc, src)
    assert articles == {pages[0][0]}
    assert caps[pages[1][0]][:2] == ("truncated", True)


def test_a_body_shorter_than_its_http_content_length(tmp_path):
    (url, body), *_ = _pages(1)
    src = tmp_path / "short-body.warc.gz"
    src.write_bytes(gzip.compress(_record_bytes(url, body[:250], http_length=str(2 * 1024**3))))
    proc, _, articles, caps = _import(tmp_path, src)
    assert proc.returncode == 1
    assert "HTTP Content-Length" in _one_line(proc, src)
    assert articles == set() and caps[url][:2] == ("truncated", True)


def test_a_whole_file_imports_with_exit_0_and_no_cut_line(tmp_path):
    pages = _pages(2)
    src = tmp_path / "whole.warc.gz"
    src.write_bytes(b"".join(gzip.compress(_record_bytes(u, b)) for u, b in pages))
    proc, _, articles, caps = _import(tmp_path, src)
    assert proc.returncode == 0 and "govnews:" not in proc.stderr, proc.stderr
    assert articles == {u for u, _ in pages} and {c[1] for c in caps.values()} == {False}
