"""Compaction: merge a partition's small Parquet files into files of a target size,
never losing a row and never letting a reader see one twice.

Design: the merged file carries its own manifest
------------------------------------------------

A merged file is named ``compact-<UTC stamp>-<hex>.parquet`` and records in its
Parquet key-value metadata (``govnews.replaces``) the names of the files of
its partition it supersedes: its inputs, plus whatever those inputs (earlier
merged files) superseded. The reader rule (:func:`live_files`, used by every
connection in :mod:`warehouse.db`) is: *the files of a partition, minus every
name listed by a merged file present in it*. So:

1. **Lock.** One compaction at a time per archive (``flock`` on
   ``state/compact.lock``); a second one exits at once.
2. **Recover.** ``.compact-*.tmp`` files are leftovers of a killed compaction
   (only compaction writes that name, and the lock says none is running):
   delete them.
3. **Plan.** Per partition, the live files smaller than the target are packed
   into bins of about ``target_bytes`` (by on-disk size); a bin of one file is
   left alone.
4. **Commit.** Each bin is read, concatenated (schemas unified by name),
   sorted, and written as a merged file through :func:`warehouse.commit.write_parquet`
   (temp name → fsync → rename → fsync dir). The rename is the commit: from
   that instant every new snapshot reads the merged file and skips the
   superseded ones, and before it every snapshot reads the old files. No
   snapshot can hold both, because the old files are never removed before the
   rename and the rule is applied to one directory listing.
5. **Retire.** Right after the commit, the superseded files are moved (one
   ``rename`` each, same filesystem) into ``trash/<stamp>/<table>/site=…/month=…/``,
   outside every reader glob: a plain ``articles/**`` glob (pandas, polars,
   DuckDB without govnews) never sees a row twice. A reader that had opened
   them keeps reading (an open file outlives its name on Linux), and a govnews
   reader that listed them before the move reads its own hard links to them
   (:mod:`warehouse.pins`). Files superseded by a killed run are retired by the
   next one.
6. **Purge.** Trash folders older than the grace period (default 15 min,
   longer than the 60 s query limit) are deleted, and the pin folders of dead
   processes.

Files written before the partition column left the files (they hold a
``site`` column, see :mod:`warehouse.schema`) are rewritten even alone, so
one ``govnews compact`` migrates an old archive to the layout every tool reads.

A ``kill -9`` at any moment leaves one of: no merged file (a temp file, removed
at the next run; the archive unchanged), or a committed merged file whose
superseded files are still present but invisible to readers, or some already
in the trash. In every state a reader can observe, the multiset of rows is
the same. ``runs`` (tiny, unpartitioned) is not compacted.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.layout import Layout
from warehouse.pins import Pins, remove_dead_pins
from warehouse.schema import META_PARTITION, PARTITION_COLUMNS, file_schema

MERGED_PREFIX = "compact-"
META_REPLACES = b"govnews.replaces"
META_COMMITTED = b"govnews.compacted_at"
DEFAULT_TARGET_MB = 128
DEFAULT_GRACE_S = 15 * 60
COMPACTED_TABLES = ("articles", "captures")
_SORT = {
    "articles": [("published_at", "ascending"), ("url_key", "ascending"), ("fetched_at", "ascending")],
    "captures": [("fetched_at", "ascending"), ("url", "ascending")],
}


class CompactionBusy(RuntimeError):
    """Another compaction holds the archive's lock."""


# ---------------------------------------------------------------- the reader rule

def _replaces(path: Path, _cache: dict = {}) -> list[str] | None:  # noqa: B006 - per-process cache
    """Names superseded by a merged file (its footer's manifest); None if it vanished."""
    try:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        if key not in _cache:
            meta = pq.read_metadata(path).metadata or {}
            _cache[key] = json.loads(meta.get(META_REPLACES, b"[]"))
        return _cache[key]
    except FileNotFoundError:
        return None


def _partition_live(directory: Path, pins: Pins | None = None) -> list[Path]:
    """The live files of one partition folder: visible ``*.parquet`` minus superseded names
    (``pins``: hard-linked into that snapshot's pin folder, and the links returned)."""
    for _attempt in range(5):
        try:
            names = sorted(e.name for e in os.scandir(directory)
                           if e.name.endswith(".parquet") and not e.name.startswith("."))
        except FileNotFoundError:
            return []
        gone = set()
        vanished = False
        for n in names:
            if n.startswith(MERGED_PREFIX):
                listed = _replaces(directory / n)
                if listed is None:
                    vanished = True
                    break
                gone.update(listed)
        if not vanished:
            live = [directory / n for n in names if n not in gone]
            if pins is None:
                return live
            try:
                return [pins.link(p) for p in live]
            except FileNotFoundError:
                pass  # retired between the listing and its link: list again
        # a merged file was retired while we listed: list again
    raise RuntimeError(f"{directory} kept changing while listing it")


