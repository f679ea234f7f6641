"""``govnews extract PAGE.html`` in a subprocess, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import govnews

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "eval" / "corpus"
DATA = Path(__file__).parent / "data" / "extract"
KEYS = ["url", "url_key", "site", "district", "city", "province", "admin_code", "column", "title", "subtitle",
        "published_at", "date_source", "source", "authors", "editor", "body_text", "attachments", "images",
        "meta", "content_sha256", "fetched_at", "encoding", "extractor_version",
        "photographers", "index_no", "doc_number", "issuer", "written_at", "page_urls", "file"]

pytestmark = pytest.mark.slow


def _extract(*args: str) -> dict:
    proc = govnews("extract", *args, "--format", "json")
    return json.loads(proc.stdout)


def test_trs_page_with_site_hints():
    row = _extract(str(DATA / "trs_seed.html"), "--url",
                   "https://www.bjhd.gov.cn/xwzx/qzyw/202007/t20200706_4420170.html", "--site", "beijing-haidian",
                   "--fetched-at", "2020-07-09T10:30:00+08:00")
    assert list(row) == KEYS
    assert row["title"] == "区新冠肺炎疫情防控工作领导小组召开第九十七次会议"
    assert row["published_at"] == "2020-07-06T08:57:00+08:00"
    assert row["date_source"] == "byline"
    assert row["source"] == "北京日报"
    assert row["authors"] == ["唐炜"]
    assert row["site"] == "beijing-haidian" and row["district"] == "海淀区" and row["admin_code"] == "110108"
    assert row["attachments"] == [{"url": "https://www.bjhd.gov.cn/xwzx/qzyw/202007/P020200706.pdf",
                                   "name": "会议纪要.pdf"}]
    assert row["url_key"] == "bjhd.gov.cn/xwzx/qzyw/202007/t20200706_4420170.html"
    assert row["body_text"].endswith("（记者唐炜）")
    assert row["encoding"] == "utf-8"


def test_gbk_page_is_decoded_as_the_crawler_would(tmp_path):
    truth = {p["file"]: p for p in json.loads((ROOT / "tests" / "eval" / "truth.json").read_text("utf-8"))["pages"]}
    name = next(f for f, p in sorted(truth.items()) if p["encoding"] == "gbk" and p["kind"] == "notice")
    page = tmp_path / "saved page.html"  # any path; the bytes are read as they are
    page.write_bytes((CORPUS / name).read_bytes())
    row = _extract(str(page), "--url", truth[name]["url"], "--fetched-at", truth[name]["fetched_at"])
    assert row["encoding"] == "gb18030"
    assert "\ufffd" not in row["body_text"]
    assert row["title"] == truth[name]["title"]
    assert row["body_text"] == truth[name]["body_text"]


def test_without_url_or_site():
    row = _extract(str(DATA / "hanweb_zoom.html"))
    assert row["url"].startswith("file://") and row["site"] is None
    assert row["title"] == "延庆区召开生态文明建设推进会"
    assert row["published_at"].startswith("2020-07-06")


@pytest.mark.parametrize("args,message", [
    (("no-such-page.html",), "no such file or folder: no-such-page.html"),
    ((str(DATA / "trs_seed.html"), "no-such-folder"), "no such file or folder: no-such-folder"),
    ((str(DATA / "trs_seed.html"), "--workers", "0"), "--workers"),
    ((str(DATA / "trs_seed.html"), str(DATA / "hanweb_zoom.html"), "--format", "json"), "--format json prints one"),
    ((str(DATA / "trs_seed.html"), str(DATA / "hanweb_zoom.html"), "--url", "http://a.gov.cn/a.html"), "--url"),
    ((str(DATA / "trs_seed.html"), "--site", "no-such-site"), "unknown site"),
    ((str(DATA / "trs_seed.html"), "--fetched-at", "yesterday"), "--fetched-at"),
])
def test_bad_input_exits_2(args, message):
    proc = govnews("extract", *args, check=False)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert proc.stdout == ""  # refused before any page is printed
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def _lines(proc) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_many_files_and_folders_give_json_lines(tmp_path):
    folder = tmp_path / "saved"
    (folder / "sub").mkdir(parents=True)
    names = sorted(p.name for p in DATA.glob("real_*.html"))[:4]
    for i, name in enumerate(names):
        target = folder / ("sub" if i % 2 else "") / name
        target.write_bytes((DATA / name).read_bytes())
    (folder / "notes.txt").write_text("not a page", encoding="utf-8")
    proc = govnews("extract", str(DATA / "trs_seed.html"), str(folder), "--fetched-at", "2026-07-01T00:00:00+08:00")
    rows = _lines(proc)
    assert [Path(r["file"]).name for r in rows] == ["trs_seed.html"] + [p.name for p in sorted(
        q for q in folder.rglob("*.html"))]
    assert all(list(r) == KEYS for r in rows)
    assert rows[0]["title"] == "区新冠肺炎疫情防控工作领导小组召开第九十七次会议"


def test_workers_give_the_same_lines_in_the_same_order():
    args = ("extract", str(DATA), "--fetched-at", "2026-07-01T00:00:00+08:00")
    one = govnews(*args).stdout
    two = govnews(*args, "--workers", "2").stdout
    assert one == two and len(one.splitlines()) == len(list(DATA.glob("*.html")))


def test_a_page_that_fails_is_named_and_the_others_are_kept(tmp_path, capsys):
    from datetime import datetime, timezone

    from crawler.commands.extract import _safe_extract, _write
    from pipelines.extract import SiteHints

    broken = tmp_path / "broken.html"
    broken.mkdir()  # reading it fails (IsADirectoryError)
    paths = [DATA / "hanweb_zoom.html", broken, DATA / "trs_seed.html"]
    when = datetime(2026, 7, 1, tzinfo=timezone.utc)
    failed = _write(paths, [_safe_extract(p, None, SiteHints(), when) for p in paths], "jsonl")
    out = capsys.readouterr()
    assert failed == 1
    assert [Path(json.loads(l)["file"]).name for l in out.out.splitlines()] == ["hanweb_zoom.html", "trs_seed.html"]
    assert out.err.startswith(f"govnews extract: {broken}: IsADirectoryError")
