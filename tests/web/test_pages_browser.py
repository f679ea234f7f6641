"""Every page of ``govnews serve`` in headless Chromium (Debian's), over the demo archive."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import expected
from tests.web.hostile import ARTICLE, TITLE

pytestmark = pytest.mark.slow

N = {s: len(expected(s)["articles"]) for s in ("demo-haidian", "demo-yanqing")}  # 103 + 57
# the real Haidian seed article of the demo (crawler/demo/families/haidian.py)
SEED_TITLE = "区新冠肺炎疫情防控工作领导小组召开第九十七次会议"


@pytest.fixture(scope="module")
def page(browser, served):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    pg = ctx.new_page()
    seen = []
    pg.on("request", lambda r: seen.append(r.url))
    pg.seen = seen
    yield pg
    ctx.close()


def visit(page, served, path: str, shots, name: str):
    resp = page.goto(served.url + path)
    assert resp.status == 200, (path, resp.status)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    print(f"screenshot: {shots / (name + '.png')}")
    return resp


def chart_bars(page, selector: str) -> int:
    """Drawn bars (rects of non-zero height) of the SVG chart under ``selector``."""
    svg = page.locator(f"{selector} svg")
    assert svg.count() >= 1, f"no SVG chart in {selector}"
    return page.locator(f"{selector} svg rect.bar").evaluate_all(
        "els => els.filter(e => parseFloat(e.getAttribute('height')) > 0).length")


def test_home_lists_the_districts_with_their_numbers(page, served, shots):
    assert N == {"demo-haidian": 103, "demo-yanqing": 57}
    visit(page, served, "/", shots, "home")
    for site, n in N.items():
        row = page.locator(f"#districts tr[data-site='{site}']")
        assert row.locator("td.articles").inner_text() == str(n)
        assert row.locator(".state").inner_text() in {"ok", "stale"}
        assert row.locator("svg rect.bar").count() == 14  # the 14-day sparkline
    # the demo crawl ran today: today's bar of the sparkline is drawn
    assert chart_bars(page, "#districts tr[data-site='demo-haidian']") >= 1
    assert int(page.locator("#total-articles").inner_text()) == 103 + 57 + 1
    assert all(u.startswith(served.url) for u in page.seen)


def test_district_page_charts_columns_and_runs(page, served, shots):
    visit(page, served, "/site/demo-haidian", shots, "district")
    assert page.locator("#site-articles").inner_text() == "103"
    assert chart_bars(page, "#monthly-chart") >= 3
    assert chart_bars(page, "#crawl-chart") >= 1
    names = page.locator("#columns tbody tr td:first-child").all_inner_texts()
    assert len(names) >= 2
    counts = page.locator("#columns tbody tr td:nth-child(3)").all_inner_texts()
    assert sum(map(int, counts)) == 103
    assert page.locator("table.runs tbody tr").count() >= 1  # the demo's run


def test_search_finds_the_seed_article_with_facets_and_a_chart(page, served, shots):
    visit(page, served, "/search?q=" + quote("第九十七次会议"), shots, "search")
    assert int(page.locator("#total b").inner_text()) >= 1
    titles = page.locator("ol.hits li a").all_inner_texts()
    assert SEED_TITLE in titles
    assert "【" in page.locator(".snippet").first.inner_text()  # the match marked in the snippet
    assert page.locator("#facet-site li a", has_text="demo-haidian").count() == 1
    assert page.locator("#facet-month li").count() >= 1
    assert chart_bars(page, "#search-chart") >= 1
    # a facet link narrows the results (no JavaScript: a plain link)
    page.locator("#facet-site li a", has_text="demo-haidian").click()
    assert "site=demo-haidian" in page.url
    assert SEED_TITLE in page.locator("ol.hits li a").all_inner_texts()


def test_search_paginates(page, served, shots):
    visit(page, served, "/search?q=" + quote("工作"), shots, "search-pages")
    total = int(page.locator("#total b").inner_text())
    assert total > 20, "the demo has more than one page of 工作 articles"
    first = page.locator("ol.hits li a").all_inner_texts()
    assert len(first) == 20
    page.locator(".pager a", has_text="2").first.click()
    second = page.locator("ol.hits li a").all_inner_texts()
    assert second and not set(second) & set(first) and len(second) == min(20, total - 20)


def test_article_page_shows_fields_versions_and_diff(page, served, shots):
    visit(page, served, "/article?url=" + quote(ARTICLE, safe=""), shots, "article")
    assert page.locator("h1").inner_text() == TITLE
    assert page.locator("#version-count").inner_text() == "2"
    assert page.locator("#versions tbody tr").count() == 2
    diff = page.locator("pre.diff")
    assert diff.locator(".add", has_text="建筑施工").count() == 1  # the edited paragraph of version 2
    assert diff.locator(".del").count() == 1
    assert page.locator("#captures tbody tr").count() == 2
    assert "安全生产" in page.locator("#body").inner_text()


def test_seed_article_page(page, served, shots):
    page.goto(served.url + "/search?q=" + quote("第九十七次会议"))
    page.locator("ol.hits li a", has_text=SEED_TITLE).first.click()
    assert page.locator("h1").inner_text() == SEED_TITLE
    page.screenshot(path=str(shots / "article-seed.png"), full_page=True)
    fields = page.locator("#fields").inner_text()
    assert "demo-haidian" in fields and "海淀区" in fields
    assert page.locator("#version-count").inner_text() == "1"


def test_sql_page_runs_the_sandbox_and_offers_downloads(page, served, shots):
    sql = "SELECT site, count(*) AS n FROM articles GROUP BY site ORDER BY site"
    visit(page, served, "/sql?q=" + quote(sql), shots, "sql")
    rows = page.locator("#result tbody tr").all_inner_texts()
    got = dict(r.split("\t") for r in rows)
    assert got == {"demo-haidian": "103", "demo-hostile": "1", "demo-yanqing": "57"}
    assert page.locator("a", has_text="CSV").count() == 1 and page.locator("a", has_text="Parquet").count() == 1
    resp = page.goto(served.url + "/sql?q=" + quote("COPY articles TO '/tmp/x.csv'"))
    assert resp.status == 400
    assert "QueryRefused" in page.locator("#error").inner_text()
