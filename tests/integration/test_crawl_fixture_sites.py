"""Crawl each bundled fixture site with the real Scrapy engine over loopback, then query with DuckDB."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow.parquet as pq
import pytest

from crawler.sites import load_registry
from tests.conftest import crawl, expected
from warehouse.db import connect
from warehouse.identity import url_key
from warehouse.layout import Layout
from warehouse.warc import read_payload

pytestmark = pytest.mark.slow

SITES = ["demo-haidian", "demo-yanqing"]


def _articles(archive, site):
    con = connect(Layout.at(archive))
    cur = con.execute("SELECT * FROM articles WHERE site = ? ORDER BY url", [site])
    cols = [d[0] for d in cur.description]
    return {r["url"]: r for r in (dict(zip(cols, row)) for row in cur.fetchall())}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Both fixture sites crawled once into one archive (module-scoped: crawling costs seconds)."""
    import shutil

    from crawler.demo.server import DEMO_ROOT
    from tests.conftest import start_fixture_server

    tmp = tmp_path_factory.mktemp("crawl")
    shutil.copytree(DEMO_ROOT, tmp / "www")
    server = start_fixture_server(tmp / "www", tmp / "requests.jsonl")
    archive = tmp / "archive"
    try:
        proc = crawl(archive, server, *SITES)
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    return archive, server, proc


@pytest.mark.parametrize("site", SITES)
def test_every_fixture_article_present_once_with_expected_fields(crawled, site):
    archive, _, _ = crawled
    exp = expected(site)
    got = _articles(archive, site)
    want = {a["url"]: a for a in exp["articles"]}
    assert set(got) == set(want), f"missing {set(want) - set(got)}; extra {set(got) - set(want)}"
    con = connect(Layout.at(archive))
    dupes = con.execute("SELECT url_key, count(*) FROM article_versions WHERE site = ? GROUP BY 1 HAVING count(*) > 1",
                        [site]).fetchall()
    assert dupes == []
    wrong = []
    for url, a in want.items():
        row = got[url]
        published = datetime.fromisoformat(a["published_at"])
        checks = {
            "title": (row["title"], a["title"]),
            "published_at": (row["published_at"], published),
            "source": (row["source"], a["source"]),
            "column": (row["column"], a["column"]),
            "authors": (list(row["authors"]), a["authors"]),
            "body_start": (row["body_text"][: len(a["body_start"])], a["body_start"]),
            "body_end": (row["body_text"][-len(a["body_end"]):], a["body_end"]),
            "encoding": (row["encoding"], a["encoding"]),
        }
        for field, (g, w) in checks.items():
            if g != w:
                wrong.append(f"{url} {field}: got {g!r}, want {w!r}")
        assert row["url_key"] == url_key(url)
        assert row["content_sha256"] and len(row["content_sha256"]) == 64
        assert row["run_id"] and row["fetched_at"] and row["extractor_version"]
    assert not wrong, "\n".join(wrong)


def test_seed_article_exact(crawled):
    archive, _, _ = crawled
    con = connect(Layout.at(archive))
    row = con.execute(
        "SELECT title, body_text, authors, site, admin_code, district FROM articles "
        "WHERE title = '区新冠肺炎疫情防控工作领导小组召开第九十七次会议'"
    ).fetchall()
    assert len(row) == 1
    title, body, authors, site, admin_code, district = row[0]
    assert site == "demo-haidian" and admin_code == "110108" and district == "海淀区"
    assert body.startswith("7月5日晚，区新冠肺炎疫情防控工作领导小组召开第九十七次会议")
    assert body.endswith("各项目标任务。（记者唐炜）")
    assert authors == ["唐炜"]
    assert "\ufffd" not in body and "打印本页" not in body and "ICP" not in body


def test_gbk_column_has_no_replacement_characters(crawled):
    archive, _, _ = crawled
    exp = expected("demo-haidian")
    gbk_urls = [a["url"] for a in exp["articles"] if a["encoding"] != "utf-8"]
    assert gbk_urls, "the fixture must have a GBK column"
    got = _articles(archive, "demo-haidian")
    for url in gbk_urls:
        row = got[url]
        assert "\ufffd" not in row["body_text"] and "\ufffd" not in row["title"]
        assert row["encoding"] == "gb18030"


def test_files_are_whole_and_warc_points_at_the_exact_bytes(crawled):
    archive, _, _ = crawled
    layout = Layout.at(archive)
    files = list(archive.rglob("*.parquet"))
    assert files and not list(archive.rglob(".*.tmp")) and not list(archive.rglob("*.open"))
    for f in files:
        pq.read_metadata(f)  # raises on a torn file
    duckdb.sql(f"SELECT count(*) FROM read_parquet('{archive}/**/*.parquet', union_by_name = true)").fetchall()
    con = connect(layout)
    rows = con.execute("SELECT url, warc_file, warc_offset FROM articles LIMIT 5").fetchall()
    assert rows
    for url, warc_file, offset in rows:
        headers, body = read_payload(layout, warc_file, offset)
        assert headers.get_statuscode() == "200"
        assert b"<html" in body.lower()


def test_captures_and_run_records(crawled):
    archive, server, _ = crawled
    con = connect(Layout.at(archive))
    kinds = dict(con.execute("SELECT kind, count(*) FROM captures GROUP BY kind").fetchall())
    n_articles = sum(len(expected(s)["articles"]) for s in SITES)
    n_lists = sum(len(expected(s)["list_pages"]) for s in SITES)
    assert kinds["article"] == n_articles
    assert kinds["list"] == n_lists
    runs = con.execute("SELECT site, status, new_articles, list_pages FROM runs ORDER BY site").fetchall()
    assert [(r[0], r[1]) for r in runs] == [("demo-haidian", "ok"), ("demo-yanqing", "ok")]
    assert sum(r[2] for r in runs) == n_articles


def test_second_run_fetches_list_pages_only_and_adds_nothing(crawled, tmp_path):
    """Incremental: the re-run asks only for first list pages (and robots.txt), and adds zero rows."""
    import shutil

    from crawler.demo.server import DEMO_ROOT
    from tests.conftest import start_fixture_server

    archive0, _, _ = crawled
    archive = tmp_path / "archive"
    shutil.copytree(archive0, archive)
    shutil.copytree(DEMO_ROOT, tmp_path / "www")
    server = start_fixture_server(tmp_path / "www", tmp_path / "requests.jsonl")
    try:
        before = connect(Layout.at(archive)).execute("SELECT count(*) FROM article_versions").fetchone()[0]
        crawl(archive, server, *SITES)
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    after = connect(Layout.at(archive)).execute("SELECT count(*) FROM article_versions").fetchone()[0]
    assert after == before
    article_urls = {a["url"] for s in SITES for a in expected(s)["articles"]}
    fetched = [r for r in server.requests() if not r["path"].endswith("robots.txt")]
    fetched_urls = {f"http://{r['host']}{r['path']}" for r in fetched}
    assert not (fetched_urls & article_urls), "a known article was fetched again"
    registry = load_registry()
    first_pages = {c.url for s in SITES for c in registry[s].columns}
    assert fetched_urls == first_pages
