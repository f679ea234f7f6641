"""``demo-yanqing``: a Hanweb district portal (see crawler/demo/build.py for what it holds)."""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path

from crawler.demo.families.common import (Article, _attr, _compose, _dates, _esc, _expected, _int, _pick, _short,
                                         _unique_title, _write_files)
from crawler.demo.families.text import DEPTS, EDITORS, REPORTERS, WRITERS, YQ_TOPICS, YQ_TOWNS

YANQING_HOST = "yanqing.demo.govnews.test"
HANWEB_PER_PAGE = 12

# --------------------------------------------------------------------------- Yanqing (Hanweb)

YQ_COLUMNS = [
    ("1001", "延庆要闻", 30, ["延庆区融媒体中心", "北京日报", "延庆区政府办", "延庆区融媒体中心"]),
    ("1002", "乡镇动态", 27, None),  # source = the town
]
YQ_FIRST_ID = 4870


def yanqing_articles() -> list[Article]:
    arts: list[Article] = []
    seen_titles: set[str] = set()
    for col, name, count, sources in YQ_COLUMNS:
        rng = random.Random(f"demo-yanqing/{col}")
        dts = _dates(rng, count, date(2020, 3, 3), date(2020, 12, 25))
        for idx, dt in enumerate(dts):
            town = _pick(rng, YQ_TOWNS)
            dept = _pick(rng, DEPTS)
            ctx = {"place": town if col == "1002" or idx % 2 else "延庆区", "dept": dept, "m": dt.month, "d": dt.day}
            topic = YQ_TOPICS[(idx * 3 + int(col)) % len(YQ_TOPICS)]
            lead = f"{dt.month}月{dt.day}日，{ctx['place']}" + _pick(
                rng, ["召开专题会议，研究部署相关工作。", "组织开展集中行动。", "召开工作调度会。",
                      "深入一线开展调研。", "举办专题培训会。"])
            n_paras = 1 if idx % 9 == 4 else _int(rng, 1, 8)
            title, paras = _compose(rng, topic, ctx, n_paras, lead)
            title = _unique_title(seen_titles, title, dt, town)
            old = dt < datetime(2020, 7, 1)
            a = Article(site="demo-yanqing", host=YANQING_HOST, column=name, col_key=col, title=title, dt=dt,
                        has_time=not old, source=(sources[idx % len(sources)] if sources else f"{town}"),
                        paragraphs=paras)
            if not old:
                pass
            else:
                a.dt = datetime(dt.year, dt.month, dt.day)
            a.date_style = idx % 3
            role = idx % 5
            if role == 1:
                rep = REPORTERS[(idx + 2) % len(REPORTERS)]
                a.paragraphs[-1] += f"（记者 {rep}）"
                a.authors = [rep]
            elif role == 3:
                a.author_in_info = WRITERS[(idx + 1) % len(WRITERS)]
                a.authors = [a.author_in_info]
            if idx % 4 == 2:
                a.editor = EDITORS[(idx + 3) % len(EDITORS)]
            arts.append(a)
    arts.sort(key=lambda a: (a.dt, a.col_key))
    rng = random.Random("demo-yanqing/ids")
    cur = YQ_FIRST_ID
    for a in arts:
        cur += _int(rng, 2, 25)
        a.id = cur
        a.path = f"art/{a.dt.year}/{a.dt.month}/{a.dt.day}/art_{a.col_key}_{a.id}.html"
        a.url = f"http://{YANQING_HOST}/{a.path}"
        a.body_html = "\n".join(f"<p style=\"text-indent: 2em;\">{_esc(p)}</p>" for p in a.paragraphs)
    return arts


YQ_NAV = [("首页", "/"), ("走进延庆", "/col/col1000/index.html"), ("延庆要闻", "/col/col1001/index.html"),
          ("乡镇动态", "/col/col1002/index.html"), ("政务公开", "/col/col2001/index.html"), ("政务服务", "/col/col3001/index.html")]
