"""govnews crawl: crawl registry sites into the archive.

Safe under cron: the crawl takes the archive's lock (``state/crawl.lock``)
for its whole life. A second crawl of the same archive exits at once with
code 75 (EX_TEMPFAIL), a one-line message and a ``skipped`` run record per
site. Under the lock it first marks runs left ``running`` by killed processes
as ``crashed`` and removes their stale ``.*.tmp`` files, then writes one
``start`` event per site before Scrapy starts (RunRecorder writes the ``end``).

``--lock site`` (what ``govnews worker`` runs) takes the site's own lock
(``state/locks/crawl-<site>.lock``) instead, so crawls of different sites
share one archive; it leaves stale temp files alone (on a shared archive a
pid names a process on some other machine). ``--job`` (JSON, set by the
worker) names the job engine's job in the run records.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from crawler.commands import archive_option, registry, sites_option
from crawler.commands.index import after_write
from crawler.lock import EX_TEMPFAIL, CrawlLock, LockHeld
from crawler.output import UsageError, print_table
from crawler.sites import select

NAME = "crawl"
HELP = "crawl registry sites into the archive"


def add_arguments(p) -> None:
    archive_option(p)
    sites_option(p)
    p.add_argument("--site", action="append", help="site slug (repeatable, or comma-separated)")
    p.add_argument("--all", action="store_true", help="every non-demo site in the registry")
    p.add_argument("--via", help="send all requests through this HTTP proxy (e.g. a fixture server)")
    p.add_argument("--full", action="store_true", help="ignore what the archive already holds")
    p.add_argument("--since", help="YYYY-MM-DD: page back until list items are older than this")
    p.add_argument("--recheck-days", type=int, default=0, metavar="N",
                   help="re-fetch known articles published in the last N days (edits -> versions, 404/410 -> tombstones)")
    p.add_argument("--log-level", default=None, help="Scrapy log level (default INFO; WARNING under the live display)")
    p.add_argument("--progress", choices=["auto", "live", "plain", "off"], default="auto",
                   help="progress per site: a live table on a terminal, plain lines otherwise (default auto)")
    p.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                   help="override a Scrapy setting (repeatable), e.g. -s ARCHIVE_BATCH_ROWS=500")
    p.add_argument("--lock", choices=["archive", "site"], default="archive",
                   help="archive: one crawl per archive (default); site: one per site (one --site only)")
    p.add_argument("--job", default=None, help=argparse.SUPPRESS)  # JSON from govnews worker


def _job(text: str | None) -> dict | None:
    from warehouse.runs import JOB_FIELDS

    if not text:
        return None
    try:
        job = json.loads(text)
    except ValueError:
        job = None
    if not isinstance(job, dict) or not set(job) <= set(JOB_FIELDS):
        raise UsageError(f"--job wants a JSON object with keys among {', '.join(JOB_FIELDS)}")
    return job


def _overrides(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s wants NAME=VALUE, not {pair!r}")
        out[name.strip()] = value
    return out


def check_since_and_recheck(args) -> None:
    """``--since`` is a YYYY-MM-DD date and ``--recheck-days`` not negative (UsageError otherwise)."""
    if args.since:
        try:
            date.fromisoformat(args.since)
        except ValueError:
            raise UsageError(f"--since must be YYYY-MM-DD, not {args.since!r}") from None
    if args.recheck_days < 0:
        raise UsageError("--recheck-days must be >= 0")


def run(args) -> int:
    from warehouse.layout import Layout, new_run_id

    if not args.site and not args.all:
        raise UsageError("name sites with --site SLUG[,SLUG] or use --all")
    sites = select(registry(args), args.site, all_sites=args.all)
    for site in sites:
        if not site.verified:
            print(f"govnews: warning: {site.slug} is unverified (its site file is from evidence, not checked live; "
                  f"see `govnews check-site {site.slug}`)", file=sys.stderr)
    check_since_and_recheck(args)
    if args.via:
        from crawler.middlewares import via_problem

        problem = via_problem(args.via)
        if problem:
            raise UsageError(problem.replace("GOVNEWS_VIA", "--via", 1))
    if args.lock == "site" and len(sites) != 1:
        raise UsageError("--lock site crawls one site: name it with --site SLUG")
    job = _job(args.job)
    extra = {"GOVNEWS_SITES_DIRS": [str(d) for d in args.sites_dir or []], **_overrides(args.set)}
    if job:
        extra["GOVNEWS_RUN_JOB"] = json.dumps(job)
    workers = _workers(extra)  # a wrong EXTRACT_* value: one line, before anything is written
    layout = Layout.at(args.archive)
    run_id = new_run_id()
    lock = (CrawlLock.for_site(layout.root, sites[0].slug) if args.lock == "site"
            else CrawlLock.for_archive(layout.root))
    try:
        lock.acquire()
    except LockHeld as exc:
        return skipped(layout, run_id, [s.slug for s in sites], exc, job)
    from pipelines import extract_worker

    try:
        # the extraction workers start now, beside this process's run records and Scrapy's engine
        extract_worker.prestart(*workers)
        started_at = prepare(layout, run_id, [s.slug for s in sites], job, temps=args.lock == "archive")
        code = crawl_locked(args, sites, layout, run_id, started_at, extra)
    finally:
        extract_worker.discard()  # a pool no spider took (the crawl failed before opening one)
        lock.release()
    after_write(layout)  # the search index absorbs the committed files
    return code


def _workers(extra: dict) -> tuple[int, int]:
    """EXTRACT_WORKERS and EXTRACT_NICE as the crawl will read them (govnews' settings and the
    ``-s`` overrides); UsageError for a value the ExtractPipeline would refuse."""
    from crawler.settings import govnews_settings
    from pipelines.extract_pipeline import extract_settings

    settings = govnews_settings()
    settings.setdict(extra, priority="cmdline")
    try:
        workers, _, _, nice = extract_settings(settings)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return workers, nice


def skipped(layout, run_id: str, slugs: list[str], exc: LockHeld, job: dict | None = None) -> int:
    from warehouse.runs import now, write_run_event

    when = now()
    for slug in slugs:
        write_run_event(layout, run_id=run_id, site=slug, event="end", status="skipped", started_at=when,
                        ended_at=when, finish_reason="locked", exit_code=EX_TEMPFAIL, job=job)
    print(f"govnews: skipped: {exc}; try again later (exit {EX_TEMPFAIL})", file=sys.stderr)
    return EX_TEMPFAIL


def prepare(layout, run_id: str, slugs: list[str], job: dict | None = None, *, temps: bool = True):
    """Under the lock: mark dead runs crashed, drop stale temp files (``temps``), write this run's start events."""
    from crawler.diskguard import remove_reserves
    from warehouse.commit import remove_stale_temps
    from warehouse.runs import mark_crashed, now, write_run_event

    remove_reserves(layout.state_dir())  # left by killed runs; frees room for their crashed events
    for run in mark_crashed(layout):
        print(f"govnews: run {run.run_id} of {run.site} (pid {run.pid}) was killed: marked crashed", file=sys.stderr)
    removed = remove_stale_temps(layout.root) if temps else []
    if removed:
        print(f"govnews: removed {len(removed)} stale temp file(s) left by a killed writer", file=sys.stderr)
    started_at = now()
    for slug in slugs:
        write_run_event(layout, run_id=run_id, site=slug, event="start", status="running", started_at=started_at,
                        job=job)
    return started_at


