"""``govnews``: a thin command line over crawler, pipelines and warehouse.

Every command takes ``--archive`` (default ``$GOVNEWS_ARCHIVE`` or ``./archive``).
Exit codes: 0 ok, 1 failure, 2 bad input (unknown site, refused SQL, ...).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from crawler.sites import SiteError, load_registry, select
from warehouse.layout import Layout

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: exit 2 with a one-line message."""


# --- output ------------------------------------------------------------------------


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _clip(s: str, limit: int) -> str:
    s = s.replace("\n", " ⏎ ")
    if _width(s) <= limit:
        return s
    out, w = [], 0
    for c in s:
        cw = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if w + cw > limit - 1:
            break
        out.append(c)
        w += cw
    return "".join(out) + "…"


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.isoformat(sep=" ", timespec="minutes") if v.tzinfo else v.isoformat(sep=" ")
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(_jsonable(v), ensure_ascii=False)
    return str(v)


def _jsonable(v):
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def print_table(columns: list[str], rows: list[tuple], out=sys.stdout, max_cell: int = 40) -> None:
    cells = [[_clip(_cell(v), max_cell) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    print(line(columns), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in cells:
        print(line(r), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


def print_result(columns: list[str], rows: list[tuple], fmt: str, out=sys.stdout) -> None:
    if fmt == "table":
        print_table(columns, rows, out)
    elif fmt == "csv":
        w = csv.writer(out)
        w.writerow(columns)
        for row in rows:
            w.writerow([_cell(v) for v in row])
    elif fmt == "json":
        for row in rows:
            print(json.dumps(_jsonable(dict(zip(columns, row))), ensure_ascii=False), file=out)
    else:  # pragma: no cover - argparse restricts choices
        raise UsageError(f"unknown format {fmt}")


# --- commands ----------------------------------------------------------------------


def _registry(args):
    dirs = [Path(__file__).parent / "sites", *map(Path, getattr(args, "sites_dir", None) or [])]
    return load_registry(*dirs)


def cmd_sites(args) -> int:
    registry = _registry(args)
    rows = [
        (s.slug, s.district, s.admin_code, s.family, ",".join(s.hosts), len(s.columns),
         "yes" if s.verified else "no", "demo" if s.demo else "")
        for s in registry.values()
    ]
    print_result(["slug", "district", "admin_code", "family", "hosts", "columns", "verified", "note"], rows, args.format)
    return EXIT_OK


def cmd_crawl(args) -> int:
    from crawler.runner import crawl_settings, run_crawl

    registry = _registry(args)
    if not args.site and not args.all:
        raise UsageError("name sites with --site SLUG[,SLUG] or use --all")
    sites = select(registry, args.site, all_sites=args.all)
    if args.since:
        try:
            date.fromisoformat(args.since)
        except ValueError:
            raise UsageError(f"--since must be YYYY-MM-DD, not {args.since!r}") from None
    settings = crawl_settings(args.archive, via=args.via or "", full=args.full, since=args.since or "",
                              log_level=args.log_level)
    results = run_crawl(sites, settings)
    return _summarise(results)


def _summarise(results: dict[str, dict]) -> int:
    rows = []
    worst = EXIT_OK
    for slug, st in results.items():
        reason = st.get("finish_reason", "?")
        rows.append((slug, st.get("govnews/pages/list", 0), st.get("govnews/pages/article", 0),
                     st.get("govnews/articles/new", 0), st.get("govnews/articles/new_versions", 0),
                     st.get("item_dropped_count", 0), st.get("log_count/ERROR", 0), reason))
        if reason != "finished":
            worst = EXIT_FAIL
    print_table(["site", "list_pages", "article_pages", "new", "new_versions", "dropped", "errors", "finish"], rows,
                sys.stderr)
    return worst


def cmd_query(args) -> int:
    from warehouse.query import QueryRefused, QueryTimeout, run_query

    layout = Layout.at(args.archive)
    try:
        result = run_query(layout, args.sql, timeout=args.timeout)
    except QueryRefused as exc:
        raise UsageError(f"refused: {exc}") from None
    except QueryTimeout as exc:
        print(f"govnews: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as exc:  # duckdb errors: one clear line
        import duckdb

        if isinstance(exc, duckdb.Error):
            raise UsageError(str(exc).splitlines()[0]) from None
        raise
    print_result(result.columns, result.rows, args.format)
    return EXIT_OK


def cmd_export(args) -> int:
    from warehouse.export import ExportError, export_articles

    try:
        res = export_articles(Layout.at(args.archive), Path(args.out), args.format, overwrite=args.overwrite,
                              versions=args.versions)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    print(f"exported {res.rows} articles to {res.out}: {', '.join(p.name for p in res.files)}")
    return EXIT_OK


DEMO_QUERIES = {
    "Articles per column per month": """
        SELECT site, "column", strftime(published_at, '%Y-%m') AS month, count(*) AS articles
        FROM articles GROUP BY ALL ORDER BY site, "column", month""",
    "Five newest articles": """
        SELECT strftime(published_at, '%Y-%m-%d %H:%M') AS published, site, title, source
        FROM articles ORDER BY published_at DESC NULLS LAST, url_key LIMIT 5""",
}


def cmd_demo(args) -> int:
    from crawler.demo.server import DEMO_ROOT, start_server

    registry = _registry(args)
    demo_sites = [s for s in registry.values() if s.demo]
    if args.serve:
        server, url = start_server(DEMO_ROOT, port=args.port)
        print(f"serving the demo district sites through {url} (as an HTTP proxy); Ctrl-C stops")
        for s in demo_sites:
            print(f"  govnews crawl --site {s.slug} --via {url}")
        try:
            server.serve_forever_thread.join()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
        return EXIT_OK

    from crawler.runner import crawl_settings, run_crawl
    from warehouse.query import run_query

    server, url = start_server(DEMO_ROOT, port=0)
    layout = Layout.at(args.archive)
    print(f"demo: crawling {', '.join(s.slug for s in demo_sites)} from the bundled site at {url} "
          f"into {layout.root}", file=sys.stderr)
    try:
        settings = crawl_settings(layout.root, via=url, log_level=args.log_level or "WARNING")
        code = _summarise(run_crawl(demo_sites, settings))
    finally:
        server.shutdown()
    for title, sql in DEMO_QUERIES.items():
        print(f"\n{title}:")
        res = run_query(layout, sql)
        print_result(res.columns, res.rows, "table")
    return code


# --- parser ------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="govnews", description="Archive of Chinese district government news.")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, archive=True):
        if archive:
            sp.add_argument("--archive", default=None, help="archive root (default: $GOVNEWS_ARCHIVE or ./archive)")
        sp.add_argument("--sites-dir", action="append", help="extra folder of site files")
        return sp

    sp = common(sub.add_parser("sites", help="list the site registry"), archive=False)
    sp.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sp.set_defaults(func=cmd_sites)

    sp = common(sub.add_parser("crawl", help="crawl registry sites into the archive"))
    sp.add_argument("--site", action="append", help="site slug (repeatable, or comma-separated)")
    sp.add_argument("--all", action="store_true", help="every non-demo site in the registry")
    sp.add_argument("--via", help="send all requests through this HTTP proxy (e.g. a fixture server)")
    sp.add_argument("--full", action="store_true", help="ignore what the archive already holds")
    sp.add_argument("--since", help="YYYY-MM-DD: page back until list items are older than this")
    sp.add_argument("--log-level", default=None, help="Scrapy log level (default INFO)")
    sp.set_defaults(func=cmd_crawl)

    sp = common(sub.add_parser("query", help="run one SELECT over the archive"), )
    sp.add_argument("sql")
    sp.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sp.add_argument("--timeout", type=float, default=60.0, help="seconds before the query is interrupted")
    sp.set_defaults(func=cmd_query)

    sp = common(sub.add_parser("export", help="write the articles view as a dataset"))
    sp.add_argument("--format", choices=["parquet", "csv", "jsonl"], default="parquet")
    sp.add_argument("--out", required=True)
    sp.add_argument("--overwrite", action="store_true")
    sp.add_argument("--versions", action="store_true", help="every version, not only the latest")
    sp.set_defaults(func=cmd_export)

    sp = common(sub.add_parser("demo", help="crawl the bundled demo sites offline and query them"))
    sp.add_argument("--serve", action="store_true", help="only serve the demo sites until stopped")
    sp.add_argument("--port", type=int, default=8000)
    sp.add_argument("--log-level", default=None)
    sp.set_defaults(func=cmd_demo)
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
