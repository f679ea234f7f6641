"""``govnews``: a thin command line over crawler, pipelines and warehouse.

Each subcommand is a module of ``crawler.commands``. Every command that reads
or writes the archive takes ``--archive`` (default ``$GOVNEWS_ARCHIVE`` or
``./archive``). Exit codes: 0 ok, 1 failure, 2 bad input (unknown site,
refused SQL, ...); commands may define more (documented in the README).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import crawler.commands
from crawler.output import UsageError
from crawler.sites import SiteError

EXIT_USAGE = 2


def command_modules() -> list:
    names = sorted(m.name for m in pkgutil.iter_modules(crawler.commands.__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"crawler.commands.{name}") for name in names]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="govnews", description="Archive of Chinese district government news.")
    sub = p.add_subparsers(dest="command", required=True)
    for module in command_modules():
        sp = sub.add_parser(module.NAME, help=module.HELP, description=module.__doc__)
        module.add_arguments(sp)
        sp.set_defaults(func=module.run)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (UsageError, SiteError) as exc:
        print(f"govnews: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
