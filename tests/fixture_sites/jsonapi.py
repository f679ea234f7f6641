"""A JSON list API, copied from Haidian's policy library (www.bjhd.gov.cn/sjkf-api/haidian/data/catalog/search).

Evidence [RSSHub-bjhd]: ``GET …/catalog/search?channelId=76770,83277&pageNum=1&pageSize=N`` answers
``{"rows": [{"title", "docPubUrl", "pubDate", …}]}``; the articles live on another host of the portal
(``zyk.bjhd.gov.cn``), body ``#mainText``. Paging by ``pageNum``; the last page answers no rows.
"""

from __future__ import annotations

import json
from datetime import datetime

from tests.fixture_sites.common import Family, article_page, make_articles, path_of, site_toml

SLUG = "fixture-jsonapi"
API_HOST = "www.jsonapi.fixture.govnews.test"
HOST = "zyk.jsonapi.fixture.govnews.test"
PER = 20
API = f"http://{API_HOST}/sjkf-api/haidian/data/catalog/search?channelId=76770,83277&pageNum={{n}}&pageSize={PER}"


def build() -> Family:
    def url(i, dt):
        return f"http://{HOST}/zwdt/zcwj/{dt:%Y%m}/t{dt:%Y%m%d}_{6100000 + i}.shtml"

    arts = make_articles(12, "政策文件", 45, url, datetime(2026, 9, 1, 10, 0))
    files = {}
    pages = -(-len(arts) // PER)
    list_pages = []
    for n in range(1, pages + 2):  # one more page: no rows
        chunk = arts[(n - 1) * PER:n * PER]
        rows = [{"title": a.title, "docPubUrl": a.url, "pubDate": f"{a.dt:%Y-%m-%d %H:%M:%S}", "youxiaoxing": "1",
                 "organCodeName": "海政发", "yearOfPublish": str(a.dt.year), "serialNumberOfPublish": str(i + 1)}
                for i, a in enumerate(chunk)]
        body = json.dumps({"total": len(arts), "rows": rows, "code": 200, "msg": "查询成功"}, ensure_ascii=False)
        files[(API_HOST, path_of(API.format(n=n)))] = body.encode()
        list_pages.append(API.format(n=n))
    for a in arts:
        files[(HOST, path_of(a.url))] = article_page(a, site_name="北京市海淀区人民政府").encode()
    page_url = f"search?channelId=76770,83277&pageNum={{n}}&pageSize={PER}"
    toml = site_toml(SLUG, API_HOST, "json-api", [("政策文件", API.format(n=1))], hosts=(API_HOST, HOST),
                     list_table=f"page_url = '{page_url}'\narticle_pattern = '^/zwdt/zcwj/\\d{{6}}/t20\\d{{6}}_\\d+\\.shtml$'")
    return Family(slug=SLUG, hosts=(API_HOST, HOST), site_toml=toml, files=files, articles=arts,
                  evidence="Haidian catalog/search API [RSSHub-bjhd]",
                  headers={API_HOST: {"/sjkf-api/*": "application/json;charset=UTF-8"}}, list_pages=list_pages)
