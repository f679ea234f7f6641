"""`govnews reextract` rebuilds the articles of a crawl from its WARC files with the network disabled."""

from __future__ import annotations

import shutil
import textwrap

import pytest

from pipelines.extract import EXTRACTOR_VERSION
from tests.conftest import crawl, govnews, start_fixture_server
from warehouse.db import connect
from warehouse.layout import Layout

pytestmark = pytest.mark.slow

SITES = ["demo-haidian", "demo-yanqing"]
FIELDS = ('url_key, content_sha256, url, title, published_at, date_source, source, authors, editor, "column", '
          "body_text, attachments, images, encoding, warc_file, warc_offset, warc_length, fetched_at")

# Loaded by every Python process of the command (the CLI and its spawned workers): no socket may connect,
# and, when asked, the extractor claims a new version.
SITECUSTOMIZE = textwrap.dedent('''
    import os, socket

    def _refuse(self, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError("network disabled by the test")
        return _connect(self, *args, **kwargs)

    _connect = socket.socket.connect
    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(OSError("network disabled by the test"))
    if os.environ.get("TEST_EXTRACTOR_VERSION"):
        import pipelines.extract.article as _article
        _article.EXTRACTOR_VERSION = os.environ["TEST_EXTRACTOR_VERSION"]
''')


def _articles(archive, table="articles"):
    return connect(Layout.at(archive)).execute(f"SELECT {FIELDS} FROM {table} ORDER BY url_key").fetchall()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    from crawler.demo.server import DEMO_ROOT

    tmp = tmp_path_factory.mktemp("reextract")
    shutil.copytree(DEMO_ROOT, tmp / "www")
    server = start_fixture_server(tmp / "www", tmp / "requests.jsonl")
    try:
        crawl(tmp / "archive", server, *SITES)
    finally:  # the server is gone before any re-extraction runs
        server.proc.terminate()
        server.proc.wait(timeout=10)
    offline = tmp / "offline"
    offline.mkdir()
    (offline / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return tmp / "archive", offline


def _offline_env(offline, **extra):
    from tests.conftest import ROOT

    return {"PYTHONPATH": f"{offline}:{ROOT}", **extra}


def test_network_is_really_disabled(crawled):
    _, offline = crawled
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
                          env=_offline_env(offline), capture_output=True, text=True)
    assert "network disabled by the test" in proc.stderr


def test_replace_reproduces_the_crawl_offline(crawled, tmp_path):
    archive0, offline = crawled
    archive = tmp_path / "archive"
    shutil.copytree(archive0, archive)
    before = _articles(archive)
    proc = govnews("reextract", "--archive", str(archive), "--replace", "--workers", "2",
                   env=_offline_env(offline))
    assert "pages/s" in proc.stderr and "articles table replaced" in proc.stderr
    after = _articles(archive)
    assert len(after) == len(before) == 160
    assert {r[0] for r in after} == {r[0] for r in before}  # same url_keys
    assert {r[:2] for r in after} == {r[:2] for r in before}  # same content hashes
    assert after == before  # and every other field (list hints come from captures)
    versions = connect(Layout.at(archive)).execute("SELECT count(*), count(DISTINCT run_id) FROM article_versions")
    assert versions.fetchone() == (160, 1)  # a fresh table: the crawl's files are gone
    assert not [p for p in archive.iterdir() if p.name.startswith(".reextract-")]


def test_default_mode_adds_nothing_for_the_same_extractor_and_new_versions_for_a_new_one(crawled, tmp_path):
    archive0, offline = crawled
    archive = tmp_path / "archive"
    shutil.copytree(archive0, archive)
    before = _articles(archive)
    proc = govnews("reextract", "--archive", str(archive), "--site", "demo-yanqing", env=_offline_env(offline))
    assert "0 new rows" in proc.stderr
    assert _articles(archive, "article_versions") == before
    env = _offline_env(offline, TEST_EXTRACTOR_VERSION="9.9.9-test")
    govnews("reextract", "--archive", str(archive), "--workers", "1", env=env)
    con = connect(Layout.at(archive))
    counts = dict(con.execute("SELECT extractor_version, count(*) FROM article_versions GROUP BY 1").fetchall())
    assert counts == {EXTRACTOR_VERSION: 160, "9.9.9-test": 160}
    assert dict(con.execute("SELECT extractor_version, count(*) FROM articles GROUP BY 1").fetchall()) == {
        "9.9.9-test": 160}
    latest = {r[:2] for r in _articles(archive)}
    assert latest == {r[:2] for r in before}
    proc = govnews("reextract", "--archive", str(archive), env=env)  # twice: nothing more
    assert "0 new rows" in proc.stderr
    assert connect(Layout.at(archive)).execute("SELECT count(*) FROM article_versions").fetchone()[0] == 320


