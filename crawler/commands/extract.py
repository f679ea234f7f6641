"""govnews extract: the article fields of saved pages, as the crawl would extract them.

Reads each file's bytes and decodes them as the crawler does (BOM > declared
charset > ``<meta>`` > sniff, then the U+FFFD check), then runs the same pure
extraction (``pipelines.extract_worker.extract_page``). PAGE may be files
and folders (``*.htm``, ``*.html``, ``*.shtml`` under a folder, recursively,
in name order). One page prints one JSON object; several print JSON lines,
one object per page, in the order given (``--format`` chooses). ``--workers``
extracts in that many processes. ``--site`` brings the site file's hints
(name, body selectors, admin code); ``--url`` the page's address (one page
only). Exit 2 for a missing path, an unknown site or bad options (nothing is
printed then); a page that cannot be extracted is named on stderr, the others
are still printed, and the exit is 1.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from crawler.commands import registry, sites_option
from crawler.output import UsageError, jsonable

NAME = "extract"
HELP = "extract the article fields of saved HTML pages (files or folders)"

# Article columns a single page can tell (the rest come from the crawl: run id, WARC location, ...),
# then the other pages of a multi-page article and the file read.
FIELDS = ("url", "url_key", "site", "district", "city", "province", "admin_code", "column", "title", "subtitle",
          "published_at", "date_source", "source", "authors", "editor", "body_text", "attachments", "images",
          "meta", "content_sha256", "fetched_at", "encoding", "extractor_version",
          "photographers", "index_no", "doc_number", "issuer", "written_at", "page_urls", "file")
PAGE_SUFFIXES = (".htm", ".html", ".shtml")


def add_arguments(p) -> None:
    sites_option(p)
    p.add_argument("page", nargs="+", help="saved HTML files and folders of them")
    p.add_argument("--url", default=None, help="the page's URL, one page only (default: file:// of PAGE)")
    p.add_argument("--site", default=None, help="registry slug whose hints to use (body selectors, site name)")
    p.add_argument("--format", choices=["json", "jsonl"], default=None,
                   help="json: one indented object (one page only); jsonl: one object per line "
                        "(default: json for one file, jsonl otherwise)")
    p.add_argument("--workers", type=int, default=1, help="extraction processes (default 1)")
    p.add_argument("--fetched-at", default=None,
                   help="ISO time the pages were fetched (resolves 3天前; default: now)")


def pages_of(args_pages: list[str]) -> list[Path]:
    """The files named and the pages under the folders named, in order, each once."""
    found: list[Path] = []
    for name in args_pages:
        path = Path(name)
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES)
        else:
            raise UsageError(f"no such file or folder: {name}")
    return list(dict.fromkeys(found))


def extract_file(path: Path, url: str | None, hints, fetched_at: datetime) -> dict:
    """One page's object (runs in a worker process with ``--workers``)."""
    from pipelines.extract import ListHints
    from pipelines.extract_worker import extract_page
    from warehouse.identity import url_key

    url = url or path.resolve().as_uri()
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
        "file": str(path),
    }
    return {k: row.get(k) for k in FIELDS}


def _safe_extract(path: Path, url: str | None, hints, fetched_at: datetime) -> tuple[dict | None, str | None]:
    try:
        return extract_file(path, url, hints, fetched_at), None
    except Exception as exc:  # one bad page is named and skipped, the others go on
        return None, f"{type(exc).__name__}: {exc}".splitlines()[0]


def _fetched_at(value: str | None) -> datetime:
    if not value:
        return datetime.now(timezone.utc)
    try:
        fetched_at = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--fetched-at: not an ISO time: {value!r}") from None
    return fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=timezone.utc)


def run(args) -> int:
    from pipelines.extract import SiteHints

    if args.workers < 1:
        raise UsageError(f"--workers: at least 1, not {args.workers}")
    paths = pages_of(args.page)
    single = len(args.page) == 1 and Path(args.page[0]).is_file()
    fmt = args.format or ("json" if single else "jsonl")
    if fmt == "json" and len(paths) != 1:
        raise UsageError(f"--format json prints one page; {len(paths)} given (use --format jsonl)")
    if args.url and len(paths) != 1:
        raise UsageError("--url names one page's address; give one page with it")
    hints = SiteHints()
    if args.site:
        sites = registry(args)
        if args.site not in sites:
            raise UsageError(f"unknown site {args.site!r} (see `govnews sites`)")
        hints = sites[args.site].hints()
    fetched_at = _fetched_at(args.fetched_at)

    if args.workers > 1 and len(paths) > 1:
        with ProcessPoolExecutor(min(args.workers, len(paths))) as pool:
            results = pool.map(_safe_extract, paths, [args.url] * len(paths), [hints] * len(paths),
                               [fetched_at] * len(paths), chunksize=4)
            failed = _write(paths, results, fmt)
    else:
        failed = _write(paths, (_safe_extract(p, args.url, hints, fetched_at) for p in paths), fmt)
    return 1 if failed else 0


def _write(paths: list[Path], results, fmt: str) -> int:
    failed = 0
    for path, (row, error) in zip(paths, results):
        if error is not None:
            failed += 1
            print(f"govnews extract: {path}: {error}", file=sys.stderr)
            continue
        if fmt == "json":
            json.dump(jsonable(row), sys.stdout, ensure_ascii=False, indent=2)
        else:
            json.dump(jsonable(row), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        sys.stdout.flush()
    return failed
