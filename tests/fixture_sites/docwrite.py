"""document.write lists, copied from Haidian's 要闻动态 (www.bjhd.gov.cn/ywdt/).

Evidence [RSSHub-bjhd]: the list HTML is ``document.write('<a href="https://www.bjhd.gov.cn/…/t2026…_N.shtml" …>title</a>')``
lines with absolute links and no date beside them; the ``/ywdt/jdt/`` carousel repeats items and is skipped;
articles have the body in ``#mainText`` and meta ``PubDate``/``ContentSource``; requests send a Referer
(here the server answers 403 without one).
"""

from __future__ import annotations

from datetime import datetime

from tests.fixture_sites.common import Family, article_page, esc, make_articles, path_of, site_toml

SLUG = "fixture-docwrite"
HOST = "docwrite.fixture.govnews.test"
REFERER = f"http://{HOST}/"
PATTERN = r"^/ywdt/(?!jdt/)[a-z]+/\d{6}/t20\d{6}_\d+\.shtml$"


def build() -> Family:
    def url(i, dt):
        return f"http://{HOST}/ywdt/gzdt/{dt:%Y%m}/t{dt:%Y%m%d}_{5012000 + i}.shtml"

    arts = make_articles(11, "要闻动态", 12, url, datetime(2026, 8, 18, 9, 30))
    lines = []
    for a in arts[:3]:  # the carousel: the same stories under /ywdt/jdt/ (not articles of the list)
        jdt = a.url.replace("/ywdt/gzdt/", "/ywdt/jdt/")
        lines.append(f"document.write('<a href=\"{jdt}\" target=\"_blank\"><img src=\"/images/jdt.jpg\">{esc(a.title)}</a>')")
    for a in arts:
        lines.append(f"document.write('<a href=\"{a.url}\" target=\"_blank\" title=\"{esc(a.title)}\">"
                     f"<i></i>{esc(a.title)}</a>')")
    page = ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"ColumnName\" content=\"要闻动态\">\n"
            "<title>要闻动态</title>\n</head>\n<body>\n<div class=\"list\">\n<script>\n" + "\n".join(lines)
            + "\n</script>\n</div>\n</body>\n</html>\n")
    column = f"http://{HOST}/ywdt/"
    files = {(HOST, path_of(column)): page.encode()}
    for a in arts:
        files[(HOST, path_of(a.url))] = article_page(a, site_name="北京市海淀区人民政府").encode()
    toml = site_toml(SLUG, HOST, "docwrite", [("要闻动态", column)],
                     extra=f'[headers]\nReferer = "{REFERER}"\n', list_table=f"article_pattern = '{PATTERN}'")
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=arts,
                  evidence="Haidian www.bjhd.gov.cn/ywdt/ [RSSHub-bjhd]",
                  require={HOST: {"/ywdt/*": {"Referer": REFERER}}}, list_pages=[column])
