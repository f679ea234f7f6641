"""`make bench`: the whole pipeline side by side with the naive way, on one generated site.

Generates a TRS-style district site of ``--articles`` pages (40–60 KB each), serves it
from nginx on 127.0.0.1 (found, or installed with ``apt-get install -y nginx``; without it the
bench exits 1 with one line: a Python server would bound both sides), and runs, alternating,
``--repeat`` times each:

(a) the naive baseline (tests/bench/naive_spider.py): Scrapy + ``trafilatura.extract``
    in the callback, writing JSON lines;
(b) ``govnews crawl`` with everything on (WARC, extraction in worker processes,
    validation, Parquet), politeness lifted because the server is on loopback.

It prints pages/s (median, min, max), the ratio (b)/(a) of the medians and of each round (the
two runs of a round are back to back, so a slow spell of the host tends to hit both), CPU seconds per page by stage
(from the run's stats: extraction in the workers, WARC + Parquet writing, the rest is
Scrapy's download/scheduling/parsing), peak RSS, and bytes on disk per article; then Scrapy's own
cost (the naive spider without extraction, once) and the ceiling of the ratio on this machine (every
core busy with (b)'s CPU per page, against (a) on one core).
``--real [DIR]`` serves real government pages (``../shared/corpus``, read at run time,
never committed) in rotation as the article pages instead of generated ones.
``--big N`` adds one (b) crawl of N articles and prints the time per 1,000 articles from
first to last (a cost that grows with the archive would show as a rising column).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from tests.bench.site import COLUMNS, HOST, SLUG, build_site

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type text/html;
    charset utf-8;
    access_log off;
    sendfile on;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name {host};
        root {root};
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoNginx(RuntimeError):
    """nginx is missing and could not be installed: the bench does not measure a Python server instead."""


def find_nginx(install: bool = True) -> str:
    """The nginx binary; missing, ``apt-get install -y nginx`` is tried once (Debian's package)."""
    def found() -> str | None:
        return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

    nginx = found()
    if nginx is None and install and shutil.which("apt-get"):
        sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
        if sudo is not None:
            print("nginx not found: apt-get install -y nginx", file=sys.stderr, flush=True)
            subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "nginx"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            nginx = found()
    if nginx is None:
        raise NoNginx("make bench needs nginx and could not install it: run `sudo apt-get install -y nginx`")
    return nginx


def start_server(tmp: Path, www: Path) -> tuple[subprocess.Popen, str, str]:
    nginx = find_nginx()
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, host=HOST, root=www / HOST))
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp)], stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, f"http://127.0.0.1:{port}", "nginx"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"nginx did not start: {proc.stderr.read().decode()[-500:]}")


def measured(cmd: list[str], env: dict | None = None, cwd: Path = ROOT) -> dict:
    out = subprocess.run([sys.executable, "-m", "tests.bench.measure", "--", *cmd], cwd=cwd, env={**ENV, **(env or {})},
                         capture_output=True, text=True, check=True).stdout
    res = json.loads(out)
    if res["rc"] != 0 or "Traceback" in res["stderr_tail"]:
        raise RuntimeError(f"{' '.join(cmd[:4])}… exited {res['rc']}: {res['stderr_tail']}")
    return res


def run_naive(tmp: Path, url: str, i: int, extract: bool = True) -> dict:
    out = tmp / f"naive-{i}.jsonl"
    starts = ",".join(f"http://{HOST}/xwzx/{k}/index.html" for k, _ in COLUMNS)
    res = measured([sys.executable, "-m", "scrapy", "runspider", str(ROOT / "tests/bench/naive_spider.py"),
                    "-a", f"start={starts}", "-a", f"extract={int(extract)}", "-O", str(out),
                    "-s", "LOG_LEVEL=WARNING", "-s", "ROBOTSTXT_OBEY=True", "-s", "CONCURRENT_REQUESTS=32",
                    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "TELNETCONSOLE_ENABLED=False",
                    "-s", "REMOTE_CONTROL_ENABLED=False"],
                   env={"http_proxy": url},  # the environment proxy also carries robots.txt requests
                   cwd=tmp)  # outside the project: plain Scrapy, none of govnews' settings
    res["articles"] = sum(1 for _ in out.open(encoding="utf-8"))
    res["disk"] = out.stat().st_size
    return res


