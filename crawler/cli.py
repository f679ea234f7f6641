"""``govnews``: a thin command line over crawler, pipelines and warehouse.

Each subcommand is a module of ``crawler.commands``. Every command that reads
or writes the archive takes ``--archive`` (default ``$GOVNEWS_ARCHIVE`` or
``./archive``). Exit codes: 0 ok, 1 failure, 2 bad input (unknown site,
refused SQL, ...); commands may define more (documented in the README).
A full disk or a path it may not write ends in one line and exit 1
(``GOVNEWS_DEBUG=1`` for the traceback); a closed pipe (``| head``) in one
line and exit 141.
"""

from __future__ import annotations

import argparse
import errno
import gc
import importlib
import os
import pkgutil
import signal
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
        code = args.func(args)
        sys.stdout.flush()  # a reader that went away is seen here, not at exit
        return code
    except (UsageError, SiteError) as exc:
        print(f"govnews: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return broken_pipe()
    except OSError as exc:
        if os.environ.get("GOVNEWS_DEBUG") or exc.errno not in ENVIRONMENT_ERRORS:
            raise
        print(f"govnews: {os_error_line(exc)}", file=sys.stderr)
        return 1


#: errors of the machine, not of govnews: a full disk, a folder it may not write, a path through a file
ENVIRONMENT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR,
                      errno.EISDIR, errno.EEXIST, errno.ENAMETOOLONG, errno.ELOOP, errno.EMFILE, errno.EFBIG}


def os_error_line(exc: OSError) -> str:
    """``<path>: <what went wrong>`` in one line (GOVNEWS_DEBUG=1 shows the traceback instead)."""
    what = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        what += " (free some space and run the command again; nothing half-written is visible)"
    where = exc.filename if exc.filename is not None else ""
    return f"{where}: {what}" if where else what


def broken_pipe() -> int:
    """The reader of our output went away (``govnews … | head``): one line, no traceback, exit 141."""
    try:  # nothing more may reach the closed pipe, not even Python's flush at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    try:
        print("govnews: output closed early (broken pipe)", file=sys.stderr)
    except OSError:
        pass
    return 128 + signal.SIGPIPE


def entry() -> int:
    """The ``govnews`` command: :func:`main`, then a quick exit.

    Every object left is freed by the process's exit: frozen first (``gc.freeze``), the interpreter's
    final collections do not walk them one by one (0.15 s after a crawl, with Scrapy, pyarrow and
    DuckDB loaded). Files are all closed by then (each writer closes its own, and a crash at any
    moment leaves them whole anyway). In-process callers (tests) call :func:`main` and keep their GC.
    """
    code = main()
    gc.freeze()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(entry())
