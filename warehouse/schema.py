"""Arrow schemas of the archive's tables.

Schemas only grow: add columns, never rename or retype one. DuckDB reads the
files with ``union_by_name`` so old files without a new column still read.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = 1

TZ = "Asia/Shanghai"

ATTACHMENT = pa.struct([("url", pa.string()), ("name", pa.string())])

ARTICLES = pa.schema(
    [
        ("url", pa.string()),
        ("url_key", pa.string()),
        ("site", pa.string()),
        ("district", pa.string()),
        ("city", pa.string()),
        ("province", pa.string()),
        ("admin_code", pa.string()),
        ("column", pa.string()),
        ("title", pa.string()),
        ("subtitle", pa.string()),
        ("published_at", pa.timestamp("s", tz=TZ)),
        ("date_source", pa.string()),
        ("source", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("editor", pa.string()),
        ("body_text", pa.string()),
        ("attachments", pa.list_(ATTACHMENT)),
        ("images", pa.list_(pa.string())),
        ("meta", pa.map_(pa.string(), pa.string())),
        ("content_sha256", pa.string()),
        ("fetched_at", pa.timestamp("ms", tz="UTC")),
        ("run_id", pa.string()),
        ("warc_file", pa.string()),
        ("warc_offset", pa.int64()),
        ("warc_length", pa.int64()),
        ("encoding", pa.string()),
        ("extractor_version", pa.string()),
    ]
)

CAPTURES = pa.schema(
    [
        ("url", pa.string()),
        ("url_key", pa.string()),
        ("site", pa.string()),
        ("kind", pa.string()),  # list, article, robots, other
        ("status", pa.int32()),
        ("content_type", pa.string()),
        ("outcome", pa.string()),  # ok, new, unchanged, dropped:<reason>, ...
        ("fetched_at", pa.timestamp("ms", tz="UTC")),
        ("length", pa.int64()),
        ("payload_digest", pa.string()),
        ("warc_file", pa.string()),
        ("warc_offset", pa.int64()),
        ("warc_length", pa.int64()),
        ("run_id", pa.string()),
    ]
)

RUNS = pa.schema(
    [
        ("run_id", pa.string()),
        ("site", pa.string()),
        ("event", pa.string()),  # start | end
        ("status", pa.string()),  # running, ok, partial, failed, skipped, crashed
        ("finish_reason", pa.string()),
        ("started_at", pa.timestamp("ms", tz="UTC")),
        ("ended_at", pa.timestamp("ms", tz="UTC")),
        ("list_pages", pa.int64()),
        ("article_pages", pa.int64()),
        ("new_articles", pa.int64()),
        ("new_versions", pa.int64()),
        ("dropped", pa.int64()),
        ("errors", pa.int64()),
        ("bytes", pa.int64()),
        ("stats", pa.map_(pa.string(), pa.string())),
        ("host", pa.string()),
        ("pid", pa.int64()),
    ]
)

TABLES: dict[str, pa.Schema] = {"articles": ARTICLES, "captures": CAPTURES, "runs": RUNS}

# Columns where dictionary encoding pays (low cardinality); big text columns skip it.
DICTIONARY_COLUMNS = {
    "articles": [
        "site", "district", "city", "province", "admin_code", "column",
        "date_source", "source", "editor", "run_id", "warc_file", "encoding",
        "extractor_version",
    ],
    "captures": ["site", "kind", "content_type", "outcome", "run_id", "warc_file"],
    "runs": ["site", "event", "status", "finish_reason", "host"],
}