def partitions(layout: Layout, table: str, site: str | None = None) -> list[Path]:
    base = layout.table_dir(table)
    if not base.is_dir():
        return []
    sites = [base / f"site={site}"] if site else sorted(p for p in base.iterdir() if p.name.startswith("site="))
    out = []
    for s in sites:
        if s.is_dir():
            out.extend(sorted(p for p in s.iterdir() if p.name.startswith("month=") and p.is_dir()))
    return out


def live_files(layout: Layout, table: str, site: str | None = None, pins: Pins | None = None) -> list[Path]:
    """The files a reader should read for ``table`` now (a snapshot; see the module doc).
    ``pins``: hard-link them (compacted tables only) so that they stay readable while the
    snapshot lives (:mod:`warehouse.pins`)."""
    if table == "runs":
        d = layout.table_dir("runs")
        if not d.is_dir():
            return []
        return sorted(p for p in d.glob("*.parquet") if not p.name.startswith("."))
    files: list[Path] = []
    for part in partitions(layout, table, site):
        files.extend(_partition_live(part, pins if table in COMPACTED_TABLES else None))
    return files


# ---------------------------------------------------------------- compaction

@dataclass
class CompactReport:
    partitions: int = 0
    files_in: int = 0
    files_out: int = 0
    rows: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    retired: int = 0
    purged: int = 0
    temps_removed: int = 0
    merged: list[Path] = field(default_factory=list)


