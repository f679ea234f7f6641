"""Static lists paged by ``javascript:next(N)``, copied from sjj.beijing.gov.cn/zwxx/sjgg/.

Evidence [GCDS disclosure-channels]: "静态列表，共 27 页，javascript:next(0)"; next(N) loads
``index_N.html`` (the static TRS page names); articles ``…/YYYYMM/tYYYYMMDD_ID.html``.
"""

from __future__ import annotations

from datetime import datetime

from tests.fixture_sites.common import Family, article_page, li, list_page, make_articles, path_of, site_toml

SLUG = "fixture-hanwebnext"
HOST = "next.fixture.govnews.test"
PER = 12
NEXT_JS = ("<script>function next(n){ location.href = n == 0 ? 'index.html' : 'index_' + n + '.html'; }</script>")


def build() -> Family:
    def url(i, dt):
        return f"http://{HOST}/zwxx/sjgg/{dt:%Y%m}/t{dt:%Y%m%d}_{4803000 + i}.html"

    arts = make_articles(15, "审计公告", 30, url, datetime(2026, 7, 31, 11, 0))
    pages = -(-len(arts) // PER)
    files, list_pages = {}, []
    for p in range(pages):
        name = "index.html" if p == 0 else f"index_{p}.html"
        items = "\n".join(li(a, "./" + "/".join(a.url.split("/")[-2:])) for a in arts[p * PER:(p + 1) * PER])
        links = " ".join(f'<a href="javascript:next({i})">{i + 1}</a>' for i in range(pages))
        pager = f'{NEXT_JS}\n<div class="page">共 {pages} 页 {links} <a href="javascript:next({min(p + 1, pages - 1)})">下一页</a></div>'
        files[(HOST, f"zwxx/sjgg/{name}")] = list_page("审计公告", items, pager).encode()
        list_pages.append(f"http://{HOST}/zwxx/sjgg/{name}")
    for a in arts:
        files[(HOST, path_of(a.url))] = article_page(a, site_name="北京市审计局", body_id="zoom").encode()
    toml = site_toml(SLUG, HOST, "hanweb-next", [("审计公告", f"http://{HOST}/zwxx/sjgg/index.html")], body="#zoom")
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=arts,
                  evidence="sjj.beijing.gov.cn/zwxx/sjgg/ [GCDS disclosure-channels]", list_pages=list_pages)
