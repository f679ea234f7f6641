"""The datasets metadata of an export: its README.md (a Hugging Face dataset card) and the features it declares.

The YAML header names the data files (``configs``) and every column's type
(``dataset_info.features``), so ``datasets`` loads each format as it is, times as
time-zone-aware timestamps.
"""

from __future__ import annotations

import platform
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from warehouse.export_filter import ExportFilter
from warehouse.export_formats import quote

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
    "photographers": "摄影: people credited for the photos (not in authors)",
    "index_no": "信息公开 索引号",
    "doc_number": "信息公开 发文字号 / 文号",
    "issuer": "信息公开 发文机关 / 发布机构",
    "written_at": "信息公开 成文日期 (when the document was written; not published_at)",
    "page_urls": "a multi-page article's later pages, in order; their bodies are joined into body_text",
    "pages_failed": "those later pages that could not be fetched (their text is missing from body_text)",
}



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



def csv_empty_times_as_text(con, view: str, where: str, params: dict, typed: pa.Schema) -> pa.Schema:
    """A time column with no value in the exported rows is an empty CSV column, which ``datasets``
    reads as numbers and cannot cast to a timestamp: declare it text (every value null)."""
    stamps = [f.name for f in typed if pa.types.is_timestamp(f.type)]
    if not stamps:
        return typed
    counts = con.execute(f"SELECT {', '.join(f'count({quote(c)})' for c in stamps)} FROM {view} WHERE {where}",
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
