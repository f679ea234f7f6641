"""Re-extraction: rebuild article rows from the WARC files with the current extractor, no network.

Source: the ``captures`` rows of article pages answered 200 (their WARC
location and what the list page said about the link). Each worker process
reads its pages' payloads straight from the WARC files and runs
:func:`pipelines.extract_worker.extract_page` and the crawl's validation, in
batches, so one round trip carries many pages.

Two modes:

- default: new version rows marked with the current ``extractor_version``;
  a row whose ``(url_key, content_sha256, extractor_version)`` the archive
  already holds is skipped, so running it twice adds nothing.
- ``replace``: a fresh ``articles`` tree is built under a hidden temp name in
  the archive root and swapped in for the old one in one ``renameat2
  (RENAME_EXCHANGE)`` (two renames where the kernel lacks it). The old files
  are hard-linked into ``trash/`` first, as compaction's inputs are: a query
  running across the swap reads its pins, new queries and plain globs never
  see them, and ``govnews compact`` deletes them after its grace period
  (:func:`pipelines.reextract_swap.keep_for_readers`).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime

from pipelines.extract import ListHints, SiteHints
from pipelines.extract.join import join_pages
from pipelines.reextract_swap import TEMP_PREFIX, carry_other_sites, keep_for_readers, remove_stale_builds, swap_in
from warehouse.layout import Layout, new_run_id
from warehouse.writer import PartitionedWriter, month_of

BATCH_PAGES = 32


@dataclass(frozen=True, slots=True)
class Page:
    """One archived article response to extract (picklable, small: the payload stays in the WARC)."""

    url: str
    site: str
    fetched_at: datetime
    status: int
    warc_file: str
    warc_offset: int
    warc_length: int | None
    hint_column: str = ""
    hint_title: str = ""
    hint_date: str = ""
    hint_pinned: bool = False


@dataclass
class Summary:
    pages: int = 0
    rows: int = 0  # new article rows written
    skipped: int = 0  # already in the archive (same url_key, content hash, extractor version)
    dropped: dict[str, int] = field(default_factory=dict)  # validation reason -> count
    failed: int = 0  # payload unreadable / extraction raised
    unknown_site: int = 0
    seconds: float = 0.0  # extracting, once the workers were ready
    startup_seconds: float = 0.0  # starting and warming the worker processes
    workers: int = 0
    replaced: bool = False

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


# ----------------------------------------------------------------------------- worker side

def _warm(barrier=None) -> None:
    """Worker initializer: import and run the extractor once (it loads parts lazily), then wait
    for the other workers, so a timed run starts with every worker ready."""
    import threading

    from pipelines.extract_worker import warm_up

    warm_up()
    if barrier is not None:
        try:
            barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass


def _ready() -> int:
    return os.getpid()


def extract_batch(root: str, pages: Sequence[Page], hints: dict[str, SiteHints], run_id: str,
                  min_chars: int = 8) -> list[tuple[dict | None, str]]:
    """Read, decode, extract and validate ``pages`` (runs in a worker). ``(row, "")`` or ``(None, reason)``."""
    from scrapy.exceptions import DropItem

    from pipelines.extract_pipeline import article_row, extract_page
    from pipelines.validate import ValidatePipeline
    from warehouse.warc import read_payload

    layout = Layout.at(root)
    validate = ValidatePipeline(None, min_chars)
    out: list[tuple[dict | None, str]] = []
    for p in pages:
        try:
            http_headers, body = read_payload(layout, p.warc_file, p.warc_offset)
            content_type = http_headers.get_header("Content-Type") if http_headers else None
            site = hints[p.site]
            list_hints = ListHints(column=p.hint_column or "", title=p.hint_title or "", date=p.hint_date or "",
                                   pinned=bool(p.hint_pinned))
            fields = extract_page(body, None, content_type, p.url, site, list_hints, p.fetched_at)
            if fields.get("page_urls"):
                fields = join_pages(fields, [(u, _later_page(layout, u, p, site, list_hints))
                                             for u in fields["page_urls"]])
            page = {"url": p.url, "site": p.site, "fetched_at": p.fetched_at, "status": p.status,
                    "warc_file": p.warc_file, "warc_offset": p.warc_offset, "warc_length": p.warc_length}
            row = article_row(page, fields, site, run_id)
        except Exception as exc:  # one bad record must not stop the run
            out.append((None, f"failed:{type(exc).__name__}"))
            continue
        try:
            validate.known = {}  # validity checks only: versions are told apart by the caller
            validate.process_item(row)
        except DropItem as exc:
            out.append((None, type(exc).__name__))
            continue
        out.append(({k: v for k, v in row.items() if not k.startswith("_")}, ""))
    return out


def _later_page(layout: Layout, url: str, first: Page, site: SiteHints, list_hints: ListHints) -> dict | None:
    """The extracted fields of a multi-page article's later page, from its own ``article_page`` capture
    (the one fetched closest to the first page); None when the archive has no 200 capture of it."""
    from pipelines.extract_worker import extract_page
    from warehouse.db import connect
    from warehouse.warc import read_payload

    con = connect(layout, rank_once=False)
    try:
        rows = con.execute("SELECT warc_file, warc_offset, fetched_at FROM captures WHERE kind = 'article_page' "
                           "AND status = 200 AND warc_file IS NOT NULL AND url = $url AND site = $site",
                           {"url": url, "site": first.site}).fetchall()
    finally:
        con.close()
    if not rows:
        return None
    warc_file, warc_offset, fetched_at = min(rows, key=lambda r: abs((r[2] - first.fetched_at).total_seconds()))
    http_headers, body = read_payload(layout, warc_file, warc_offset)
    content_type = http_headers.get_header("Content-Type") if http_headers else None
    return extract_page(body, None, content_type, url, site, list_hints, fetched_at)


# ----------------------------------------------------------------------------- main side

def article_pages(layout: Layout, sites: Iterable[str] | None = None,
                  warc_files: Sequence[str] | None = None) -> list[Page]:
    """Every archived article response answered 200 (in ``warc_files``, when given), once per WARC record,
    oldest first."""
    from warehouse.db import connect

    con = connect(layout, rank_once=False)  # captures / article_versions only
    try:
        only = "AND warc_file IN (SELECT unnest($files))" if warc_files is not None else ""
        cur = con.execute("SELECT * FROM captures WHERE kind = 'article' AND status = 200 "
                          f"AND warc_file IS NOT NULL {only} ORDER BY fetched_at, url",
                          {"files": list(warc_files)} if warc_files is not None else None)
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    finally:
        con.close()
    wanted = set(sites) if sites else None
    seen: set[tuple[str, int]] = set()
    pages = []
    for r in rows:
        if wanted is not None and r["site"] not in wanted:
            continue
        key = (r["warc_file"], r["warc_offset"])
        if key in seen:
            continue
        seen.add(key)
        pages.append(Page(
            url=r["url"], site=r["site"], fetched_at=r["fetched_at"], status=r["status"],
            warc_file=r["warc_file"], warc_offset=r["warc_offset"], warc_length=r.get("warc_length"),
            hint_column=r.get("hint_column") or "", hint_title=r.get("hint_title") or "",
            hint_date=r.get("hint_date") or "", hint_pinned=bool(r.get("hint_pinned")),
        ))
    return pages


def existing_versions(layout: Layout, url_keys: Sequence[str] | None = None) -> set[tuple[str, str, str]]:
    """``(url_key, content_sha256, extractor_version)`` of every archived row (of ``url_keys``, when given)."""
    from warehouse.db import connect

    con = connect(layout, rank_once=False)  # captures / article_versions only
    try:
        if url_keys is not None:
            return {tuple(r) for r in con.execute(
                "SELECT DISTINCT url_key, content_sha256, extractor_version FROM article_versions "
                "WHERE url_key IN (SELECT unnest($keys))", {"keys": list(url_keys)}).fetchall()}
        return {tuple(r) for r in con.execute(
            "SELECT DISTINCT url_key, content_sha256, extractor_version FROM article_versions").fetchall()}
    finally:
        con.close()


def _batches(pages: Sequence[Page], size: int) -> list[list[Page]]:
    return [list(pages[i:i + size]) for i in range(0, len(pages), size)]


def extract_pages(layout: Layout, pages: Sequence[Page], hints: dict[str, SiteHints], run_id: str, *,
                  workers: int = 2, batch_pages: int = BATCH_PAGES, min_chars: int = 8,
                  progress: Callable[[int, int], None] | None = None,
                  on_ready: Callable[[float], None] | None = None):
    """Yield ``(page, row_or_None, reason)`` for every page, extracted in ``workers`` processes.

    ``on_ready(seconds)`` is called once every worker has started and warmed up.
    """
    batches = _batches(pages, batch_pages)
    done = 0
    workers = max(1, workers)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(workers)
    started = time.monotonic()
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_warm, initargs=(barrier,)) as pool:
        # one task per worker: the pool spawns a process per submit, and no task finishes
        # before every worker is through the barrier
        for f in [pool.submit(_ready) for _ in range(workers)]:
            f.result()
        if on_ready:
            on_ready(time.monotonic() - started)
        futures = {pool.submit(extract_batch, str(layout.root), b, hints, run_id, min_chars): b for b in batches}
        for fut in as_completed(futures):
            batch = futures[fut]
            for page, (row, reason) in zip(batch, fut.result()):
                yield page, row, reason
            done += len(batch)
            if progress:
                progress(done, len(pages))


def printer(out=sys.stderr, label: str = "reextract") -> Callable[[int, int], None]:
    """A progress callback: ``done/total pages, pages/s``, at most a few lines a second."""
    start = time.monotonic()
    last = [0.0]
    tty = out.isatty()

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < (0.2 if tty else 2.0):
            return
        last[0] = now
        rate = done / (now - start) if now > start else 0.0
        end = "\n" if (not tty or done >= total) else ""
        lead = "\r" if tty else ""
        print(f"{lead}{label}: {done}/{total} pages, {rate:.1f} pages/s", end=end, file=out,
              flush=True)

    return report


def reextract(layout: Layout, hints: dict[str, SiteHints], *, sites: Iterable[str] | None = None,
              workers: int = 2, replace: bool = False, batch_rows: int = 100_000,
              batch_pages: int = BATCH_PAGES, min_chars: int = 8,
              progress: Callable[[int, int], None] | None = None, run_id: str | None = None) -> Summary:
    """Rebuild article rows from the WARC files (see the module docstring)."""
    run_id = run_id or new_run_id()
    remove_stale_builds(layout)
    sites = list(sites) if sites else None
    pages = article_pages(layout, sites)
    summary = Summary(workers=workers, replaced=replace)
    known = set() if replace else existing_versions(layout)
    runnable = [p for p in pages if p.site in hints]
    summary.unknown_site = len(pages) - len(runnable)
    if replace:
        build_root = layout.root / f"{TEMP_PREFIX}{run_id}"
        target = Layout(build_root)
    else:
        target = layout
    writer = PartitionedWriter(target, "articles", run_id, batch_rows)
    start = time.monotonic()

    def ready(seconds: float) -> None:
        nonlocal start
        summary.startup_seconds = seconds
        start = time.monotonic()

    try:
        results = extract_pages(layout, runnable, hints, run_id, workers=workers, batch_pages=batch_pages,
                                min_chars=min_chars, progress=progress, on_ready=ready)
        _store(((row, reason) for _, row, reason in results), known, writer, summary)
    except BaseException:
        if replace:
            shutil.rmtree(build_root, ignore_errors=True)
        raise
    summary.seconds = time.monotonic() - start
    if replace:
        if sites:  # keep the other sites' rows: carry their files over unchanged
            carry_other_sites(layout, target, set(sites))
        keep_for_readers(layout, target, set(sites) if sites else None)
        target.table_dir("articles").mkdir(parents=True, exist_ok=True)
        swap_in(layout, target.table_dir("articles"))
    return summary


def _store(results: Iterable[tuple[dict | None, str]], known: set, writer: PartitionedWriter,
           summary: Summary) -> None:
    """Write each extracted row the archive does not hold yet (its key added to ``known``); count the rest."""
    for row, reason in results:
        summary.pages += 1
        if row is None:
            if reason.startswith("failed:"):
                summary.failed += 1
            summary.dropped[reason] = summary.dropped.get(reason, 0) + 1
            continue
        key = (row["url_key"], row["content_sha256"], row["extractor_version"])
        if key in known:
            summary.skipped += 1
            continue
        known.add(key)
        writer.add(row, month_of(row["published_at"], row["fetched_at"]))
        summary.rows += 1
    writer.flush()


def reextract_warc_files(layout: Layout, hints: dict[str, SiteHints], warc_files: Sequence[str], *,
                         batch_rows: int = 100_000, min_chars: int = 8, run_id: str | None = None) -> Summary:
    """One job of a distributed re-extraction: the article pages of ``warc_files``, in this process.

    New version rows only (the default mode). The rows are written at the end, one
    file per partition, each committed atomically; a job run again (its first
    delivery killed) skips the rows already committed, so it never adds one twice.
    """
    run_id = run_id or new_run_id()
    pages = [p for p in article_pages(layout, warc_files=list(warc_files)) if p.site in hints]
    summary = Summary(workers=1)
    start = time.monotonic()
    results = extract_batch(str(layout.root), pages, hints, run_id, min_chars) if pages else []
    keys = sorted({row["url_key"] for row, _ in results if row is not None})
    known = existing_versions(layout, keys) if keys else set()
    _store(results, known, PartitionedWriter(layout, "articles", run_id, batch_rows), summary)
    summary.seconds = time.monotonic() - start
    return summary
