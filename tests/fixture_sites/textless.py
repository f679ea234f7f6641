"""Articles with no text of their own: a 图片新闻 whose body is one image, and a notice whose body is
only its attached PDF. Both are what the portal published and must be archived as rows; a page
with neither text nor attachment nor image stays a dropped capture (``EmptyBody``).

Structures copied from real pages: the image-only article from the saved Hongshan district page in
``../shared/corpus`` (``hongshan_1``: a ``<div class="TRS_Editor">`` holding a single ``<img>``,
labelled with an empty body), the attachment-only notice from TRS 信息公开 pages (an empty
``TRS_Editor`` and an ``附件：`` line with the PDF, as in the 部门预算 notices the unit test
``test_attachment_only_page_keeps_an_empty_body`` describes). Text and names are invented.

Not in :data:`tests.fixture_sites.MODULES`: :mod:`tests.integration.test_textless_articles` builds it alone.
"""

from __future__ import annotations

from tests.fixture_sites.common import Family, esc, site_toml

SLUG = "fixture-textless"
HOST = "textless.fixture.govnews.test"
FOLDER = "/xwzx/202405"

# (stem, title, date, what the body holds)
ARTICLES = [
    ("t20240520_301", "【图片新闻】某某区举办全民健身运动会", "2024-05-20 16:05",
     '<p style="text-align:center"><img src="./W020240520301.jpg" alt=""></p>'),
    ("t20240518_300", "某某区2024年部门预算公开", "2024-05-18 09:00",
     ""),
    ("t20240515_299", "某某区政府信息公开工作年度报告", "2024-05-15 10:30",
     "<p>\u3000\u3000</p>"),  # nothing at all: dropped
]
ATTACHMENT = {"t20240518_300": ("P020240518300.pdf", "某某区2024年部门预算.pdf")}
KEPT = ("t20240520_301", "t20240518_300")


def url(stem: str) -> str:
    return f"http://{HOST}{FOLDER}/{stem}.html"


def page(stem: str, title: str, when: str, body: str) -> str:
    fj = ""
    if stem in ATTACHMENT:
        href, name = ATTACHMENT[stem]
        fj = f'<div class="fj">附件：<a href="./{href}">{esc(name)}</a></div>\n'
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<meta name="ArticleTitle" content="{esc(title)}">\n'
            f'<meta name="PubDate" content="{when}">\n<meta name="ContentSource" content="区融媒体中心">\n'
            f'<title>{esc(title)}_北京市测试区人民政府</title>\n</head>\n<body>\n<div class="article">\n'
            f'<h1>{esc(title)}</h1>\n<div class="info">发布时间：{when}\u3000来源：区融媒体中心</div>\n'
            f'<div class="TRS_Editor">{body}</div>\n{fj}</div>\n'
            f'<div class="footer">主办：北京市测试区人民政府办公室</div>\n</body>\n</html>\n')


def build() -> Family:
    files = {}
    items = []
    for stem, title, when, body in ARTICLES:
        files[(HOST, url(stem).split(HOST + "/", 1)[1])] = page(stem, title, when, body).encode()
        items.append(f'<li><a href="{FOLDER}/{stem}.html" title="{esc(title)}">{esc(title)}</a><span>{when[:10]}</span></li>')
    files[(HOST, "xwzx/index.html")] = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>要闻</title>\n</head>\n<body>\n'
        f'<ul class="list">\n{chr(10).join(items)}\n</ul>\n</body>\n</html>\n').encode()
    toml = site_toml(SLUG, HOST, "generic", [("要闻", f"http://{HOST}/xwzx/index.html")],
                     list_table=r"article_pattern = '^/xwzx/\d{6}/t\d{8}_\d+\.html$'", body=".TRS_Editor")
    return Family(slug=SLUG, hosts=(HOST,), site_toml=toml, files=files, articles=[],
                  evidence="image-only 图片新闻 (hongshan_1), attachment-only 信息公开 notice (TRS)")
