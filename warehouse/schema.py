"""Arrow schemas of the archive's tables.

Schemas only grow: add columns, never rename or retype one. DuckDB reads the
files with ``union_by_name`` so old files without a new column still read.

These are the schemas of the *views*. A partitioned table's files (``articles``,
``captures``) do not hold their partition column ``site``: the hive folder
``site=<slug>`` gives it (:func:`file_schema`), so pandas, pyarrow, polars, DuckDB
and Spark all read a table's folder as it is (a column both in the files and in the
folder name is a type clash for pyarrow and pandas). Files written before this rule
(with a ``site`` column) still read in govnews; ``govnews compact`` rewrites them.
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
        # added by the real-pages extraction issue (13); null in older files
        ("photographers", pa.list_(pa.string())),  # 摄影/图/…摄 credits, apart from authors
        ("index_no", pa.string()),  # 政府信息公开 table: 索引号
        ("doc_number", pa.string()),  # 发文字号 / 文号
        ("issuer", pa.string()),  # 发文机关 / 发布机构
        ("written_at", pa.timestamp("s", tz=TZ)),  # 成文日期 (not published_at)
        ("page_urls", pa.list_(pa.string())),  # a multi-page article's other pages, in order ([1][2]…/下一页)
        ("pages_failed", pa.list_(pa.string())),  # those of them that could not be fetched: not in body_text
    ]
)

CAPTURES = pa.schema(
    [
        ("url", pa.string()),
        ("url_key", pa.string()),
        ("site", pa.string()),
        ("kind", pa.string()),  # list, article, article_page (a later page of one), attachment, robots, redirect, other
        ("status", pa.int32()),  # null: no response (see outcome, reason)
        ("content_type", pa.string()),
        ("outcome", pa.string()),  # pipelines.signals.OUTCOMES, or stored, unchanged, dropped:<Reason>
        ("fetched_at", pa.timestamp("ms", tz="UTC")),
        ("length", pa.int64()),
        ("payload_digest", pa.string()),
        ("warc_file", pa.string()),
        ("warc_offset", pa.int64()),
        ("warc_length", pa.int64()),
        ("run_id", pa.string()),
        ("truncated", pa.bool_()),  # the body is not all the server meant to send (WARC-Truncated)
        ("reason", pa.string()),  # why a fetch failed / the outcome's detail
        ("redirect_to", pa.string()),  # Location of a 3xx
        ("origin", pa.string()),  # crawl | import
        # what the list page said about an article link (re-extraction's list hints)
        ("hint_column", pa.string()),
        ("hint_title", pa.string()),
        ("hint_date", pa.string()),
        ("hint_pinned", pa.bool_()),
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
        # added by the scheduled-crawl issue (schemas only grow)
        ("blocked", pa.int64()),
        ("errors_by_class", pa.map_(pa.string(), pa.int64())),
        ("peak_rss_bytes", pa.int64()),
        ("exit_code", pa.int64()),  # what this site's crawl contributes to the process exit code
        # added by the distributed-crawl issue: the job engine's job this run served (null outside it)
        ("job_id", pa.string()),
        ("job_delivery", pa.int64()),  # 1 = first delivery of the job to a worker, 2 = delivered again, ...
        ("worker", pa.string()),  # the Celery worker's node name (name@host)
        ("worker_pid", pa.int64()),  # the worker process that ran the job (the crawl is its child)
    ]
)

TABLES: dict[str, pa.Schema] = {"articles": ARTICLES, "captures": CAPTURES, "runs": RUNS}

# Columns given by the hive folders (``site=<slug>/month=<YYYY-MM>``), not stored in the files.
# ``month`` is a folder key only (the publication month), never a column of the views.
PARTITION_COLUMNS: dict[str, tuple[str, ...]] = {"articles": ("site",), "captures": ("site",), "runs": ()}
# key-value metadata of each data file: the partition it was written for (a file alone still says its site)
META_PARTITION = b"govnews.partition"


def file_schema(table: str) -> pa.Schema:
    """The schema of a table's data files: the view schema without the partition columns."""
    schema = TABLES[table]
    for name in PARTITION_COLUMNS[table]:
        schema = schema.remove(schema.get_field_index(name))
    return schema

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
