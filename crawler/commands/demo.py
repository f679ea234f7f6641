"""govnews demo: crawl the bundled fixture district sites over loopback and query them."""

from __future__ import annotations

import errno
import sys

from crawler.commands import archive_option, registry, sites_option
from crawler.output import UsageError, print_result
from warehouse.layout import Layout

NAME = "demo"
HELP = "crawl the bundled demo sites offline and query them"

DEMO_QUERIES = {
    "Articles per column per month": """
        SELECT site, "column", strftime(published_at, '%Y-%m') AS month, count(*) AS articles
        FROM articles GROUP BY ALL ORDER BY site, "column", month""",
    "Five newest articles": """
        SELECT strftime(published_at, '%Y-%m-%d %H:%M') AS published, site, title, source
        FROM articles ORDER BY published_at DESC NULLS LAST, url_key LIMIT 5""",
}


def add_arguments(p) -> None:
    archive_option(p)
    sites_option(p)
    p.add_argument("--serve", action="store_true", help="only serve the demo sites until stopped")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--log-level", default=None)


def run(args) -> int:
    from crawler.demo.server import DEMO_ROOT, start_server

    demo_sites = [s for s in registry(args).values() if s.demo]
    if args.serve:
        try:
            server, url = start_server(DEMO_ROOT, port=args.port)
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise UsageError(f"cannot listen on 127.0.0.1:{args.port} ({exc.strerror}); "
                                 "choose another --port") from None
            raise
        print(f"serving the demo district sites through {url} (as an HTTP proxy); Ctrl-C stops", flush=True)
        for s in demo_sites:
            print(f"  govnews crawl --site {s.slug} --via {url}", flush=True)
        try:
            import threading

            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
        return 0

    from crawler.commands.crawl import summarise
    from crawler.runner import crawl_settings, run_crawl
    from warehouse.query import run_query

    server, url = start_server(DEMO_ROOT, port=0)
    layout = Layout.at(args.archive)
    print(f"demo: crawling {', '.join(s.slug for s in demo_sites)} from the bundled site at {url} "
          f"into {layout.root}", file=sys.stderr)
    try:
        settings = crawl_settings(layout.root, via=url, log_level=args.log_level or "WARNING")
        code = summarise(run_crawl(demo_sites, settings))
    finally:
        server.shutdown()
    for title, sql in DEMO_QUERIES.items():
        print(f"\n{title}:")
        res = run_query(layout, sql)
        print_result(res.columns, res.rows, "table")
    return code
