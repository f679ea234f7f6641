"""The WARC files an import reads: their bytes (SHA-256, gzip per record or not, a torn tail),
their records' dates and lengths, and whether the archive holds them already (:mod:`pipelines.importer`)."""

from __future__ import annotations

import hashlib
import re
import zlib
from datetime import datetime, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from warehouse.layout import Layout


def warc_date(value: str | None) -> datetime:
    if not value:
        return datetime.now(timezone.utc)
    v = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        return datetime.now(timezone.utc)
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def per_record_gzip(path: Path) -> bool:
    """True when ``path`` is gzip with one member per record (offsets can be seeked to)."""
    with open(path, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            return False
        fh.seek(0)
        try:
            for record in ArchiveIterator(fh):
                record.content_stream().read()
        except ArchiveLoadFailed:
            return False
    return True


def recompress(src: Path, dest: Path) -> None:
    """Rewrite ``src`` as one gzip member per record (warcio's recompress)."""
    from warcio.recompressor import Recompressor

    r = Recompressor(str(src), str(dest))
    with open(src, "rb") as stream:
        try:
            r.load_and_write(stream, str(dest))
        except Exception:
            stream.seek(0)
            r.decompress_and_recompress(stream, str(dest))


def safe_stem(name: str) -> str:
    stem = re.sub(r"\.(warc|arc)(\.gz)?$", "", name, flags=re.I)
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem)[:60] or "import"


def already_imported(layout: Layout, sha: str) -> Path | None:
    base = layout.root / "warc"
    if not base.is_dir():
        return None
    for p in base.glob(f"site=*/imported/{sha[:16]}-*.warc.gz"):
        return p
    return None


def short_by(record, http, rtype: str) -> str | None:
    """Why a record is shorter than its headers announce, or None when it is whole.

    Call once its content was read: the bytes still owed by the record's reader are the
    WARC ``Content-Length`` it did not deliver; a response's HTTP ``Content-Length``
    (without chunking) must match the payload as stored."""
    raw = record.raw_stream
    while raw.read(1 << 16):  # whatever the decoder left unread
        pass
    missing = getattr(raw, "limit", 0) or 0
    declared = record.rec_headers.get_header("Content-Length")
    if missing > 0:
        return (f"record shorter than its Content-Length ({declared} bytes announced, "
                f"{int(declared) - missing} in the file)")
    if rtype != "response" or http is None or http.get_header("Transfer-Encoding"):
        return None
    announced = http.get_header("Content-Length")
    if announced and announced.strip().isdigit() and record.payload_length >= 0 \
            and int(announced) > record.payload_length:
        return f"body shorter than its HTTP Content-Length ({announced} bytes announced, {record.payload_length} stored)"
    return None


def torn_tail(path: Path) -> tuple[int, str] | None:
    """``(end of the whole records, URL of the cut one)`` when a gzip WARC ends inside a record."""
    from warehouse.warc import _whole_member_ends

    ends = _whole_member_ends(path)
    whole = ends[-1] if ends else 0
    size = path.stat().st_size
    if whole >= size:
        return None
    with open(path, "rb") as fh:
        fh.seek(whole)
        d = zlib.decompressobj(31)
        try:
            head = d.decompress(fh.read(1 << 16))
        except zlib.error:
            head = b""
    m = re.search(rb"^WARC-Target-URI:\s*<?([^\s>]+)", head, re.M)
    return whole, m.group(1).decode("utf-8", "replace") if m else ""
