"""The pure parts of discovery: the generic rule's pagination kinds, pattern inference, link ranking,
site identity, the walk's budget and hosts (driven by hand, no network), and the command's refusals."""

from __future__ import annotations

import re

import pytest

from crawler.discovery.explore import DiscoveryError, Fetch, Page, explore, rank_label, load_keywords, site_identity
from crawler.discovery.patterns import infer_pattern
from crawler.discovery.sitefile import slug_for
from crawler.genericlist import article_like, generic_list, pagination
from tests.conftest import govnews, tree_hash

LIST = ('<html><body><ul class="nav"><li><a href="/a/">首页</a></li><li><a href="/b/">机构</a></li>'
        '<li><a href="/c/">服务</a></li></ul><ul class="list">{items}</ul>{pager}</body></html>')


def _items(n: int, dated: bool = True) -> str:
    return "".join(f'<li><a href="./2026{m:02d}/t2026{m:02d}1{m % 9}_{1000 + m}.html" title="标题{m}号">标题{m}…</a>'
                   + (f"<span>2026-{m:02d}-1{m % 9}</span>" if dated else "") + "</li>" for m in range(1, n + 1))


def test_generic_rule_takes_the_dated_block_not_the_navigation():
    found = generic_list(LIST.format(items=_items(9), pager=""), "http://x.test/news/")
    assert len(found.links) == 9 and found.dated == 9
    assert found.links[0].title == "标题1号" and found.links[0].date == "2026-01-11"
    assert found.links[0].url == "http://x.test/news/202601/t20260111_1001.html"


def test_generic_rule_needs_a_run_of_links():
    assert generic_list(LIST.format(items=_items(2), pager=""), "http://x.test/news/").links == ()


@pytest.mark.parametrize("pager,kind,template,nxt", [
    ('<script>createPageHTML(7, 0, "index", "html");</script>', "createPageHTML", "index_{n}.html", "index_1.html"),
    ('<a href="index_1.shtml">下一页</a>', "index_N", "index_{n}.shtml", "index_1.shtml"),
    ('<div>共5页 <a href="/eportal/ui?pageId=9&amp;currentPage=2">下一页</a></div>', "query",
     "ui?pageId=9&currentPage={n}", "/eportal/ui?pageId=9&currentPage=2"),
    ("<script>function next(n){location.href = 'index_' + n + '.html';}</script>"
     '<a href="javascript:next(1)">下一页</a>', "next(N)", "index_{n}.html", "index_1.html"),
    ('<a href="list.jsp?p=2x">下一页</a>', "link", "", "list.jsp?p=2x"),
    ("", "", "", ""),
])
def test_pagination_kinds(pager, kind, template, nxt):
    p = pagination(LIST.format(items=_items(3), pager=pager), "http://x.test/news/index.html")
    assert (p.kind, p.template) == (kind, template)
    assert p.next_url == (("http://x.test" + nxt if nxt.startswith("/") else "http://x.test/news/" + nxt) if nxt else "")


def test_article_like_urls():
    assert article_like("/xwzx/202012/t20201226_4422223.html")
    assert article_like("/bjsdxqrmzf/zhyw/4310007/index.html")
    assert article_like("/xxgk/tzgg/xxxq/pnidpv935001.html")
    assert not article_like("/col/col1001/index.html")
    assert not article_like("/xwzx/") and not article_like("/files/2020123.pdf")


def test_inferred_patterns_generalise_ids_and_dates_only():
    p = infer_pattern(["/art/2020/12/17/art_1001_5587.html", "/art/2021/9/1/art_1001_5500.html"])
    assert p == r"^/art/\d{4}/\d+/\d+/art_\d+_\d+\.html$"
    assert re.search(p, "/art/2026/1/2/art_1001_12345.html")
    p = infer_pattern(["/ywdt/gzdt/202608/t20260818_5012000.shtml", "/ywdt/gzdt/202607/t20260701_5012001.shtml"])
    assert re.search(p, "/ywdt/gzdt/202701/t20270105_6000000.shtml") and not re.search(p, "/ywdt/jdt/202608/t20260818_1.shtml")
    p = infer_pattern(["/a/1.html", "/a/b/c.html"])
    assert p == r"^/a/.+\.html$"


