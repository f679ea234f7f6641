"""Redirect shells in front of columns, as on Shijingshan (www.bjsjs.gov.cn: the home page is a JS-redirect
shell) and the ~160-byte JS / meta-refresh pages [GCDS] in front of some columns:

* 要闻动态 ``/ywdt/`` is a JS shell to ``/ywdt/sjsdt/index.shtml`` (2 pages, index_1.shtml);
* 政策解读 ``/gongkai/zcjd/`` is a meta-refresh shell to ``index.shtml``;
* 外链 ``/wl/`` is a shell to another host: not followed;
* 套娃 ``/tw/`` is a shell to a second shell: followed once, the second is not.
"""

from __future__ import annotations

from datetime import datetime

from tests.fixture_sites.common import Family, article_page, li, list_page, make_articles, path_of, site_toml

SLUG = "fixture-shell"
HOST = "shell.fixture.govnews.test"
PER = 8


def js_shell(target: str) -> bytes:
    return (f'<html><head><meta charset="utf-8"><script type="text/javascript">window.location.href="{target}";'
            '</script></head><body></body></html>').encode()


def meta_shell(target: str) -> bytes:
    return f'<html><head><meta http-equiv="refresh" content="0;url={target}"></head><body></body></html>'.encode()


def build() -> Family:
    files, list_pages, arts_all = {}, [], []
    # (name, list folder, articles, the shell, column path, article suffix: Shijingshan's news carry _sjs)
    specs = [("要闻动态", "ywdt/sjsdt", 14, js_shell("/ywdt/sjsdt/index.shtml"), "/ywdt/", "_sjs"),
             ("政策解读", "gongkai/zcjd", 5, meta_shell("index.shtml"), "/gongkai/zcjd/", "")]
    for k, (name, base, count, shell, col_path, suffix) in enumerate(specs):
        arts = make_articles(30 + k, name, count,
                             lambda i, dt, b=base, x=suffix: f"http://{HOST}/{b}/{dt:%Y%m}/t{dt:%Y%m%d}_{800 + i}{x}.shtml",
                             datetime(2026, 9, 2, 9, 0))
        files[(HOST, path_of(f"http://{HOST}{col_path}"))] = shell
        list_pages.append(f"http://{HOST}{col_path}")
        pages = -(-count // PER)
        for p in range(pages):
            page = "index.shtml" if p == 0 else f"index_{p}.shtml"
            items = "\n".join(li(a, "./" + "/".join(a.url.split("/")[-2:])) for a in arts[p * PER:(p + 1) * PER])
            extra = f'<script>createPageHTML({pages}, {p}, "index", "shtml");</script>'
            files[(HOST, f"{base}/{page}")] = list_page(name, items, extra).encode()
            list_pages.append(f"http://{HOST}/{base}/{page}")
        for a in arts:
            files[(HOST, path_of(a.url))] = article_page(a, site_name="北京市石景山区人民政府").encode()
        arts_all += arts
    files[(HOST, "wl/index.html")] = js_shell("http://elsewhere.fixture.govnews.test/ywdt/index.shtml")
    files[(HOST, "tw/index.html")] = js_shell("/tw/a.html")
    files[(HOST, "tw/a.html")] = meta_shell("/ywdt/sjsdt/index.shtml")
    list_pages += [f"http://{HOST}/wl/", f"http://{HOST}/tw/", f"http://{HOST}/tw/a.html"]
    columns = [(n, f"http://{HOST}{c}") for n, _, _, _, c, _ in specs] + [("外链", f"http://{HOST}/wl/"),
                                                                       ("套娃", f"http://{HOST}/tw/")]
    toml = site_toml(SLUG, HOST, "trs", columns,
                     list_table="page_url = 'index_{n}.shtml'\narticle_pattern = '/\\d{6}/t\\d{8}_\\d+(_sjs)?\\.shtml$'")
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=arts_all,
                  evidence="Shijingshan JS-redirect home, ~160-byte shells [GCDS]", list_pages=list_pages,
                  expect={"stats": {"govnews/lists/redirect_shell_followed": 3,
                                    "govnews/lists/redirect_shell_refused": 2}})
