"""govnews check-site: fetch each column's first list page and one article, politely, and say what to fix.

    govnews check-site beijing-haidian
    govnews check-site beijing-haidian --column 要闻动态
    govnews check-site beijing-haidian --column 要闻动态 --offline saved-list.html

Polite: robots.txt is obeyed, one request at a time, the identifying User-Agent, the address guard.
Nothing is archived. Per column: the HTTP outcome, the links matching the article pattern, the
pagination found (kind, page count), one article extracted (title, date, source, body length),
then what to fix. ``--offline`` reads a saved list page instead (no network, no article).
Exit 0 when every column looks right, 1 when something needs fixing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from crawler.commands import registry, sites_option
from crawler.output import UsageError

NAME = "check-site"
HELP = "check a site file against the live portal (first list page and one article per column)"


def add_arguments(p) -> None:
    sites_option(p)
    p.add_argument("slug", help="the site to check (see `govnews sites`)")
    p.add_argument("--column", help="only this column (its name)")
    p.add_argument("--offline", type=Path, metavar="PAGE.html", help="read this saved list page instead of fetching")
    p.add_argument("--via", help="send all requests through this HTTP proxy (e.g. a fixture server)")


def _columns(site, name: str | None) -> list[int]:
    if name is None:
        return list(range(len(site.columns)))
    found = [i for i, c in enumerate(site.columns) if c.name == name]
    if not found:
        raise UsageError(f"{site.slug} has no column {name!r} (columns: {', '.join(c.name for c in site.columns)})")
    return found


def run(args) -> int:
    from crawler.checksite import check_list, render

    reg = registry(args)
    if args.slug not in reg:
        raise UsageError(f"unknown site {args.slug!r} (see `govnews sites`)")
    site = reg[args.slug]
    columns = _columns(site, args.column)
    if args.offline is not None:
        if not args.offline.is_file():
            raise UsageError(f"no such file: {args.offline}")
        if len(columns) != 1:
            raise UsageError("--offline reads one saved page: name its column with --column")
        column = site.columns[columns[0]]
        body = args.offline.read_bytes()
        results = [check_list(site, column, url=column.url, status=200, content_type="", body=body,
                              outcome=f"offline: {args.offline} ({len(body)} bytes)")]
        results[0].offline = True
    else:
        try:
            results = _fetch(site, columns, args.via or "")
        except CheckFailed as exc:
            print(f"govnews: {exc}", file=sys.stderr)
            return 1
    failed = 0
    for i, check in zip(columns, results):
        for line in render(site, check, i):
            print(line)
        failed += check.failed
    state = "verified" if site.verified else "unverified"
    print(f"{site.slug} ({state}): {len(results) - failed} of {len(results)} columns look right")
    return 1 if failed else 0


def _fetch(site, columns: list[int], via: str):
    from scrapy.crawler import CrawlerProcess

    from crawler.runner import crawl_settings
    from crawler.spiders.check_site import CHECK_SETTINGS, CheckSiteSpider

    settings = crawl_settings(None, via=via, log_level="ERROR", extra=CHECK_SETTINGS)
    settings.set("DOWNLOADER_MIDDLEWARES", {**settings.getdict("DOWNLOADER_MIDDLEWARES"),
                                            "pipelines.archive_pipeline.ArchiveWireMiddleware": None}, priority="cmdline")
    results: list = []
    process = CrawlerProcess(settings)
    process.crawl(CheckSiteSpider, site=site, columns=columns, results=results)
    process.start()
    if len(results) != len(columns):
        raise CheckFailed(f"check-site stopped early: {len(results)} of {len(columns)} columns checked "
                          "(see the error above)")
    return results


class CheckFailed(Exception):
    pass
