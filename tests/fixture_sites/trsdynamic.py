"""TRS "static + dynamic" (动静结合) lists, copied from www.pingtan.gov.cn (../shared/corpus/pingtan).

The real sample's structure: the column page holds ``maxStaticIndex`` pages of 15 items in
``<div ms-visible="$showStatic(N)">`` blocks (N = 1, 6, 11, …), relative hrefs ``./YYYYMM/tYYYYMMDD_ID.htm``;
its scripts name ``searchId`` (SiteInfo), ``classsql: "" || "chnlid=658"``, ``recordCount:'139'`` and
``prepage:15``; later pages are POSTs to ``/fjdzapp/search`` (channelid, classsql, page, prepage …, as public
Fujian crawlers send them) answered ``{"data": [{doctitle, docpuburl, docreltime}]}``. Article template:
``div.article_content > div.TRS_Editor``. Here: 2 static pages, 52 records (4 pages).
"""

from __future__ import annotations

import json
from datetime import datetime

from crawler.demo.server import post_file
from tests.fixture_sites.common import Family, article_page, esc, make_articles, path_of, site_toml

SLUG = "fixture-trsdynamic"
HOST = "trsdyn.fixture.govnews.test"
SEARCH_ID, CHNLID, STATIC, PER, RECORDS = 200210, 658, 2, 15, 52


def build() -> Family:
    def url(i, dt):
        return f"http://{HOST}/zwgk/zfhy/dgwhy/{dt:%Y%m}/t{dt:%Y%m%d}_{107000 + i}.htm"

    arts = make_articles(13, "党工委会议", RECORDS, url, datetime(2026, 8, 18, 9, 40))
    blocks = []
    for p in range(STATIC):
        items = "".join(
            f'\n<li>\n<a href="./{a.url.split("/dgwhy/")[1]}" target="_blank" title="{esc(a.title)}">{esc(a.title)}</a>\n'
            f'<em id="rel_{a.url.rsplit("_", 1)[1][:-4]}"></em>\n<span class="bf-pass">{a.dt:%Y-%m-%d}</span>\n</li>'
            for a in arts[p * PER:(p + 1) * PER])
        blocks.append(f'<div ms-visible="$showStatic({p * 5 + 1})">\n<ul>{items}\n</ul>\n</div>')
    script = (f"<script>\nvar SiteInfo = {{\n  searchId: {SEARCH_ID}, //默认的文档检索频道的ID\n"
              f"  defaultPgTemp: \"pgBar_pt.html\"\n}};\n</script>\n<script>\nvar pageChnlInfo={{\n"
              f"  quickMode:\"动静结合\",\n  maxStaticIndex: {STATIC},\n  classsql: \"\" || \"chnlid={CHNLID}\",\n"
              f"  recordCount:'{RECORDS}',\n  sortfield:'-docorderpri,-docreltime',\n  prepage:{PER},\n  cache:true\n}}\n"
              "require(['list2.trsapi'], function(listModel) { listModel({listApi: {url: \"/fjdzapp/search\"}}) })\n"
              "</script>\n")
    page = (f"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"ChnlId\" content=\"{CHNLID}\">\n"
            "<meta name=\"ColumnName\" content=\"党工委会议\">\n<title>党工委会议</title>\n</head>\n<body>\n"
            "<div class=\"list_base\" ms-controller=\"list\" role=\"viewlist\">\n<div ms-visible=\"showStatic\">\n"
            + "\n".join(blocks) + "\n</div>\n</div>\n" + script + "</body>\n</html>\n")
    column = f"http://{HOST}/zwgk/zfhy/dgwhy/"
    files = {(HOST, path_of(column)): page.encode()}
    for n in range(STATIC + 1, -(-RECORDS // PER) + 1):
        form = {"channelid": str(SEARCH_ID), "classsql": f"chnlid={CHNLID}", "sortfield": "-docorderpri,-docreltime",
                "classcol": "publishyear", "classsort": "0", "cache": "true", "page": str(n), "prepage": str(PER)}
        data = [{"doctitle": a.title, "docpuburl": a.url, "docreltime": f"{a.dt:%Y-%m-%d %H:%M:%S}", "chnlname": "党工委会议"}
                for a in arts[(n - 1) * PER:n * PER]]
        files[(HOST, post_file("fjdzapp/search", "", form))] = json.dumps(
            {"data": data, "pageCount": -(-RECORDS // PER), "total": RECORDS}, ensure_ascii=False).encode()
    for a in arts:
        page_html = article_page(a, site_name="平潭综合实验区", body_id="mainText")
        page_html = page_html.replace('<div id="mainText">', '<div class="article_content"><div class="TRS_Editor">', 1)
        page_html = page_html.replace("\n</div>\n</div>\n<div class=\"footer\">", "\n</div></div>\n</div>\n<div class=\"footer\">", 1)
        files[(HOST, path_of(a.url))] = page_html.encode()
    toml = site_toml(SLUG, HOST, "trs-dynamic", [("党工委会议", column)], body=".article_content .TRS_Editor")
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=arts,
                  evidence="www.pingtan.gov.cn column pages (../shared/corpus/pingtan)",
                  headers={HOST: {"/fjdzapp/*": "application/json;charset=UTF-8"}},
                  list_pages=[column] + [f"http://{HOST}/fjdzapp/search"] * (-(-RECORDS // PER) - STATIC))
