"""govnews health: is each site still yielding? Exit 1 when any site is flagged.

Per site, from the run records: the last successful (``ok``) run, new
articles per day over the last 14 days (Asia/Shanghai days, oldest first),
blocked responses and errors over those 14 days, crashed and skipped runs,
and one health state. Every site of the registry (but the demo ones) is
listed, and every site the run records name. States (all but ``ok`` flag the
site, so cron mail or a monitor sees the non-zero exit):

- ``unreachable``, ``blocked``, ``robots_disallowed``: the site's last run
  fetched no list page, for that reason (see crawler.verdict); ``blocked`` also
  when the last run was stopped by challenge pages
- ``failed``: the last run failed for another reason (e.g. a site file that would not load)
- ``stale``: its list pages still answer (a run in the last N days fetched
  list pages) but no run yielded a new article for N days (``--stale-days``,
  default 7), and it has been watched that long
- ``never_crawled``: in the registry, no run on record
- ``failing``: the job engine's last N deliveries of its crawl jobs
  (``--failed-deliveries``, default 3) all failed or crashed (``govnews worker``
  runs; see README "More than one machine")
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta

from crawler.commands import archive_option, existing_archive, known_sites, registry, sites_option
from crawler.output import jsonable, print_table
from crawler.verdict import NO_LIST_REASONS

NAME = "health"
HELP = "per-site crawl health over the last 14 days; exit 1 when a site has gone quiet"

DAYS = 14
EXIT_FLAGGED = 1


def add_arguments(p) -> None:
    archive_option(p)
    sites_option(p)
    p.add_argument("--site", action="append", help="only these sites (repeatable, or comma-separated)")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--stale-days", type=int, default=7, metavar="N",
                   help="flag a site whose list pages answer but that yielded no new article for N days (default 7)")
    p.add_argument("--failed-deliveries", type=int, default=3, metavar="N",
                   help="flag a site whose last N job deliveries (govnews worker) all failed or crashed (default 3)")


FAILING = """
SELECT site FROM (
    SELECT site, status, row_number() OVER (PARTITION BY site ORDER BY coalesce(started_at, ended_at) DESC,
                                                                      run_id DESC) AS nth
    FROM runs WHERE job_id IS NOT NULL AND status <> 'skipped'
) WHERE nth <= $n GROUP BY site HAVING count(*) = $n AND bool_and(status IN ('failed', 'crashed')) ORDER BY site
"""


def failing_sites(con, n: int) -> list[str]:
    """Sites whose last ``n`` job-engine deliveries all failed or crashed."""
    if "job_id" not in {r[0] for r in con.execute("DESCRIBE runs").fetchall()}:
        return []  # no run here came from a job (archives older than the job engine)
    return [r[0] for r in con.execute(FAILING, {"n": n}).fetchall()]


SQL = """
WITH r AS (
    SELECT site, status, finish_reason, coalesce(started_at, ended_at) AS t, ended_at,
           coalesce(list_pages, 0) AS list_pages, coalesce(new_articles, 0) AS new_articles,
           coalesce(blocked, 0) AS blocked, coalesce(errors, 0) AS errors
    FROM runs WHERE site IS NOT NULL AND site <> 'unknown'
)
SELECT site,
       max(ended_at) FILTER (WHERE status = 'ok') AS last_ok,
       max(t) FILTER (WHERE new_articles > 0) AS last_new,
       max(t) FILTER (WHERE list_pages > 0) AS last_list,
       min(t) AS first_run,
       max(t) AS last_run,
       sum(blocked) FILTER (WHERE t >= $since) AS blocked_14d,
       sum(errors) FILTER (WHERE t >= $since) AS errors_14d,
       count(*) FILTER (WHERE t >= $since AND status = 'crashed') AS crashed_14d,
       count(*) FILTER (WHERE t >= $since AND status = 'skipped') AS skipped_14d,
       count(*) FILTER (WHERE t >= $since) AS runs_14d,
       arg_max(status, t) FILTER (WHERE status NOT IN ('skipped', 'running')) AS last_status,
       arg_max(finish_reason, t) FILTER (WHERE status NOT IN ('skipped', 'running')) AS last_reason
