"""WARC 1.1 writer (warcio): one gzip member per record, ``.open`` until closed.

Each writer process names its files ``<run_id>-<seq>.warc.gz`` under
``warc/site=<slug>/<YYYY-MM>/``; a file being written carries ``.open`` and
is renamed when closed, so readers only ever see whole files.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from warehouse.commit import fsync_dir
from warehouse.layout import Layout

# Scrapy hands us the decoded body; headers describing the transfer no longer apply.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True, slots=True)
class WarcLocation:
    file: str  # path relative to the archive root
    offset: int
    length: int
    payload_digest: str


def _iso(ts: datetime) -> str:
    return ts.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class WarcFile:
    """An open WARC file for one site and month of one run."""

    def __init__(self, layout: Layout, final: Path) -> None:
        self.layout = layout
        self.final = final
        self.path = final.with_name(final.name + ".open")
        final.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "xb")
        self.writer = WARCWriter(self.fh, gzip=True, warc_version="1.1")
        self.relative = str(final.relative_to(layout.root))

    @property
    def size(self) -> int:
        return self.fh.tell()

    def write_exchange(
        self,
        *,
        url: str,
        fetched_at: datetime,
        status: int,
        reason: str,
        protocol: str,
        headers: list[tuple[str, str]],
        body: bytes,
        method: str = "GET",
        request_headers: list[tuple[str, str]] | None = None,
    ) -> WarcLocation:
        """Write a response record and its request record; return where the response lives."""
        date = _iso(fetched_at)
        kept = [(k, v) for k, v in headers if k.lower() not in _TRANSFER_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol=protocol)
        response = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": date},
        )
        offset = self.fh.tell()
        self.writer.write_record(response)
        length = self.fh.tell() - offset
        req_http = StatusAndHeaders(f"{method} {url} {protocol}", request_headers or [], is_http_request=True)
        request = self.writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=req_http,
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        self.writer.write_record(request)
        digest = response.rec_headers.get_header("WARC-Payload-Digest") or ""
        return WarcLocation(self.relative, offset, length, digest)

    def close(self) -> None:
        if self.fh.closed:
            return
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.path, self.final)
        fsync_dir(self.final.parent)


class WarcSink:
    """Open WARC files of one run, per site and fetch month, rotated at ``max_bytes``."""

    def __init__(self, layout: Layout, run_id: str, max_bytes: int = 1024**3) -> None:
        self.layout, self.run_id, self.max_bytes = layout, run_id, max_bytes
        self.open_files: dict[tuple[str, str], WarcFile] = {}
        self.seq = 0

    def file_for(self, site: str, month: str) -> WarcFile:
        key = (site, month)
        current = self.open_files.get(key)
        if current is not None and current.size >= self.max_bytes:
            current.close()
            current = None
        if current is None:
            self.seq += 1
            final = self.layout.warc_dir(site, month) / f"{self.run_id}-{self.seq:05d}.warc.gz"
            current = self.open_files[key] = WarcFile(self.layout, final)
        return current

    def close(self) -> None:
        for f in self.open_files.values():
            f.close()
        self.open_files.clear()


def read_payload(layout: Layout, warc_file: str, offset: int) -> tuple[StatusAndHeaders, bytes]:
    """The HTTP headers and exact body bytes of the response record at ``offset``."""
    from warcio.archiveiterator import ArchiveIterator

    with open(layout.root / warc_file, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            return record.http_headers, record.content_stream().read()
    raise ValueError(f"no record at {warc_file}:{offset}")
