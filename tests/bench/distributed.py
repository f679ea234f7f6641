"""Benchmark: 3 job-engine workers against one ``govnews crawl`` of the same sites, in one run.

    python -m tests.bench.distributed [--sites 30] [--articles 10] [--workers 3]

Generates ``--sites`` small TRS-style sites (tests/distributed/cluster.py),
serves them on loopback, then

1. ``govnews crawl --site <all>`` in one process (Scrapy crawls the sites side
   by side), timed, with its CPU (the process and its extraction workers);
2. a real redis-server and ``--workers`` ``govnews worker`` processes
   (concurrency 1 each, started and ready before the clock starts), then
   ``govnews enqueue`` of the same sites into a second archive, timed to the
   last job's end.

Prints pages/s and sites/min of both, and the job engine's overhead per site:
a job's wall time (the worker starting it to its end, from the job records)
minus its crawl's own time (the run record's start to end): the crawl
subprocess starting (a fresh Python, Scrapy, the extractor), the lease and the
acknowledgement. Then a capacity estimate: sites per day per machine at
1 request/s per host, from the measured CPU seconds per page.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.distributed import jobs
from tests.conftest import start_fixture_server
from tests.distributed import cluster
from tests.distributed.conftest import Workers, crawl_args, enqueue, query, wait_batch

ROOT = cluster.ROOT


def _pages(archive: Path) -> int:
    return query(archive, "SELECT count(*) FROM captures")[0][0]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sites", type=int, default=30)
    p.add_argument("--articles", type=int, default=10, help="articles per site")
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--pages-per-site-day", type=float, default=12.0,
                   help="for the capacity estimate: pages a daily incremental crawl fetches per site "
                        "(list pages + new articles + robots; default 12)")
    args = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="govnews-bench-dist-"))
    www, sites = cluster.build_sites(tmp / "gen", args.sites, args.articles)
    server = start_fixture_server(www, tmp / "requests.jsonl")
    redis = cluster.Redis(tmp / "redis").start()
    slugs = [cluster.slug(i) for i in range(args.sites)]
    env = cluster.env(redis)
    try:
        # 1. one process
        single = tmp / "single"
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--progress", "off",
                        *crawl_args(single, sites, server, slugs)], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        single_s = time.monotonic() - t0
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        single_cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
        single_pages = _pages(single)

        # 2. the job engine
        w = Workers(redis, tmp / "workers")
        for i in range(args.workers):
            w.start(f"w{i}")
        w.wait_ready()
        spread = tmp / "spread"
        client = jobs.client(redis.url)
        t0 = time.monotonic()
        batch = enqueue(redis, *crawl_args(spread, sites, server, slugs))
        states = wait_batch(client, batch, timeout=3600)
        spread_s = time.monotonic() - t0
        w.stop_all(graceful=True)  # waited for: their CPU counts
        ru2 = resource.getrusage(resource.RUSAGE_CHILDREN)
        spread_cpu = (ru2.ru_utime + ru2.ru_stime) - (ru1.ru_utime + ru1.ru_stime)
        spread_pages = _pages(spread)
        assert {j["state"] for j in states.values()} == {"done"}, states
        runs = {r[0]: r[1] for r in query(spread, "SELECT job_id, epoch(ended_at) - epoch(started_at) FROM runs "
                                                  "WHERE status = 'ok'")}
        overhead = [float(j["updated_at"]) - float(j["started_at"]) - runs[k] for k, j in states.items()]
        job_wall = [float(j["updated_at"]) - float(j["started_at"]) for j in states.values()]
        articles = [query(a, "SELECT count(*) FROM articles")[0][0] for a in (single, spread)]
    finally:
        redis.stop()
        server.proc.terminate()
    cores = os.cpu_count() or 1
    print(f"{args.sites} sites x {args.articles} articles, {cores} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'':28}{'wall s':>8}{'pages':>7}{'pages/s':>9}{'sites/min':>10}{'CPU s':>8}{'CPU s/page':>11}")
    for label, s, pages, cpu in (("govnews crawl (1 process)", single_s, single_pages, single_cpu),
                                 (f"{args.workers} workers (job engine)", spread_s, spread_pages, spread_cpu)):
        print(f"{label:28}{s:8.1f}{pages:7d}{pages / s:9.1f}{60 * args.sites / s:10.1f}{cpu:8.1f}{cpu / pages:11.3f}")
    print(f"articles archived: {articles[0]} (1 process), {articles[1]} (workers)")
    print(f"job engine overhead per site: {statistics.mean(overhead):.1f} s mean, {statistics.median(overhead):.1f} s "
          f"median, {max(overhead):.1f} s max (job wall {statistics.mean(job_wall):.1f} s mean: the crawl subprocess "
          f"starting, the lease, the acknowledgement)")
    cpu_page = single_cpu / single_pages
    pages_job = spread_pages / args.sites
    fixed = max(0.0, spread_cpu / args.sites - pages_job * cpu_page)  # a job's CPU beyond its pages
    p_day = args.pages_per_site_day
    print(f"CPU per site job: {spread_cpu / args.sites:.2f} s for {pages_job:.0f} pages "
          f"= {fixed:.2f} s fixed (process start, lease, queue) + pages x {cpu_page:.3f} s")
    print(f"capacity, {p_day:g} pages per site per day (1 request/s per host; hosts in parallel, so CPU bounds it): "
          f"~{cores * 86400 / (p_day * cpu_page):,.0f} sites/day/machine in one crawl process, "
          f"~{cores * 86400 / (fixed + p_day * cpu_page):,.0f} as one job per site")
    return 0


if __name__ == "__main__":
    sys.exit(main())
