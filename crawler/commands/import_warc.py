"""govnews import-warc: ingest WARC files written by other tools (wget, Heritrix, Browsertrix, Common Crawl).

    wget --warc-file=haidian -r -l 1 http://www.bjhd.gov.cn/xinxi/xwfb/qzyw/index.html
    govnews import-warc haidian.warc.gz

Response records of hosts in the site registry are archived as if crawled: the
file is copied into ``warc/site=<slug>/imported/``, each record gets a captures
row (``origin = 'import'``) pointing into the copy, and article pages (the
site's article URL pattern) are extracted into new article rows. List pages of
the site's columns give their links' list hints, as in a crawl. Other hosts
and non-response records are counted and skipped. Importing a file twice adds
nothing. Exit 1 when a file cannot be read as WARC, or when a record is cut short
(the file ends inside it, or it holds fewer bytes than its Content-Length says):
the file's whole records are imported, the cut one gets a ``truncated`` capture
and never an article, and one line per such file names it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from crawler.commands import archive_option, registry, sites_option
from crawler.commands.index import after_write
from crawler.output import UsageError

NAME = "import-warc"
HELP = "import WARC files from other crawlers (records of registry sites become captures and articles)"


def add_arguments(p) -> None:
    archive_option(p)
    sites_option(p)
    p.add_argument("files", nargs="+", help="WARC files (.warc.gz per-record or whole gzip, or .warc)")
    p.add_argument("--workers", type=int, default=2, help="extraction processes (default 2)")


def site_rules(reg: dict):
    """The callables the importer needs, from the registry: kind of a URL, and a list page's links."""
    from crawler.listing import parse_list_page
    from pipelines.extract import ListHints
    from warehouse.identity import url_key

    list_pages: dict[str, dict[str, object]] = {}  # slug -> url_key of a list page -> its column
    for slug, site in reg.items():
        pages: dict[str, object] = {}
        for column in site.columns:
            pages[url_key(column.url)] = column
            if column.rules.page_url:
                for i in range(1, column.rules.max_pages):
                    pages.setdefault(url_key(column.page_url(i)), column)
        list_pages[slug] = pages

    def kind_of(slug: str, url: str) -> str:
        if url_key(url) in list_pages[slug]:
            return "list"
        site = reg[slug]
        path = urlsplit(url).path  # article patterns match the URL path, as in a crawl (crawler.listing)
        if any(c.rules.article_re.search(path) for c in site.columns):
            return "article"
        return "other"

    def list_links(slug: str, url: str, text: str):
        column = list_pages[slug].get(url_key(url))
        if column is None:
            return []
        page = parse_list_page(text, url, column.rules, reg[slug].hosts)
        return [(link.url, ListHints(column=column.name, title=link.title, date=link.date, pinned=link.pinned))
                for link in page.links]

    return kind_of, list_links


def run(args) -> int:
    from warcio.exceptions import ArchiveLoadFailed

    from pipelines.importer import host_sites, import_warcs
    from pipelines.reextract import printer
    from warehouse.layout import Layout

    files = [Path(f) for f in args.files]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    reg = registry(args)
    kind_of, list_links = site_rules(reg)
    try:
        s = import_warcs(Layout.at(args.archive), files, hints={k: v.hints() for k, v in reg.items()},
                         host_site=host_sites({k: v.hosts for k, v in reg.items()}), kind_of=kind_of,
                         list_links=list_links, workers=max(1, args.workers),
                         progress=printer(sys.stderr, "import-warc"))
    except ArchiveLoadFailed as exc:
        print(f"govnews: not a readable WARC: {exc}", file=sys.stderr)
        return 1
    after_write(Layout.at(args.archive))  # the search index absorbs the imported articles
    dropped = ", ".join(f"{k} {v}" for k, v in sorted(s.dropped.items())) or "none"
    print(f"import-warc: {s.files} files ({s.files_already_imported} already imported), {s.records} records; "
          f"{s.responses} responses of registry sites archived ({s.revisits} revisits, "
          f"{s.revisits_unresolved} unresolved); {s.skipped_host} responses of other hosts skipped, "
          f"{s.skipped_type} other records skipped; articles: {s.articles_new} new, "
          f"{s.articles_unchanged} unchanged, dropped: {dropped}", file=sys.stderr)
    for rel in s.copies:
        print(f"  copied to {rel}", file=sys.stderr)
    cut: dict[str, list] = {}
    for c in s.truncated:
        cut.setdefault(c.file, []).append(c)
    for name, cuts in cut.items():  # one line per damaged file
        first = cuts[0]
        print(f"govnews: {name}: {len(cuts)} record{'s' if len(cuts) > 1 else ''} cut short, recorded as "
              f"truncated (no article): {first.url or 'a record'}: {first.detail}"
              + (f" (and {len(cuts) - 1} more)" if len(cuts) > 1 else ""), file=sys.stderr)
    return 1 if cut else 0
