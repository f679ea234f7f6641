"""Dataset exports of the ``articles`` view (or ``article_versions``), written by govnews, never by user SQL.

Layout of an export folder (a Hugging Face dataset repository as it stands)::

    out/
      README.md                         dataset card: YAML header (configs / data_files), fields, counts
      data/train-00000-of-00003.parquet split into files of at most about --max-file-mb
      data/train.csv | data/train.jsonl one file for the text formats

- Rows come in a deterministic order: site, published_at (nulls last), url_key
  (then fetched_at for ``--versions``); each site is read and written in turn,
  so the sort never holds more than one site.
- Filters (sites, publication dates, a substring of title or body) are bound
  as DuckDB parameters, never pasted into SQL.
- Parquet is written by pyarrow (zstd) from DuckDB's Arrow batches; a file is
  closed when the next row group would take it over the size bound. CSV
  flattens lists/structs to JSON text and can start with a UTF-8 BOM
  (Excel). JSON lines come from DuckDB's ``to_json``.
- Every format loads in Hugging Face ``datasets`` as it is: a map column
  (``meta``) is exported as a list of ``{key, value}`` structs (``datasets`` has no
  map type and refuses the Parquet file; a list of structs keeps every pair, its
  order and its types in every format, and DuckDB's ``map_from_entries`` gives the
  map back; a JSON string would need parsing). Times in CSV and JSON lines are
  ISO 8601 with their offset (``2020-03-04T15:21:00+08:00``), and the card's
  ``dataset_info.features`` gives every column's type, so ``datasets`` reads
  them as time-zone-aware timestamps, not naive ones.
- Everything is written into a hidden folder beside ``out``
  (``.<name>.tmp-<pid>``), fsynced, then renamed into place; an existing
  ``out`` is refused unless ``overwrite``, and even then unless a previous
  export made it; ``out`` never is, holds or lies inside the archive
  (:mod:`warehouse.export_target`). Temp folders of killed exports are
  reclaimed by the next export beside them. The export reads a snapshot of the
  archive (:mod:`warehouse.db`), so a crawl committing meanwhile is harmless.
"""

from __future__ import annotations

import os
import platform
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from warehouse.commit import PARQUET_COMPRESSION, PARQUET_COMPRESSION_LEVEL, fsync_dir
from warehouse.db import arrow_reader, arrow_table, connect, restrict, snapshot, superseded_rows
from warehouse.export_target import TargetRefused, check_out, mark, reclaim_stale
from warehouse.layout import Layout
from warehouse.schema import DICTIONARY_COLUMNS

FORMATS = ("parquet", "csv", "jsonl")
DEFAULT_MAX_FILE_MB = 256
BATCH_ROWS = 16 * 1024
ROW_GROUP_ROWS = 64 * 1024

FIELD_DOCS = {
    "url": "the article URL as fetched (final URL after redirects)",
    "url_key": "normalised identity of the URL (scheme, www./m. hosts, print variants, parameter order folded)",
    "site": "govnews registry slug of the district portal, e.g. beijing-haidian",
    "district": "district (区/县) name, e.g. 海淀区",
    "city": "city name, e.g. 北京市",
    "province": "province-level name, e.g. 北京市",
    "admin_code": "6-digit administrative division code, e.g. 110108",
    "column": "栏目: the news column, e.g. 区政要闻",
    "title": "article title",
    "subtitle": "subtitle, when the page has one",
    "published_at": "publication time (Asia/Shanghai); null rather than a guess",
    "date_source": "where published_at came from: meta, byline, url, htmldate, list",
    "source": "来源: the publishing body or outlet, e.g. 北京日报",
    "authors": "记者/作者/通讯员 names",
    "editor": "责任编辑",
    "body_text": "the article text as published, paragraphs separated by newlines",
    "attachments": "linked files in the body (url, name)",
    "images": "image URLs in the body",
    "meta": "government meta tags found on the page (SiteName, SiteIDCode, ColumnName, ...)",
    "content_sha256": "SHA-256 of the NFKC-normalised, whitespace-collapsed body (same text, same hash)",
    "fetched_at": "when the page was fetched (UTC)",
    "run_id": "the crawl run that fetched it",
    "warc_file": "WARC file (in the source archive) holding the raw response",
    "warc_offset": "byte offset of the WARC record",
    "warc_length": "byte length of the WARC record",
    "encoding": "character set the page was decoded with",
    "extractor_version": "version of the extraction rules that produced the row",
}


