"""govnews sites: the site registry."""

from __future__ import annotations

from crawler.commands import registry, sites_option
from crawler.output import print_result

NAME = "sites"
HELP = "list the site registry"


def add_arguments(p) -> None:
    sites_option(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")


def run(args) -> int:
    rows = [
        (s.slug, s.district, s.admin_code, s.family, ",".join(s.hosts), len(s.columns),
         "yes" if s.verified else "no", ("demo: " if s.demo else "") + s.note)
        for s in registry(args).values()
    ]
    print_result(["slug", "district", "admin_code", "family", "hosts", "columns", "verified", "note"], rows, args.format)
    return 0
