"""govnews export: the articles view as a publishable dataset (a Hugging Face dataset folder).

    govnews export --format parquet --out dataset/ --site beijing-haidian --since 2020-01-01
    govnews export --format csv --bom --out for-excel/ --fields title,published_at,body_text
    govnews export --out zhengyao/ --column 区政要闻 --since 2024-01-01

The folder holds ``README.md`` (a dataset card with a YAML header) and ``data/``.
It is written into a hidden folder beside ``--out`` and renamed into place when complete.
"""

from __future__ import annotations

import shlex
import sys
from datetime import date
from pathlib import Path

from crawler.commands import archive_option, existing_archive, known_sites
from crawler.output import UsageError

NAME = "export"
HELP = "write the articles view as a dataset (Parquet, CSV or JSON lines, with a dataset card)"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(p) -> None:
    archive_option(p)
    p.add_argument("--format", choices=["parquet", "csv", "jsonl"], default="parquet")
    p.add_argument("--out", required=True, help="output folder (must not exist unless --overwrite)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    p.add_argument("--versions", action="store_true", help="every version, not only the latest")
    p.add_argument("--site", action="append", default=[], help="only this site (repeatable)")
    p.add_argument("--since", help="published on or after this day (YYYY-MM-DD)")
    p.add_argument("--until", help="published on or before this day (YYYY-MM-DD)")
    p.add_argument("--contains", help="only articles whose title or body contains this text")
    p.add_argument("--column", action="append", default=[],
                   help="only articles of this 栏目, the `column` field, e.g. 区政要闻 (repeatable)")
    p.add_argument("--fields", action="append", default=[],
                   help="export only these fields (repeatable, or comma-separated), e.g. title,published_at")
    p.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 byte order mark (for Excel)")
    p.add_argument("--max-file-mb", type=float, default=256, help="Parquet: bound on each file's size (MB)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")


def run(args) -> int:
    from warehouse.export import ExportError, ExportFilter, export_articles

    if args.bom and args.format != "csv":
        raise UsageError("--bom is for --format csv")
    layout = existing_archive(args)
    filters = ExportFilter(sites=known_sites(args, args.site, layout), since=_day(args.since) if args.since else None,
                           until=_day(args.until) if args.until else None, contains=args.contains or None,
                           columns=args.column)
    fields = [f for part in args.fields for f in part.split(",") if f] or None
    command = "govnews export " + shlex.join(a for a in sys.argv[2:] if a) if len(sys.argv) > 2 else None
    show = sys.stderr.isatty() and not args.no_progress
    try:
        if show:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                          TimeRemainingColumn(), transient=True) as bar:
                task = bar.add_task("exporting", total=None)
                res = export_articles(layout, Path(args.out), args.format,
                                      overwrite=args.overwrite, versions=args.versions, filters=filters,
                                      columns=fields, bom=args.bom, max_file_mb=args.max_file_mb,
                                      command=command,
                                      progress=lambda done, total: bar.update(task, completed=done, total=total))
        else:
            res = export_articles(layout, Path(args.out), args.format, overwrite=args.overwrite,
                                  versions=args.versions, filters=filters, columns=fields,
                                  bom=args.bom, max_file_mb=args.max_file_mb, command=command)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    names = ", ".join(p.relative_to(res.out).as_posix() for p in res.files)
    print(f"exported {res.rows} {'article versions' if args.versions else 'articles'} to {res.out}: {names}")
    return 0