FROM r GROUP BY site ORDER BY site
"""

PER_DAY = """
SELECT site, CAST(coalesce(started_at, ended_at) AS DATE) AS day, sum(coalesce(new_articles, 0)) AS n
FROM runs WHERE coalesce(started_at, ended_at) >= $since GROUP BY ALL
"""


def state(r: dict) -> str:
    """The health state of one site's report row (see the module docstring)."""
    if r["last_status"] == "failed":
        return r["last_reason"] if r["last_reason"] in NO_LIST_REASONS else "failed"
    if r["last_reason"] == "blocked":
        return "blocked"
    return "stale" if r["stale"] else "ok"


def never_crawled(site: str, days: list) -> dict:
    return {"site": site, "last_ok": None, "last_new": None, "last_list": None, "first_run": None, "last_run": None,
            "blocked_14d": 0, "errors_14d": 0, "crashed_14d": 0, "skipped_14d": 0, "runs_14d": 0,
            "last_status": None, "last_reason": None, "stale": False, "days_since_new": None,
            "new_per_day": [0] * len(days), "days": [d.isoformat() for d in days], "health": "never_crawled"}


def report(con, stale_days: int, registered: list[str] = ()) -> list[dict]:
    """One row per site with runs, plus one ``never_crawled`` row per slug of ``registered`` without any."""
    now = con.execute("SELECT current_timestamp, current_date").fetchone()
    ts_now, today = now
    since = ts_now - timedelta(days=DAYS)
    days = [today - timedelta(days=i) for i in range(DAYS - 1, -1, -1)]
    per_day: dict[str, dict] = {}
    for site, day, n in con.execute(PER_DAY, {"since": since}).fetchall():
        per_day.setdefault(site, {})[day] = int(n or 0)
    cur = con.execute(SQL, {"since": since})
    cols = [d[0] for d in cur.description]
    out = []
    stale_since = ts_now - timedelta(days=stale_days)
    for row in cur.fetchall():
        r = dict(zip(cols, row))
        answering = r["last_list"] is not None and r["last_list"] >= stale_since
        watched = r["first_run"] is not None and r["first_run"] <= stale_since
        quiet = r["last_new"] is None or r["last_new"] < stale_since
        r["stale"] = bool(answering and watched and quiet)
        r["days_since_new"] = None if r["last_new"] is None else (ts_now - r["last_new"]).days
        r["new_per_day"] = [per_day.get(r["site"], {}).get(d, 0) for d in days]
        r["days"] = [d.isoformat() for d in days]
        for k in ("blocked_14d", "errors_14d"):
            r[k] = int(r[k] or 0)
        r["health"] = state(r)
        out.append(r)
    seen = {r["site"] for r in out}
    out += [never_crawled(site, days) for site in registered if site not in seen]
    return sorted(out, key=lambda r: r["site"])


def run(args) -> int:
    from warehouse.db import connect

    from crawler.commands.runs import run_sites

    layout = existing_archive(args)
    con = connect(layout, rank_once=False)  # reads runs only
    sites = known_sites(args, args.site, layout, run_sites=run_sites(con))
    watched = sites or [s.slug for s in registry(args).values() if not s.demo]
    rows = report(con, args.stale_days, watched)
    if sites:
        rows = [r for r in rows if r["site"] in sites]
    if args.format == "json":
        for r in rows:
            print(json.dumps(jsonable(r), ensure_ascii=False))
    else:
        table = [(r["site"], r["last_ok"], r["days_since_new"], sum(r["new_per_day"]),
                  " ".join(map(str, r["new_per_day"])), r["blocked_14d"], r["errors_14d"], r["crashed_14d"],
                  r["skipped_14d"], r["health"]) for r in rows]
        print_table(["site", "last_ok_run", "days_since_new", "new_14d", f"new per day (last {DAYS}, oldest first)",
                     "blocked_14d", "errors_14d", "crashed_14d", "skipped_14d", "health"], table, sys.stdout,
                    max_cell=60)
    flagged: dict[str, list[str]] = {}
    for r in rows:
        if r["health"] != "ok":
            flagged.setdefault(r["health"], []).append(r["site"])
    if flagged:
        print(f"govnews health: {sum(map(len, flagged.values()))} site(s) flagged: "
              + "; ".join(f"{why}: {', '.join(sites)}" for why, sites in sorted(flagged.items())), file=sys.stderr)
    failing = failing_sites(con, max(1, args.failed_deliveries))
    if failing:
        print(f"govnews health: failing: the last {max(1, args.failed_deliveries)} job deliveries failed or crashed: "
              f"{', '.join(failing)}", file=sys.stderr)
    return EXIT_FLAGGED if flagged or failing else 0
