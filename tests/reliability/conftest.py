"""Helpers for the scheduled-crawl reliability tests (incremental, crash, lock, commit faults).

Imported by tests/integration/test_incremental.py, test_crash_*.py, test_lock_*.py
and tests/unit/test_commit_fault.py / test_runs_*.py as ``tests.reliability.conftest``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from tests.conftest import ROOT, FixtureServer, expected
from warehouse.db import connect
from warehouse.layout import Layout

YANQING = "demo-yanqing"
YANQING_HOST = "yanqing.demo.govnews.test"
TEMPLATE = "art/2020/12/17/art_1001_5587.html"  # a 延庆要闻 article: title, 发布日期 line, #zoom body


def cli_env() -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GOVNEWS_ARCHIVE", None)
    env.pop("GOVNEWS_FAULT", None)
    return env


def crawl_cmd(archive: Path, server: FixtureServer, *sites: str, extra: tuple[str, ...] = ()) -> list[str]:
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "--archive", str(archive), "--via", server.url,
           "--log-level", "WARNING", "--progress", "off"]
    for s in sites:
        cmd += ["--site", s]
    return cmd + list(extra)


def run_crawl(archive: Path, server: FixtureServer, *sites: str, extra: tuple[str, ...] = (),
              env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(crawl_cmd(archive, server, *sites, extra=extra), cwd=ROOT, env={**cli_env(), **(env or {})},
                          capture_output=True, text=True, timeout=300)


def site_article_urls(slug: str) -> set[str]:
    return {a["url"] for a in expected(slug)["articles"]}


def fetched(server: FixtureServer, *, status: int | None = 200) -> list[str]:
    """URLs the server answered, in order (``status=None``: whatever the status)."""
    return [f"http://{r['host']}{r['path']}" for r in server.requests()
            if (status is None or r["status"] == status) and not r["path"].endswith("robots.txt")]


def query(archive, sql: str, params: list | None = None) -> list[tuple]:
    """``archive``: a path (a connection is opened and closed) or an open connection (reused)."""
    if isinstance(archive, duckdb.DuckDBPyConnection):
        return archive.execute(sql, params or []).fetchall()
    con = connect(Layout.at(archive))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def assert_archive_readable(archive: Path) -> duckdb.DuckDBPyConnection:
    """Invariant 1: every visible Parquet file opens, and DuckDB reads the whole archive.

    Returns a connection with the views (reuse it: opening one costs a scan of the file list)."""
    files = [p for p in archive.rglob("*.parquet") if not p.name.startswith(".")]
    for f in files:
        pq.read_metadata(f)  # raises on a torn file
    if files:
        duckdb.sql(f"SELECT count(*) FROM read_parquet('{archive}/**/*.parquet', union_by_name = true)").fetchall()
    con = connect(Layout.at(archive))
    for table in ("articles", "article_versions", "captures", "runs"):
        con.execute(f"SELECT count(*) FROM {table}").fetchall()
    return con


def assert_no_duplicate_keys(archive) -> None:
    dupes = query(archive, "SELECT url_key, count(*) FROM articles GROUP BY 1 HAVING count(*) > 1")
    assert dupes == [], f"url_key twice in articles: {dupes[:5]}"


# -- editing the fixture site (a private copy: the site_tree fixture) -----------------------------

def yanqing_dir(site_tree: Path) -> Path:
    return site_tree / YANQING_HOST


def add_yanqing_articles(site_tree: Path, n: int, first_id: int = 9001) -> list[str]:
    """Publish ``n`` new 延庆要闻 articles (Jan 2021) at the top of the column's first list page."""
    host = yanqing_dir(site_tree)
    template = (host / TEMPLATE).read_text(encoding="utf-8")
    old_title = "延庆区推进生活垃圾分类工作走深走实"
    urls, records = [], []
    for i in range(n):
        art_id, day = first_id + i, 5 + i
        title = f"延庆区新发布第{i + 1}条测试新闻{art_id}"
        page = template.replace(old_title, title)
        page = page.replace("2020年12月17日 18:48", f"2021年1月{day}日 09:30")
        page = page.replace("artid=5587", f"artid={art_id}")
        page = re.sub(r'(<div id="zoom">).*?(</div>)',
                      lambda m: (f'{m.group(1)}\n<p style="text-indent: 2em;">1月{day}日，延庆区召开第{art_id}号专题会议，'
                                 f'部署冬季供暖保障和安全生产工作。</p>\n'
                                 f'<p style="text-indent: 2em;">会议要求各部门压实责任，确保群众温暖过冬。</p>\n{m.group(2)}'),
                      page, count=1, flags=re.S)
        rel = f"art/2021/1/{day}/art_1001_{art_id}.html"
        (host / rel).parent.mkdir(parents=True, exist_ok=True)
        (host / rel).write_text(page, encoding="utf-8")
        urls.append(f"http://{YANQING_HOST}/{rel}")
        records.append(f'<record><![CDATA[<li><a href="/{rel}" target="_blank" title="{title}">{title}</a>'
                       f'<span>2021-01-{day:02d}</span></li>]]></record>')
    index = host / "col/col1001/index.html"
    text = index.read_text(encoding="utf-8")
    # newest first, after the pinned record
    pinned_end = text.index("</record>", text.index("<recordset>")) + len("</record>")
    text = text[:pinned_end] + "\n" + "\n".join(reversed(records)) + text[pinned_end:]
    index.write_text(text, encoding="utf-8")
    return urls


def edit_article(site_tree: Path, url: str) -> None:
    path = yanqing_dir(site_tree) / url.split(YANQING_HOST + "/", 1)[1]
    text = path.read_text(encoding="utf-8")
    edited = text.replace('<div id="zoom">\n', '<div id="zoom">\n<p style="text-indent: 2em;">（更正：本文第二段数据有误，现已修改。）</p>\n', 1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")


def remove_article(site_tree: Path, url: str) -> None:
    (yanqing_dir(site_tree) / url.split(YANQING_HOST + "/", 1)[1]).unlink()
