"""Bring the index up to the archive: absorb the Parquet files committed since the last update.

The index records which files it has absorbed: one marker document per file, added in
the same tantivy commit as that file's documents, so the watermark can never disagree
with the documents (a tantivy commit is atomic; a ``kill -9`` leaves the last commit).
An update (idempotent; one at a time, :func:`warehouse.fulltext.store.update_lock`):

1. **Delta.** ``new`` = live files (the reader rule, :func:`warehouse.compact.live_files`)
   not absorbed; ``gone`` = absorbed files no longer live (compacted away, retired).
2. **Affected articles.** The url_keys in ``new`` files, and those of indexed documents
   from ``gone`` files (read from the index, unless a new merged file names the gone
   file among those it replaces: then its rows are all in ``new``). Every other
   article keeps the same versions, so the same latest version.
3. **Winners.** For the affected url_keys, the latest version over *all* live files
   (DuckDB over the key columns: the ranking of ``warehouse/views/_superseded.sql``).
4. **Write.** Delete every indexed document of an affected url_key or a gone file, then
   add each winner (and a marker per new file), committing every ``batch_docs``
   documents at file boundaries; the first commit holds every delete. A killed update
   leaves a consistent prefix: the next one recomputes what is still missing.

So the index holds exactly one document per article, its latest version, as of the
live files it absorbed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import tantivy

from warehouse.db import arrow_table
from warehouse.compact import MERGED_PREFIX, META_REPLACES, live_files
from warehouse.fulltext.fresh import fingerprint, record
from warehouse.fulltext.store import KIND_DOC, KIND_FILE, open_index, update_lock
from warehouse.fulltext.text import indexed_text
from warehouse.layout import Layout
from warehouse.schema import TZ
from warehouse.sqltext import sql_list

DEFAULT_BATCH_DOCS = 100_000
WRITER_HEAP = 256_000_000
_READ = ["url_key", "url", "site", "district", "column", "title", "body_text", "published_at"]


@dataclass
class UpdateReport:
    new_files: int = 0
    gone_files: int = 0
    added: int = 0
    affected: int = 0
    commits: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        if not (self.new_files or self.gone_files):
            return "search index up to date"
        return (f"search index: absorbed {self.new_files} files, dropped {self.gone_files}; "
                f"{self.added} documents written for {self.affected} articles "
                f"in {self.commits} commits, {self.seconds:.1f} s")


def rel(layout: Layout, path: Path) -> str:
    return path.relative_to(layout.root).as_posix()


def absorbed_files(index: tantivy.Index) -> set[str]:
    """The files the index's last commit absorbed (its marker documents)."""
    index.reload()
    searcher = index.searcher()
    q = tantivy.Query.term_query(index.schema, "kind", KIND_FILE)
    n = searcher.search(q, limit=1, count=True).count
    if not n:
        return set()
    return {searcher.doc(addr)["file"][0] for _, addr in searcher.search(q, limit=n, count=False).hits}


def delta(layout: Layout, index: tantivy.Index, live: list[Path] | None = None) -> tuple[dict[str, Path], set[str]]:
    """(new live files by relative path, gone relative paths) of ``live`` (default: the live files now)."""
    by_rel = {rel(layout, p): p for p in (live_files(layout, "articles") if live is None else live)}
    absorbed = absorbed_files(index)
    return {k: p for k, p in by_rel.items() if k not in absorbed}, absorbed - set(by_rel)


def _replaced_by(new: dict[str, Path]) -> set[str]:
    """Relative paths that the new merged files name as replaced (their rows are in ``new``)."""
    out = set()
    for r, p in new.items():
        if p.name.startswith(MERGED_PREFIX):
            meta = pq.read_metadata(p).metadata or {}
            folder = r.rsplit("/", 1)[0]
            out.update(f"{folder}/{name}" for name in json.loads(meta.get(META_REPLACES, b"[]")))
    return out


def _indexed_keys(index: tantivy.Index, files: set[str]) -> set[str]:
    searcher = index.searcher()
    keys: set[str] = set()
    for f in files:
        q = tantivy.Query.term_query(index.schema, "file", f)
        n = searcher.search(q, limit=1, count=True).count
        if n:
            keys.update(k for _, a in searcher.search(q, limit=n, count=False).hits
                        for k in searcher.doc(a)["url_key"])
    return keys


def winners(live: list[Path], keys: set[str] | None) -> pa.Table:
    """(file, row) of the latest version of each url_key in ``keys`` (None: every url_key)."""
    if not live:
        return pa.table({"file": pa.array([], pa.string()), "row": pa.array([], pa.int64())})
    con = duckdb.connect(":memory:")
    try:
        where = ""
        if keys is not None:
            con.register("_keys", pa.table({"k": pa.array(sorted(keys), pa.string())}))
            where = "WHERE url_key IN (SELECT k FROM _keys)"
        return arrow_table(con,
            f"SELECT filename AS file, file_row_number AS row "
            f"FROM read_parquet({sql_list(live)}, filename = true, file_row_number = true, "
            f"hive_partitioning = false) {where} "
            f"QUALIFY row_number() OVER (PARTITION BY regexp_extract(filename, '/site=([^/]+)/', 1), url_key "
            f"ORDER BY fetched_at DESC, run_id DESC) = 1 "
            f"ORDER BY file, row")
    finally:
        con.close()