YQ_FOOTER = ("主办：北京市延庆区人民政府办公室　承办：延庆区融媒体中心<br>"
             "京ICP备10034432号　京公网安备 11022902000125号　网站标识码：1101190001")


def _yq_page(title: str, body: str) -> str:
    nav = "".join(f'<td><a href="{h}">{n}</a></td>' for n, h in YQ_NAV)
    return ("<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
            f"<title>{_esc(title)}</title>\n<script type=\"text/javascript\" src=\"/script/jquery.js\"></script>\n</head>\n"
            "<body leftmargin=\"0\" topmargin=\"0\">\n"
            "<table width=\"1000\" border=\"0\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\">\n"
            "<tr><td><img src=\"/images/banner.jpg\" width=\"1000\" height=\"120\"></td></tr>\n"
            f"<tr><td><table class=\"nav\" width=\"100%\"><tr>{nav}</tr></table></td></tr>\n</table>\n"
            f"{body}"
            "<table width=\"1000\" border=\"0\" align=\"center\" class=\"footer\"><tr><td align=\"center\">"
            f"{YQ_FOOTER}</td></tr></table>\n</body>\n</html>\n")


def yanqing_article_page(a: Article) -> str:
    d = a.dt
    cn = f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if a.has_time:
        date_line = (f"发布日期：{cn} {d:%H:%M}" if a.date_style != 1 else f"时间：{d:%Y-%m-%d %H:%M}")
    else:
        date_line = [f"发布日期：{cn}", f"时间：{d:%Y-%m-%d}", f"[{d:%Y-%m-%d}]"][a.date_style]
    info = f"{date_line}\u3000信息来源：{_esc(a.source)}"
    if a.author_in_info:
        info += f"\u3000作者：{a.author_in_info}"
    info += f"\u3000浏览次数：<span id=\"a_hits\"><script src=\"/module/visitcount/articlehits.jsp?colid={a.col_key}&amp;artid={a.id}\"></script></span>"
    editor = f'<tr><td class="editor" align="right">责任编辑：{a.editor}</td></tr>\n' if a.editor else ""
    body = (
        "<table width=\"1000\" border=\"0\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\" class=\"main\">\n"
        f"<tr><td class=\"crumb\">您当前的位置：<a href=\"/\">首页</a> &gt; <a href=\"/col/col{a.col_key}/index.html\">{a.column}</a></td></tr>\n"
        "<tr><td>\n<table width=\"96%\" border=\"0\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\">\n"
        f"<tr><td align=\"center\" class=\"title\" height=\"60\">{_esc(a.title)}</td></tr>\n"
        f"<tr><td align=\"center\" class=\"info\" height=\"30\">{info}</td></tr>\n"
        f"<tr><td class=\"bt_content\">\n<div id=\"zoom\">\n{a.body_html}\n</div>\n</td></tr>\n"
        f"{editor}"
        "<tr><td align=\"right\" class=\"tools\">【字体：<a href=\"javascript:doZoom(16)\">大</a> "
        "<a href=\"javascript:doZoom(14)\">中</a> <a href=\"javascript:doZoom(12)\">小</a>】"
        "【<a href=\"javascript:window.print()\">打印</a>】【<a href=\"javascript:window.close()\">关闭</a>】</td></tr>\n"
        "</table>\n</td></tr>\n</table>\n"
    )
    return _yq_page(f"{a.title}_北京市延庆区人民政府", body)