def test_replace_keeps_the_old_files_for_a_query_running_across_it(crawled, tmp_path):
    """`reextract --replace` under a running query: the query's snapshot still reads the old rows
    (its pins), a new query and a plain glob read only the new rows, the old files wait in the
    trash, and `compact` purges them only after its grace period (issue 12, section 3)."""
    archive0, offline = crawled
    archive = tmp_path / "archive"
    shutil.copytree(archive0, archive)
    layout = Layout.at(archive)
    old = sorted(p.relative_to(archive) for p in (archive / "articles").rglob("*.parquet"))
    running = connect(layout)  # a query that listed the files before the swap
    proc = govnews("reextract", "--archive", str(archive), "--replace", "--workers", "2", env=_offline_env(offline))
    assert proc.returncode == 0 and "articles table replaced" in proc.stderr
    assert running.execute("SELECT count(*), count(DISTINCT run_id) FROM article_versions").fetchone()[0] == 160
    assert not any((archive / p).exists() for p in old)  # a plain glob never sees them again
    trashed = sorted(p.name for p in (archive / "trash").rglob("*.parquet"))
    assert trashed == sorted(p.name for p in old)  # kept for the grace period
    fresh = connect(layout).execute("SELECT count(*), count(DISTINCT run_id) FROM article_versions").fetchone()
    assert fresh == (160, 1)  # new snapshots never read them
    import duckdb
    glob = str(archive / "articles" / "**" / "*.parquet")
    assert duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{glob}')").fetchone()[0] == 160
    govnews("compact", "--archive", str(archive))  # within the grace period: kept
    assert sorted(p.name for p in (archive / "trash").rglob("*.parquet")) == trashed
    govnews("compact", "--archive", str(archive), "--grace", "0")  # the grace is over: purged
    assert not list((archive / "trash").rglob("*.parquet"))
    assert connect(layout).execute("SELECT count(*) FROM article_versions").fetchone()[0] == 160


NEW_COLUMNS = ("photographers", "index_no", "doc_number", "issuer", "written_at")  # issue 13


def test_reextract_upgrades_an_archive_written_before_the_new_columns(crawled, tmp_path):
    import pyarrow.parquet as pq

    archive0, offline = crawled
    archive = tmp_path / "archive"
    shutil.copytree(archive0, archive)
    old_files = [p for p in archive.rglob("*.parquet") if "body_text" in pq.read_schema(p).names]
    assert old_files
    for path in old_files:  # as an archive written by the previous extractor: no new columns
        table = pq.read_table(path)
        pq.write_table(table.drop_columns([c for c in NEW_COLUMNS if c in table.column_names]), path)
    con = connect(Layout.at(archive))
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 160  # the old files read
    env = _offline_env(offline, TEST_EXTRACTOR_VERSION="9.9.9-test")
    govnews("reextract", "--archive", str(archive), "--workers", "1", env=env)
    con = connect(Layout.at(archive))
    rows = con.execute("SELECT extractor_version, count(*), count(photographers) FROM article_versions "
                       "GROUP BY 1 ORDER BY 1").fetchall()
    assert rows == [(EXTRACTOR_VERSION, 160, 0), ("9.9.9-test", 160, 160)]  # old rows: null, new rows: lists
    schema = {pq.read_schema(p).names.__contains__("written_at") for p in archive.rglob("*.parquet")
              if "body_text" in pq.read_schema(p).names}
    assert schema == {False, True}  # the old files stay as they were, the new ones carry the columns
