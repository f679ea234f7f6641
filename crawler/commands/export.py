"""govnews export: the articles view as a dataset."""

from __future__ import annotations

from pathlib import Path

from crawler.commands import archive_option
from crawler.output import UsageError
from warehouse.layout import Layout

NAME = "export"
HELP = "write the articles view as a dataset"


def add_arguments(p) -> None:
    archive_option(p)
    p.add_argument("--format", choices=["parquet", "csv", "jsonl"], default="parquet")
    p.add_argument("--out", required=True)
    p.add_argument("--overwrite", action="store_true")
    p.add_argument("--versions", action="store_true", help="every version, not only the latest")


def run(args) -> int:
    from warehouse.export import ExportError, export_articles

    try:
        res = export_articles(Layout.at(args.archive), Path(args.out), args.format, overwrite=args.overwrite,
                              versions=args.versions)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    print(f"exported {res.rows} articles to {res.out}: {', '.join(p.name for p in res.files)}")
    return 0
