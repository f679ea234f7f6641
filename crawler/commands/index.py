"""govnews index: bring the full-text search index (``<archive>/index/``) up to the archive's files.

    govnews index              # absorb the Parquet files committed since the last update
    govnews index --rebuild    # build it again from every live file

The index is always derivable from the Parquet files; ``crawl``, ``compact``,
``reextract`` and ``import-warc`` update it when they finish (when it exists), and
``search`` catches it up before answering. An interrupted update leaves the last
committed index; the next run completes it. Exit codes: 0 ok, 1 another update
held the index for longer than ``--wait`` seconds.
"""

from __future__ import annotations

import sys

from crawler.commands import archive_option
from crawler.output import UsageError
from warehouse.layout import Layout

NAME = "index"
HELP = "build or update the full-text search index (archive/index/)"


def add_arguments(p) -> None:
    archive_option(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild from every live Parquet file")
    p.add_argument("--batch-docs", type=int, default=100_000,
                   help="documents per tantivy commit (a killed update keeps what was committed; default 100000)")
    p.add_argument("--wait", type=float, default=600.0,
                   help="seconds to wait for another index update to finish (default 600)")


def run(args) -> int:
    from warehouse.fulltext.store import IndexBusy
    from warehouse.fulltext.update import catch_up

    if args.batch_docs < 1:
        raise UsageError("--batch-docs must be at least 1")
    try:
        rep = catch_up(Layout.at(args.archive), rebuild=args.rebuild, wait=args.wait, batch_docs=args.batch_docs,
                       progress=lambda r: print(f"  {r.added} documents written…", file=sys.stderr, flush=True))
    except IndexBusy as exc:
        print(f"govnews: {exc}", file=sys.stderr)
        return 1
    print(rep.line())
    return 0


def after_write(layout: Layout) -> None:
    """Called by the commands that commit articles files: update the index if there is one.

    A failure here loses nothing (the files are committed; the next update absorbs them):
    it is reported on standard error and does not change the command's exit code."""
    from warehouse.fulltext.store import exists
    from warehouse.fulltext.update import catch_up

    if not exists(layout):
        return
    try:
        rep = catch_up(layout, wait=60.0)
    except Exception as exc:  # noqa: BLE001 - reported; the index catches up at the next update
        print(f"govnews: search index not updated ({type(exc).__name__}: {exc}); "
              f"run `govnews index`", file=sys.stderr)
        return
    print(rep.line(), file=sys.stderr)
