"""A fixture portal whose home page holds decoys beside its two news columns.

Real structures it reproduces:

* the home page of the demo Haidian portal (``ul.nav`` bar, column boxes with 更多 links), itself
  copied from TRS district portals;
* a picture carousel of linked stories above the boxes, as Haidian's ``/ywdt/jdt/`` 焦点图
  [RSSHub-bjhd: "the /ywdt/jdt/ carousel repeats items and is skipped"]: article links, images,
  no dates;
* a 办事服务 service menu (个人办事 / 法人办事 / 便民服务) whose pages are dated lists of 办事指南,
  as the 政务服务 blocks of Beijing district portals; list-like, but not news;
* a link farm of other government sites (the "政府网站" link list in portal footers), whose labels
  even hold column words (动态, 政务): other hosts, never to be requested;
* 通知公告 on a subdomain the home page links to (Haidian's policy pages sit on zyk.bjhd.gov.cn
  [evidence page]).
"""

from __future__ import annotations

from datetime import datetime

from tests.fixture_sites.common import Family, article_page, esc, li, list_page, make_articles, path_of, site_toml

SLUG = "fixture-portal"
HOST = "www.portal.fixture.govnews.test"
SUB = "zwgk.portal.fixture.govnews.test"
OTHER_HOSTS = [f"www.district{i}.elsewhere.govnews.test" for i in range(1, 7)]
PER = 10
NAME, CODE = "北京市示例区人民政府", "1101990002"


def _column(files, host, folder, name, seed, count, pages) -> list:
    arts = make_articles(seed, name, count, lambda i, dt: f"http://{host}/{folder}/{dt:%Y%m}/t{dt:%Y%m%d}_{7000 + seed * 100 + i}.html",
                         datetime(2026, 9, 15, 9, 0))
    for p in range(pages):
        items = "\n".join(li(a, "./" + "/".join(a.url.split("/")[-2:])) for a in arts[p * PER:(p + 1) * PER])
        pager = f'<script>createPageHTML({pages}, {p}, "index", "html");</script>' if pages > 1 else ""
        files[(host, f"{folder}/{'index.html' if p == 0 else f'index_{p}.html'}")] = list_page(name, items, pager).encode()
    for a in arts:
        files[(host, path_of(a.url))] = article_page(a, site_name=NAME).encode()
    return arts


def build() -> Family:
    files: dict = {}
    news = _column(files, HOST, "xwzx/qzyw", "区政要闻", 41, 18, 2)
    notices = _column(files, SUB, "tzgg", "通知公告", 42, 7, 1)
    carousel = make_articles(43, "图片新闻", 4, lambda i, dt: f"http://{HOST}/xwzx/tpxw/{dt:%Y%m}/t{dt:%Y%m%d}_{9100 + i}.html",
                             datetime(2026, 9, 14, 8, 0))
    for a in carousel:
        files[(HOST, path_of(a.url))] = article_page(a, site_name=NAME).encode()
    services = make_articles(44, "办事指南", 12, lambda i, dt: f"http://{HOST}/bsfw/grbs/{dt:%Y%m}/t{dt:%Y%m%d}_{9300 + i}.html",
                             datetime(2026, 9, 10, 8, 0))
    files[(HOST, "bsfw/grbs/index.html")] = list_page("个人办事", "\n".join(li(a, a.url) for a in services)).encode()
    for a in services:
        files[(HOST, path_of(a.url))] = article_page(a, site_name=NAME).encode()
    slides = "".join(f'<li><a href="{a.url}" target="_blank"><img src="/images/jdt{i}.jpg"><p>{esc(a.title)}</p></a></li>'
                     for i, a in enumerate(carousel))
    boxes = "".join(
        f'<div class="box"><h2><a href="{u}">{n}</a><a class="more" href="{u}">更多&gt;&gt;</a></h2><ul>'
        + "".join(f'<li><a href="{a.url}" title="{esc(a.title)}">{esc(a.title[:18])}</a><span>{a.dt:%m-%d}</span></li>'
                  for a in arts[:5]) + "</ul></div>"
        for n, u, arts in (("区政要闻", "/xwzx/qzyw/index.html", news), ("通知公告", f"http://{SUB}/tzgg/index.html", notices)))
    service_menu = ('<div class="bsfw"><h3>办事服务</h3><ul><li><a href="/bsfw/grbs/">个人办事</a></li>'
                    '<li><a href="/bsfw/frbs/">法人办事</a></li><li><a href="/bsfw/bmfw/">便民服务</a></li></ul></div>')
    farm = ('<div class="links"><h3>政府网站</h3><ul>' + "".join(
        f'<li><a href="http://{h}/ywdt/index.html" target="_blank">第{i + 1}区政务动态</a></li>' for i, h in enumerate(OTHER_HOSTS))
        + "</ul></div>")
    home = (f"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"SiteName\" content=\"{NAME}\">\n"
            f"<meta name=\"SiteIDCode\" content=\"{CODE}\">\n<title>{NAME}</title>\n</head>\n<body>\n"
            '<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/xwzx/qzyw/index.html">新闻中心</a></li>'
            f'<li><a href="http://{SUB}/tzgg/index.html">政务公开</a></li><li><a href="/bsfw/grbs/">办事服务</a></li>'
            '<li><a href="/hdjl/">互动交流</a></li></ul></div>\n'
            f'<div class="banner"><ul>{slides}</ul></div>\n<div class="main">{boxes}</div>\n{service_menu}\n{farm}\n'
            f'<div class="footer">主办：{NAME}办公室 网站标识码：{CODE}</div>\n</body>\n</html>\n')
    files[(HOST, "index.html")] = home.encode()
    columns = [("区政要闻", f"http://{HOST}/xwzx/qzyw/index.html"), ("通知公告", f"http://{SUB}/tzgg/index.html")]
    toml = site_toml(SLUG, HOST, "trs", columns, hosts=(HOST, SUB), name=NAME, district="示例区",
                     list_table="article_pattern = '^/(xwzx/qzyw|tzgg)/\\d{6}/t\\d{8}_\\d+\\.html$'")
    return Family(slug=SLUG, hosts=(HOST, SUB), site_toml=toml, files=files, articles=news + notices,
                  evidence="demo Haidian home; Haidian /ywdt/jdt/ carousel [RSSHub-bjhd]; 办事服务 menus; 政府网站 link lists",
                  expect={"decoys": [a.url for a in carousel + services], "other_hosts": OTHER_HOSTS})
