"""Import WARC files written by other tools (wget --warc-file, Heritrix, Browsertrix, Common Crawl extracts).

A response (or revisit) record whose host belongs to a registry site is
archived as if crawled: the WARC file is copied whole into the archive under
``warc/site=<slug>/imported/<sha256-prefix>-<name>.warc.gz`` (the site with
most records names the folder), a ``captures`` row (``origin = 'import'``)
points at each record of the copy, and article pages are extracted (in worker
processes, through :mod:`pipelines.reextract`) into new ``articles`` rows.
Records of other hosts, and records that are not responses (warcinfo,
request, metadata, resource), are counted and skipped.

- A file whose bytes were imported before (same SHA-256) is skipped whole, and
  an article whose ``(url_key, content_sha256)`` the archive holds becomes an
  ``unchanged`` capture, not a new row: importing twice adds nothing.
- Revisit records (deduplicated captures) point at an earlier response with
  the same payload digest in the same file; the article is extracted from that
  response's payload. A revisit whose original is not in the file is counted.
- A WARC that is not gzip-per-record (uncompressed, or one gzip stream) is
  rewritten per record with warcio before it is copied, so every capture can
  point at its record's offset.

Site knowledge (which host is which site, which URL is a list or an article
page, what a list page says about its links) comes from the caller as plain
callables, so this module stays free of the crawler.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from pipelines.archive_pipeline import classify, guess_kind
from pipelines.extract import ListHints, SiteHints, decode_html
from pipelines.import_files import (already_imported, file_sha256, per_record_gzip, recompress, safe_stem, short_by,
                                     torn_tail, warc_date)
from pipelines.reextract import Page, extract_pages
from warehouse.commit import atomic_file
from warehouse.identity import url_key
from warehouse.layout import Layout, new_run_id
from warehouse.writer import PartitionedWriter, month_of

KindOf = Callable[[str, str], str]  # (site slug, url) -> "list" | "article" | "other"
ListLinks = Callable[[str, str, str], Iterable[tuple[str, ListHints]]]  # (slug, url, html text) -> links


@dataclass
class ImportSummary:
    files: int = 0
    files_already_imported: int = 0
    records: int = 0
    responses: int = 0  # response + revisit records of registry hosts, archived as captures
    skipped_host: int = 0  # responses of hosts outside the registry
    skipped_type: int = 0  # warcinfo, request, metadata, resource, ...
    revisits: int = 0
    revisits_unresolved: int = 0
    articles_new: int = 0
    articles_unchanged: int = 0
    dropped: Counter = field(default_factory=Counter)
    copies: list[str] = field(default_factory=list)  # archive-relative paths of the copied WARC files
    skipped_hosts: Counter = field(default_factory=Counter)
    truncated: list[Cut] = field(default_factory=list)  # records cut short, every file


@dataclass(frozen=True)
class Cut:
    """A record that is not all its headers announce: the file ends inside it, or its length lies."""

    file: str  # the file as the user named it
    url: str  # "" when not even the record's headers survived
    detail: str


@dataclass
class _Rec:
    url: str
    site: str
    kind: str
    status: int | None
    content_type: str | None
    fetched_at: datetime
    offset: int
    length: int
    payload_digest: str | None
    truncated: bool
    size: int | None
    rec_type: str
    refers_to: int | None = None  # offset of the response a revisit points at
    cut: str | None = None  # why the record is shorter than it announces


def scan(path: Path, host_site: dict[str, str], kind_of: KindOf, list_links: ListLinks | None,
         summary: ImportSummary, label: str | None = None) -> tuple[list[_Rec], dict[str, ListHints]]:
    """Every response/revisit record of a registry host, and the list hints of article links."""
    recs: list[_Rec] = []
    hints: dict[str, ListHints] = {}
    by_digest: dict[str, int] = {}
    by_url: dict[str, int] = {}
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            summary.records += 1
            rtype = record.rec_type
            if rtype not in ("response", "revisit"):
                summary.skipped_type += 1
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            http = record.http_headers
            body = record.content_stream().read() if rtype == "response" else b""
            short = short_by(record, http, rtype)
            if short:
                summary.truncated.append(Cut(str(label or path), url, short))
            host = (urlsplit(url).hostname or "").lower()
            site = host_site.get(host)
            if site is None:
                summary.skipped_host += 1
                summary.skipped_hosts[host] += 1
                continue
            status = None
            if http is not None and http.get_statuscode():
                try:
                    status = int(http.get_statuscode())
                except ValueError:
                    status = None
            content_type = http.get_header("Content-Type") if http is not None else None
            digest = record.rec_headers.get_header("WARC-Payload-Digest")
            kind = kind_of(site, url)
            if kind == "other":  # robots, redirect, attachment, other: as the crawl would say
                kind = guess_kind(url, status, content_type)
            rec = _Rec(
                url=url, site=site, kind=kind, status=status, content_type=content_type,
                fetched_at=warc_date(record.rec_headers.get_header("WARC-Date")),
                offset=it.get_record_offset(), length=it.get_record_length(), payload_digest=digest,
                truncated=bool(record.rec_headers.get_header("WARC-Truncated") or short),
                size=len(body) if rtype == "response" else None, rec_type=rtype, cut=short,
            )
            if rtype == "response":
                if rec.truncated:  # never the payload of a revisit, never a list page's links
                    recs.append(rec)
                    continue
                if digest:
                    by_digest.setdefault(digest, rec.offset)
                by_url.setdefault(url, rec.offset)
                if rec.kind == "list" and status == 200 and list_links is not None:
                    text, _ = decode_html(body, None, content_type)
                    for link_url, link_hints in list_links(site, url, text):
                        hints.setdefault(url_key(link_url), link_hints)
            else:
                summary.revisits += 1
                refers = record.rec_headers.get_header("WARC-Refers-To-Target-URI")
                rec.refers_to = by_digest.get(digest or "", by_url.get(refers or ""))
                if rec.refers_to is None:
                    summary.revisits_unresolved += 1
            recs.append(rec)
    return recs, hints


def import_warcs(layout: Layout, files: Iterable[Path], *, hints: dict[str, SiteHints], host_site: dict[str, str],
                 kind_of: KindOf, list_links: ListLinks | None = None, workers: int = 2,
                 run_id: str | None = None, batch_rows: int = 100_000,
                 progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Import ``files`` into the archive (see the module docstring)."""
    from pipelines.reextract import existing_versions

    run_id = run_id or new_run_id()
    layout.root.mkdir(parents=True, exist_ok=True)
    remove_stale_imports(layout)
    summary = ImportSummary()
    known = {(k, h) for k, h, _ in existing_versions(layout)}
    captures = PartitionedWriter(layout, "captures", run_id, batch_rows)
    articles = PartitionedWriter(layout, "articles", run_id, batch_rows)
    for src in files:
        src = Path(src)
        summary.files += 1
        sha = file_sha256(src)
        if already_imported(layout, sha) is not None:
            summary.files_already_imported += 1
            continue
        with tempfile.TemporaryDirectory(dir=layout.root, prefix=".import-") as tmp:
            source = src
            keep = None  # bytes of the file to copy (None: all)
            lost: _Rec | None = None  # the record the file ends inside, when it has a registry host
            if not per_record_gzip(src):
                source = Path(tmp) / "recompressed.warc.gz"
                recompress(src, source)
            else:
                torn = torn_tail(src)
                if torn is not None:
                    keep, url = torn
                    detail = f"the file ends inside this record (whole records end at byte {keep} of {src.stat().st_size})"
                    summary.truncated.append(Cut(str(src), url, detail))
                    lost = _lost_record(url, host_site, kind_of, detail)
            recs, link_hints = scan(source, host_site, kind_of, list_links, summary, label=str(src))
            if lost is not None:
                recs.append(lost)
            if not recs:
                continue
            site = Counter(r.site for r in recs).most_common(1)[0][0]
            dest = layout.root / "warc" / f"site={site}" / "imported" / f"{sha[:16]}-{safe_stem(src.name)}.warc.gz"
            with atomic_file(dest) as out, open(source, "rb") as inp:  # the whole records only
                _copy(inp, out, keep)
            rel = str(dest.relative_to(layout.root))
            summary.copies.append(rel)
        _archive_records(layout, rel, recs, link_hints, hints, known, captures, articles, run_id, workers,
                         summary, progress)
    captures.flush()
    articles.flush()
    return summary


