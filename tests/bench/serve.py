"""``govnews serve`` benchmark: the time of each page over HTTP, on the demo archive and on a
generated 100k-article archive (tests/bench/warehouse.py's builder); prints a table.

    python -m tests.bench.serve                     # demo + 100k (a few minutes: the index is built first)
    python -m tests.bench.serve --sizes 20000       # a quick look

Not a test: it prints figures. For each archive it starts ``govnews serve --port 0`` as a subprocess
(the start-up builds the full-text index and reads the districts once), then asks for each page:
``first`` is the first request for it (its snapshot data not yet in memory), ``warm`` the median of
three more (answered from the per-snapshot memo). Targets: every page <= 300 ms on the demo archive,
<= 1 s on 100k articles. The temp folder is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from tests.bench.warehouse import build
from tests.web.conftest import start_serve, stop

ROOT = Path(__file__).resolve().parents[2]


def _get(url: str) -> tuple[float, int]:
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return time.perf_counter() - t, status


def pages(base: str, site: str, term: str) -> list[tuple[str, str]]:
    with urllib.request.urlopen(f"{base}/api/search?q={quote(term)}&site={site}", timeout=300) as resp:
        key = json.loads(resp.read())["hits"][0]["url_key"]
    sql = "SELECT site, count(*) AS n FROM articles GROUP BY site ORDER BY site"
    like = f"SELECT count(*) AS n FROM articles WHERE body_text LIKE '%{term}%'"
    return [("home", "/"), ("district", f"/site/{site}"), ("search", f"/search?q={quote(term)}"),
            ("search, site + page 2", f"/search?q={quote(term)}&site={site}&page=2"),
            ("article", f"/article?key={quote(key)}"), ("SQL page", f"/sql?q={quote(sql)}"),
            ("SQL page, body LIKE", f"/sql?q={quote(like)}"),
            ("api/sites", "/api/sites"), ("api/search", f"/api/search?q={quote(term)}")]


def measure(label: str, archive: Path, site: str, term: str) -> list[tuple]:
    t = time.perf_counter()
    proc, base = start_serve(archive)
    started = time.perf_counter() - t
    rows = [(label, "start-up (index + districts)", started, None, 200)]
    try:
        for name, path in pages(base, site, term):
            first, status = _get(base + path)
            warm = statistics.median(_get(base + path)[0] for _ in range(3))
            rows.append((label, name, first, warm, status))
    finally:
        stop(proc)
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[100_000])
    p.add_argument("--tmp", default=None)
    args = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="govnews-bench-serve-", dir=args.tmp))
    rows = []
    try:
        demo = tmp / "demo"
        subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--archive", str(demo)], cwd=ROOT, check=True,
                       capture_output=True)
        rows += measure("demo", demo, "demo-haidian", "接诉即办")
        for size in args.sizes:
            t = time.perf_counter()
            build(tmp / f"gen{size}", size)
            print(f"built {size:,} articles in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            rows += measure(f"{size:,}", tmp / f"gen{size}", "beijing-haidian", "疫情防控")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'archive':>9}  {'page':<30} {'first':>9} {'warm':>9}  status")
    for label, name, first, warm, status in rows:
        w = "" if warm is None else f"{warm * 1000:7.0f}ms"
        print(f"{label:>9}  {name:<30} {first * 1000:7.0f}ms {w:>9}  {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
