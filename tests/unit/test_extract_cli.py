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
        "meta", "content_sha256", "fetched_at", "encoding", "extractor_version"]

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
    (("no-such-page.html",), "no such file"),
    ((str(DATA / "trs_seed.html"), "--site", "no-such-site"), "unknown site"),
    ((str(DATA / "trs_seed.html"), "--fetched-at", "yesterday"), "--fetched-at"),
])
def test_bad_input_exits_2(args, message):
    proc = govnews("extract", *args, check=False)
    assert proc.returncode == 2
    assert message in proc.stderr
