"""`govnews check-site` end to end against the fixture families over loopback (``--via``), a site file
with a wrong column URL and a wrong article pattern, and ``--offline`` on a saved list page."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, govnews, start_fixture_server
from tests.fixture_sites import build_all

pytestmark = pytest.mark.slow

BROKEN = """slug = "fixture-broken"
name = "北京市测试区人民政府"
district = "测试区"
homepage = "http://stubs.fixture.govnews.test/"
hosts = ["stubs.fixture.govnews.test"]
family = "trs"
verified = false

[[columns]]
name = "旧地址"
url = "http://stubs.fixture.govnews.test/xwzx/dcyw/index.html"

[[columns]]
name = "错模式"
url = "http://stubs.fixture.govnews.test/ywdt/dcyw/index.html"
[columns.list]
article_pattern = '/\\d{6}/t\\d{8}_\\d+\\.shtml$'
"""


@pytest.fixture(scope="module")
def fixture_sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("check")
    fams = build_all(root)
    (root / "sites" / "fixture-broken.toml").write_text(BROKEN, encoding="utf-8")
    server = start_fixture_server(root / "www", root / "requests.jsonl")
    yield root, fams, server
    server.proc.terminate()
    server.proc.wait(timeout=10)


def _check(root, server, *args):
    return govnews("check-site", *args, "--via", server.url, "--sites-dir", str(root / "sites"), check=False)


GOOD = ["fixture-docwrite", "fixture-jsonapi", "fixture-trsdynamic", "fixture-eportal", "fixture-hanwebnext",
        "fixture-jpage", "fixture-undated", "fixture-gbk", "fixture-stubs"]


@pytest.mark.parametrize("slug", GOOD)
def test_check_site_on_each_fixture_family(fixture_sites, slug):
    root, fams, server = fixture_sites
    before = {p for p in ROOT.iterdir()}
    proc = _check(root, server, slug)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    n_columns = out.count("\n  HTTP:        200 ")
    assert n_columns == out.count("fix:         nothing: the column looks right") >= 1
    assert "article:     " in out and "| body " in out and "  links:       0 match" not in out
    for a in fams[slug].articles[:1]:
        assert a.title in out  # the first article extracted: its title
    assert out.rstrip().endswith(f"{n_columns} of {n_columns} columns look right")
    assert {p for p in ROOT.iterdir()} == before  # nothing written (no archive, no files)
    with_pages = {"fixture-trsdynamic": "POST ", "fixture-jpage": "record count 50", "fixture-eportal": "page count 3",
                  "fixture-hanwebnext": "page count 3", "fixture-stubs": "page count 10"}
    if slug in with_pages:
        assert with_pages[slug] in out


def test_a_wrong_column_url_and_a_wrong_pattern_get_clear_advice(fixture_sites):
    root, _, server = fixture_sites
    proc = _check(root, server, "fixture-broken")
    assert proc.returncode == 1
    out = proc.stdout
    assert "HTTP:        404 " in out
    assert "the column URL answers 404, not 200" in out and "put its URL in columns[0].url" in out
    assert "0 match the article pattern" in out
    assert "links on the page look like /ywdt/dcyw/2026" in out and "adjust columns[1].list.article_pattern" in out
    assert out.rstrip().endswith("fixture-broken (unverified): 0 of 2 columns look right")


def test_robots_and_redirect_shells(fixture_sites):
    root, _, server = fixture_sites
    robots = _check(root, server, "fixture-robots")
    assert robots.returncode == 1 and "not fetched: robots.txt disallows it" in robots.stdout
    shell = _check(root, server, "fixture-shell")
    assert shell.returncode == 1
    assert shell.stdout.count("(followed once, as a crawl does)") == 2
    assert "not followed (another host)" in shell.stdout and "not followed (a second shell)" in shell.stdout
    assert "2 of 4 columns look right" in shell.stdout


def test_offline_reads_a_saved_list_page(fixture_sites, tmp_path):
    root, fams, server = fixture_sites
    page = tmp_path / "saved.html"
    page.write_bytes((root / "www" / "stubs.fixture.govnews.test" / "ywdt/dcyw/index.html").read_bytes())
    args = ["check-site", "fixture-stubs", "--sites-dir", str(root / "sites")]
    proc = govnews(*args, "--column", "东城要闻", "--offline", str(page))
    assert "offline: " in proc.stdout and "10 match the article pattern" in proc.stdout
    assert "page count 10" in proc.stdout
    undated = ["check-site", "fixture-undated", "--sites-dir", str(root / "sites"), "--offline", str(page)]
    proc = govnews(*undated, check=False)  # four columns: which one is the page?
    assert proc.returncode == 2 and "name its column with --column" in proc.stderr
    for bad, message in ([["--column", "东城要闻", "--offline", str(tmp_path / "none.html")], "no such file"],
                         [["--column", "没有"], "has no column '没有'"]):
        proc = govnews(*args, *bad, check=False)
        assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saved.html"]
