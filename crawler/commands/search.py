"""govnews search: keyword search over the archive's latest article versions, from the full-text index.

    govnews search 接诉即办
    govnews search '"垃圾分类" 社区 -会议' --site beijing-haidian --since 2024-01-01
    govnews search 接诉即办 --count-by month --format csv

Terms: a word or a "quoted phrase" matches the articles whose body or title contains
it exactly (as ``contains()`` in SQL); several terms: all of them (AND); OR; NOT or
``-term``; parentheses. The index is caught up with the archive before answering
(built if there is none). Exit codes: 0 ok (also with no hits), 1 another index
update kept the index busy, 2 a malformed query or bad option.
"""

from __future__ import annotations

import sys

from crawler.commands import archive_option
from crawler.output import UsageError, print_result
from warehouse.layout import Layout

NAME = "search"
HELP = "keyword search (phrases, AND/OR/NOT) over the latest articles, from the full-text index"


def add_arguments(p) -> None:
    archive_option(p)
    p.add_argument("terms", nargs="+", help="search terms (see above)")
    p.add_argument("--site", action="append", default=[], help="only this site (repeatable)")
    p.add_argument("--column", action="append", default=[], help="only this column (栏目; repeatable)")
    p.add_argument("--since", help="first publication day, YYYY-MM-DD (Asia/Shanghai), inclusive")
    p.add_argument("--until", help="last publication day, YYYY-MM-DD (Asia/Shanghai), inclusive")
    p.add_argument("--count-by", choices=["month", "site", "district", "column"],
                   help="print counts of matching articles per value instead of hits")
    p.add_argument("--limit", type=int, default=20, help="hits to print, most recent first (default 20)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="json: JSON lines")
    p.add_argument("--wait", type=float, default=120.0,
                   help="seconds to wait for another index update to finish (default 120)")


def _day(text: str | None, option: str):
    from warehouse.fulltext.search import parse_day

    try:
        return parse_day(text)
    except ValueError:
        raise UsageError(f"{option} wants a day YYYY-MM-DD, got {text!r}") from None


def run(args) -> int:
    from warehouse.fulltext import grammar
    from warehouse.fulltext.search import count, count_by, current, filtered, top_hits
    from warehouse.fulltext.store import IndexBusy

    try:
        tree = grammar.parse(" ".join(args.terms))
    except grammar.QueryError as exc:
        raise UsageError(f"bad search terms: {exc}") from None
    since, until = _day(args.since, "--since"), _day(args.until, "--until")
    if not 1 <= args.limit <= 10_000:
        raise UsageError("--limit must be between 1 and 10000")
    layout = Layout.at(args.archive)
    try:
        index = current(layout, wait=args.wait)
    except IndexBusy as exc:
        print(f"govnews: {exc}", file=sys.stderr)
        return 1
    query = filtered(index.schema, tree, sites=args.site, columns=args.column, since=since, until=until)
    if args.count_by:
        rows = count_by(index, query, args.count_by)
        print_result([args.count_by, "articles"], rows, args.format)
        return 0
    hits = top_hits(layout, index, query, tree, args.limit)
    if args.format == "table":
        print(f"{count(index, query)} articles match; the {len(hits)} most recent:", file=sys.stderr)
    print_result(["published_at", "site", "title", "snippet", "url"],
                 [(h.published_at, h.site, h.title, h.snippet, h.url) for h in hits], args.format)
    return 0


def hits_relation(layout: Layout, terms: str):
    """``govnews query --hits TERMS``: the matching articles as an Arrow table (a bad query: exit 2)."""
    from warehouse.fulltext import grammar
    from warehouse.fulltext.hits import hits_table

    try:
        return hits_table(layout, terms)
    except grammar.QueryError as exc:
        raise UsageError(f"bad --hits terms: {exc}") from None