def run_govnews(tmp: Path, sites: Path, url: str, i: int) -> dict:
    archive = tmp / f"archive-{i}"
    res = measured([sys.executable, "-m", "crawler.cli", "crawl", "--site", SLUG, "--sites-dir", str(sites),
                    "--via", url, "--archive", str(archive), "--log-level", "WARNING"])
    con = duckdb.connect()
    glob = f"{archive}/articles/*/*/*.parquet"
    res["articles"] = con.execute(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall()[0][0]
    stats = dict(con.execute(
        f"SELECT unnest(map_keys(stats)), unnest(map_values(stats)) FROM read_parquet('{archive}/runs/*end.parquet')"
    ).fetchall())
    res["stats"] = stats
    res["disk"] = sum(p.stat().st_size for p in archive.rglob("*") if p.is_file())
    res["disk_warc"] = sum(p.stat().st_size for p in (archive / "warc").rglob("*") if p.is_file())
    res["archive"] = archive
    return res


def per_thousand(archive: Path) -> list[float]:
    """Seconds per 1,000 article captures, in fetch order."""
    con = duckdb.connect()
    times = [r[0] for r in con.execute(
        f"SELECT epoch(fetched_at) FROM read_parquet('{archive}/captures/*/*/*.parquet') "
        "WHERE kind = 'article' ORDER BY fetched_at").fetchall()]
    return [times[min(k + 999, len(times) - 1)] - times[k] for k in range(0, len(times) - 999, 1000)]


def stage_cpu(res: dict, pages: int) -> tuple[str, str, str]:
    st = res["stats"]
    extract = float(st.get("govnews/cpu/extract_seconds", "nan"))
    write = float(st.get("govnews/cpu/write_seconds", "nan"))
    rest = res["cpu"] - extract - write
    return tuple(f"{1000 * v / pages:.2f}" for v in (rest, extract, write))


REAL_CORPUS = ROOT.parent / "shared" / "corpus"


def load_real_pages(corpus: Path) -> list[bytes]:
    """The bytes of the real article pages (pages/ and pingtan/pages/), read where they are."""
    files = sorted((corpus / "pages").glob("*.html")) + sorted(
        p for p in (corpus / "pingtan" / "pages").glob("*.html") if "_list_" not in p.name)
    return [p.read_bytes() for p in files]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--big", type=int, default=0, help="also crawl a site of this many articles once")
    ap.add_argument("--real", nargs="?", const=str(REAL_CORPUS), default=None, metavar="DIR",
                    help="serve real government pages in rotation as the articles (default DIR ../shared/corpus)")
    args = ap.parse_args(argv)
    real_pages = None
    if args.real is not None:
        real_pages = load_real_pages(Path(args.real))
        if not real_pages:
            print(f"real pages: skipped ({args.real} holds none; it sits beside a CI clone, not in the repository)")
            return 0
    with tempfile.TemporaryDirectory(prefix="govnews-bench-") as t:
        tmp = Path(t)
        tmp.chmod(0o755)  # nginx workers run as an unprivileged user when started by root
        t0 = time.perf_counter()
        www, sites, html_bytes = build_site(tmp / "site", args.articles, real_pages)
        if real_pages:
            print(f"articles: {len(real_pages)} real government pages from {args.real}, in rotation")
        n_lists = sum(-(-len(range(i, args.articles, len(COLUMNS))) // 20) for i in range(len(COLUMNS)))
        pages = args.articles + n_lists
        print(f"site: {args.articles} articles + {n_lists} list pages, {html_bytes / args.articles / 1024:.1f} KB "
              f"per article page (built in {time.perf_counter() - t0:.1f} s)")
        server, url, kind = start_server(tmp, www)
        print(f"server: {kind} at {url}; machine: {os.cpu_count()} cores")
        naive, gov = [], []
        try:
            for i in range(args.repeat):
                order = [("a", run_naive), ("b", run_govnews)] if i % 2 == 0 else [("b", run_govnews), ("a", run_naive)]
                for name, fn in order:
                    res = fn(tmp, url, i) if name == "a" else fn(tmp, sites, url, i)
                    res["pps"] = pages / res["wall"]
                    (naive if name == "a" else gov).append(res)
                    print(f"  run {i + 1} ({name}): {res['pps']:.1f} pages/s, {res['articles']} articles, "
                          f"{res['wall']:.1f} s wall, {res['cpu']:.1f} s CPU", flush=True)
                    if name == "b":
                        shutil.rmtree(res["archive"], ignore_errors=True) if i < args.repeat - 1 else None
            floor = run_naive(tmp, url, 98, extract=False)
            floor["pps"] = pages / floor["wall"]
            big = None
            if args.big:
                www_b, sites_b, _ = build_site(tmp / "big", args.big)
                server.terminate()
                server.wait()
                server, url, kind = start_server(tmp, www_b)
                big = run_govnews(tmp, sites_b, url, 99)
                big["pages"] = args.big + sum(-(-len(range(i, args.big, len(COLUMNS))) // 20) for i in range(len(COLUMNS)))
                big["pps"] = big["pages"] / big["wall"]
                big["per1000"] = per_thousand(big["archive"])
        finally:
            server.terminate()
            server.wait()
        print()
        print_table(naive, gov, pages)
        print_bound(naive, gov, floor, pages)
        if big:
            print(f"\n--big {args.big}: {big['pps']:.1f} pages/s, peak RSS {big['maxrss_mb']:.0f} MB, "
                  f"{big['articles']} articles")
            print("seconds per 1,000 articles, first to last: " + " ".join(f"{x:.1f}" for x in big["per1000"]))
    return 0


def print_bound(naive: list[dict], gov: list[dict], floor: dict, pages: int) -> None:
    """Scrapy's own cost (the naive spider without extraction) and the most (b) could reach here:
    every core busy with (b)'s CPU per page, against (a) on one core."""
    cores = os.cpu_count() or 1
    a_cpu = statistics.median(r["cpu"] for r in naive) / pages
    b_cpu = statistics.median(r["cpu"] for r in gov) / pages
    print(f"\nScrapy alone (the naive spider yielding only URLs): {1000 * floor['cpu'] / pages:.2f} ms CPU per page, "
          f"{floor['pps']:.1f} pages/s")
    print(f"ceiling of (b)/(a) on {cores} cores, at these CPU costs per page: "
          f"{cores} x {1000 * a_cpu:.2f} / {1000 * b_cpu:.2f} = {cores * a_cpu / b_cpu:.2f}x")


def print_table(naive: list[dict], gov: list[dict], pages: int) -> None:
    def pps(rs):
        v = [r["pps"] for r in rs]
        return f"{statistics.median(v):.1f}", f"{min(v):.1f}", f"{max(v):.1f}"

    a_med = statistics.median(r["pps"] for r in naive)
    b_med = statistics.median(r["pps"] for r in gov)
    last = gov[-1]
    rows = [
        ("pages/s median", pps(naive)[0], pps(gov)[0]),
        ("pages/s min", pps(naive)[1], pps(gov)[1]),
        ("pages/s max", pps(naive)[2], pps(gov)[2]),
        ("ratio (b)/(a), medians", "", f"{b_med / a_med:.2f}×"),
        # each round runs (a) and (b) back to back: a slow spell of the host hits both of a round
        ("ratio (b)/(a), each round", "", " ".join(f"{b['pps'] / a['pps']:.2f}×" for a, b in zip(naive, gov))),
        ("CPU ms per page, total", f"{1000 * statistics.median(r['cpu'] for r in naive) / pages:.2f}",
         f"{1000 * statistics.median(r['cpu'] for r in gov) / pages:.2f}"),
        ("  download+scrapy / extract / write", "", " / ".join(stage_cpu(last, pages))),
        ("peak RSS MB (largest process)", f"{max(r['maxrss_mb'] for r in naive):.0f}",
         f"{max(r['maxrss_mb'] for r in gov):.0f}"),
        ("articles stored", str(naive[-1]["articles"]), str(last["articles"])),
        ("bytes on disk per article", f"{naive[-1]['disk'] / max(naive[-1]['articles'], 1):.0f}",
         f"{last['disk'] / max(last['articles'], 1):.0f} (WARC {last['disk_warc'] / max(last['articles'], 1):.0f})"),
    ]
    w0 = max(len(r[0]) for r in rows)
    print(f"{'':{w0}}  {'(a) naive':>14}  {'(b) govnews':>22}")
    for r in rows:
        print(f"{r[0]:{w0}}  {r[1]:>14}  {r[2]:>22}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except NoNginx as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
