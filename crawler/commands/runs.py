"""govnews runs: the recent crawl runs, one row per run and site (newest first).

Statuses: ok, partial (finished with errors), failed, shutdown (SIGTERM/Ctrl-C),
skipped (another crawl held the lock; exit 75), crashed (the process was
killed; found by the next crawl), running.

A run that a ``govnews worker`` job made also names the worker (``name@host``
and the pid of its process) and which delivery of the job it was (1 = the
first; 2+ = delivered again after a worker died or the site was leased).
"""

from __future__ import annotations

import sys

from crawler.commands import archive_option, existing_archive, known_sites
from crawler.output import print_result

NAME = "runs"
HELP = "list recent crawl runs (one row per run and site)"

COLUMNS = ["run_id", "site", "status", "finish_reason", "started_at", "ended_at", "list_pages", "article_pages",
           "new_articles", "new_versions", "blocked", "errors", "errors_by_class", "bytes", "peak_rss_bytes",
           "exit_code", "host", "pid", "job_id", "job_delivery", "worker", "worker_pid"]
JOB_COLUMNS = ("job_id", "job_delivery", "worker", "worker_pid")  # absent from archives older than them


def add_arguments(p) -> None:
    archive_option(p)
    p.add_argument("--format", choices=["table", "json"], default="table",
                   help="table (default) or json (one object per line)")
    p.add_argument("--limit", type=int, default=20, help="at most this many rows (default 20)")
    p.add_argument("--site", action="append", help="only these sites (repeatable, or comma-separated)")


def run(args) -> int:
    from warehouse.db import connect

    layout = existing_archive(args)
    con = connect(layout, rank_once=False)  # reads runs only
    sites = known_sites(args, args.site, layout, run_sites=run_sites(con))
    where = f"WHERE site IN ({', '.join('?' for _ in sites)})" if sites else ""
    have = {r[0] for r in con.execute("DESCRIBE runs").fetchall()}
    select = ", ".join(c if c in have or c not in JOB_COLUMNS else f"NULL AS {c}" for c in COLUMNS)
    cur = con.execute(
        f"SELECT {select} FROM runs {where} "
        "ORDER BY coalesce(started_at, ended_at) DESC, run_id DESC, site LIMIT ?",
        [*sites, max(0, args.limit)],
    )
    columns = [d[0] for d in cur.description]
    rows = cur.fetchall()
    if args.format == "table":
        keep = [c for c in columns if c not in ("errors_by_class", "host", "pid", "bytes", *JOB_COLUMNS)]
        idx = [columns.index(c) for c in keep]
        jobs = any(r[columns.index("job_id")] for r in rows)
        table = []
        for r in rows:
            row = tuple(r[i] for i in idx)
            if jobs:  # which worker (name@host/pid) ran the job, on which delivery
                worker, pid = r[columns.index("worker")], r[columns.index("worker_pid")]
                row += (f"{worker}/{pid}" if worker else None, r[columns.index("job_delivery")])
            table.append(row)
        print_result(keep + (["worker", "delivery"] if jobs else []), table, "table", sys.stdout)
    else:
        print_result(columns, rows, "json", sys.stdout)
    return 0


def run_sites(con) -> set[str]:
    """Every site the run records name."""
    return {site for (site,) in con.execute("SELECT DISTINCT site FROM runs WHERE site IS NOT NULL").fetchall()}
