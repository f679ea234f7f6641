"""Home pages for the fixture families (tests/fixture_sites builds list and article pages only).

Each home reproduces the head of a real district portal's home page as the demo Haidian home
copies it (``crawler/demo/www/haidian.demo.govnews.test/index.html``: a ``ul.nav`` bar of column
links between 首页 and the 政务服务 / 互动交流 entries, the SiteName / SiteIDCode meta tags of
Shijingshan's template [evidence page], a footer with the 网站标识码). Family specifics:

* fixture-shell: ``/`` is a JS-redirect shell to ``/index.shtml``, as Shijingshan's home page is
  (www.bjsjs.gov.cn, "the home page is a JS-redirect shell" [evidence page]);
* fixture-jsonapi: the 政策文件 link leads to a policy-library page whose script calls the
  catalog/search API (Haidian's policy library reads its rows from that API [RSSHub-bjhd]);
* fixture-gbk: the home page is GBK with no charset anywhere, as the rest of that site.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from tests.fixture_sites.common import esc, path_of
from tests.fixture_sites.shell import js_shell

# family slug -> (site name, 10-digit 网站标识码)
IDENTITY = {
    "fixture-docwrite": ("北京市海淀区人民政府", "1101080001"), "fixture-jsonapi": ("北京市海淀区人民政府", "1101080001"),
    "fixture-trsdynamic": ("平潭综合实验区管委会", "3501280001"), "fixture-eportal": ("北京市大兴区人民政府", "1101150001"),
    "fixture-hanwebnext": ("北京市审计局", "1100000021"), "fixture-jpage": ("北京市应急管理局", "1100000046"),
    "fixture-undated": ("北京市测试区人民政府", "1101990001"), "fixture-gbk": ("北京市朝阳区人民政府", "1101050001"),
    "fixture-robots": ("北京市顺义区人民政府", "1101130001"), "fixture-stubs": ("北京市东城区人民政府", "1101010001"),
    "fixture-shell": ("北京市石景山区人民政府", "1101070001"),
}
POLICY_PAGE = "/zwgk/zcwj/index.html"


def home_page(name: str, code: str, nav: list[tuple[str, str]], charset_meta: bool = True) -> str:
    items = "".join(f'<li><a href="{esc(u)}">{esc(n)}</a></li>' for n, u in nav)
    head = '<meta charset="utf-8">\n' if charset_meta else ""
    return (f"<!DOCTYPE html>\n<html>\n<head>\n{head}<meta name=\"SiteName\" content=\"{esc(name)}\">\n"
            f"<meta name=\"SiteIDCode\" content=\"{code}\">\n<title>{esc(name)}</title>\n</head>\n<body>\n"
            f"<div class=\"header\"><ul class=\"nav\"><li><a href=\"/\">首页</a></li>{items}"
            "<li><a href=\"/zwfw/\">政务服务</a></li><li><a href=\"/hdjl/\">互动交流</a></li></ul></div>\n"
            f"<div class=\"footer\">主办：{esc(name)}办公室 网站标识码：{code}</div>\n</body>\n</html>\n")


def policy_page(api_url: str) -> str:
    return ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>政策文件</title>\n</head>\n<body>\n"
            "<div id=\"app\"><ul class=\"list\"></ul></div>\n<script>\n"
            f"$.ajax({{url: \"{api_url}\", type: \"GET\", success: function (res) {{ render(res.rows); }}}});\n"
            "</script>\n</body>\n</html>\n")


def add_homes(root: Path, slugs) -> dict[str, str]:
    """Write a home page for each family in ``root/www``; returns slug -> the URL to discover from."""
    starts = {}
    for slug in slugs:
        site = tomllib.loads((root / "sites" / f"{slug}.toml").read_text(encoding="utf-8"))
        home = site["homepage"]
        host = urlsplit(home).hostname
        name, code = IDENTITY[slug]
        nav = []
        for col in site["columns"]:
            url = col["url"]
            if slug == "fixture-jsonapi":  # the API sits behind a page that calls it
                (root / "www" / host / POLICY_PAGE.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
                (root / "www" / host / POLICY_PAGE.lstrip("/")).write_text(policy_page(url), encoding="utf-8")
                url = POLICY_PAGE
            nav.append((col["name"], url))
        text = home_page(name, code, nav, charset_meta=slug != "fixture-gbk")
        data = text.encode("gbk" if slug == "fixture-gbk" else "utf-8")
        if slug == "fixture-shell":
            (root / "www" / host / "index.shtml").write_bytes(data)
            data = js_shell("/index.shtml")
        (root / "www" / host / path_of(home)).write_bytes(data)
        starts[slug] = home
    return starts
