"""WARC writer and repair: digests that `warcio check` accepts, headers that agree with the payload,
rotation, and the repair of an `.open` file left by a killed writer."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from warehouse.layout import Layout
from warehouse.warc import (
    DAMAGED_DIR,
    WarcFile,
    WarcSink,
    check_file,
    closed_warc_files,
    read_payload,
    read_record,
    recover_open_files,
)

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
BODY = "<html><head><meta charset=utf-8></head><body>海淀区 新闻</body></html>".encode()


def _write(warc: WarcFile, i: int, body: bytes = BODY, **kw):
    return warc.write_exchange(
        url=f"http://haidian.demo.govnews.test/a/{i}.html", fetched_at=WHEN, status=200, reason="OK",
        protocol="HTTP/1.1", body=body,
        headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
                 ("Transfer-Encoding", "chunked"), ("Content-Length", "999")],
        request_headers=[("User-Agent", "govnews-test")], **kw,
    )


def _warcio_check(path: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("warcio")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "warcio.cli"]
    return subprocess.run([*cmd, "check", "-v", str(path)], capture_output=True, text=True)


def test_exchange_has_digests_warcio_accepts_and_headers_that_agree_with_the_payload(tmp_path):
    layout = Layout.at(tmp_path)
    sink = WarcSink(layout, "run1")
    warc = sink.file_for("demo-haidian", "2026-01")
    assert warc.path.name.endswith(".warc.gz.open")
    loc = _write(warc, 1, truncated="disconnect")
    sink.close()
    final = tmp_path / loc.file
    assert final.exists() and not warc.path.exists()
    proc = _warcio_check(final)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("digest pass") == 2  # response (block + payload) and request
    assert check_file(final) == []
    rec_headers, http, body = read_record(layout, loc.file, loc.offset)
    assert body == BODY
    assert rec_headers.get_header("WARC-Type") == "response"
    assert rec_headers.get_header("WARC-Truncated") == "disconnect"
    assert rec_headers.get_header("WARC-Block-Digest") and rec_headers.get_header("WARC-Payload-Digest")
    assert rec_headers.get_header("WARC-Payload-Digest") == loc.payload_digest
    assert http.get_header("Content-Length") == str(len(BODY))
    assert http.get_header("Content-Encoding") is None and http.get_header("Transfer-Encoding") is None
    assert http.get_header("X-Govnews-Original-Content-Encoding") == "gzip"
    assert http.get_header("X-Govnews-Original-Transfer-Encoding") == "chunked"
    assert http.get_header("X-Govnews-Original-Content-Length") == "999"
    # the location's length covers exactly the response record (one gzip member)
    raw = final.read_bytes()[loc.offset:loc.offset + loc.length]
    member = gzip.decompress(raw)
    assert member.startswith(b"WARC/1.1\r\n") and b"\r\nWARC-Type: response\r\n" in member
    assert member.endswith(BODY + b"\r\n\r\n")


def test_a_raw_redirect_keeps_its_content_encoding(tmp_path):
    layout = Layout.at(tmp_path)
    sink = WarcSink(layout, "run1")
    zipped = gzip.compress(b"moved")
    loc = _write(sink.file_for("demo-haidian", "2026-01"), 1, body=zipped, decoded=False)
    sink.close()
    http, raw = read_payload(layout, loc.file, loc.offset, decoded=False)
    assert raw == zipped and http.get_header("Content-Encoding") == "gzip"
    _, decoded = read_payload(layout, loc.file, loc.offset)
    assert decoded == b"moved"
    assert _warcio_check(tmp_path / loc.file).returncode == 0


def test_rotation_closes_whole_files(tmp_path):
    layout = Layout.at(tmp_path)
    sink = WarcSink(layout, "run1", max_bytes=2000)
    locs = [_write(sink.file_for("demo-haidian", "2026-01"), i) for i in range(12)]
    sink.close()
    files = closed_warc_files(layout)
    assert len(files) > 2 and len({loc.file for loc in locs}) == len(files)
    assert not list(tmp_path.rglob("*.open"))
    for f in files:
        assert check_file(f) == []
    for loc in locs:
        assert read_payload(layout, loc.file, loc.offset)[1] == BODY


def _killed_writer(layout: Layout, n: int) -> WarcFile:
    """A WarcFile whose process 'died': n exchanges written, the lock released, never renamed."""
    warc = WarcSink(layout, "dead").file_for("demo-haidian", "2026-01")
    for i in range(n):
        _write(warc, i)
    warc.fh.close()  # what the kernel does on kill -9: the descriptor and its lock go
    return warc


def test_recovery_truncates_a_torn_open_file_to_its_last_whole_record(tmp_path):
    layout = Layout.at(tmp_path)
    warc = _killed_writer(layout, 5)
    whole = warc.path.stat().st_size
    record = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + b"x" * 500)
    with open(warc.path, "ab") as fh:
        fh.write(record[: len(record) // 2])  # the record being written when it died
    assert check_file(warc.path) != []  # a reader would break on it...
    done = recover_open_files(layout)
    assert [(d.action, d.kept_bytes) for d in done] == [("closed", whole)]
    assert warc.final.exists() and not warc.path.exists()
    assert check_file(warc.final) == []
    assert _warcio_check(warc.final).returncode == 0
    with open(warc.final, "rb") as fh:
        assert [r.rec_type for r in ArchiveIterator(fh)] == ["response", "request"] * 5


def test_recovery_leaves_a_live_writer_alone(tmp_path):
    layout = Layout.at(tmp_path)
    sink = WarcSink(layout, "live")
    warc = sink.file_for("demo-haidian", "2026-01")
    _write(warc, 1)
    assert recover_open_files(layout) == []
    assert warc.path.exists()
    _write(warc, 2)
    sink.close()
    assert check_file(warc.final) == []


def test_recovery_sets_aside_what_does_not_read_back_and_removes_empty_files(tmp_path):
    layout = Layout.at(tmp_path)
    warc = _killed_writer(layout, 2)
    # a whole gzip member that is not a valid record (its digest lies)
    bad = gzip.compress(b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:x>\r\n"
                        b"WARC-Block-Digest: sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n")
    with open(warc.path, "ab") as fh:
        fh.write(bad)
    empty = layout.root / "warc" / "site=demo-yanqing" / "2026-01" / "dead-00009.warc.gz.open"
    empty.parent.mkdir(parents=True)
    empty.write_bytes(b"\x1f\x8b\x08")
    actions = {d.path.name: d.action for d in recover_open_files(layout)}
    assert actions == {warc.path.name: "set_aside", empty.name: "removed"}
    assert not list((layout.root / "warc").rglob("*.open")) and closed_warc_files(layout) == []
    aside = list((layout.root / DAMAGED_DIR).rglob("*"))
    assert any(p.is_file() for p in aside)


def test_sink_never_reuses_a_name(tmp_path):
    layout = Layout.at(tmp_path)
    first = WarcSink(layout, "same")
    loc = _write(first.file_for("demo-haidian", "2026-01"), 1)
    first.close()
    second = WarcSink(layout, "same")
    loc2 = _write(second.file_for("demo-haidian", "2026-01"), 2)
    second.close()
    assert loc.file != loc2.file
    shutil.rmtree(tmp_path / "warc")


def test_records_gzipped_by_isal_open_in_the_system_gzip_and_the_standard_library(tmp_path):
    """ISA-L writes the members (warehouse/warc.py, when isal is installed, as pyproject asks);
    gzip(1), Python's gzip module and warcio read the file as one whole stream of records."""
    import isal.isal_zlib

    import warehouse.warc as warc_module

    assert warc_module._deflate is isal.isal_zlib
    layout = Layout.at(tmp_path)
    sink = WarcSink(layout, "run1")
    warc = sink.file_for("demo-haidian", "2026-01")
    big = BODY + "区政府召开常务会议。".encode() * 5000  # several deflate blocks
    locs = [_write(warc, i, body=big if i % 2 else BODY) for i in range(4)]
    sink.close()
    final = tmp_path / locs[0].file
    assert subprocess.run(["gzip", "-t", str(final)], capture_output=True).returncode == 0
    stream = subprocess.run(["gzip", "-dc", str(final)], capture_output=True, check=True).stdout
    assert stream == gzip.decompress(final.read_bytes())
    assert stream.count(b"WARC-Type: response\r\n") == 4 and stream.count(big) == 2
    assert [read_payload(layout, loc.file, loc.offset)[1] for loc in locs] == [BODY, big, BODY, big]
    assert check_file(final) == []