class ExportError(ValueError):
    pass


@dataclass
class ExportFilter:
    sites: list[str] = field(default_factory=list)
    since: date | None = None
    until: date | None = None
    contains: str | None = None
    columns: list[str] = field(default_factory=list)  # 栏目 names (the ``column`` field)

    def where(self) -> tuple[str, dict]:
        clauses, params = [], {}
        if self.sites:
            clauses.append("list_contains($sites, site)")
            params["sites"] = list(self.sites)
        if self.columns:
            clauses.append('list_contains($columns, "column")')
            params["columns"] = list(self.columns)
        if self.since:
            clauses.append("published_at >= CAST($since AS DATE)")
            params["since"] = self.since.isoformat()
        if self.until:
            clauses.append("published_at < CAST($until AS DATE) + INTERVAL 1 DAY")
            params["until"] = self.until.isoformat()
        if self.contains:
            clauses.append("(contains(title, $contains) OR contains(body_text, $contains))")
            params["contains"] = self.contains
        return (" AND ".join(clauses) or "true"), params

    def describe(self) -> str:
        parts = []
        if self.sites:
            parts.append("sites " + ", ".join(self.sites))
        if self.columns:
            parts.append("栏目 " + ", ".join(self.columns))
        if self.since:
            parts.append(f"published on or after {self.since}")
        if self.until:
            parts.append(f"published on or before {self.until}")
        if self.contains:
            parts.append(f"title or body containing “{self.contains}”")
        return "; ".join(parts) or "none (the whole archive)"


@dataclass
class ExportResult:
    out: Path
    files: list[Path]
    rows: int
    per_site: dict[str, int]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _iso8601(col: str) -> str:
    """A TIMESTAMPTZ as ISO 8601 text in the session time zone with its offset:
    ``2020-03-04T15:21:00+08:00`` (``.123`` when there are milliseconds)."""
    off = f"CAST(epoch(CAST({col} AS TIMESTAMP)) - epoch({col}) AS BIGINT)"
    return (f"(strftime({col}, '%Y-%m-%dT%H:%M:%S') || CASE WHEN epoch_ms({col}) % 1000 <> 0 "
            f"THEN strftime({col}, '.%g') ELSE '' END || CASE WHEN {off} < 0 THEN '-' ELSE '+' END "
            f"|| printf('%02d:%02d', abs({off}) // 3600, abs({off}) % 3600 // 60))")


def _typed_expr(col: str, t: str) -> str:
    """The column as exported, before any text conversion: a map becomes a list of {key, value}."""
    return f"map_entries({col})" if t.startswith("MAP") else col


def _select_list(con, view: str, columns: list[str], fmt: str, *, as_text: bool = True) -> str:
    """The exported columns (``as_text=False``: with their types, before CSV/JSON text conversion)."""
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {view})").fetchall())
    out = []
    for c in columns:
        t, q = types[c].upper(), _quote(c)
        expr = _typed_expr(q, t)
        if as_text and fmt == "csv" and (t.endswith("[]") or t.startswith(("MAP", "STRUCT", "UNION"))):
            expr = f"CAST(to_json({expr}) AS VARCHAR)"
        elif as_text and fmt in ("csv", "jsonl") and t.startswith("TIMESTAMP"):
            expr = _iso8601(q)
        out.append(f"{expr} AS {q}")
    return ", ".join(out)


def _feature(name: str, t: pa.DataType, indent: str) -> list[str]:
    """One ``dataset_info.features`` entry (the YAML ``datasets`` reads), for an Arrow type."""
    pad = indent + "  "
    lines = [f"{indent}- name: {name}"]
    is_list = pa.types.is_list(t) or pa.types.is_large_list(t)
    inner = t.value_type if is_list else t
    key = "list" if is_list else "struct" if pa.types.is_struct(t) else "dtype"
    if pa.types.is_struct(inner):  # a struct, or a list of structs: its fields below the key
        lines.append(f"{pad}{key}:")
        for f in inner:
            lines += _feature(f.name, f.type, pad)
    else:
        lines.append(f"{pad}{key}: {_dtype(inner)}")
    return lines


