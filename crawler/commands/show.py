"""govnews show: one archived article (its latest version), and with --raw the bytes the server sent.

    govnews show http://haidian.demo.govnews.test/xwzx/qzyw/202007/t20200706_1.html
    govnews show URL --raw page.html        # the payload of the archived response record
    govnews show URL --raw - | iconv -f gb18030

The URL is matched by ``url_key`` (http/https, www./m., print variants all
match). ``--raw`` reads the response record through its WARC location; for a
URL that is not an article (a list page, robots.txt) the latest capture is used.
Exit 1 when nothing is archived under that URL.
"""

from __future__ import annotations

import sys

from crawler.commands import archive_option
from crawler.output import print_table

NAME = "show"
HELP = "print an archived article; --raw FILE|- writes the exact archived response payload"

FIELDS = ["url", "site", "title", "published_at", "date_source", "source", "authors", "editor", "column",
          "district", "content_sha256", "fetched_at", "extractor_version", "encoding", "warc_file",
          "warc_offset", "warc_length"]


def add_arguments(p) -> None:
    archive_option(p)
    p.add_argument("url", help="the article's URL (any variant with the same url_key)")
    p.add_argument("--raw", metavar="FILE", help="write the archived payload bytes to FILE ('-' for stdout)")
    p.add_argument("--versions", action="store_true", help="list every archived version")


def _fetch(con, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def run(args) -> int:
    from warehouse.db import connect
    from warehouse.identity import url_key
    from warehouse.layout import Layout
    from warehouse.warc import read_payload

    layout = Layout.at(args.archive)
    key = url_key(args.url)
    con = connect(layout, rank_once=False)  # reads article_versions and captures only
    try:
        articles = _fetch(con, "SELECT * FROM article_versions WHERE url_key = ? "
                               "ORDER BY fetched_at DESC, run_id DESC", [key])
        captures = [] if articles and not args.raw else _fetch(
            con, "SELECT * FROM captures WHERE url_key = ? AND warc_file IS NOT NULL "
                 "ORDER BY fetched_at DESC, run_id DESC LIMIT 1", [key])
    finally:
        con.close()
    if not articles and not captures:
        print(f"govnews: nothing archived under {args.url} (url_key {key})", file=sys.stderr)
        return 1
    if args.raw:
        src = articles[0] if articles and articles[0].get("warc_file") else captures[0]
        try:
            _, body = read_payload(layout, src["warc_file"], src["warc_offset"])
        except (OSError, ValueError) as exc:
            print(f"govnews: cannot read {src['warc_file']}@{src['warc_offset']}: {exc}", file=sys.stderr)
            return 1
        if args.raw == "-":
            sys.stdout.buffer.write(body)
            sys.stdout.buffer.flush()
        else:
            with open(args.raw, "wb") as fh:
                fh.write(body)
            print(f"wrote {len(body)} bytes from {src['warc_file']}@{src['warc_offset']} to {args.raw}",
                  file=sys.stderr)
        return 0
    if not articles:
        c = captures[0]
        print(f"not an article: latest capture {c['kind']} {c['status']} {c['outcome']} at {c['fetched_at']} "
              f"({c['warc_file']}@{c['warc_offset']}); use --raw to see it")
        return 0
    latest = articles[0]
    width = max(len(f) for f in FIELDS)
    for f in FIELDS:
        value = latest.get(f)
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        print(f"{f:<{width}}  {'' if value is None else value}")
    for label, items in (("attachments", latest.get("attachments") or []), ("images", latest.get("images") or [])):
        for a in items:
            print(f"{label:<{width}}  {a['name'] + ' ' + a['url'] if isinstance(a, dict) else a}")
    print()
    print(latest.get("body_text") or "")
    if args.versions or len(articles) > 1:
        print()
        print_table(["fetched_at", "run_id", "extractor_version", "content_sha256"],
                    [(a["fetched_at"], a["run_id"], a["extractor_version"], a["content_sha256"][:16])
                     for a in articles])
    return 0
