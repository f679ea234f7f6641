"""WARC 1.1 files (warcio): one gzip member per record, ``.open`` until closed.

Each writer process names its files ``<run_id>-<seq>.warc.gz`` under
``warc/site=<slug>/<YYYY-MM>/``; a file being written carries ``.open``, is
held under an exclusive ``flock`` by its writer, and is renamed when closed,
so readers (globs of ``*.warc.gz``) only ever see whole files.

An ``.open`` file whose lock nobody holds was left by a killed writer:
:func:`recover_open_files` truncates it to its last whole record and closes
it, or, when what remains does not read back, moves it to
``warc-damaged/`` (outside every reader glob).

Scrapy hands over decoded bodies (no chunking, no gzip), so the stored HTTP
headers are rewritten to agree with the stored payload: ``Content-Encoding``
and ``Transfer-Encoding`` are dropped and ``Content-Length`` is set to the
payload's length. The values the server sent are kept as
``X-Govnews-Original-<Header>`` headers.
"""

from __future__ import annotations

import fcntl
import io
import logging
import os
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from warehouse.commit import fsync_dir
from warehouse.layout import Layout

log = logging.getLogger(__name__)

# Headers that describe the transfer, not the (decoded) payload we store.
_TRANSFER_HEADERS = ("content-encoding", "transfer-encoding", "content-length")
ORIGINAL_PREFIX = "X-Govnews-Original-"
OPEN_SUFFIX = ".open"
DAMAGED_DIR = "warc-damaged"


@dataclass(frozen=True, slots=True)
class WarcLocation:
    file: str  # path relative to the archive root
    offset: int
    length: int
    payload_digest: str


def _iso(ts: datetime) -> str:
    return ts.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def payload_headers(headers: list[tuple[str, str]], body_length: int, *,
                    decoded: bool = True) -> list[tuple[str, str]]:
    """HTTP headers that agree with a stored payload of ``body_length`` bytes.

    ``decoded``: the payload is the decoded body (Scrapy's ``response.body``),
    so ``Content-Encoding`` no longer applies either. The originals are kept as
    ``X-Govnews-Original-*``.
    """
    drop = set(_TRANSFER_HEADERS) if decoded else {"transfer-encoding", "content-length"}
    kept, originals = [], []
    for k, v in headers:
        if k.lower() in drop:
            originals.append((ORIGINAL_PREFIX + "-".join(p.capitalize() for p in k.split("-")), v))
        else:
            kept.append((k, v))
    kept.append(("Content-Length", str(body_length)))
    return kept + originals


try:  # ISA-L's deflate (python-isal): standard gzip members that every gzip reader opens
    from isal import isal_zlib as _deflate

    #: 0.105 ms per 76 KB real page against zlib's 0.511 at level 3 (its 6: 0.866; warcio's default: 9),
    #: for 3.6% more bytes than zlib's 3 (compressed to 0.202 of the page against 0.195; README, Performance)
    GZIP_LEVEL = 2
except ImportError:  # no isal wheel for this platform: the standard library's zlib
    _deflate = zlib
    GZIP_LEVEL = 3


class GzipMembers:
    """A file wrapper that gzips each record as its own member (warcio calls ``flush`` after every record)."""

    def __init__(self, out, level: int = GZIP_LEVEL) -> None:
        self.out, self.level = out, level
        self.compressor = None

    def write(self, data: bytes) -> None:
        if self.compressor is None:
            self.compressor = _deflate.compressobj(self.level, _deflate.DEFLATED, zlib.MAX_WBITS + 16)
        self.out.write(self.compressor.compress(data))

    def flush(self) -> None:
        if self.compressor is not None:
            self.out.write(self.compressor.flush())
            self.compressor = None
        self.out.flush()


class WarcFile:
    """An open WARC file for one site and month of one run, locked by this process."""

    def __init__(self, layout: Layout, final: Path) -> None:
        self.layout = layout
        self.final = final
        self.path = final.with_name(final.name + OPEN_SUFFIX)
        final.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "xb")
        # Held until close: recovery tells a live writer's file from a dead one's by this lock.
        fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        # one gzip member per record, as warcio's gzip=True writes, at a cheaper level than its 9
        self.writer = WARCWriter(GzipMembers(self.fh), gzip=False, warc_version="1.1")
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
        decoded: bool = True,
        truncated: str | None = None,
        ip_address: str | None = None,
    ) -> WarcLocation:
        """Write a response record and its request record; return where the response lives.

        ``truncated``: a WARC-Truncated reason (``length``, ``disconnect``, ...) when the body is
        not all the server meant to send.
        """
        date = _iso(fetched_at)
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(),
                                        payload_headers(headers, len(body), decoded=decoded), protocol=protocol)
        warc_headers = {"WARC-Date": date}
        if truncated:
            warc_headers["WARC-Truncated"] = truncated
        if ip_address:
            warc_headers["WARC-IP-Address"] = ip_address
        response = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body),
            http_headers=http_headers, warc_headers_dict=warc_headers,
        )
        offset = self.fh.tell()
        self.writer.write_record(response)
        length = self.fh.tell() - offset
        req_http = StatusAndHeaders(f"{method} {url} {protocol}", list(request_headers or []), is_http_request=True)
        request = self.writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0, http_headers=req_http,
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        self.writer.write_record(request)
        # Out of Python's buffer: a kill -9 now loses nothing of this exchange.
        self.fh.flush()
        digest = response.rec_headers.get_header("WARC-Payload-Digest") or ""
        return WarcLocation(self.relative, offset, length, digest)

    def close(self) -> None:
        if self.fh.closed:
            return
        self.fh.flush()
        os.fsync(self.fh.fileno())
        os.replace(self.path, self.final)
        fsync_dir(self.final.parent)
        self.fh.close()  # releases the lock only once the file has its final name


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
            while True:  # never a name a closed or open file already has (a re-used run id)
                self.seq += 1
                final = self.layout.warc_dir(site, month) / f"{self.run_id}-{self.seq:05d}.warc.gz"
                if not final.exists() and not final.with_name(final.name + OPEN_SUFFIX).exists():
                    break
            current = self.open_files[key] = WarcFile(self.layout, final)
        return current

    def close(self) -> None:
        for f in self.open_files.values():
            f.close()
        self.open_files.clear()


