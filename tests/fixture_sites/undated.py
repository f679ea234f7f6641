"""Article URLs without a date, one column per dialect seen on Beijing portals [govcms, evidence page]:

* Xicheng ``/xxgk/tzgg.html`` -> ``/xxgk/tzgg/xxxq/pnidpv<N>.html``;
* Changping ``/cpqzf/zj/zjxw/`` -> ``/cpqzf/zj/zjxw/<19 digits>/index.html``;
* Mentougou ``/bjmtg/zwxx/index.shtml`` -> ``/bjmtg/zwxx/<YYYYMM>/<32 hex>.shtml``;
* Shijingshan ``/ywdt/sjsdt/`` -> ``/ywdt/sjsdt/<YYYYMM>/t<YYYYMMDD>_<N>_sjs.shtml`` (the suffix the TRS
  preset's pattern does not take).

The list shows no date either: the date comes from the article page (meta PubDate, the visible line).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from tests.fixture_sites.common import Family, article_page, esc, make_articles, path_of, site_toml

SLUG = "fixture-undated"
HOST = "undated.fixture.govnews.test"

# column name, column URL path, article URL (i, dt) -> path, article_pattern (the Beijing site files')
DIALECTS = [
    ("通知公告", "/xxgk/tzgg.html", lambda i, dt: f"/xxgk/tzgg/xxxq/pnidpv{935000 + i}.html",
     r"^/[a-z/]+/xxxq/pnidpv\d+\.html$"),
    ("镇街动态", "/cpqzf/zj/zjxw/", lambda i, dt: f"/cpqzf/zj/zjxw/{1750000000000000000 + i * 37}/index.html",
     r"^/cpqzf/.+/\d{19}/index\.html$"),
    ("政务信息", "/bjmtg/zwxx/index.shtml",
     lambda i, dt: f"/bjmtg/zwxx/{dt:%Y%m}/{hashlib.md5(f'mtg{i}'.encode()).hexdigest()}.shtml",
     r"^/bjmtg/.+/\d{6}/[0-9a-f]{32}\.shtml$"),
    ("要闻动态", "/ywdt/sjsdt/", lambda i, dt: f"/ywdt/sjsdt/{dt:%Y%m}/t{dt:%Y%m%d}_{2900 + i}_sjs.shtml",
     r"^/ywdt/sjsdt/\d{6}/t\d{8}_\d+_sjs\.shtml$"),
]


def build() -> Family:
    files, arts_all, columns, list_pages = {}, [], [], []
    tables = []
    for k, (name, col_path, art_path, pattern) in enumerate(DIALECTS):
        arts = make_articles(20 + k, name, 6, lambda i, dt, f=art_path: f"http://{HOST}{f(i, dt)}",
                             datetime(2026, 8, 28 - k, 10, 15))
        items = "\n".join(f'<li><a href="{a.url.replace(f"http://{HOST}", "")}" title="{esc(a.title)}">{esc(a.title)}</a></li>'
                          for a in arts)
        page = (f"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{name}</title>\n</head>\n<body>\n"
                f"<ul class=\"list\">\n{items}\n</ul>\n</body>\n</html>\n")
        url = f"http://{HOST}{col_path}"
        files[(HOST, path_of(url))] = page.encode()
        for a in arts:
            files[(HOST, path_of(a.url))] = article_page(a, site_name="北京市测试区人民政府").encode()
        arts_all += arts
        columns.append((name, url))
        list_pages.append(url)
        tables.append(f"\n[[columns]]\nname = \"{name}\"\nurl = \"{url}\"\n[columns.list]\narticle_pattern = '{pattern}'\n")
    toml = site_toml(SLUG, HOST, "generic", [], list_table="article_pattern = '^$'") + "".join(tables)
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=arts_all,
                  evidence="Xicheng, Changping, Mentougou, Shijingshan article URLs [govcms]", list_pages=list_pages)
