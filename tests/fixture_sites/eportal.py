"""eportal lists, copied from Daxing's /eportal/ui?pageId=… and Pinggu's portals.

Evidence [GCDS]: eportal list pages page by ``?currentPage=N``; Daxing's and Pinggu's articles sit at
``…/<5-8 digits>/index.html`` with no date in the URL [govcms], so the date comes from the article page.
"""

from __future__ import annotations

from datetime import datetime

from tests.fixture_sites.common import Family, article_page, li, list_page, make_articles, path_of, site_toml

SLUG = "fixture-eportal"
HOST = "eportal.fixture.govnews.test"
PAGE_ID, PER = 1841022, 10


def build() -> Family:
    def url(i, dt):
        return f"http://{HOST}/bjsdxqrmzf/zhyw/dxdt13/{4310000 + i * 7}/index.html"

    arts = make_articles(14, "大兴动态", 26, url, datetime(2026, 7, 30, 16, 5))
    pages = -(-len(arts) // PER)
    files, list_pages = {}, []
    for p in range(pages):
        page_url = f"http://{HOST}/eportal/ui?pageId={PAGE_ID}" + (f"&currentPage={p + 1}" if p else "")
        items = "\n".join(li(a, a.url.replace(f"http://{HOST}", "")) for a in arts[p * PER:(p + 1) * PER])
        pager = (f'<div class="page">共{pages}页 当前第{p + 1}页 '
                 + (f'<a href="/eportal/ui?pageId={PAGE_ID}&amp;currentPage={p + 2}">下一页</a>' if p + 1 < pages else "")
                 + "</div>")
        files[(HOST, path_of(page_url))] = list_page("大兴动态", items, pager).encode()
        list_pages.append(page_url)
    for a in arts:
        files[(HOST, path_of(a.url))] = article_page(a, site_name="北京市大兴区人民政府").encode()
    toml = site_toml(SLUG, HOST, "eportal", [("大兴动态", f"http://{HOST}/eportal/ui?pageId={PAGE_ID}")],
                     list_table=f"page_url = 'ui?pageId={PAGE_ID}&currentPage={{n}}'\n"
                                "article_pattern = '^/bjsdxqrmzf/.+/\\d{5,8}/index\\.html$'")
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=arts,
                  evidence="Daxing/Pinggu eportal [GCDS disclosure-channels, govcms]",
                  headers={HOST: {"/eportal/*": "text/html; charset=utf-8"}}, list_pages=list_pages)