def yanqing_list_page(col: str, name: str, items: list[Article], page: int, pages: int, total: int,
                      pinned: list[Article]) -> str:
    def record(a: Article, top: bool) -> str:
        cls = ' class="top"' if top else ""
        zd = '<span class="zd">[置顶]</span>' if top else ""
        return (f"<record><![CDATA[<li{cls}>{zd}<a href=\"/{a.path}\" target=\"_blank\" title=\"{_attr(a.title)}\">"
                f"{_esc(_short(a.title, 26))}</a><span>{a.dt:%Y-%m-%d}</span></li>]]></record>\n")

    records = "".join(record(a, True) for a in pinned) + "".join(record(a, False) for a in items)
    datastore = (
        "<script type=\"text/xml\"><datastore>\n"
        f"<nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid={col}"
        "&unitid=5001&webname=北京市延庆区人民政府&permissiontype=0\"></a>]]></nextgroup>\n"
        f"<recordset>\n{records}</recordset>\n"
        f"<totalrecord>{total}</totalrecord>\n<totalpage>{pages}</totalpage>\n</datastore></script>\n"
    )
    pager = []
    for p in range(1, pages + 1):
        href = "index.html" if p == 1 else f"index.html?uid=0&amp;pageNum={p}"
        pager.append(f"<a href=\"{href}\">{p}</a>" if p != page else f"<span>{p}</span>")
    body = (
        "<table width=\"1000\" border=\"0\" align=\"center\" class=\"main\"><tr>\n"
        "<td width=\"220\" valign=\"top\" class=\"left\"><ul>"
        + "".join(f'<li><a href="/col/col{c}/index.html">{n}</a></li>' for c, n, _, _ in YQ_COLUMNS)
        + "</ul></td>\n<td valign=\"top\">\n"
        f"<div class=\"crumb\">您当前的位置：<a href=\"/\">首页</a> &gt; {name}</div>\n"
        f"<div id=\"{5000 + int(col)}\" class=\"list\">\n{datastore}</div>\n"
        f"<div class=\"pager\">共{total}条 {pages}页 {' '.join(pager)}</div>\n"
        "</td></tr></table>\n"
    )
    return _yq_page(f"{name}_北京市延庆区人民政府", body)


def build_yanqing(out: Path) -> dict:
    arts = yanqing_articles()
    files: dict[str, bytes] = {}
    list_pages: list[str] = []
    for col, name, _, _ in YQ_COLUMNS:
        items = sorted((a for a in arts if a.col_key == col), key=lambda a: a.dt, reverse=True)
        pages = -(-len(items) // HANWEB_PER_PAGE)
        pinned = [items[HANWEB_PER_PAGE + 3]] if col == "1001" else []
        for a in pinned:
            a.pinned = True
        for p in range(1, pages + 1):
            chunk = items[(p - 1) * HANWEB_PER_PAGE:p * HANWEB_PER_PAGE]
            text = yanqing_list_page(col, name, chunk, p, pages, len(items), pinned if p == 1 else [])
            if p == 1:
                fname, url = f"col/col{col}/index.html", f"http://{YANQING_HOST}/col/col{col}/index.html"
            else:
                fname = f"col/col{col}/index.html@uid=0&pageNum={p}"
                url = f"http://{YANQING_HOST}/col/col{col}/index.html?uid=0&pageNum={p}"
            files[fname] = text.encode("utf-8")
            list_pages.append(url)
        for a in items:
            files[a.path] = yanqing_article_page(a).encode("utf-8")
    home_lists = []
    for col, name, _, _ in YQ_COLUMNS:
        items = sorted((a for a in arts if a.col_key == col), key=lambda a: a.dt, reverse=True)[:7]
        lis = "".join(f'<li><a href="/{a.path}" title="{_attr(a.title)}">{_esc(_short(a.title, 20))}</a></li>' for a in items)
        home_lists.append(f'<td valign="top"><h3><a href="/col/col{col}/index.html">{name}</a></h3><ul>{lis}</ul></td>')
    files["index.html"] = _yq_page("北京市延庆区人民政府", "<table width=\"1000\" align=\"center\"><tr>"
                                   + "".join(home_lists) + "</tr></table>\n").encode("utf-8")
    files["robots.txt"] = b"User-agent: *\nDisallow: /search/\nDisallow: /module/\n"
    _write_files(out / YANQING_HOST, files)
    return _expected("demo-yanqing", YANQING_HOST, arts, list_pages, [c[1] for c in YQ_COLUMNS])