def test_ranking_reads_the_keyword_file_and_its_exclusions():
    keywords, exclude, _ = load_keywords()
    assert rank_label("区政要闻", keywords, exclude) > rank_label("政务信息", keywords, exclude) > 0
    assert rank_label("政务服务", keywords, exclude) == 0 and rank_label("个人办事", keywords, exclude) == 0
    assert rank_label("走进延庆", keywords, exclude) == 0


def test_site_identity_from_meta_tags_or_the_footer():
    assert site_identity('<meta name="SiteName" content="北京市石景山区人民政府"><meta name="SiteIDCode" '
                         'content="1101070001">') == ("北京市石景山区人民政府", "110107")
    assert site_identity("<title>首页_北京市海淀区人民政府</title>网站标识码：BJ1101080001") == ("北京市海淀区人民政府", "110108")


def test_slugs_from_hosts():
    assert slug_for("www.bjhd.gov.cn") == "bjhd"
    assert slug_for("haidian.demo.govnews.test") == "haidian-demo-govnews"


def _drive(walk, pages: dict[str, Page]):
    """Answer the walk's fetches from ``pages`` (404 otherwise); returns (result or error, fetches)."""
    asked = []
    try:
        fetch = next(walk)
        while True:
            assert isinstance(fetch, Fetch)
            asked.append(fetch.url)
            fetch = walk.send(pages.get(fetch.url, Page(url=fetch.url, status=404)))
    except StopIteration as stop:
        return stop.value, asked
    except DiscoveryError as exc:
        return exc, asked


def _html(text: str) -> Page:
    return Page(url="", status=200, content_type="text/html; charset=utf-8", body=text.encode())


def test_the_walk_never_asks_beyond_its_budget_or_its_hosts():
    nav = "".join(f'<a href="/col{i}/">第{i}动态</a>' for i in range(30))
    farm = "".join(f'<a href="http://other{i}.test/ywdt/">其他区要闻</a>' for i in range(5))
    home = _html(f"<html><body>{nav}{farm}</body></html>")
    for budget in (2, 5, 11):
        result, asked = _drive(explore("http://p.test/", budget), {"http://p.test/": home})
        # each host's first request costs one more: its robots.txt
        assert len(asked) + len({u.split("/")[2] for u in asked}) <= budget
        assert all(u.startswith("http://p.test/") for u in asked)
        assert isinstance(result, DiscoveryError)


def test_the_walk_refuses_a_home_page_that_does_not_answer():
    result, asked = _drive(explore("http://p.test/", 60), {})
    assert isinstance(result, DiscoveryError) and "HTTP 404" in str(result) and asked == ["http://p.test/"]


@pytest.mark.parametrize("args,message", [
    (["ftp://x.test/"], "not an http(s) URL"),
    (["javascript:alert(1)"], "not an http(s) URL"),
    (["http://x.test/", "--budget", "1"], "at least 2"),
    (["http://x.test/", "--out", "{tmp}/Bad Slug.toml"], "a site file is <slug>.toml"),
    (["http://x.test/", "--out", "{tmp}/x.txt"], "a site file is <slug>.toml"),
    (["http://x.test/", "--out", "{tmp}/../../etc/passwd"], "a site file is <slug>.toml"),
    (["http://x.test/", "--out", "{tmp}/nofolder/x.toml"], "no folder"),
    (["http://x.test/", "--out", "{tmp}/taken.toml"], "exists"),
    (["http://x.test/", "--via", "socks5://127.0.0.1:1080"], "--via"),
    (["http://x.test/", "--via", "http://localhost:8080"], "--via"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_changes(tmp_path, args, message):
    (tmp_path / "taken.toml").write_text("mine", encoding="utf-8")
    before = tree_hash(tmp_path)
    proc = govnews("discover", *[a.replace("{tmp}", str(tmp_path)) for a in args], check=False)
    assert proc.returncode == 2 and message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert tree_hash(tmp_path) == before


def test_an_unreachable_portal_is_one_line_and_exit_1(tmp_path):
    out = tmp_path / "gone.toml"
    proc = govnews("discover", "http://www.gone.govnews.test/", "--via", "http://127.0.0.1:9", "--out", str(out),
                   check=False)
    assert proc.returncode == 1 and not out.exists()
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "was not fetched" in lines[0], proc.stderr
