"""govnews extract: the article fields of one saved page, as the crawl would extract them.

Reads the file's bytes and decodes them as the crawler does (BOM > declared
charset > ``<meta>`` > sniff, then the U+FFFD check), then runs the same pure
extraction (``pipelines.extract_pipeline.extract_page``). ``--site`` brings the
site file's hints (name, body selectors, admin code); ``--url`` the page's
address (relative links, dates in the URL). Prints JSON, keys as the article
columns. Exit 2 for a missing file or an unknown site.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from crawler.commands import registry, sites_option
from crawler.output import UsageError, jsonable

NAME = "extract"
HELP = "extract the article fields of one saved HTML page"

# Article columns a single page can tell (the rest come from the crawl: run id, WARC location, ...).
FIELDS = ("url", "url_key", "site", "district", "city", "province", "admin_code", "column", "title", "subtitle",
          "published_at", "date_source", "source", "authors", "editor", "body_text", "attachments", "images",
          "meta", "content_sha256", "fetched_at", "encoding", "extractor_version")


def add_arguments(p) -> None:
    sites_option(p)
    p.add_argument("page", help="a saved HTML file")
    p.add_argument("--url", default=None, help="the page's URL (default: file:// of PAGE)")
    p.add_argument("--site", default=None, help="registry slug whose hints to use (body selectors, site name)")
    p.add_argument("--format", choices=["json"], default="json", help="output format (json, one object)")
    p.add_argument("--fetched-at", default=None,
                   help="ISO time the page was fetched (resolves 3天前; default: now)")


def run(args) -> int:
    from pipelines.extract import ListHints, SiteHints
    from pipelines.extract_pipeline import extract_page
    from warehouse.identity import url_key

    path = Path(args.page)
    if not path.is_file():
        raise UsageError(f"no such file: {args.page}")
    hints = SiteHints()
    if args.site:
        sites = registry(args)
        if args.site not in sites:
            raise UsageError(f"unknown site {args.site!r} (see `govnews sites`)")
        hints = sites[args.site].hints()
    if args.fetched_at:
        try:
            fetched_at = datetime.fromisoformat(args.fetched_at)
        except ValueError:
            raise UsageError(f"--fetched-at: not an ISO time: {args.fetched_at!r}") from None
        if fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=timezone.utc)
    else:
        fetched_at = datetime.now(timezone.utc)
    url = args.url or path.resolve().as_uri()
    fields = extract_page(path.read_bytes(), None, None, url, hints, ListHints(), fetched_at)
    row = {
        "url": url,
        "url_key": url_key(url),
        "site": hints.slug or None,
        "district": hints.district or None,
        "city": hints.city or None,
        "province": hints.province or None,
        **{k: fields.get(k) for k in FIELDS if k in fields},
        "admin_code": fields.get("admin_code") or hints.admin_code or None,
        "fetched_at": fetched_at,
    }
    ordered = {k: row.get(k) for k in FIELDS}
    json.dump(jsonable(ordered), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
