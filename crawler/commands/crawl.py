"""govnews crawl: crawl registry sites into the archive."""

from __future__ import annotations

import sys
from datetime import date

from crawler.commands import archive_option, registry, sites_option
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
    p.add_argument("--log-level", default=None, help="Scrapy log level (default INFO)")


def run(args) -> int:
    from crawler.runner import crawl_settings, run_crawl

    if not args.site and not args.all:
        raise UsageError("name sites with --site SLUG[,SLUG] or use --all")
    sites = select(registry(args), args.site, all_sites=args.all)
    if args.since:
        try:
            date.fromisoformat(args.since)
        except ValueError:
            raise UsageError(f"--since must be YYYY-MM-DD, not {args.since!r}") from None
    settings = crawl_settings(args.archive, via=args.via or "", full=args.full, since=args.since or "",
                              log_level=args.log_level)
    return summarise(run_crawl(sites, settings))


def summarise(results: dict[str, dict]) -> int:
    """Print one line per site to stderr; 0 when every crawl finished, else 1."""
    rows = []
    worst = 0
    for slug, st in results.items():
        reason = st.get("finish_reason", "?")
        rows.append((slug, st.get("govnews/pages/list", 0), st.get("govnews/pages/article", 0),
                     st.get("govnews/articles/new", 0), st.get("govnews/articles/new_versions", 0),
                     st.get("item_dropped_count", 0), st.get("log_count/ERROR", 0), reason))
        if reason != "finished":
            worst = 1
    print_table(["site", "list_pages", "article_pages", "new", "new_versions", "dropped", "errors", "finish"], rows,
                sys.stderr)
    return worst
