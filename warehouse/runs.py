"""Run records: append-only ``start`` and ``end`` events, one file each.

``runs/<run_id>-<site>-<event>.parquet``. The ``runs`` view folds them into
one row per run and site; a run with a start and no end whose process is
gone is reported as ``crashed``.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pyarrow as pa

from warehouse.commit import write_parquet
from warehouse.layout import Layout, hostname
from warehouse.schema import RUNS


def write_run_event(layout: Layout, *, run_id: str, site: str, event: str, status: str,
                    started_at: datetime, ended_at: datetime | None = None,
                    finish_reason: str | None = None, counts: dict[str, int] | None = None,
                    stats: dict[str, str] | None = None) -> None:
    counts = counts or {}
    row = {
        "run_id": run_id,
        "site": site,
        "event": event,
        "status": status,
        "finish_reason": finish_reason,
        "started_at": started_at,
        "ended_at": ended_at,
        "list_pages": counts.get("list_pages"),
        "article_pages": counts.get("article_pages"),
        "new_articles": counts.get("new_articles"),
        "new_versions": counts.get("new_versions"),
        "dropped": counts.get("dropped"),
        "errors": counts.get("errors"),
        "bytes": counts.get("bytes"),
        "stats": list((stats or {}).items()),
        "host": hostname(),
        "pid": os.getpid(),
    }
    write_parquet(pa.Table.from_pylist([row], schema=RUNS), layout.runs_file(run_id, site, event), kind="runs")


def now() -> datetime:
    return datetime.now(timezone.utc)
