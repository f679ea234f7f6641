"""govnews enqueue: put crawl or re-extraction jobs on the Redis broker for ``govnews worker``.

    govnews enqueue --broker redis://queue:6379/0 --all              # one job per site
    govnews enqueue --site beijing-haidian,beijing-yanqing --since 2020-01-01
    govnews enqueue --reextract --batch-files 20                       # one job per 20 WARC files
    govnews enqueue --all --wait                                       # and watch until every job ends

One job per site (politeness is per host: a site gains nothing from several
machines at once), carrying the archive path (the same shared path on every
worker) and the crawl options. Prints the batch id and one line per job;
``--wait`` then prints the jobs' states until every one is done or failed
(exit 1 when any failed).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from crawler.commands import archive_option, registry, sites_option
from crawler.commands.crawl import check_since_and_recheck
from crawler.output import UsageError

NAME = "enqueue"
HELP = "queue crawl jobs (one per site) or re-extraction jobs for govnews worker"


def add_arguments(p) -> None:
    archive_option(p)
    sites_option(p)
    p.add_argument("--broker", default=None, help="Redis URL (default $GOVNEWS_BROKER)")
    p.add_argument("--site", action="append", help="site slug (repeatable, or comma-separated)")
    p.add_argument("--all", action="store_true", help="every non-demo site in the registry")
    p.add_argument("--full", action="store_true", help="passed on to govnews crawl")
    p.add_argument("--since", help="YYYY-MM-DD, passed on to govnews crawl")
    p.add_argument("--via", help="passed on to govnews crawl (an HTTP proxy)")
    p.add_argument("--recheck-days", type=int, default=0, metavar="N", help="passed on to govnews crawl")
    p.add_argument("--log-level", default=None, help="passed on to govnews crawl")
    p.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="passed on to govnews crawl")
    p.add_argument("--reextract", action="store_true", help="re-extraction jobs instead: one per batch of WARC files")
    p.add_argument("--batch-files", type=int, default=1, metavar="N", help="WARC files per re-extraction job")
    p.add_argument("--wait", action="store_true", help="then wait until every job is done or failed")
    p.add_argument("--timeout", type=float, default=0, metavar="SECONDS", help="with --wait: give up after this long")


def run(args) -> int:
    from crawler.distributed import jobs
    from crawler.distributed.config import make_app, settings
    from warehouse.layout import Layout

    conf = settings(args.broker)
    archive = str(Layout.at(args.archive).root.resolve())
    sites_dirs = [str(Path(d).resolve()) for d in args.sites_dir or []]
    if args.reextract:
        if args.site or args.all or args.full or args.since:
            raise UsageError("--reextract takes no --site/--all/--full/--since (it re-extracts every WARC file)")
        if args.batch_files < 1:
            raise UsageError("--batch-files must be at least 1")
        work = _reextract_jobs(archive, sites_dirs, args.batch_files)
    else:
        work = _crawl_jobs(args, archive, sites_dirs)
    app = make_app(conf)
    r = jobs.client(conf.broker)
    batch_id = jobs.new_id("batch")
    for kind, target, task, kwargs in work:
        job_id = jobs.new_id(kind)
        jobs.create(r, batch_id, job_id, kind, target)
        app.send_task(task, kwargs={"job_id": job_id, **kwargs}, task_id=job_id)
        print(f"{job_id}\t{kind}\t{target}")
    print(f"govnews enqueue: {len(work)} job(s) queued as batch {batch_id}", file=sys.stderr)
    return watch(r, batch_id, args.timeout) if args.wait else 0


def _crawl_jobs(args, archive: str, sites_dirs: list[str]) -> list[tuple]:
    from crawler.sites import select

    if not args.site and not args.all:
        raise UsageError("name sites with --site SLUG[,SLUG] or use --all (or --reextract)")
    check_since_and_recheck(args)
    for pair in args.set:
        if "=" not in pair or not pair.partition("=")[0].strip():
            raise UsageError(f"-s wants NAME=VALUE, not {pair!r}")
    options = {"sites_dirs": sites_dirs, "via": args.via or "", "full": args.full, "since": args.since or "",
               "recheck_days": args.recheck_days, "log_level": args.log_level or "", "set": list(args.set)}
    sites = select(registry(args), args.site, all_sites=args.all)
    return [("crawl", s.slug, "govnews.crawl_site", {"site": s.slug, "archive": archive, "options": options})
            for s in sites]


def _reextract_jobs(archive: str, sites_dirs: list[str], per_job: int) -> list[tuple]:
    from warehouse.db import connect
    from warehouse.layout import Layout

    con = connect(Layout.at(archive), rank_once=False)
    try:
        files = [r[0] for r in con.execute("SELECT DISTINCT warc_file FROM captures WHERE kind = 'article' "
                                           "AND status = 200 AND warc_file IS NOT NULL ORDER BY 1").fetchall()]
    finally:
        con.close()
    batches = [files[i:i + per_job] for i in range(0, len(files), per_job)]
    return [("reextract", f"{len(b)} WARC file(s) from {b[0]}", "govnews.reextract_warcs",
             {"archive": archive, "warc_files": b, "sites_dirs": sites_dirs}) for b in batches]


def watch(r, batch_id: str, timeout: float) -> int:
    """Print the batch's job states when they change until all are final; 0 when all done, 1 otherwise."""
    from crawler.distributed import jobs

    began, last = time.monotonic(), ""
    while True:
        states = jobs.batch(r, batch_id)
        counts: dict[str, int] = {}
        for j in states.values():
            counts[j.get("state", "?")] = counts.get(j.get("state", "?"), 0) + 1
        line = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        if line != last:
            print(f"govnews enqueue: {batch_id}: {line}", file=sys.stderr, flush=True)
            last = line
        if all(j.get("state") in jobs.FINAL for j in states.values()):
            failed = [f"{k} ({j.get('target')}: {j.get('note', '')})" for k, j in states.items()
                      if j.get("state") != "done"]
            for f in failed:
                print(f"govnews enqueue: failed: {f}", file=sys.stderr)
            return 1 if failed else 0
        if timeout and time.monotonic() - began > timeout:
            print(f"govnews enqueue: still running after {timeout:g} s: {line}", file=sys.stderr)
            return 1
        time.sleep(0.5)
