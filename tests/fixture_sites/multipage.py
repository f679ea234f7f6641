"""Multi-page articles (issue 13 §5): a TRS article split into pages under one pager.

Structure copied from TRS article templates (the pager the TRS ``createPageHTML(<pages>, <current>,
"<stem>", "html")`` script writes, ``../shared/evidence/beijing-districts.md``, applied to an article):
the first page ``t<YYYYMMDD>_<id>.html``, the later ones ``t<YYYYMMDD>_<id>_<n>.html`` in the same
folder, and under the ``TRS_Editor`` body a ``[1] [2] [3] 下一页`` block linking them. The saved real
corpus holds no multi-page article (its 下一页 hits are list pagers and prev/next-article scripts),
so the text is invented, page by page, so that the order of the joined body can be checked.

Not in :data:`tests.fixture_sites.MODULES`: :mod:`tests.integration.test_multipage` builds it alone.
Its second multi-page article's last page answers 500 (``_status.json``).
"""

from __future__ import annotations

from tests.fixture_sites.common import Family, esc, site_toml

SLUG = "fixture-multipage"
HOST = "multipage.fixture.govnews.test"
FOLDER = "/xwzx/202401"

# (first page's stem, title, date, pages: each a list of paragraphs)
ARTICLES = [
    ("t20240105_123", "某某区2024年政府工作报告", "2024-01-05 09:30", [
        ["各位代表：现在，我代表区人民政府，向大会报告工作，请予审议。", "过去一年，全区经济运行稳中向好。"],
        ["第二部分：今年的主要任务是稳增长、促改革、惠民生。", "全年地区生产总值预期增长百分之五左右。"],
        ["第三部分：加强政府自身建设，坚持依法行政。", "让我们团结一心，为建设美好家园而努力奋斗！"],
    ]),
    ("t20240104_122", "某某区国民经济和社会发展统计公报", "2024-01-04 10:00", [
        ["一、综合：全年全区实现地区生产总值五百亿元，比上年增长百分之五点二。"],
        ["二、农业：全年粮食播种面积十万亩，粮食总产量四万吨。"],
        ["三、工业和建筑业：全年规模以上工业增加值增长百分之六。"],
    ]),
    ("t20240103_121", "某某街道开展冬季消防安全检查", "2024-01-03 15:20", [
        ["1月3日，某某街道组织开展冬季消防安全检查，覆盖辖区重点单位四十余家。"],
    ]),
]
FAILING = f"{FOLDER}/t20240104_122_2.html"  # answers 500


def url(stem: str, n: int = 0) -> str:
    return f"http://{HOST}{FOLDER}/{stem}{'' if n == 0 else f'_{n}'}.html"


def _pager(stem: str, current: int, count: int) -> str:
    if count < 2:
        return ""
    links = []
    for n in range(count):
        name = f"{stem}{'' if n == 0 else f'_{n}'}.html"
        links.append(f"<span>[{n + 1}]</span>" if n == current else f'<a href="./{name}">[{n + 1}]</a>')
    if current + 1 < count:
        links.append(f'<a href="./{stem}_{current + 1}.html">下一页</a>')
    return f'<div class="page">{" ".join(links)} <a href="/xwzx/index.html">[返回]</a></div>\n'


def page(stem: str, title: str, when: str, paragraphs: list[str], current: int, count: int) -> str:
    body = "\n".join(f"<p>\u3000\u3000{esc(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<meta name="ArticleTitle" content="{esc(title)}">\n'
            f'<meta name="PubDate" content="{when}">\n<meta name="ContentSource" content="区政府办公室">\n'
            f'<title>{esc(title)}_北京市测试区人民政府</title>\n</head>\n<body>\n'
            f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; 要闻</div>\n<div class="article">\n'
            f'<h1>{esc(title)}</h1>\n<div class="info">发布时间：{when}\u3000来源：区政府办公室</div>\n'
            f'<div class="TRS_Editor">\n{body}\n</div>\n{_pager(stem, current, count)}</div>\n'
            f'<div class="footer">主办：北京市测试区人民政府办公室</div>\n</body>\n</html>\n')


def expected_body(pages: list[list[str]], skip: int | None = None) -> str:
    return "\n".join(p for n, paras in enumerate(pages) if n != skip for p in paras)


def build() -> Family:
    files = {}
    items = []
    for stem, title, when, pages in ARTICLES:
        for n, paras in enumerate(pages):
            files[(HOST, url(stem, n).split(HOST + "/", 1)[1])] = page(stem, title, when, paras, n, len(pages)).encode()
        items.append(f'<li><a href="{FOLDER}/{stem}.html" title="{esc(title)}">{esc(title)}</a><span>{when[:10]}</span></li>')
    files[(HOST, "xwzx/index.html")] = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>要闻</title>\n</head>\n<body>\n'
        f'<ul class="list">\n{chr(10).join(items)}\n</ul>\n</body>\n</html>\n').encode()
    files[(HOST, "_status.json")] = ('{"%s": 500}' % FAILING).encode()
    toml = site_toml(SLUG, HOST, "generic", [("要闻", f"http://{HOST}/xwzx/index.html")],
                     list_table=r"article_pattern = '^/xwzx/\d{6}/t\d{8}_\d+\.html$'", body=".TRS_Editor")
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=[],
                  evidence="TRS multi-page article: t<date>_<id>_<n>.html pages, [1] [2] [3] 下一页 pager")
