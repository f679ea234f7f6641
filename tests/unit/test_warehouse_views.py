"""The DuckDB views over tiny archives built here with the real writers (warehouse.writer / commit).

The row builders below are shared by the other warehouse tests.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from warehouse.db import connect
from warehouse.layout import Layout
from warehouse.runs import write_run_event
from warehouse.writer import PartitionedWriter, month_of

SH = timezone(timedelta(hours=8))
T0 = datetime(2020, 7, 6, 9, 0, tzinfo=timezone.utc)
SITES = {"beijing-haidian": "海淀区", "beijing-yanqing": "延庆区", "beijing-chaoyang": "朝阳区"}


def article(site: str, n: int, *, published: datetime | None = None, fetched: datetime | None = None,
            body: str | None = None, source: str | None = "北京日报", run_id: str = "r1", **extra) -> dict:
    body = body if body is not None else f"{SITES.get(site, site)}第{n}篇新闻。疫情防控工作有序推进。" if n % 2 else \
        f"{SITES.get(site, site)}第{n}篇新闻。接诉即办。"
    fetched = fetched or T0
    row = {
        "url": f"https://{site}.gov.cn/art/{n}.html",
        "url_key": f"{site}.gov.cn/art/{n}.html",
        "site": site,
        "district": SITES.get(site, site),
        "city": "北京市",
        "province": "北京市",
        "admin_code": "110108",
        "column": "区政要闻",
        "title": f"标题{n}",
        "published_at": published if published is not None else datetime(2020, 1 + n % 12, 1 + n % 27, 8, tzinfo=SH),
        "date_source": "meta",
        "source": source,
        "authors": ["唐炜"],
        "body_text": body,
        "attachments": [{"url": "https://x/a.pdf", "name": "附件"}],
        "images": [],
        "meta": [("SiteName", "海淀")],
        "content_sha256": hashlib.sha256(body.encode()).hexdigest(),
        "fetched_at": fetched,
        "run_id": run_id,
        "warc_file": "w.warc.gz",
        "warc_offset": n,
        "warc_length": 100,
        "encoding": "utf-8",
        "extractor_version": "1",
    }
    row.update(extra)
    return row


def capture(site: str, n: int, outcome: str, *, fetched: datetime | None = None, kind: str = "article",
            run_id: str = "r1") -> dict:
    return {
        "url": f"https://{site}.gov.cn/art/{n}.html", "url_key": f"{site}.gov.cn/art/{n}.html", "site": site,
        "kind": kind, "status": 200 if outcome in ("ok", "stored") else 412, "content_type": "text/html",
        "outcome": outcome, "fetched_at": fetched or T0, "length": 1000, "payload_digest": "sha1:X",
        "warc_file": "w.warc.gz", "warc_offset": n, "warc_length": 100, "run_id": run_id,
    }


def write_rows(layout: Layout, table: str, rows: list[dict], run_id: str = "r1") -> list[Path]:
    """Commit ``rows`` through the real writer: one file per partition."""
    w = PartitionedWriter(layout, table, run_id, batch_rows=10**9)
    for r in rows:
        w.add(r, month_of(r.get("published_at"), r["fetched_at"]))
    return w.flush()


@pytest.fixture
def tiny(tmp_path) -> Layout:
    layout = Layout.at(tmp_path / "archive")
    rows = [article("beijing-haidian", n) for n in range(6)] + [article("beijing-yanqing", n) for n in range(3)]
    write_rows(layout, "articles", rows)
    # article 1 of haidian edited later: a second version
    edited = article("beijing-haidian", 1, body="海淀区第1篇新闻（修订）。", fetched=T0 + timedelta(days=1), run_id="r2")
    write_rows(layout, "articles", [edited], run_id="r2")
    caps = [capture("beijing-haidian", n, "stored") for n in range(6)]
    caps += [capture("beijing-haidian", 100, "blocked"), capture("beijing-haidian", 101, "timeout"),
             capture("beijing-haidian", 102, "dropped:BodyTooShort"),
             capture("beijing-haidian", 1, "stored", fetched=T0 + timedelta(days=1), run_id="r2"),
             capture("beijing-yanqing", 0, "ok", kind="list")]
    write_rows(layout, "captures", caps)
    write_run_event(layout, run_id="r1", site="beijing-haidian", event="start", status="running", started_at=T0)
    write_run_event(layout, run_id="r1", site="beijing-haidian", event="end", status="ok", started_at=T0,
                    ended_at=T0 + timedelta(minutes=5), counts={"new_articles": 6})
    return layout


def test_article_versions_and_articles(tiny):
    con = connect(tiny)
    assert con.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 10
    assert con.execute("SELECT count(*), count(DISTINCT url_key) FROM articles").fetchone() == (9, 9)
    body = con.execute("SELECT body_text FROM articles WHERE url_key = 'beijing-haidian.gov.cn/art/1.html'").fetchone()
    assert body[0] == "海淀区第1篇新闻（修订）。"
    # hive ``month`` is a partition key, not a column; ``site`` is a column
    cols = [r[0] for r in con.execute("DESCRIBE articles").fetchall()]
    assert "month" not in cols and "site" in cols and "body_text" in cols
    # publication times read back in Asia/Shanghai
    h = con.execute("SELECT hour(published_at) FROM articles LIMIT 1").fetchone()[0]
    assert h == 8


def test_captures_and_runs(tiny):
    con = connect(tiny)
    assert con.execute("SELECT count(*) FROM captures").fetchone()[0] == 11
    assert con.execute("SELECT count(*) FROM captures WHERE outcome = 'blocked'").fetchone()[0] == 1
    assert con.execute("SELECT status, new_articles FROM runs").fetchall() == [("ok", 6)]


def test_site_daily(tiny):
    con = connect(tiny)
    rows = con.execute("SELECT site, CAST(day AS VARCHAR), published, fetched, new, new_versions, blocked, "
                       "dropped, errors FROM site_daily WHERE fetched > 0 ORDER BY ALL").fetchall()
    # T0 09:00 UTC is 17:00 in Shanghai, the same day; the edit came a day later
    assert rows == [
        ("beijing-haidian", "2020-07-06", 0, 9, 6, 0, 1, 1, 1),
        ("beijing-haidian", "2020-07-07", 0, 1, 0, 1, 0, 0, 0),
        ("beijing-yanqing", "2020-07-06", 0, 1, 3, 0, 0, 0, 0),
    ]
    published = con.execute("SELECT sum(published) FROM site_daily").fetchone()[0]
    assert published == 9  # one per article (latest version), on its publication day


@pytest.mark.parametrize("present", [(), ("articles",), ("captures",), ("runs",), ("articles", "runs")])
def test_views_work_on_an_archive_holding_some_tables(tmp_path, present):
    layout = Layout.at(tmp_path / "archive")
    if "articles" in present:
        write_rows(layout, "articles", [article("beijing-haidian", 1)])
    if "captures" in present:
        write_rows(layout, "captures", [capture("beijing-haidian", 1, "blocked")])
    if "runs" in present:
        write_run_event(layout, run_id="r1", site="beijing-haidian", event="start", status="running", started_at=T0)
    con = connect(layout)
    counts = {v: con.execute(f"SELECT count(*) FROM {v}").fetchone()[0]
              for v in ("articles", "article_versions", "captures", "runs", "site_daily")}
    assert counts["articles"] == counts["article_versions"] == int("articles" in present)
    assert counts["captures"] == int("captures" in present)
    assert counts["runs"] == int("runs" in present)
    # an article makes two days: its publication day and the day it was stored
    assert counts["site_daily"] == int("captures" in present) + 2 * int("articles" in present)


def test_snapshot_ignores_files_committed_later_and_temp_files(tiny):
    con = connect(tiny)
    before = con.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    # a torn temp file (a writer killed mid-write) and a file committed after connect
    part = tiny.partition_dir("articles", "beijing-haidian", "2020-02")
    (part / ".r9-00001.parquet.tmp").write_bytes(b"PAR1 torn")
    write_rows(tiny, "articles", [article("beijing-haidian", 50)], run_id="r9")
    assert con.execute("SELECT count(*) FROM article_versions").fetchone()[0] == before
    assert connect(tiny).execute("SELECT count(*) FROM article_versions").fetchone()[0] == before + 1


REFERENCE_LATEST = """
    SELECT url_key, content_sha256, run_id FROM article_versions {where}
    QUALIFY row_number() OVER (PARTITION BY site, url_key ORDER BY fetched_at DESC, run_id DESC) = 1
