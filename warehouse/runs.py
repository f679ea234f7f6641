"""Run records: append-only ``start`` and ``end`` events, one file each.

``runs/<run_id>-<site>-<event>.parquet``. The ``runs`` view folds them into
one row per run and site. A run with a start and no end is ``running`` until
a later crawl, holding the archive's crawl lock, finds its process gone and
writes a ``crashed`` end event for it (:func:`mark_crashed`). A crawl that
could not take the lock writes a lone ``skipped`` end event.

Statuses: running, ok, partial, failed, shutdown, skipped, crashed.

A run a job engine's worker started (``govnews worker``) also names its job:
``job`` = ``{"job_id", "job_delivery", "worker", "worker_pid"}``, on both events
(a ``crashed`` end event copies them from the start event).
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from warehouse.commit import write_parquet
from warehouse.layout import Layout, hostname
from warehouse.schema import RUNS

JOB_FIELDS = ("job_id", "job_delivery", "worker", "worker_pid")
STATUSES = ("running", "ok", "partial", "failed", "shutdown", "skipped", "crashed")


def write_run_event(layout: Layout, *, run_id: str, site: str, event: str, status: str,
                    started_at: datetime, ended_at: datetime | None = None,
                    finish_reason: str | None = None, counts: dict[str, int] | None = None,
                    stats: dict[str, str] | None = None, errors_by_class: dict[str, int] | None = None,
                    peak_rss_bytes: int | None = None, exit_code: int | None = None,
                    pid: int | None = None, host: str | None = None, job: dict | None = None) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown run status {status!r}")
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
        "host": host or hostname(),
        "pid": os.getpid() if pid is None else pid,
        "blocked": counts.get("blocked"),
        "errors_by_class": list((errors_by_class or {}).items()) if errors_by_class is not None else None,
        "peak_rss_bytes": peak_rss_bytes,
        "exit_code": exit_code,
        **{k: (job or {}).get(k) for k in JOB_FIELDS},
    }
    write_parquet(pa.Table.from_pylist([row], schema=RUNS), layout.runs_file(run_id, site, event), kind="runs",
                  temp_dir=layout.temp_dir())


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class OpenRun:
    run_id: str
    site: str
    started_at: datetime
    host: str
    pid: int
    job: dict | None = None


def open_runs(layout: Layout) -> list[OpenRun]:
    """Runs with a ``start`` event and no later event: still running, or killed."""
    runs_dir = layout.root / "runs"
    if not layout.has_files("runs"):
        return []
    con = duckdb.connect()
    try:
        cur = con.execute(
            """
            SELECT * FROM read_parquet($glob, union_by_name = true, hive_partitioning = false) AS s
            WHERE event = 'start' AND NOT EXISTS (
                SELECT 1 FROM read_parquet($glob, union_by_name = true, hive_partitioning = false) AS e
                WHERE e.run_id = s.run_id AND e.site = s.site AND e.event <> 'start')
            ORDER BY run_id, site
            """,
            {"glob": str(runs_dir / "*.parquet")},
        )
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    finally:
        con.close()
    return [OpenRun(r["run_id"], r["site"], r["started_at"], r["host"], r["pid"],
                    {k: r[k] for k in JOB_FIELDS if r.get(k) is not None} or None) for r in rows]


def pid_alive(pid: int, started_before: datetime | None = None) -> bool:
    """Whether ``pid`` is a live process (that started before ``started_before``, when
    given and Linux's /proc says when it started: a reused pid is not the run's process)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except OSError as exc:
        if exc.errno != errno.EPERM:  # EPERM: exists, owned by someone else
            return False
    if started_before is not None:
        began = _process_start(pid)
        if began is not None and began > started_before.timestamp() + 1.0:
            return False
    return True


def _process_start(pid: int) -> float | None:
    """Epoch seconds at which ``pid`` started, from /proc (None elsewhere)."""
    try:
        stat = open(f"/proc/{pid}/stat", encoding="ascii", errors="replace").read()
        with open("/proc/stat", encoding="ascii") as fh:
            btime = next(int(line.split()[1]) for line in fh if line.startswith("btime "))
    except (OSError, StopIteration, ValueError):
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return btime + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def mark_crashed(layout: Layout, *, this_host: str | None = None) -> list[OpenRun]:
    """Write a ``crashed`` end event for every open run whose process is gone.

    Only runs recorded on this host can be judged (a pid means nothing on
    another machine). Call it while holding the crawl lock: then no other
    locked crawl of this archive is alive, and a dead pid is proof enough.
    """
    host = this_host or hostname()
    crashed = []
    for run in open_runs(layout):
        if run.host != host:
            continue
        if run.pid != os.getpid() and pid_alive(run.pid, started_before=run.started_at):
            continue
        write_run_event(layout, run_id=run.run_id, site=run.site, event="end", status="crashed",
                        started_at=run.started_at, ended_at=now(), finish_reason="process gone",
                        pid=run.pid, host=run.host, job=run.job)
        crashed.append(run)
    return crashed


def previous_status(layout: Layout, site: str, *, exclude_run_id: str | None = None) -> str | None:
    """Status of the latest earlier run of ``site`` that did crawl (skipped ones aside), or None."""
    if not layout.has_files("runs"):
        return None
    con = duckdb.connect()
    try:
        row = con.execute(
            """
            SELECT arg_max(status, CASE event WHEN 'start' THEN 0 ELSE 1 END)
            FROM read_parquet(?, union_by_name = true, hive_partitioning = false)
            WHERE site = ? AND run_id IS DISTINCT FROM ?
            GROUP BY run_id
            HAVING NOT bool_or(status = 'skipped')
            ORDER BY min(started_at) DESC, run_id DESC
            LIMIT 1
            """,
            [str(layout.root / "runs" / "*.parquet"), site, exclude_run_id],
        ).fetchone()
    finally:
        con.close()
    return row[0] if row else None
