"""One module per ``govnews`` subcommand.

A command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``; ``crawler.cli`` finds every module in this package, so a
new command is a new file. Shared options (``--archive``, ``--sites-dir``) come
from :func:`archive_option` / :func:`sites_option`. Commands that read an
archive resolve it with :func:`existing_archive` and check ``--site`` with
:func:`known_sites`: a path that is not an archive, or a slug nobody knows, is
bad input (exit 2, one line), never an empty answer.
"""

from __future__ import annotations

import argparse
import sys

from crawler.output import UsageError
from crawler.sites import Site, load_registry_with, registry_warnings

#: what a folder holds once any crawl, import or compaction has used it as an archive
ARCHIVE_MARKERS = ("runs", "articles", "captures", "warc", "state")


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


def existing_archive(args):
    """The ``--archive`` (or ``$GOVNEWS_ARCHIVE``, ``./archive``) of a command that reads one, as a Layout.

    UsageError when the folder is missing or holds none of an archive's folders (a typo'd path
    must not read as an empty archive)."""
    from warehouse.layout import Layout

    layout = Layout.at(getattr(args, "archive", None))
    root = layout.root
    if not root.is_dir():
        raise UsageError(f"no archive at {root}: the folder does not exist (--archive PATH or $GOVNEWS_ARCHIVE)")
    if not any((root / name).is_dir() for name in ARCHIVE_MARKERS):
        raise UsageError(f"no archive at {root}: none of {', '.join(n + '/' for n in ARCHIVE_MARKERS)} in it "
                         "(--archive PATH or $GOVNEWS_ARCHIVE)")
    return layout


def archive_sites(layout) -> set[str]:
    """Slugs that have any data in the archive (a partition folder or a run record)."""
    found = set()
    for table in ("articles", "captures", "warc"):
        base = layout.root / table
        if base.is_dir():
            found.update(p.name[len("site="):] for p in base.iterdir() if p.name.startswith("site="))
    return found


def split_slugs(values) -> list[str]:
    """``["a,b", "c"]`` -> ``["a", "b", "c"]``."""
    return [s.strip() for arg in values or [] for s in str(arg).split(",") if s.strip()]


def known_sites(args, values, layout=None, *, run_sites=()) -> list[str]:
    """The slugs of ``--site`` (repeatable, comma lists), each in the registry (with ``--sites-dir``)
    or with data in the archive (``run_sites``: slugs the caller found in the run records).

    UsageError naming the unknown ones otherwise."""
    slugs = split_slugs(values)
    if not slugs:
        return []
    known = set(registry(args)) | set(run_sites)
    if layout is not None:
        known |= archive_sites(layout)
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise UsageError(f"unknown site(s): {', '.join(unknown)} (not in the registry nor in the archive; "
                         "see `govnews sites`)")
    return slugs