# --------------------------------------------------------------------------- reading

def read_record(layout: Layout, warc_file: str, offset: int, *, decoded: bool = True):
    """``(rec_headers, http_headers, payload)`` of the record at ``offset``.

    ``decoded``: undo HTTP chunking and Content-Encoding (what an extractor wants);
    with ``False`` the payload is the bytes exactly as stored.
    """
    with open(layout.root / warc_file, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            stream = record.content_stream() if decoded else record.raw_stream
            return record.rec_headers, record.http_headers, stream.read()
    raise ValueError(f"no record at {warc_file}:{offset}")


def read_payload(layout: Layout, warc_file: str, offset: int, *,
                 decoded: bool = True) -> tuple[StatusAndHeaders, bytes]:
    """The HTTP headers and body bytes of the response record at ``offset``."""
    _, http_headers, body = read_record(layout, warc_file, offset, decoded=decoded)
    return http_headers, body


def check_file(path: Path) -> list[str]:
    """Problems found reading every record of ``path`` with digest checks ([] when whole).

    The same checks as ``warcio check``.
    """
    problems: list[str] = []
    try:
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh, check_digests=True)
            for record in it:
                stream = record.content_stream()
                while stream.read(1 << 16):
                    pass
                if record.digest_checker.passed is False:
                    problems.extend(str(p) for p in record.digest_checker.problems)
    except Exception as exc:  # warcio raises several kinds on torn input
        problems.append(f"{type(exc).__name__}: {exc}")
    if not problems and path.name.endswith((".gz", ".gz" + OPEN_SUFFIX)):
        # warcio reads a torn last gzip member as a clean end of file: compare with the whole members
        ends = _whole_member_ends(path)
        size = path.stat().st_size
        if (ends[-1] if ends else 0) != size:
            problems.append(f"torn tail: whole records end at {ends[-1] if ends else 0}, file has {size} bytes")
    return problems


def _whole_member_ends(path: Path, chunk: int = 1 << 20) -> list[int]:
    """End offsets of the leading gzip members that decompress whole and hold a WARC record."""
    ends: list[int] = []
    with open(path, "rb") as fh:
        start = 0  # file offset of the current member
        fed = 0  # bytes of the current member fed so far
        d = zlib.decompressobj(31)
        head = b""
        buf = fh.read(chunk)
        while buf:
            try:
                out = d.decompress(buf)
            except zlib.error:
                break
            if len(head) < 5:
                head += out[:5]
            if d.eof:
                used = len(buf) - len(d.unused_data)
                end = start + fed + used
                if not head.startswith(b"WARC/"):
                    break
                ends.append(end)
                buf, start, fed, head = d.unused_data, end, 0, b""
                d = zlib.decompressobj(31)
                if not buf:
                    buf = fh.read(chunk)
                continue
            fed += len(buf)
            buf = fh.read(chunk)
    return ends


@dataclass(frozen=True, slots=True)
class Recovery:
    path: Path  # the .open file found
    action: str  # "closed" | "set_aside" | "removed"
    kept_bytes: int
    dropped_bytes: int
    dest: Path | None


def _set_aside(layout: Layout, path: Path) -> Path:
    rel = path.relative_to(layout.root / "warc")
    dest = layout.root / DAMAGED_DIR / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, dest)
    fsync_dir(path.parent)
    return dest


def recover_open_files(layout: Layout) -> list[Recovery]:
    """Repair every ``.open`` WARC that no live writer holds (its writer was killed).

    Truncate it to its last whole record and close it (rename without ``.open``); when
    the remaining records do not read back with valid digests, or the final name is
    taken, move it to ``warc-damaged/``. A file with no whole record is removed.
    """
    base = layout.root / "warc"
    done: list[Recovery] = []
    if not base.is_dir():
        return done
    for path in sorted(base.rglob("*" + OPEN_SUFFIX)):
        try:
            fh = open(path, "r+b")
        except FileNotFoundError:
            continue
        with fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live writer holds it
            if not path.exists():  # closed by its writer between our listing and our lock
                continue
            size = os.fstat(fh.fileno()).st_size
            ends = _whole_member_ends(path)
            keep = ends[-1] if ends else 0
            final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
            if keep == 0:
                os.unlink(path)
                fsync_dir(path.parent)
                done.append(Recovery(path, "removed", 0, size, None))
                log.warning("removed %s: no whole WARC record in it", path)
                continue
            if keep < size:
                fh.truncate(keep)
            fh.flush()
            os.fsync(fh.fileno())
            if check_file(path) or final.exists():
                dest = _set_aside(layout, path)
                done.append(Recovery(path, "set_aside", keep, size - keep, dest))
                log.warning("set aside unreadable WARC %s -> %s", path, dest)
                continue
            os.replace(path, final)
            fsync_dir(final.parent)
            done.append(Recovery(path, "closed", keep, size - keep, final))
            log.warning("repaired %s: kept %d bytes, dropped %d", final, keep, size - keep)
    return done


def closed_warc_files(layout: Layout) -> list[Path]:
    """Every closed WARC of the archive (what readers may open)."""
    base = layout.root / "warc"
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("*.warc.gz") if not p.name.startswith("."))