def _documents(path: Path, file_rel: str, rows: list[int]) -> list[tantivy.Document]:
    pf = pq.ParquetFile(path)
    names = set(pf.schema_arrow.names)
    present = [c for c in _READ if c in names]
    table = pf.read(columns=present).take(pa.array(rows, pa.int64()))
    n = table.num_rows
    cols = {c: (table.column(c).to_pylist() if c in present else [None] * n) for c in _READ}
    if "site" not in present:  # the partition column lives in the folder name (site=<slug>)
        folder = next((part for part in path.parts if part.startswith("site=")), None)
        cols["site"] = [folder[len("site="):] if folder else None] * n
    pub = table.column("published_at") if "published_at" in present else pa.nulls(n, pa.timestamp("s", tz=TZ))
    seconds = pc.cast(pc.cast(pub, pa.timestamp("s", tz=TZ)), pa.int64()).to_pylist()
    months = pc.strftime(pc.cast(pub, pa.timestamp("s", tz=TZ)), format="%Y-%m").to_pylist()
    docs = []
    for i in range(n):
        fields: dict = {"kind": [KIND_DOC], "file": [file_rel], "row": [rows[i]], "url_key": [cols["url_key"][i]]}
        for name in ("site", "district", "column"):
            if cols[name][i] is not None:
                fields[name] = [cols[name][i]]
        if seconds[i] is not None:
            fields["published"] = [seconds[i]]
            fields["month"] = [months[i]]
        for name in ("title", "body_text"):
            text = cols[name][i]
            if text:
                fields["body" if name == "body_text" else "title"] = [indexed_text(text)]
                fields["title_text" if name == "title" else "body_text"] = [text.encode("utf-8")]
        if cols["url"][i]:
            fields["url"] = [cols["url"][i].encode("utf-8")]
        docs.append(tantivy.Document(**fields))
    return docs


def catch_up(layout: Layout, *, rebuild: bool = False, wait: float = 600.0,
             batch_docs: int = DEFAULT_BATCH_DOCS, progress=None) -> UpdateReport:
    """Absorb every live articles file the index has not (``rebuild``: from an empty index)."""
    t0 = time.perf_counter()
    rep = UpdateReport()
    with update_lock(layout, wait=wait):
        index = open_index(layout, create=True)
        fp = fingerprint(layout)  # before the listing: a file committed after it shows as a change
        live = live_files(layout, "articles")  # the one listing this update works from
        new, gone = delta(layout, index, live)
        if gone and len(gone) * 2 >= len(absorbed_files(index)) and not (gone <= _replaced_by(new)):
            rebuild = True  # most of the archive was swapped (reextract --replace): cheaper from scratch
        if rebuild:
            new, gone = {rel(layout, p): p for p in live}, set()
        rep.new_files, rep.gone_files = len(new), len(gone)
        if not (new or gone or rebuild):
            record(layout, fp)
            return rep
        empty = rebuild or index.searcher().num_docs == 0
        keys: set[str] | None = None
        if not empty:
            keys = set()
            for p in new.values():
                keys.update(pq.read_table(p, columns=["url_key"]).column("url_key").to_pylist())
            keys |= _indexed_keys(index, gone - _replaced_by(new))
        rep.affected = len(keys) if keys is not None else 0
        won = winners(live, keys)
        by_file: dict[str, list[int]] = {}
        for f, r in zip(won.column("file").to_pylist(), won.column("row").to_pylist()):
            by_file.setdefault(f, []).append(r)
        if keys is None:
            rep.affected = won.num_rows
        writer = index.writer(heap_size=WRITER_HEAP)
        try:
            if rebuild:
                writer.delete_all_documents()
            for k in sorted(keys or ()):
                writer.delete_documents_by_term("url_key", k)
            for f in sorted(gone):
                writer.delete_documents_by_term("file", f)
            # winners in files absorbed earlier first (they go with the deletes), then file by file
            absorbed_paths = [str(p) for p in live if rel(layout, p) not in new]
            order = [(p, None) for p in absorbed_paths if p in by_file] + [(str(p), r) for r, p in sorted(new.items())]
            pending = 0
            for path, new_rel in order:
                file_rel = new_rel or rel(layout, Path(path))
                rows = by_file.get(path, [])
                if rows:
                    for doc in _documents(Path(path), file_rel, rows):
                        writer.add_document(doc)
                    rep.added += len(rows)
                    pending += len(rows)
                if new_rel is not None:
                    writer.add_document(tantivy.Document(kind=[KIND_FILE], file=[new_rel]))
                if pending >= batch_docs:
                    writer.commit()
                    rep.commits += 1
                    pending = 0
                    if progress:
                        progress(rep)
            writer.commit()
            rep.commits += 1
            writer.wait_merging_threads()
            record(layout, fp)
        except BaseException:
            writer.rollback()
            raise
    rep.seconds = time.perf_counter() - t0
    return rep
