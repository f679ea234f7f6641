"""The REAL pingtan sample (../shared/corpus/pingtan, a TRS "static + dynamic" site) served over loopback.

The three saved column pages and six saved articles of two columns are served at their own URLs
(read from the corpus at test time, never copied into the repository); everything else the crawl asks
for (the other 69 items of each column, the /fjdzapp/search pages) answers 404 and is recorded so.
The labels in ``pingtan/truth.jsonl`` are checked: list items and page counts from the parser, and the
crawled articles' title, date, source and body ends.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.listing import parse_list_page
from crawler.sites import load_site
from tests.conftest import ROOT, crawl, start_fixture_server
from tests.fixture_sites.common import path_of
from warehouse.db import connect
from warehouse.layout import Layout

SAMPLE = ROOT.parent / "shared" / "corpus" / "pingtan"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not SAMPLE.is_dir(), reason="../shared/corpus/pingtan is absent (CI has it beside the clone)")]
HOST = "www.pingtan.gov.cn"
# the site file a user would write for pingtan (served over loopback as http: the fixture proxy speaks http)
SITE = """slug = "fixture-pingtan"
name = "平潭综合实验区"
district = "平潭综合实验区"
city = "福州市"
province = "福建省"
homepage = "http://www.pingtan.gov.cn/"
hosts = ["www.pingtan.gov.cn"]
family = "trs-dynamic"
verified = false
demo = true
note = "the real site is https; the corpus sample served over loopback"
[list]
article_pattern = '^/zwgk/.+/\\d{6}/t\\d{8}_\\d+\\.htm$'

[[columns]]
name = "党工委会议"
url = "http://www.pingtan.gov.cn/zwgk/zfhy/dgwhy/"

[[columns]]
name = "主任办公会"
url = "http://www.pingtan.gov.cn/zwgk/zfhy/zrbgh/"

[[columns]]
name = "公示公告"
url = "http://www.pingtan.gov.cn/zwgk/gsgg/"
"""


def _truth() -> list[dict]:
    return [json.loads(line) for line in (SAMPLE / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line]


def _serve_tree(dest: Path) -> None:
    with open(SAMPLE / "manifest.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            target = dest / HOST / path_of(row["url"].replace("https://", "http://"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((SAMPLE / "pages" / row["local_name"]).read_bytes())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    d = tmp_path_factory.mktemp("pingtan-sites")
    (d / "fixture-pingtan.toml").write_text(SITE, encoding="utf-8")
    return d, load_site(d / "fixture-pingtan.toml")


def test_list_pages_parse_to_the_labelled_items_and_page_counts(site):
    _, s = site
    by_url = {c.url: c for c in s.columns}
    lists = [t for t in _truth() if t["kind"] == "list"]
    assert len(lists) == 3
    for t in lists:
        column = by_url[t["url"].replace("https://", "http://")]
        text = (SAMPLE / "pages" / t["local_name"]).read_text(encoding="utf-8")
        page = parse_list_page(text, t["url"], column.rules, (HOST,))
        got = [[link.title, link.url, link.date] for link in page.links]
        assert got == t["items"], t["local_name"]
        assert page.last_page_number(column.rules) == t["page_count"]
        assert {"search_id", "chnlid", "static_pages"} <= set(page.page_vars)
        assert page.page_vars["chnlid"] == re.search(r'name="ChnlId" content="(\d+)"', text).group(1)


@pytest.fixture(scope="module")
def crawled(site, tmp_path_factory):
    sites_dir, _ = site
    root = tmp_path_factory.mktemp("pingtan")
    _serve_tree(root / "www")
    server = start_fixture_server(root / "www", root / "requests.jsonl")
    try:
        crawl(root / "archive", server, "fixture-pingtan", extra=("--sites-dir", str(sites_dir)))
        requests = server.requests()
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    return root / "archive", requests


def test_saved_articles_extracted_with_their_labels(crawled):
    archive, _ = crawled
    con = connect(Layout.at(archive))
    rows = {r[0]: r for r in con.execute(
        "SELECT url, title, published_at, source, body_text, authors FROM articles WHERE site = 'fixture-pingtan'").fetchall()}
    labels = {t["url"].replace("https://", "http://"): t for t in _truth() if t["kind"] == "article"}
    assert set(rows) == set(labels)
    wrong = []
    for url, t in labels.items():
        _, title, published, source, body, authors = rows[url]
        flat = re.sub(r"\s+", "", body)
        if title != t["title"]:
            wrong.append(f"{url} title {title!r}")
        if f"{published:%Y-%m-%d %H:%M}" != t["published"]:
            wrong.append(f"{url} published {published} != {t['published']}")
        if source != t["source"]:
            wrong.append(f"{url} source {source!r}")
        if re.sub(r"\s+", "", t["body_first"]) not in flat[:40] or re.sub(r"\s+", "", t["body_last"]) not in flat[-40:]:
            wrong.append(f"{url} body ends {flat[:20]!r}…{flat[-20:]!r}")
        if abs(len(flat) - t["body_chars_approx"]) > 0.1 * t["body_chars_approx"]:
            wrong.append(f"{url} body length {len(flat)} vs {t['body_chars_approx']}")
    assert not wrong, "\n".join(wrong)


def test_pages_not_in_the_sample_answer_404_and_are_recorded(crawled):
    archive, requests = crawled
    con = connect(Layout.at(archive))
    statuses = dict(con.execute("SELECT status, count(*) FROM captures WHERE site = 'fixture-pingtan' "
                                "GROUP BY status").fetchall())
    missing = [r for r in requests if r["status"] == 404 and r["path"] != "/robots.txt"]
    articles = [r for r in missing if r["method"] == "GET"]
    api = [r for r in missing if r["method"] == "POST" and urlsplit(r["path"]).path == "/fjdzapp/search"]
    assert len(articles) == 3 * 75 - 12  # every listed item that was not saved
    assert len(api) == 1 + 1 + 1  # each column's first API page (page 6); a 404 ends the column
    assert statuses.get(404, 0) >= len(articles) + len(api)
    assert statuses.get(200, 0) == 3 + 12
