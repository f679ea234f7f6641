"""govnews discover: from a district portal's home page to a site file, with no configuration.

    govnews discover https://www.example.gov.cn/
    govnews discover https://www.example.gov.cn/ --out crawler/sites/example.toml --budget 40

Polite, as check-site: robots.txt obeyed, one request at a time, the identifying User-Agent,
at most ``--budget`` requests (robots.txt included), never outside the portal's hosts (the home
page's host, its parent domain and the subdomains the home page links to). It follows the home
page's navigation (through redirect shells), finds the news columns, recognises each column's
list format and pager among the presets (or keeps the generic list rule), infers the article
URL pattern, extracts two or three articles of each column to confirm, and writes a site file
with a comment per column (how sure, and why) and ``verified = false``.
Exit 0 when a site file was written; 1 (one line) when discovery found nothing usable.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from crawler.output import UsageError
from warehouse.layout import SLUG, SLUG_MAX

NAME = "discover"
HELP = "discover a portal's news columns from its home page and write a site file"
DEFAULT_BUDGET = 60


def add_arguments(p) -> None:
    p.add_argument("url", help="the portal's home page (http or https)")
    p.add_argument("--out", type=Path, help="the site file to write (default ./<slug>.toml; its name is the slug)")
    p.add_argument("--budget", type=int, default=DEFAULT_BUDGET, help=f"at most this many requests (default {DEFAULT_BUDGET})")
    p.add_argument("--via", help="send all requests through this HTTP proxy (e.g. a fixture server)")


def run(args) -> int:
    from urllib.parse import urlsplit

    from crawler.discovery.sitefile import render, slug_for

    parts = urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{args.url!r} is not an http(s) URL of a home page")
    if args.via:
        from crawler.middlewares import via_problem

        problem = via_problem(args.via)
        if problem:
            raise UsageError(problem.replace("GOVNEWS_VIA", "--via", 1))
    if args.budget < 2:
        raise UsageError(f"--budget {args.budget}: at least 2 (robots.txt and the home page)")
    if args.out is not None:
        slug = args.out.stem
        if args.out.suffix != ".toml" or not SLUG.match(slug) or len(slug) > SLUG_MAX:
            raise UsageError(f"--out {args.out}: a site file is <slug>.toml, the slug lower-case ASCII words "
                             f"joined by - (at most {SLUG_MAX} characters)")
        if not args.out.parent.is_dir():
            raise UsageError(f"--out {args.out}: no folder {args.out.parent}")
        out = args.out
    else:
        slug = slug_for(parts.hostname)
        out = Path(f"{slug}.toml")
    if out.exists():
        raise UsageError(f"{out} exists: remove it or choose another --out")
    result = _discover(args.url, args.budget, args.via or "")
    if "error" in result or "found" not in result:
        print(f"govnews: discover {args.url}: {result.get('error', 'stopped early (see the error above)')}",
              file=sys.stderr)
        return 1
    found = result["found"]
    text = render(found, slug, args.url)
    _write_atomic(out, text)
    print(f"wrote {out}: {len(found.columns)} column(s) ({', '.join(c.name for c in found.columns)}), "
          f"{found.requests} of {found.budget} requests")
    return 0


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _discover(url: str, budget: int, via: str) -> dict:
    from scrapy.crawler import CrawlerProcess

    from crawler.runner import crawl_settings
    from crawler.spiders.discover import DISCOVER_SETTINGS, DiscoverSpider

    settings = crawl_settings(None, via=via, extra=DISCOVER_SETTINGS)
    settings.set("DOWNLOADER_MIDDLEWARES", {**settings.getdict("DOWNLOADER_MIDDLEWARES"),
                                            "pipelines.archive_pipeline.ArchiveWireMiddleware": None}, priority="cmdline")
    result: dict = {}
    process = CrawlerProcess(settings)
    process.crawl(DiscoverSpider, start_url=url, budget=budget, result=result)
    process.start()
    return result
