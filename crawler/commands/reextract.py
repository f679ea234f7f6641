"""govnews reextract: rebuild the articles from the WARC files with the current extractor, no network.

    govnews reextract                       # new versions marked with the current extractor_version
    govnews reextract --site demo-haidian --workers 2
    govnews reextract --replace             # a fresh articles table, swapped in atomically

Reads the ``captures`` rows of article pages answered 200, reads each payload
from its WARC record, and extracts in ``--workers`` processes. Rows the
archive already holds (same url_key, content hash and extractor version) are
skipped, so a second run adds nothing.
"""

from __future__ import annotations

import sys

from crawler.commands import archive_option, registry, sites_option
from crawler.commands.index import after_write
from crawler.output import UsageError

NAME = "reextract"
HELP = "rebuild article rows from the archived WARC responses with the current extractor (offline)"


def add_arguments(p) -> None:
    archive_option(p)
    sites_option(p)
    p.add_argument("--site", action="append", default=[], help="only this site (repeatable, or comma-separated)")
    p.add_argument("--workers", type=int, default=2, help="extraction processes (default 2)")
    p.add_argument("--replace", action="store_true",
                   help="build a fresh articles table and swap it in atomically (instead of adding versions)")
    p.add_argument("--batch-pages", type=int, default=32, help="pages per worker task")


def run(args) -> int:
    from pipelines.extract import EXTRACTOR_VERSION
    from pipelines.reextract import printer, reextract
    from warehouse.layout import Layout

    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    reg = registry(args)
    sites = [s for part in args.site for s in part.split(",") if s]
    unknown = [s for s in sites if s not in reg]
    if unknown:
        raise UsageError(f"unknown site(s): {', '.join(unknown)} (see `govnews sites`)")
    layout = Layout.at(args.archive)
    hints = {slug: site.hints() for slug, site in reg.items()}
    summary = reextract(layout, hints, sites=sites or None, workers=args.workers, replace=args.replace,
                        batch_pages=args.batch_pages, progress=printer(sys.stderr))
    after_write(layout)  # the search index absorbs the new versions
    dropped = ", ".join(f"{k} {v}" for k, v in sorted(summary.dropped.items())) or "none"
    print(f"reextract: {summary.pages} pages in {summary.seconds:.1f} s, {summary.pages_per_second:.1f} pages/s "
          f"({summary.workers} workers, started in {summary.startup_seconds:.1f} s; extractor {EXTRACTOR_VERSION}); "
          f"{summary.rows} new rows, "
          f"{summary.skipped} already archived, dropped: {dropped}"
          + (f", {summary.unknown_site} pages of sites not in the registry" if summary.unknown_site else "")
          + ("; articles table replaced" if summary.replaced else ""), file=sys.stderr)
    return 1 if summary.failed else 0