def _copy(inp, out, limit: int | None) -> None:
    if limit is None:
        shutil.copyfileobj(inp, out, 1 << 20)
        return
    while limit > 0:
        chunk = inp.read(min(1 << 20, limit))
        if not chunk:
            break
        out.write(chunk)
        limit -= len(chunk)


def _lost_record(url: str, host_site: dict[str, str], kind_of: KindOf, detail: str) -> _Rec | None:
    """The capture of a record cut off by the end of the file (not in the copy: no location)."""
    site = host_site.get((urlsplit(url).hostname or "").lower()) if url else None
    if site is None:
        return None
    kind = kind_of(site, url)
    return _Rec(url=url, site=site, kind=kind if kind != "other" else guess_kind(url, None, None), status=None,
                content_type=None, fetched_at=datetime.now(timezone.utc), offset=-1, length=0,
                payload_digest=None, truncated=True, size=None, rec_type="response", cut=detail)


def _archive_records(layout, rel, recs, link_hints, hints, known, captures, articles, run_id, workers,
                     summary, progress) -> None:
    rows: dict[int, dict] = {}
    pages: list[Page] = []
    page_row: dict[int, dict] = {}  # id(page) -> its capture row
    for i, r in enumerate(recs):
        summary.responses += 1
        row = {
            "url": r.url, "url_key": url_key(r.url), "site": r.site, "kind": r.kind, "status": r.status,
            "content_type": r.content_type, "outcome": "truncated" if r.truncated else _outcome(r.status),
            "fetched_at": r.fetched_at, "length": r.size, "payload_digest": r.payload_digest,
            "warc_file": rel if r.offset >= 0 else None, "warc_offset": r.offset if r.offset >= 0 else None,
            "warc_length": r.length if r.offset >= 0 else None, "run_id": run_id, "truncated": r.truncated,
            "reason": r.cut or ("revisit" if r.rec_type == "revisit" else None), "redirect_to": None,
            "origin": "import",
        }
        if r.kind == "article":
            h = link_hints.get(row["url_key"]) or ListHints()
            row.update(hint_column=h.column or None, hint_title=h.title or None, hint_date=h.date or None,
                       hint_pinned=h.pinned)
            payload_at = r.offset if r.rec_type == "response" else r.refers_to
            if r.status == 200 and payload_at is not None and r.site in hints and not r.truncated:
                page = Page(url=r.url, site=r.site, fetched_at=r.fetched_at, status=200, warc_file=rel,
                            warc_offset=payload_at,
                            warc_length=r.length if r.rec_type == "response" else None,
                            hint_column=h.column, hint_title=h.title, hint_date=h.date, hint_pinned=h.pinned)
                page_row[id(page)] = row
                pages.append(page)
        rows[i] = row
    for page, art, reason in extract_pages(layout, pages, hints, run_id, workers=workers, progress=progress):
        row = page_row[id(page)]  # extract_pages yields the very Page objects it was given
        if art is None:
            row["outcome"] = f"dropped:{reason}"
            summary.dropped[reason] += 1
            continue
        key = (art["url_key"], art["content_sha256"])
        if key in known:
            row["outcome"] = "unchanged"
            summary.articles_unchanged += 1
            continue
        known.add(key)
        row["outcome"] = "stored"
        articles.add(art, month_of(art["published_at"], art["fetched_at"]))
        summary.articles_new += 1
    for row in rows.values():
        captures.add(row, f"{row['fetched_at'].astimezone(timezone.utc):%Y-%m}")


def _outcome(status: int | None) -> str:
    return classify(status)


def host_sites(sites: dict[str, Iterable[str]]) -> dict[str, str]:
    """``{slug: hosts}`` -> ``{host: slug}`` (hosts lower-cased). A host that several sites list
    is left out: its records cannot be filed under one site, so they are skipped (as other hosts')."""
    owners: dict[str, set[str]] = {}
    for slug, hosts in sites.items():
        for h in hosts:
            owners.setdefault(h.lower(), set()).add(slug)
    return {h: next(iter(slugs)) for h, slugs in owners.items() if len(slugs) == 1}


def remove_stale_imports(layout: Layout) -> None:
    if layout.root.is_dir():
        for p in layout.root.glob(".import-*"):
            shutil.rmtree(p, ignore_errors=True)
