"""Hanweb jpage lists, copied from yjglj.beijing.gov.cn/col/col4520/index.html as govcms crawls them.

Evidence [govcms]: the column page embeds a ``<script type="text/xml"><datastore>`` whose ``<nextgroup>``
link names webid, columnid, unitid and webname, the first records as ``<record><![CDATA[<li>…]]></record>``
and ``totalRecord``; later records come from POST ``/module/web/jpage/dataproxy.jsp?startrecord=1&
endrecord=45&perpage=15`` with form ``col=1&appid=1&webid=…&path=/&columnid=…&sourceContentType=1&
unitid=…&webname=…&permissiontype=0``; articles ``/art/YYYY/M/D/art_<col>_<id>.html``.
"""

from __future__ import annotations

from datetime import datetime

from crawler.demo.server import post_file
from tests.fixture_sites.common import Family, article_page, esc, make_articles, path_of, site_toml

SLUG = "fixture-jpage"
HOST = "jpage.fixture.govnews.test"
COL, WEBID, UNITID, WEBNAME = 4520, 25, 51763, "北京市应急管理局"
TOTAL, PER, GROUP = 50, 15, 45


def _record(a) -> str:
    return (f'<record><![CDATA[<li><a href="{a.url.replace(f"http://{HOST}", "")}" target="_blank" title="{esc(a.title)}">'
            f'{esc(a.title)}</a><span>{a.dt:%Y-%m-%d}</span></li>]]></record>')


def build() -> Family:
    def url(i, dt):
        return f"http://{HOST}/art/{dt.year}/{dt.month}/{dt.day}/art_{COL}_{690000 + i}.html"

    arts = make_articles(16, "事故调查结果公示", TOTAL, url, datetime(2026, 9, 20, 15, 0))
    nextgroup = (f'<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid={WEBID}&path=/'
                 f'&columnid={COL}&unitid={UNITID}&webname={WEBNAME}&permissiontype=0"></a>]]></nextgroup>')
    store = (f'<script type="text/xml"><datastore>{nextgroup}<recordset>'
             + "".join(_record(a) for a in arts[:PER]) + "</recordset></datastore></script>")
    js = (f"<script>$(document).ready(function(){{ $('#{UNITID}').jpage({{ dataStore: dataStore, "
          f"proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: {PER}, totalRecord: {TOTAL}, groupSize: 3 }}); }});</script>")
    page = (f"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>事故调查结果公示</title>\n</head>\n<body>\n"
            f"<div id=\"{UNITID}\">\n{store}\n</div>\n{js}\n</body>\n</html>\n")
    column = f"http://{HOST}/col/col{COL}/index.html"
    files = {(HOST, path_of(column)): page.encode()}
    list_pages = [column]
    form = {"col": "1", "appid": "1", "webid": str(WEBID), "path": "/", "columnid": str(COL), "sourceContentType": "1",
            "unitid": str(UNITID), "webname": WEBNAME, "permissiontype": "0"}
    for g in range(-(-TOTAL // GROUP)):
        query = f"startrecord={g * GROUP + 1}&endrecord={(g + 1) * GROUP}&perpage={PER}"
        xml = ('<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>' + str(TOTAL) + "</totalrecord><recordset>"
               + "".join(_record(a) for a in arts[g * GROUP:(g + 1) * GROUP]) + "</recordset></datastore>")
        files[(HOST, post_file("module/web/jpage/dataproxy.jsp", query, form))] = xml.encode()
        list_pages.append(f"http://{HOST}/module/web/jpage/dataproxy.jsp?{query}")
    for a in arts:
        files[(HOST, path_of(a.url))] = article_page(a, site_name=WEBNAME, body_id="zoom").encode()
    toml = site_toml(SLUG, HOST, "hanweb-jpage", [("事故调查结果公示", column)], body="#zoom")
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=arts,
                  evidence="yjglj.beijing.gov.cn Hanweb jpage [govcms]",
                  headers={HOST: {"/module/*": "text/xml; charset=utf-8"}}, list_pages=list_pages)
