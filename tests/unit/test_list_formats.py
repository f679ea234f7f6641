"""The list-format keys of site files (refused when malformed) and the pure list parsing they drive."""

from __future__ import annotations

import json

import pytest

from crawler.listing import parse_list_page, redirect_target
from crawler.sites import SiteError, load_site
from tests.unit.test_sites import GOOD, write

HOSTS = ("www.example.gov.cn",)


@pytest.mark.parametrize("extra,key,problem", [
    ("[columns.list]\npage_method = 'PUT'\n", "columns[0].list.page_method", "does not match"),
    ("[columns.list]\npage_url = 'p?x={chan}'\n", "columns[0].list.page_url", "only the placeholders"),
    ("[columns.list]\npage_form = {a = '{n}'}\n", "columns[0].list.page_form", "POST"),
    ("[columns.list]\npage_method = 'POST'\npage_form = {a = '{nope}'}\n", "columns[0].list.page_form.a",
     "only the placeholders"),
    ("[columns.list]\npage_vars = {x = '('}\n", "columns[0].list.page_vars.x", "bad regular expression"),
    ("[columns.list]\nfirst_page_after = 'x'\n", "columns[0].list.first_page_after", "not one of page_vars"),
    ("[columns.list]\nrecord_count_pattern = 'n(\\d+)'\n", "columns[0].list.record_count_pattern", "per_page"),
    ("[columns.list]\npage_vars = {x = 1}\n", "columns[0].list.page_vars", "must be strings"),
])
def test_malformed_list_keys_are_refused(tmp_path, extra, key, problem):
    path = write(tmp_path, GOOD + "\n" + extra)
    before = path.read_bytes()
    with pytest.raises(SiteError, match=problem) as info:
        load_site(path)
    assert f": {key}: " in str(info.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize("headers", ['{"Bad Name" = "x"}', '{Referer = "a\\nInjected: 1"}', '{Referer = 3}'])
def test_hostile_headers_are_refused(tmp_path, headers):
    text = GOOD.replace('family = "trs"', f'family = "trs"\nheaders = {headers}')
    assert text != GOOD
    with pytest.raises(SiteError, match="headers"):
        load_site(write(tmp_path, text))


def test_post_pages_fill_page_vars_and_record_numbers(tmp_path):
    extra = ("[columns.list]\npage_url = '/proxy.jsp?startrecord={start}&endrecord={end}&perpage=15'\n"
             "page_method = 'POST'\nfirst_page_number = 1\nper_page = 45\npage_vars = {col = 'columnid=(\\d+)'}\n"
             "page_form = {columnid = '{col}', path = '/'}\n")
    col = load_site(write(tmp_path, GOOD + "\n" + extra)).columns[0]
    assert col.page_url(2, {"col": "7"}).endswith("/proxy.jsp?startrecord=46&endrecord=90&perpage=15")
    assert col.page_form(2, {"col": "7"}) == {"columnid": "7", "path": "/"}
    assert col.rules.missing_vars({}) == ["col"] and col.rules.missing_vars({"col": "7"}) == []


def test_json_records_keep_only_site_hosts_and_the_article_pattern(tmp_path):
    extra = ("[columns.list]\njson_items = 'data.rows'\njson_url = 'u'\njson_title = 't'\njson_date = 'd'\n"
             "article_pattern = '/t\\d{8}_\\d+\\.html$'\n")
    rules = load_site(write(tmp_path, GOOD + "\n" + extra)).columns[0].rules
    rows = [{"u": "https://www.example.gov.cn/a/t20260101_1.html", "t": "甲", "d": "2026-01-01 08:00:00"},
            {"u": "https://evil.example.com/a/t20260101_2.html", "t": "乙", "d": "2026-01-01"},
            {"u": "/a/t20260102_3.html", "t": "丙", "d": None}, {"u": "/a/other.html", "t": "丁"}, "junk", {"t": "戊"}]
    page = parse_list_page(json.dumps({"data": {"rows": rows}}), "https://www.example.gov.cn/api?p=1", rules, HOSTS)
    assert [(x.url, x.title, x.date) for x in page.links] == [
        ("https://www.example.gov.cn/a/t20260101_1.html", "甲", "2026-01-01"),
        ("https://www.example.gov.cn/a/t20260102_3.html", "丙", "")]
    assert parse_list_page('{"data": 1}', "https://www.example.gov.cn/", rules, HOSTS).links == ()


@pytest.mark.parametrize("body,target", [
    ('<html><head><meta http-equiv="refresh" content="0;url=/a/index.shtml"></head></html>', "https://h.gov.cn/a/index.shtml"),
    ("<script>window.location.href='./b/';</script>", "https://h.gov.cn/x/b/"),
    ('<script>location.replace("https://h.gov.cn/c.html")</script>', "https://h.gov.cn/c.html"),
    ("<script>location.href='javascript:alert(1)'</script>", ""),
    ('<a href="/a.html">a real page with a link</a><script>location.href="/b"</script>', ""),
    ("<script>location.href='/big'</script>" + "x" * 2000, ""),
])
def test_redirect_shells_are_small_pages_whose_only_job_is_a_redirect(body, target):
    assert redirect_target(body, "https://h.gov.cn/x/") == target