def _dtype(t: pa.DataType) -> str:
    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_timestamp(t):
        return f"timestamp[{t.unit}" + (f", tz={t.tz}]" if t.tz else "]")
    if pa.types.is_boolean(t):
        return "bool"
    return str(t)  # int64, int32, float64, ...


def features_yaml(schema: pa.Schema) -> list[str]:
    """``dataset_info.features`` lines of a dataset card for an exported table's schema."""
    return ["dataset_info:", "  features:", *[line for f in schema for line in _feature(f.name, f.type, "  ")]]


class _ParquetSink:
    """Rolling Parquet files: a new file when the next row group would pass ``max_bytes``."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder, self.max_bytes = folder, max_bytes
        self.files: list[Path] = []
        self.writer: pq.ParquetWriter | None = None
        self.fh = None
        self.last_group = 0

    def _open(self, schema: pa.Schema) -> None:
        path = self.folder / f"part-{len(self.files):05d}.parquet"
        self.files.append(path)
        self.fh = open(path, "wb")
        dictionary = [c for c in DICTIONARY_COLUMNS["articles"] if c in schema.names]
        self.writer = pq.ParquetWriter(self.fh, schema, compression=PARQUET_COMPRESSION,
                                       compression_level=PARQUET_COMPRESSION_LEVEL,
                                       use_dictionary=dictionary or False)
        self.last_group = 0

    def write(self, table: pa.Table) -> None:
        if self.writer is not None and self.fh.tell() + self.last_group > self.max_bytes:
            self.close()
        if self.writer is None:
            self._open(table.schema)
        before = self.fh.tell()
        self.writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
        self.last_group = max(self.last_group, self.fh.tell() - before)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            self.writer = self.fh = None

    def finish(self) -> list[Path]:
        self.close()
        n = len(self.files)
        final = []
        for i, p in enumerate(self.files):
            target = p.with_name(f"train-{i:05d}-of-{n:05d}.parquet")
            os.replace(p, target)
            final.append(target)
        return final


def _batches(reader, want: int):
    """Re-chunk a RecordBatchReader into tables of about ``want`` rows (bigger row groups)."""
    buf, n = [], 0
    for batch in reader:
        buf.append(batch)
        n += batch.num_rows
        if n >= want:
            yield pa.Table.from_batches(buf)
            buf, n = [], 0
    if buf:
        yield pa.Table.from_batches(buf)


def export_articles(layout: Layout, out: Path, fmt: str, *, overwrite: bool = False, versions: bool = False,
                    filters: ExportFilter | None = None, columns: list[str] | None = None, bom: bool = False,
                    max_file_mb: float = DEFAULT_MAX_FILE_MB, command: str | None = None,
                    progress: Callable[[int, int], None] | None = None) -> ExportResult:
    """Export the ``articles`` view (``article_versions`` with ``versions``); see the module doc."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    if max_file_mb <= 0:
        raise ExportError("--max-file-mb must be positive")
    filters = filters or ExportFilter()
    try:
        out = check_out(Path(out), layout.root, overwrite)
    except TargetRefused as exc:
        raise ExportError(str(exc)) from None
    view = "article_versions" if versions else "articles"
    # one snapshot of the files for the whole export; each site is then read through a
    # connection over its own files only (smaller binds, a sort of one site at a time)
    snap = snapshot(layout, sites=filters.sites or None)
    con = connect(layout, files=snap)
    try:
        all_columns = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
        if columns:
            unknown = [c for c in columns if c not in all_columns]
            if unknown:
                raise ExportError(f"unknown field {', '.join(unknown)} (fields: {', '.join(all_columns)})")
            chosen = list(dict.fromkeys(columns))
        else:
            chosen = all_columns
        where, params = filters.where()
        stats = con.execute(
            f"SELECT site, count(*), min(published_at), max(published_at) FROM {view} WHERE {where} "
            "GROUP BY site ORDER BY site", params).fetchall()
        per_site = {s: n for s, n, _, _ in stats}
        total = sum(per_site.values())
        dates = [d for _, _, lo, hi in stats for d in (lo, hi) if d is not None]

        out.parent.mkdir(parents=True, exist_ok=True)
        reclaim_stale(out.parent)
        tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        (tmp / "data").mkdir(parents=True)
        mark(tmp)
        try:
            files = _write_data(con, snap, view, chosen, fmt, where, params, list(per_site), tmp / "data",
                                bom=bom, max_bytes=int(max_file_mb * 1024 * 1024), total=total,
                                versions=versions, progress=progress)
            schema_types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {view})").fetchall())
            typed = arrow_table(con, f"SELECT {_select_list(con, view, chosen, fmt, as_text=False)} "
                                     f"FROM {view} WHERE false").schema
            if fmt == "csv":  # lists and structs are JSON text there
                typed = pa.schema([f if not pa.types.is_nested(f.type) else pa.field(f.name, pa.string())
                                   for f in typed])
                typed = _csv_empty_times_as_text(con, view, where, params, typed)
            card = dataset_card(fmt=fmt, view=view, columns=chosen, types=schema_types, per_site=per_site,
                                features=features_yaml(typed),
                                date_range=(min(dates), max(dates)) if dates else None, filters=filters,
                                files=[f.relative_to(tmp).as_posix() for f in files], command=command)
            with open(tmp / "README.md", "w", encoding="utf-8") as fh:
                fh.write(card)
                fh.flush()
                os.fsync(fh.fileno())
            fsync_dir(tmp / "data")
            fsync_dir(tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        con.close()
    if os.path.lexists(out):
        try:  # it may have appeared, or changed, meanwhile
            check_out(out, layout.root, overwrite)
        except TargetRefused as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise ExportError(str(exc)) from None
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()
    else:
        os.replace(tmp, out)
    fsync_dir(out.parent)
    final = sorted(p for p in out.rglob("*") if p.is_file())
    return ExportResult(out=out, files=final, rows=total, per_site=per_site)


def _write_data(con, snap, view, columns, fmt, where, params, sites, folder: Path, *, bom, max_bytes, total,
                versions, progress) -> list[Path]:
    select = _select_list(con, view, columns, fmt)
    ranked = superseded_rows(con)  # the site connections share the main one's ranking
    order = "published_at NULLS LAST, url_key" + (", fetched_at, run_id" if versions else "")
    done = 0
    if progress:
        progress(0, total)
    parquet = _ParquetSink(folder, max_bytes) if fmt == "parquet" else None
    path = folder / f"train.{fmt}"
    fh = None if parquet else open(path, "wb")
    csv_writer = None
    try:
        if fh and bom and fmt == "csv":
            fh.write("\ufeff".encode())
        for site in sites:
            p = {**params, "_site": site}
            body = f"SELECT {select} FROM {view} WHERE site = $_site AND {where} ORDER BY {order}"
            if fmt == "jsonl":
                body = f"SELECT CAST(to_json(t) AS VARCHAR) AS j FROM ({body}) t"
            site_con = connect(files=restrict(snap, [site]), superseded=ranked)
            try:
                reader = arrow_reader(site_con, body, p, BATCH_ROWS)
                for table in _batches(reader, ROW_GROUP_ROWS if parquet else BATCH_ROWS):
                    if parquet:
                        parquet.write(table)
                    elif fmt == "csv":
                        if csv_writer is None:
                            csv_writer = pacsv.CSVWriter(fh, table.schema)
                        csv_writer.write_table(table)
                    else:
                        lines = table.column(0).to_pylist()
                        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
                    done += table.num_rows
                    if progress:
                        progress(done, total)
            finally:
                site_con.close()
        if parquet:
            if not parquet.files:  # nothing matched: one empty file with the columns
                empty = arrow_table(con, f"SELECT {select} FROM {view} WHERE false")
                parquet.write(empty)
            return parquet.finish()
        if fmt == "csv" and csv_writer is None:  # header only
            empty = arrow_table(con, f"SELECT {select} FROM {view} WHERE false")
            csv_writer = pacsv.CSVWriter(fh, empty.schema)
        if csv_writer is not None:
            csv_writer.close()
        fh.flush()
        os.fsync(fh.fileno())
        return [path]
    finally:
        if parquet:
            parquet.close()
        if fh:
            fh.close()


def _csv_empty_times_as_text(con, view: str, where: str, params: dict, typed: pa.Schema) -> pa.Schema:
    """A time column with no value in the exported rows is an empty CSV column, which ``datasets``
    reads as numbers and cannot cast to a timestamp: declare it text (every value null)."""
    stamps = [f.name for f in typed if pa.types.is_timestamp(f.type)]
    if not stamps:
        return typed
    counts = con.execute(f"SELECT {', '.join(f'count({_quote(c)})' for c in stamps)} FROM {view} WHERE {where}",
                         params).fetchone()
    empty = {c for c, n in zip(stamps, counts) if n == 0}
    return pa.schema([pa.field(f.name, pa.string()) if f.name in empty else f for f in typed])


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < limit:
            return name
    return "10M<n<100M"


REPOSITORY_URL = "https://github.com/govnews/govnews"


def dataset_card(*, fmt: str, view: str, columns: list[str], types: dict[str, str], per_site: dict[str, int],
                 date_range, filters: ExportFilter, files: list[str], command: str | None,
                 features: list[str] = ()) -> str:
    """README.md of an export: a Hugging Face dataset card (YAML header + Markdown)."""
    total = sum(per_site.values())
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        from importlib.metadata import version

        gv = version("govnews")
    except Exception:  # noqa: BLE001 - not installed as a package
        gv = "source tree"
    data_glob = f"data/*.{fmt}"
    lines = [
        "---",
        "pretty_name: govnews Chinese district government news",
        "language:",
        "- zh",
        "license: other",
        "license_name: publishers-copyright",
        "tags:",
        "- government",
        "- news",
        "- china",
        "size_categories:",
        f"- {_size_category(total)}",
        "configs:",
        "- config_name: default",
        "  data_files:",
        "  - split: train",
        f"    path: {data_glob}",
        *features,
        "---",
        "",
        "# govnews: Chinese district (区/县) government news",
        "",
        "News articles published on the portals of Chinese district and county governments, "
        f"crawled politely by [govnews]({REPOSITORY_URL}) and extracted with rules that know "
        "government pages (GB/T 42147 meta tags, 发布时间/来源 lines, body containers). "
        + ("Every archived version of every article (an edit is a new row). " if view == "article_versions"
           else "One row per article: its latest archived version. ")
        + "The texts remain the work of their publishers; check each portal's terms before redistribution.",
        "",
        "## Contents",
        "",
        f"- rows: {total}",
        f"- publication dates: {date_range[0]:%Y-%m-%d} to {date_range[1]:%Y-%m-%d} (Asia/Shanghai)"
        if date_range else "- publication dates: none",
        f"- format: {fmt}; files: " + ", ".join(f"`{f}`" for f in files),
        "- order: site, published_at (nulls last), url_key" + (", fetched_at" if view == "article_versions" else ""),
        f"- filters: {filters.describe()}",
        "",
        "### Rows per site",
        "",
        "| site | rows |",
        "|---|---:|",
        *[f"| {s} | {n} |" for s, n in per_site.items()],
        "",
        "## Fields",
        "",
        "| field | type | meaning |",
        "|---|---|---|",
        *[f"| `{c}` | `{types.get(c, '?')}` | {FIELD_DOCS.get(c, '')} |" for c in columns],
        "",
    ]
    if fmt == "csv":
        lines += ["In the CSV file, lists and structs are JSON text.", ""]
    if fmt in ("csv", "jsonl"):
        lines += ["Times are ISO 8601 with their offset (`2020-03-04T15:21:00+08:00`); the YAML header's "
                  "`dataset_info.features` gives every column's type.", ""]
    if "meta" in columns:
        lines += ["`meta` (the page's meta tags) is a list of `{key, value}` pairs: a map type loads in "
                  "`datasets` in no format (DuckDB: `map_from_entries(meta)`).", ""]
    lines += [
        "## How it was made",
        "",
        f"- made: {made}, by govnews {gv} (Python {platform.python_version()}, duckdb {duckdb.__version__}, "
        f"pyarrow {pa.__version__})",
        f"- source view: `{view}` of a govnews archive",
        f"- command: `{command}`" if command else "- command: `govnews export`",
        "",
        "Load it with `datasets.load_dataset(\"<this folder or repo>\")`, pandas, Polars or DuckDB "
        f"(`SELECT * FROM '{data_glob}'`).",
        "",
    ]
    return "\n".join(lines)
