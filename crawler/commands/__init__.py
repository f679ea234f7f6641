"""One module per ``govnews`` subcommand.

A command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``; ``crawler.cli`` finds every module in this package, so a
new command is a new file. Shared options (``--archive``, ``--sites-dir``) come
from :func:`archive_option` / :func:`sites_option`.
"""

from __future__ import annotations

import argparse
import sys

from crawler.sites import Site, load_registry_with, registry_warnings


def archive_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--archive", default=None, help="archive root (default: $GOVNEWS_ARCHIVE or ./archive)")


def sites_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sites-dir", action="append", help="extra folder of site files")


def registry(args) -> dict[str, Site]:
    """The registry, with a warning line on stderr for what is legal but probably wrong (shared hosts)."""
    reg = load_registry_with(getattr(args, "sites_dir", None) or [])
    for line in registry_warnings(reg):
        print(f"govnews: warning: {line}", file=sys.stderr)
    return reg
