"""govnews compact: merge each partition's small Parquet files into files of a target size.

The merged file is committed before any old file goes; old files move to
``<archive>/trash/`` only when no query can still be reading them (after
``--grace`` seconds, default 900, longer than the query time limit), by this
run or a later one; the trash is purged after the same grace. Exit codes:
0 ok, 1 another compaction is running.
"""

from __future__ import annotations

import sys

from crawler.commands import archive_option, existing_archive, known_sites
from crawler.commands.index import after_write
from crawler.output import UsageError

NAME = "compact"
HELP = "merge small Parquet files of each partition (never loses or doubles a row)"


def add_arguments(p) -> None:
    archive_option(p)
    p.add_argument("--site", action="append", default=[], help="only this site (repeatable)")
    p.add_argument("--table", action="append", choices=["articles", "captures"], default=[],
                   help="only this table (repeatable; default both)")
    p.add_argument("--target-mb", type=float, default=128, help="size of a merged file (MB, default 128)")
    p.add_argument("--grace", type=float, default=900,
                   help="seconds a superseded file stays readable before it moves to the trash (default 900)")


def run(args) -> int:
    from warehouse.compact import CompactionBusy, compact

    if args.target_mb <= 0 or args.grace < 0:
        raise UsageError("--target-mb must be positive and --grace not negative")
    layout = existing_archive(args)
    sites = known_sites(args, args.site, layout)
    tables = tuple(args.table) or ("articles", "captures")
    try:
        rep = compact(layout, sites=sites or None, tables=tables, target_mb=args.target_mb, grace=args.grace)
    except CompactionBusy as exc:
        print(f"govnews: {exc}", file=sys.stderr)
        return 1
    after_write(layout)  # the search index swaps the merged files in
    print(f"compacted {rep.partitions} partitions: {rep.files_in} files ({rep.bytes_in / 1e6:.1f} MB) "
          f"→ {rep.files_out} files ({rep.bytes_out / 1e6:.1f} MB), {rep.rows} rows; "
          f"retired {rep.retired} superseded files to the trash, purged {rep.purged} trash folders"
          + (f", removed {rep.temps_removed} stale temp files" if rep.temps_removed else ""))
    return 0
