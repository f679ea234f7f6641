"""A GBK site over plain http with no charset anywhere but the bytes, copied from Chaoyang (www.bjchy.gov.cn).

Evidence [GCDS]: Chaoyang serves http only and its pages are GBK/GB2312; several portals send no charset
header. Here neither the header (``text/html``), nor a meta tag, nor an XML declaration names the charset.
Articles ``/dynamic/zwhd/<32 hex>.html`` (no date in the URL).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from tests.fixture_sites.common import Family, article_page, li, list_page, make_articles, path_of, site_toml

SLUG = "fixture-gbk"
HOST = "chaoyang.fixture.govnews.test"


def build() -> Family:
    def url(i, dt):
        return f"http://{HOST}/dynamic/zwhd/{hashlib.md5(f'chy{i}'.encode()).hexdigest()}.html"

    arts = make_articles(17, "政务活动", 9, url, datetime(2026, 8, 12, 14, 20))
    for a in arts:  # characters a GB2312-only (or latin-1) decode gets wrong
        a.paragraphs[1] += "朝阳区镕堃喆祎社区参加。"
    column = f"http://{HOST}/dynamic/zwhd/"
    items = "\n".join(li(a, a.url.replace(f"http://{HOST}", "")) for a in arts)
    files = {(HOST, path_of(column)): list_page("政务活动", items, meta_charset=False).encode("gbk")}
    for a in arts:
        files[(HOST, path_of(a.url))] = article_page(a, site_name="北京市朝阳区人民政府", meta_charset=False).encode("gbk")
    toml = site_toml(SLUG, HOST, "generic", [("政务活动", column)],
                     list_table="article_pattern = '^/dynamic/zwhd/[0-9a-f]{32}\\.html$'")
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=arts,
                  evidence="Chaoyang www.bjchy.gov.cn (http, GBK) [GCDS]",
                  headers={HOST: {"*": "text/html"}}, list_pages=[column], expect={"encoding": "gb18030"})
