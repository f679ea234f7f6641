"""robots.txt ``Disallow: /``, copied from Shunyi (www.bjshy.gov.cn) [GCDS]: a polite crawler fetches
robots.txt and nothing else."""

from __future__ import annotations

from datetime import datetime

from tests.fixture_sites.common import Family, article_page, li, list_page, make_articles, path_of, site_toml

SLUG = "fixture-robots"
HOST = "shunyi.fixture.govnews.test"


def build() -> Family:
    def url(i, dt):
        return f"http://{HOST}/web/zwgk/tzgg/{410000 + i}/index.html"

    arts = make_articles(18, "通知公告", 4, url, datetime(2026, 8, 1, 9, 0))
    column = f"http://{HOST}/web/zwgk/index.html"
    files = {(HOST, "robots.txt"): b"User-agent: *\nDisallow: /\n",
             (HOST, path_of(column)): list_page("通知公告", "\n".join(li(a, a.url) for a in arts)).encode()}
    for a in arts:
        files[(HOST, path_of(a.url))] = article_page(a, site_name="北京市顺义区人民政府").encode()
    toml = site_toml(SLUG, HOST, "generic", [("通知公告", column)],
                     list_table="article_pattern = '^/web/.+/\\d{6}/index\\.html$'")
    toml = toml.replace("verified = true", "verified = false")  # as beijing-shunyi: crawl warns
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=[],
                  evidence="Shunyi robots.txt Disallow: / [GCDS]", list_pages=[],
                  expect={"fetched": {"/robots.txt"}})
