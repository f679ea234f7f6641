"""Re-extraction throughput, 1 worker against 2, on the same pages: ``python -m tests.bench.reextract``.

Builds a temporary archive whose WARC holds ``--pages`` article responses (the fixture sites'
article pages under varied ids, with their captures rows), then runs
``pipelines.reextract.reextract(..., replace=True)`` alternately with 1 and 2 workers, ``--rounds``
times each, and prints pages per second and the speedup. It reports the time to start the worker
processes separately from extracting (the extractor loads parts lazily, so each worker is
warmed on a small page first). Not a test: figures drift on shared machines; compare the ratio.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from crawler.demo.server import DEMO_ROOT
from crawler.sites import load_registry
from pipelines.reextract import reextract
from tests.conftest import expected
from warehouse.identity import url_key
from warehouse.layout import Layout
from warehouse.warc import WarcSink
from warehouse.writer import PartitionedWriter

SITES = ["demo-haidian", "demo-yanqing"]
_ID = re.compile(r"(\d+)(\.html)$")


def fixture_pages() -> list[tuple[str, str, bytes, str]]:
    """``(site, url, body, content_type)`` of every fixture article."""
    out = []
    for site in SITES:
        for a in expected(site)["articles"]:
            p = urlsplit(a["url"])
            body = (DEMO_ROOT / p.hostname / p.path.lstrip("/")).read_bytes()
            ctype = "text/html; charset=utf-8" if a["encoding"] == "utf-8" else "text/html"
            out.append((site, a["url"], body, ctype, a["column"]))
    return out


def build(root: Path, n: int) -> int:
    layout = Layout.at(root)
    sink = WarcSink(layout, "bench")
    captures = PartitionedWriter(layout, "captures", "bench", 100_000)
    pages = fixture_pages()
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    total = 0
    for i in range(n):
        site, url, body, ctype, column = pages[i % len(pages)]
        copy = i // len(pages)
        url = _ID.sub(lambda m: f"{int(m.group(1)) + copy * 10_000_000}{m.group(2)}", url)
        body = body.replace(b"</body>", f"<!-- copy {copy} -->\n</body>".encode())
        when = start + timedelta(seconds=i)
        loc = sink.file_for(site, "2026-01").write_exchange(
            url=url, fetched_at=when, status=200, reason="OK", protocol="HTTP/1.1",
            headers=[("Content-Type", ctype)], body=body)
        total += len(body)
        captures.add({"url": url, "url_key": url_key(url), "site": site, "kind": "article", "status": 200,
                      "content_type": ctype, "outcome": "stored", "fetched_at": when, "length": len(body),
                      "payload_digest": loc.payload_digest, "warc_file": loc.file, "warc_offset": loc.offset,
                      "warc_length": loc.length, "run_id": "bench", "truncated": False, "origin": "crawl",
                      "hint_column": column}, "2026-01")
    sink.close()
    captures.flush()
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-pages", type=int, default=32)
    args = ap.parse_args()
    reg = load_registry()
    hints = {s: reg[s].hints() for s in SITES}
    with tempfile.TemporaryDirectory(prefix="govnews-bench-reextract-") as tmp:
        t0 = time.monotonic()
        html = build(Path(tmp), args.pages)
        print(f"built {args.pages} article responses ({html / 1e6:.1f} MB of HTML) in {time.monotonic() - t0:.1f} s")
        rates: dict[int, list[float]] = {1: [], 2: []}
        walls: dict[int, list[float]] = {1: [], 2: []}
        for r in range(args.rounds):
            for workers in (1, 2):
                before = os.times()
                s = reextract(Layout.at(tmp), hints, workers=workers, replace=True, batch_pages=args.batch_pages)
                after = os.times()
                assert s.rows == args.pages, (s.rows, s.dropped)
                cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
                wall = s.pages / (s.seconds + s.startup_seconds)
                rates[workers].append(s.pages_per_second)
                walls[workers].append(wall)
                print(f"round {r + 1}  workers {workers}: {s.pages} pages in {s.seconds:.2f} s = "
                      f"{s.pages_per_second:.1f} pages/s once started (workers started in "
                      f"{s.startup_seconds:.2f} s; {wall:.1f} pages/s including that); workers used "
                      f"{cpu:.2f} CPU s = {cpu / (s.seconds + s.startup_seconds):.2f} cores on average")
        print(f"load average now: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        for label, figures in (("once started", rates), ("including startup", walls)):
            one, two = statistics.median(figures[1]), statistics.median(figures[2])
            per_round = [b / a for a, b in zip(figures[1], figures[2])]
            print(f"median {label}: 1 worker {one:.1f} pages/s, 2 workers {two:.1f} pages/s; speedup "
                  f"{two / one:.2f}x (per round: {', '.join(f'{x:.2f}' for x in per_round)}; target >= 1.7x)")

if __name__ == "__main__":
    main()
