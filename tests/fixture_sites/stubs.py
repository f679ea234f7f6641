"""Deep-page stubs, as govcms found them on Beijing TRS portals: the pager claims 10 pages, but
``index_3.html`` on are 300–400-byte stubs (no list, or a "recommended" box repeating page one's
links). Paging must stop at the first page that adds no new article link. Columns as Dongcheng's
``/ywdt/dcyw/`` (articles ``/ywdt/dcyw/YYYYMM/tYYYYMMDD_N.html``, body ``#mainText`` [bjrb])."""

from __future__ import annotations

from datetime import datetime

from tests.fixture_sites.common import Family, article_page, esc, li, list_page, make_articles, path_of, site_toml

SLUG = "fixture-stubs"
HOST = "stubs.fixture.govnews.test"
PER, REAL_PAGES, CLAIMED = 10, 3, 10


def build() -> Family:
    def url(i, dt):
        return f"http://{HOST}/ywdt/dcyw/{dt:%Y%m}/t{dt:%Y%m%d}_{3700000 + i}.html"

    arts = make_articles(19, "东城要闻", PER * REAL_PAGES, url, datetime(2026, 9, 10, 8, 30))
    files, list_pages = {}, []
    for p in range(CLAIMED):
        name = "index.html" if p == 0 else f"index_{p}.html"
        if p < REAL_PAGES:
            items = "\n".join(li(a, "./" + "/".join(a.url.split("/")[-2:])) for a in arts[p * PER:(p + 1) * PER])
            body = list_page("东城要闻", items, f'<script>createPageHTML({CLAIMED}, {p}, "index", "html");</script>')
        else:  # the stub: a recommended box with two of page one's links, about 350 bytes
            recs = "".join(f'<a href="./{"/".join(a.url.split("/")[-2:])}">{esc(a.title[:8])}</a>' for a in arts[:2])
            body = f'<html><head><meta charset="utf-8"><title>东城要闻</title></head><body><div class="tj">{recs}</div></body></html>'
        files[(HOST, f"ywdt/dcyw/{name}")] = body.encode()
        if p <= REAL_PAGES:
            list_pages.append(f"http://{HOST}/ywdt/dcyw/{name}")
    for a in arts:
        files[(HOST, path_of(a.url))] = article_page(a, site_name="北京市东城区人民政府").encode()
    toml = site_toml(SLUG, HOST, "trs", [("东城要闻", f"http://{HOST}/ywdt/dcyw/index.html")],
                     list_table="article_pattern = '^/ywdt/dcyw/\\d{6}/t\\d{8}_\\d+\\.html$'")
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=arts,
                  evidence="deep index_N.html stubs [govcms]; Dongcheng paths [evidence page]", list_pages=list_pages,
                  expect={"stats": {"govnews/columns/stopped_no_new_links": 1}})