"""


def _versions_archive(layout: Layout) -> None:
    """Three sites, several runs, and edits of every kind the ``articles`` view must rank."""
    base = [article(site, n) for site in SITES for n in range(30)]
    write_rows(layout, "articles", base[::2], run_id="r1")
    write_rows(layout, "articles", base[1::2], run_id="r1b")  # a partition of several files
    later = T0 + timedelta(days=2)
    edits = [
        # a second and a third version
        article("beijing-haidian", 3, body="海淀区第3篇（修订一）疫情防控", fetched=T0 + timedelta(days=1), run_id="r2"),
        article("beijing-haidian", 3, body="海淀区第3篇（修订二）", fetched=later, run_id="r3"),
        # an edit that moves the article to another month: versions in two partitions
        article("beijing-yanqing", 4, body="延庆区第4篇（改期）疫情防控", fetched=later, run_id="r3",
                published=datetime(2021, 11, 2, 8, tzinfo=SH)),
        # same fetch time, two runs (a re-extraction): the later run_id wins
        article("beijing-chaoyang", 5, body="朝阳区第5篇（重新抽取）", run_id="r9"),
        # an older capture imported after a newer one was archived: fetched_at decides, not order
        article("beijing-chaoyang", 6, body="朝阳区第6篇（旧稿）疫情防控", fetched=T0 - timedelta(days=30), run_id="r4"),
    ]
    for e in edits:
        write_rows(layout, "articles", [e], run_id=e["run_id"])


@pytest.mark.parametrize("where", [
    "",
    "WHERE site = 'beijing-haidian'",
    "WHERE body_text LIKE '%疫情防控%'",
    "WHERE body_text LIKE '%修订%' OR body_text LIKE '%旧稿%'",
    "WHERE published_at >= TIMESTAMPTZ '2020-06-01 00:00:00+08'",
    "WHERE site = 'beijing-yanqing' AND month(published_at) IN (5, 11)",
])
def test_articles_is_the_latest_version_under_any_filter_before_and_after_compaction(tmp_path, where):
    from warehouse.compact import compact

    layout = Layout.at(tmp_path / "archive")
    _versions_archive(layout)
    for stage in ("written", "compacted"):
        con = connect(layout)
        got = sorted(con.execute(f"SELECT url_key, content_sha256, run_id FROM articles {where}").fetchall())
        # the reference ranks the filtered versions, so keep only rows that are latest overall
        latest = set(con.execute(REFERENCE_LATEST.format(where="")).fetchall())
        expected = sorted(r for r in con.execute(REFERENCE_LATEST.format(where=where)).fetchall() if r in latest)
        assert got == expected, stage
        assert got, "every filter here matches some article"
        con.close()
        # a connection that does not rank when it opens ranks in the query: the same rows
        lazy = connect(layout, rank_once=False)
        assert sorted(lazy.execute(f"SELECT url_key, content_sha256, run_id FROM articles {where}").fetchall()) == got
        assert lazy.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_superseded'").fetchone() == (0,)
        lazy.close()
        if stage == "written":
            rep = compact(layout, target_mb=64, grace=0)
            assert rep.files_out < rep.files_in  # the files (and so the row identities) changed


def test_articles_keeps_the_right_version_of_each_edited_article(tmp_path):
    layout = Layout.at(tmp_path / "archive")
    _versions_archive(layout)
    con = connect(layout)
    assert con.execute("SELECT count(*), count(DISTINCT url_key) FROM articles").fetchone() == (90, 90)
    assert con.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 95
    body = dict(con.execute("SELECT url_key, body_text FROM articles WHERE url_key IN ("
                            "'beijing-haidian.gov.cn/art/3.html', 'beijing-yanqing.gov.cn/art/4.html', "
                            "'beijing-chaoyang.gov.cn/art/5.html', 'beijing-chaoyang.gov.cn/art/6.html')").fetchall())
    assert body == {
        "beijing-haidian.gov.cn/art/3.html": "海淀区第3篇（修订二）",
        "beijing-yanqing.gov.cn/art/4.html": "延庆区第4篇（改期）疫情防控",
        "beijing-chaoyang.gov.cn/art/5.html": "朝阳区第5篇（重新抽取）",
        "beijing-chaoyang.gov.cn/art/6.html": article("beijing-chaoyang", 6)["body_text"],
    }
    # the helper columns stay out of sight
    cols = [r[0] for r in con.execute("DESCRIBE articles").fetchall()]
    assert cols == [r[0] for r in con.execute("DESCRIBE article_versions").fetchall()]


@pytest.mark.parametrize("old_run", ["0-old", "z-old"])  # the old file first or last in the file list
def test_files_of_an_older_narrower_schema_read_alongside_new_ones(tmp_path, old_run):
    """Schemas only grow: a file written before some columns existed still reads, its
    missing columns NULL, and its versions are ranked with the others."""
    import pyarrow as pa

    from warehouse.commit import write_parquet
    from warehouse.schema import ARTICLES

    layout = Layout.at(tmp_path / "archive")
    old_schema = pa.schema([f for f in ARTICLES if f.name not in ("meta", "encoding", "extractor_version")])
    old_rows = [article("beijing-haidian", n) for n in (1, 2)]
    table = pa.Table.from_pylist([{k: r.get(k) for k in old_schema.names} for r in old_rows], schema=old_schema)
    month = month_of(old_rows[0]["published_at"], T0)
    write_parquet(table, layout.data_file("articles", "beijing-haidian", month, old_run, 1), kind="articles")
    # a newer file edits article 1 and adds article 3
    write_rows(layout, "articles", [article("beijing-haidian", 1, body="海淀区第1篇（修订）", fetched=T0 + timedelta(days=1),
                                            run_id="a-new"), article("beijing-haidian", 3)], run_id="a-new")
    con = connect(layout)
    rows = con.execute("SELECT url_key, body_text, encoding FROM articles ORDER BY url_key").fetchall()
    assert [(k.rsplit("/", 1)[1], b, e) for k, b, e in rows] == [
        ("1.html", "海淀区第1篇（修订）", "utf-8"),
        ("2.html", old_rows[1]["body_text"], None),
        ("3.html", article("beijing-haidian", 3)["body_text"], "utf-8"),
    ]
