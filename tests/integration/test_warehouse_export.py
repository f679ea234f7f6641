"""Dataset exports: round trip (pyarrow and DuckDB read back what the view holds), filters, card, atomicity."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import govnews
from tests.unit.test_warehouse_views import T0, article, write_rows
from warehouse.db import connect
from warehouse.export import ExportError, ExportFilter, export_articles
from warehouse.layout import Layout

ORDER = "ORDER BY site, published_at NULLS LAST, url_key"


@pytest.fixture
def layout(tmp_path) -> Layout:
    layout = Layout.at(tmp_path / "archive")
    rows = [article(s, n) for s in ("beijing-haidian", "beijing-yanqing", "beijing-chaoyang") for n in range(30)]
    rows.append(article("beijing-haidian", 99, published=None))  # no publication date: sorts last
    write_rows(layout, "articles", rows)
    write_rows(layout, "articles", [article("beijing-haidian", 3, body="修订后的正文。", fetched=T0 + timedelta(days=2),
                                            run_id="r2")], run_id="r2")
    return layout


def _view(layout, sql):
    return connect(layout).execute(sql).fetchall()


def test_parquet_round_trip_equals_the_view(layout, tmp_path):
    out = tmp_path / "ds"
    res = export_articles(layout, out, "parquet", max_file_mb=0.01)  # tiny bound: several files
    data = sorted((out / "data").glob("*.parquet"))
    assert len(data) > 1 and all(p.name.endswith(f"-of-{len(data):05d}.parquet") for p in data)
    # the map column meta is exported as a list of {key, value} structs (datasets has no map type)
    expected = connect(layout).execute(f"SELECT * REPLACE (map_entries(meta) AS meta) FROM articles {ORDER}").fetchall()
    # DuckDB reads the folder back in file order and equals the view, row for row
    back = duckdb.connect()
    back.execute("SET TimeZone = 'Asia/Shanghai'")
    got = back.execute(f"SELECT * FROM read_parquet('{out}/data/*.parquet')").fetchall()
    assert got == expected and res.rows == len(expected) == 91
    # pyarrow reads it too, same rows
    table = pq.read_table(out / "data")
    assert table.num_rows == 91
    assert table.column("url_key").to_pylist() == [r[1] for r in expected]
    # each file stays near the bound (one row group over at most)
    sizes = [p.stat().st_size for p in data]
    assert max(sizes[:-1]) < 3 * 0.01 * 1024 * 1024


def test_versions_and_filters(layout, tmp_path):
    res = export_articles(layout, tmp_path / "v", "parquet", versions=True)
    assert res.rows == 92
    f = ExportFilter(sites=["beijing-yanqing", "beijing-chaoyang"], since=date(2020, 3, 1), until=date(2020, 6, 30),
                     contains="疫情防控")
    res = export_articles(layout, tmp_path / "f", "parquet", filters=f, columns=["site", "title", "published_at"])
    table = pq.read_table(tmp_path / "f" / "data")
    assert table.column_names == ["site", "title", "published_at"]
    expected = _view(layout, "SELECT count(*) FROM articles WHERE site IN ('beijing-yanqing', 'beijing-chaoyang') "
                             "AND published_at >= DATE '2020-03-01' AND published_at < DATE '2020-07-01' "
                             "AND contains(body_text, '疫情防控')")[0][0]
    assert res.rows == table.num_rows == expected > 0
    assert set(table.column("site").to_pylist()) == {"beijing-yanqing", "beijing-chaoyang"}
    with pytest.raises(ExportError, match="unknown field"):
        export_articles(layout, tmp_path / "g", "csv", columns=["nope"])


def test_csv_with_bom_and_jsonl(layout, tmp_path):
    export_articles(layout, tmp_path / "c", "csv", bom=True)
    raw = (tmp_path / "c" / "data" / "train.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    expected = _view(layout, f"SELECT url_key, body_text, authors FROM articles {ORDER}")
    assert [(r["url_key"], r["body_text"]) for r in rows] == [(k, b) for k, b, _ in expected]
    assert json.loads(rows[0]["authors"]) == expected[0][2]
    export_articles(layout, tmp_path / "j", "jsonl")
    lines = (tmp_path / "j" / "data" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["url_key"] for x in lines] == [k for k, _, _ in expected]
    # DuckDB reads the JSON lines back too
    n = duckdb.sql(f"SELECT count(*) FROM read_json('{tmp_path}/j/data/train.jsonl')").fetchall()[0][0]
    assert n == 91


def test_dataset_card(layout, tmp_path):
    export_articles(layout, tmp_path / "d", "parquet", command="govnews export --out d")
    card = (tmp_path / "d" / "README.md").read_text(encoding="utf-8")
    head, _, body = card.partition("\n---\n")
    assert head.startswith("---\n") and "configs:" in head and "path: data/*.parquet" in head
    assert "- split: train" in head and "- zh" in head
    assert "| beijing-haidian | 31 |" in body and "| `body_text` | `VARCHAR` |" in body
    assert "2020-01-01 to 2020-12-" in body or "publication dates: 2020" in body
    assert "govnews export --out d" in body


def test_out_is_refused_unless_overwrite_and_no_temp_left(layout, tmp_path):
    out = tmp_path / "o"
    export_articles(layout, out, "csv")
    with pytest.raises(ExportError, match="exists"):
        export_articles(layout, out, "csv")
    export_articles(layout, out, "jsonl", overwrite=True)
    assert sorted(p.name for p in (out / "data").iterdir()) == ["train.jsonl"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_empty_archive_exports_an_empty_dataset(tmp_path):
    res = export_articles(Layout.at(tmp_path / "none"), tmp_path / "e", "parquet")
    assert res.rows == 0 and pq.read_table(tmp_path / "e" / "data").num_rows == 0


@pytest.mark.slow
def test_cli_export(layout, tmp_path):
    out = tmp_path / "cli"
    proc = govnews("export", "--archive", str(layout.root), "--format", "csv", "--bom", "--out", str(out),
                   "--site", "beijing-yanqing", "--fields", "url_key,title")
    assert "exported 30 articles" in proc.stdout
    header = (out / "data" / "train.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == '"url_key","title"'
    assert "\x1b[" not in proc.stdout + proc.stderr  # no progress bar when not on a terminal
    again = govnews("export", "--archive", str(layout.root), "--format", "csv", "--out", str(out), check=False)
    assert again.returncode == 2 and "exists" in again.stderr


@pytest.mark.slow
def test_cli_column_filters_the_lanmu_and_fields_selects_fields(layout, tmp_path):
    """`--column` is a filter on the 栏目 (the `column` field), as the README lists it; `--fields` picks fields."""
    write_rows(layout, "articles", [article("beijing-haidian", n, column="通知公告") for n in (200, 201, 202)],
               run_id="r3")
    out = tmp_path / "tz"
    proc = govnews("export", "--archive", str(layout.root), "--format", "jsonl", "--out", str(out),
                   "--column", "通知公告", "--fields", "url_key", "--fields", "column")
    assert "exported 3 articles" in proc.stdout
    rows = [json.loads(line) for line in (out / "data" / "train.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows == [{"url_key": f"beijing-haidian.gov.cn/art/{n}.html", "column": "通知公告"} for n in (200, 201, 202)]
    assert "栏目 通知公告" in (out / "README.md").read_text(encoding="utf-8")
    bad = govnews("export", "--archive", str(layout.root), "--out", str(tmp_path / "x"), "--fields", "nope",
                  check=False)
    assert bad.returncode == 2 and "unknown field nope" in bad.stderr and not (tmp_path / "x").exists()


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_every_export_format_loads_in_hugging_face_datasets(layout, tmp_path, fmt, monkeypatch):
    """``datasets.load_dataset(<export folder>)``, offline, from local files only: every row, with its
    time-zone-aware times (the card's features) and meta as {key, value} pairs."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # no cache shared with other runs
    datasets = pytest.importorskip("datasets")
    out = tmp_path / f"ds-{fmt}"
    export_articles(layout, out, fmt)
    ds = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "hf-cache"))
    con = connect(layout)
    want = con.execute(f"SELECT url_key, published_at, fetched_at, map_entries(meta), authors FROM articles {ORDER}"
                       ).fetchall()
    assert len(ds) == len(want) == 91
    feats = ds.features
    assert str(feats["published_at"].dtype).startswith("timestamp[") and "tz=Asia/Shanghai" in str(
        feats["published_at"].pa_type), feats["published_at"]
    for row, (key, published, fetched, meta, authors) in zip(ds, want):
        assert row["url_key"] == key
        assert row["published_at"] == published  # aware datetimes: the same instant
        assert row["published_at"] is None or row["published_at"].utcoffset() is not None
        assert row["fetched_at"] == fetched
        if fmt == "csv":  # lists are JSON text in CSV
            assert json.loads(row["meta"]) == meta and json.loads(row["authors"]) == authors
        else:
            assert row["meta"] == meta and row["authors"] == authors
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "https://github.com/govnews/govnews" in card and "](https://github.com/)" not in card


def test_jsonl_times_are_iso_8601_with_their_offset(layout, tmp_path):
    out = tmp_path / "j"
    export_articles(layout, out, "jsonl")
    first = json.loads((out / "data" / "train.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["published_at"] == "2020-01-01T08:00:00+08:00"
    assert datetime.fromisoformat(first["fetched_at"]) == T0
    assert first["meta"] == [{"key": "SiteName", "value": "海淀"}]