def crawl_locked(args, sites, layout, run_id: str, started_at, extra: dict) -> int:
    from crawler.runner import crawl_settings, run_crawl

    interactive = args.progress == "live" or (args.progress == "auto" and sys.stderr.isatty())
    progress = "off" if args.progress == "off" else ("live" if interactive else "plain")
    log_level = args.log_level or ("WARNING" if interactive else None)
    settings = crawl_settings(layout.root, via=args.via or "", full=args.full, since=args.since or "",
                              recheck_days=args.recheck_days, run_id=run_id, started_at=started_at.isoformat(),
                              log_level=log_level, extra=extra)
    try:
        results = run_crawl(sites, settings, progress=progress)
    finally:
        job = json.loads(extra.get("GOVNEWS_RUN_JOB", "null"))
        close_unended(layout, run_id, [s.slug for s in sites], started_at, job)
    return summarise(results)


def close_unended(layout, run_id: str, slugs: list[str], started_at, job: dict | None = None) -> None:
    """A site whose spider never opened (bad site file, ...) still gets its one end event."""
    from crawler.verdict import NOT_STARTED
    from warehouse.runs import now, write_run_event

    for slug in slugs:
        if not layout.runs_file(run_id, slug, "end").exists():
            write_run_event(layout, run_id=run_id, site=slug, event="end", status="failed", started_at=started_at,
                            ended_at=now(), finish_reason=NOT_STARTED, exit_code=1, job=job)


def summarise(results: dict[str, dict]) -> int:
    """Print one line per site to stderr, and one more per site that failed; 0 when every crawl finished, else 1.

    A crawl that fetched no list page failed, whatever Scrapy's finish reason (see crawler.verdict)."""
    from crawler.verdict import failure_line, run_verdict

    rows = []
    failures = []
    worst = 0
    for slug, st in results.items():
        verdict = run_verdict(st.get("finish_reason", "?"), st)
        rows.append((slug, st.get("govnews/pages/list", 0), st.get("govnews/pages/article", 0),
                     st.get("govnews/articles/new", 0), st.get("govnews/articles/new_versions", 0),
                     st.get("item_dropped_count", 0), st.get("log_count/ERROR", 0), verdict.status, verdict.reason))
        worst = max(worst, verdict.exit_code)
        if verdict.status == "failed":
            failures.append(failure_line(slug, verdict))
    print_table(["site", "list_pages", "article_pages", "new", "new_versions", "dropped", "errors", "status",
                 "finish"], rows, sys.stderr)
    for line in failures:
        print(line, file=sys.stderr)
    return worst