@contextlib.contextmanager
def archive_lock(layout: Layout) -> Iterator[None]:
    state = layout.state_dir()
    state.mkdir(parents=True, exist_ok=True)
    with open(state / "compact.lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CompactionBusy(f"another compaction is running on {layout.root}") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _stamp(now: float | None = None) -> str:
    return datetime.fromtimestamp(now or time.time(), timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _read(path: Path, table: str) -> pa.Table:
    # ParquetFile, not pq.read_table: no hive-partition columns inferred from the path
    data = pq.ParquetFile(path).read().replace_schema_metadata(None)
    # a file from before the partition column left the files: the folder says it, drop it
    legacy = [c for c in PARTITION_COLUMNS.get(table, ()) if c in data.column_names]
    return data.drop_columns(legacy) if legacy else data


def is_legacy(path: Path, table: str) -> bool:
    """Does this file still hold a partition column (an archive written before the rule)?"""
    names = pq.read_schema(path).names
    return any(c in names for c in PARTITION_COLUMNS.get(table, ()))


def _unify(tables: list[pa.Table], table: str) -> pa.Table:
    merged = pa.concat_tables(tables, promote_options="permissive")
    schema = file_schema(table)
    for f in schema:  # carry the current schema whole, so merged files read without surprises
        if f.name not in merged.column_names:
            merged = merged.append_column(f, pa.nulls(merged.num_rows, f.type))
    order = [n for n in schema.names if n in merged.column_names]
    order += [n for n in merged.column_names if n not in order]
    return merged.select(order)


def _bins(files: list[tuple[Path, int]], target: int, rewrite: set[Path] = frozenset()) -> list[list[Path]]:
    """Files packed into bins of about ``target`` bytes; a bin of one is left alone unless
    its file is in ``rewrite`` (a legacy file)."""
    bins, cur, size = [], [], 0
    for p, s in files:
        if cur and size + s > target:
            bins.append(cur)
            cur, size = [], 0
        cur.append(p)
        size += s
    if cur:
        bins.append(cur)
    return [b for b in bins if len(b) > 1 or b[0] in rewrite]


def _merge(part: Path, inputs: list[Path], table: str, report: CompactReport) -> Path:
    tables = [_read(p, table) for p in inputs]
    data = _unify(tables, table)
    keys = [k for k in _SORT.get(table, []) if k[0] in data.column_names]
    if keys:
        data = data.sort_by(keys)
    superseded = set(p.name for p in inputs)
    for p in inputs:
        if p.name.startswith(MERGED_PREFIX):
            superseded.update(_replaces(p) or [])
    final = _commit_merged(part, data, superseded, table)
    report.files_in += len(inputs)
    report.files_out += 1
    report.rows += data.num_rows
    report.bytes_out += final.stat().st_size
    report.merged.append(final)
    return final


def _commit_merged(part: Path, data: pa.Table, superseded: set[str], table: str) -> Path:
    """Write ``data`` into ``part`` as a merged file whose manifest supersedes ``superseded`` (the commit)."""
    from warehouse.commit import write_parquet

    now = time.time()
    data = data.replace_schema_metadata({
        META_REPLACES: json.dumps(sorted(superseded)).encode(),
        META_COMMITTED: f"{now:.3f}".encode(),
        META_PARTITION: f"{part.parent.name}/{part.name}".encode(),
    })
    final = part / f"{MERGED_PREFIX}{_stamp(now)}-{uuid.uuid4().hex[:8]}.parquet"
    write_parquet(data, final, kind=table, temp_dir=layout_of(part).temp_dir())
    return final


def retire_to_trash(layout: Layout, part: Path, names: set[str], tag: str = "") -> Path:
    """Hard-link the files ``names`` of partition folder ``part`` into a trash folder of ``layout``,
    where :func:`compact` purges them after its grace period (for a writer about to drop ``part``
    itself, e.g. ``reextract --replace``; readers that listed them read their pins meanwhile)."""
    trash = layout.root / "trash" / f"{_stamp()}-{os.getpid()}{tag}" / part.relative_to(layout.root)
    trash.mkdir(parents=True, exist_ok=True)
    for n in sorted(names):
        os.link(part / n, trash / n)
    return trash


def layout_of(part: Path) -> Layout:
    """The archive of a partition folder (``<root>/<table>/site=…/month=…``)."""
    return Layout(part.parent.parent.parent)


def _retire(layout: Layout, table: str, part: Path, report: CompactReport) -> None:
    """Move every file a merged file of the partition supersedes into the trash, at once
    (readers that listed them read their pins; see the module doc)."""
    now = time.time()
    try:
        names = sorted(n for n in os.listdir(part) if n.endswith(".parquet") and not n.startswith("."))
    except FileNotFoundError:
        return
    due: set[str] = set()
    for n in names:
        if n.startswith(MERGED_PREFIX):
            due.update(_replaces(part / n) or [])
    due &= set(names)
    if not due:
        return
    rel = part.relative_to(layout.root)
    trash = layout.root / "trash" / f"{_stamp(now)}-{os.getpid()}" / rel
    trash.mkdir(parents=True, exist_ok=True)
    for n in sorted(due):
        with contextlib.suppress(FileNotFoundError):
            os.rename(part / n, trash / n)
            report.retired += 1
    from warehouse.commit import fsync_dir

    fsync_dir(part)


def _purge(layout: Layout, grace: float, report: CompactReport) -> None:
    trash = layout.root / "trash"
    if not trash.is_dir():
        return
    now = time.time()
    for d in sorted(trash.iterdir()):
        if d.is_dir() and now - d.stat().st_mtime >= grace:
            shutil.rmtree(d, ignore_errors=True)
            report.purged += 1
    remove_dead_pins(layout.root)


def _remove_temps(layout: Layout, table: str, report: CompactReport) -> None:
    # in state/tmp/ (and beside the partition's files, where older versions wrote them)
    base = layout.table_dir(table)
    temps = list(layout.temp_dir().glob(f".{MERGED_PREFIX}*.tmp")) if layout.temp_dir().is_dir() else []
    if base.is_dir():
        temps += list(base.glob(f"*/*/.{MERGED_PREFIX}*.tmp"))
    if temps:
        for p in temps:
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
                report.temps_removed += 1


def compact(layout: Layout, *, sites: list[str] | None = None, tables: tuple[str, ...] = COMPACTED_TABLES,
            target_mb: float = DEFAULT_TARGET_MB, grace: float = DEFAULT_GRACE_S,
            progress=None) -> CompactReport:
    """Merge small files of each partition (see the module doc). ``progress(done, total)`` is optional."""
    report = CompactReport()
    target = int(target_mb * 1024 * 1024)
    with archive_lock(layout):
        work: list[tuple[str, Path]] = []
        for table in tables:
            _remove_temps(layout, table, report)
            for site in (sites or [None]):
                work.extend((table, part) for part in partitions(layout, table, site))
        for i, (table, part) in enumerate(work):
            live = [(p, p.stat().st_size) for p in _partition_live(part)]
            legacy = {p for p, _ in live if is_legacy(p, table)}
            small = sorted(((p, s) for p, s in live if s < target or p in legacy), key=lambda x: x[0].name)
            bins = _bins(small, target, legacy)
            if bins:
                report.partitions += 1
                report.bytes_in += sum(s for p, s in small if any(p in b for b in bins))
            for b in bins:
                _merge(part, b, table, report)
            _retire(layout, table, part, report)
            if progress:
                progress(i + 1, len(work))
        _purge(layout, grace, report)
    return report
