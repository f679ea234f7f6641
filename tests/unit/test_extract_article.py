"""extract_article on small real-shaped pages (tests/unit/data/extract/)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pipelines.extract import EXTRACTOR_VERSION, ListHints, SiteHints, extract_article
from pipelines.extract.headline import column_from_breadcrumb, strip_title_suffix
from pipelines.extract.dates import SHANGHAI
from warehouse.identity import content_sha256

DATA = Path(__file__).parent / "data" / "extract"
FETCHED = datetime(2020, 7, 9, 10, 30, tzinfo=SHANGHAI)
KEYS = {"title", "subtitle", "published_at", "date_source", "source", "authors", "editor", "column",
        "admin_code", "body_text", "attachments", "images", "meta", "content_sha256", "extractor_version",
        "photographers", "body_from", "index_no", "doc_number", "issuer", "written_at", "page_urls"}
BOILERPLATE = ("打印本页", "关闭窗口", "字体", "分享到", "扫一扫", "上一篇", "下一篇", "相关链接",
               "责任编辑", "ICP备", "公网安备", "主办：", "附件：", "会议纪要.pdf")


def _load(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_row() -> dict:
    return extract_article(_load("trs_seed.html"), "https://www.bjhd.gov.cn/xwzx/qzyw/202007/t20200706_4420170.html",
                           SiteHints(slug="haidian", site_names=("北京市海淀区人民政府",)), fetched_at=FETCHED)


def test_seed_page(seed_row):
    row = seed_row
    assert set(row) == KEYS
    assert row["title"] == "区新冠肺炎疫情防控工作领导小组召开第九十七次会议"
    assert row["subtitle"] is None
    assert row["body_text"].startswith("7月5日晚，区新冠肺炎疫情防控工作领导小组召开第九十七次会议")
    assert row["body_text"].endswith("各项目标任务。（记者唐炜）")
    assert row["body_text"].count("\n") == 6  # seven paragraphs, the &nbsp; spacers dropped
    assert row["authors"] == ["唐炜"]
    assert row["published_at"] == datetime(2020, 7, 6, 8, 57, tzinfo=SHANGHAI)
    assert row["date_source"] == "byline"
    assert row["source"] == "北京日报"
    assert row["editor"] is None
    assert row["column"] == "区政要闻"
    assert row["admin_code"] == "110108"
    assert row["meta"] == {"SiteName": "北京市海淀区人民政府", "SiteIDCode": "1101080001",
                           "ColumnName": "区政要闻", "Keywords": "疫情防控"}
    assert row["attachments"] == [{"url": "https://www.bjhd.gov.cn/xwzx/qzyw/202007/P020200706.pdf",
                                   "name": "会议纪要.pdf"}]
    assert row["images"] == []
    assert row["content_sha256"] == content_sha256(row["body_text"])
    assert row["extractor_version"] == EXTRACTOR_VERSION


def test_seed_page_has_no_boilerplate(seed_row):
    for line in seed_row["body_text"].split("\n"):
        assert line == line.strip(" \u3000\u00a0")
        assert line
        for word in BOILERPLATE:
            assert word not in line, (word, line)


def test_hanweb_page():
    row = extract_article(_load("hanweb_zoom.html"), "http://www.bjyq.gov.cn/art/2020/7/6/art_1_2.html",
                          SiteHints(admin_code="110119"), fetched_at=FETCHED)
    assert row["title"] == "延庆区召开生态文明建设推进会"
    assert row["subtitle"] == "聚焦冬奥会和世园会"
    assert (row["published_at"], row["date_source"]) == (datetime(2020, 7, 6, tzinfo=SHANGHAI), "byline")
    assert row["source"] == "延庆区融媒体中心"
    assert row["column"] == "延庆要闻"
    assert row["admin_code"] == "110119"
    assert row["meta"] == {}
    assert row["body_text"] == ("7月6日，延庆区召开生态文明建设推进会。\n会议要求，各部门要抓好落实。\n"
                                "项目\t数量\n植树\t1200 棵\n（通讯员 张三 李四）")
    assert row["authors"] == ["张三", "李四"]
    assert row["images"] == ["http://www.bjyq.gov.cn/picture/0/2007061.jpg"]
    assert row["attachments"] == [
        {"url": "http://www.bjyq.gov.cn/module/download/downfile.jsp?filename=a.doc", "name": "a.doc"},
        {"url": "http://www.bjyq.gov.cn/attach/0/计划表.xlsx", "name": "计划表.xlsx"},
        {"url": "http://www.bjyq.gov.cn/attach/0/20200706_1.pdf", "name": "20200706_1.pdf"},
    ]


def test_page_without_known_container():  # the prose block is guessed (body.guess_container)
    row = extract_article(_load("no_container.html"), "http://www.bjft.gov.cn/ftq/c100/abc.shtml",
                          SiteHints(), list_hints=ListHints(column="工作动态"), fetched_at=FETCHED)
    assert row["title"] == "丰台区举办垃圾分类宣传活动"
    assert (row["published_at"], row["date_source"]) == (datetime(2020, 7, 6, tzinfo=SHANGHAI), "text")
    lines = row["body_text"].split("\n")
    assert len(lines) == 3
    assert lines[0].startswith("7月4日上午，丰台区在花乡街道")
    assert lines[-1].endswith("良好氛围。文/王小明")
    assert row["authors"] == ["王小明"]
    assert row["column"] == "工作动态"
    assert "ICP" not in row["body_text"] and "首页" not in row["body_text"]


def test_site_body_selector_wins():
    html = ("<html><body><div class='TRS_Editor'><p>模板里的空编辑器说明文字。</p></div>"
            "<div id='artibody'><p>真正的正文。</p></div></body></html>")
    row = extract_article(html, "http://a.gov.cn/a.html", SiteHints(body_selectors=("#artibody",)))
    assert row["body_text"] == "真正的正文。"


def test_meta_tags_first():
    html = """<html><head>
    <meta name="ArticleTitle" content="元数据标题">
    <meta name="PubDate" content="2020-07-06 08:57">
    <meta name="ContentSource" content="区融媒体中心">
    <meta name="ColumnName" content="通知公告">
    <meta name="SiteIDCode" content="BJ1101050001">
    <meta name="Author" content="张三 李四">
    <meta name="Description" content="摘要">
    <meta name="Url" content="http://a.gov.cn/a.html">
    <meta property="og:title" content="OG 标题">
    <meta name="viewport" content="width=device-width">
    <title>页面标题_某区</title></head>
    <body><h1>页面标题</h1><p>发布时间：2020-07-06　来源：</p>
    <div class="TRS_Editor"><p>正文。</p></div></body></html>"""
    row = extract_article(html, "http://a.gov.cn/a.html", SiteHints(), fetched_at=FETCHED)
    assert row["title"] == "元数据标题"  # meta title first; dates and sources: the visible ones (below)
    assert (row["published_at"], row["date_source"]) == (datetime(2020, 7, 6, 8, 57, tzinfo=SHANGHAI), "meta")
    assert row["source"] == "区融媒体中心"
    assert row["column"] == "通知公告"
    assert row["admin_code"] == "110105"
    assert row["authors"] == ["张三", "李四"]
    assert row["meta"] == {
        "ArticleTitle": "元数据标题", "PubDate": "2020-07-06 08:57", "ContentSource": "区融媒体中心",
        "ColumnName": "通知公告", "SiteIDCode": "BJ1101050001", "Author": "张三 李四",
        "Description": "摘要", "Url": "http://a.gov.cn/a.html", "og:title": "OG 标题"}


@pytest.mark.parametrize("title,names,expected", [
    ("区政府召开常务会议_北京市海淀区人民政府", (), "区政府召开常务会议"),
    ("区政府召开常务会议_区政要闻_北京市海淀区人民政府", (), "区政府召开常务会议"),
    ("区政府召开常务会议 - 北京市延庆区人民政府", (), "区政府召开常务会议"),
    ("区政府召开常务会议|丰台区人民政府网站", (), "区政府召开常务会议"),
    ("区政府召开常务会议——首都之窗", (), "区政府召开常务会议"),
    ("区政府召开常务会议北京市海淀区人民政府", ("北京市海淀区人民政府",), "区政府召开常务会议"),
    ("《规划（2018年-2035年）》发布", (), "《规划（2018年-2035年）》发布"),
])
def test_strip_title_suffix(title, names, expected):
    assert strip_title_suffix(title, names) == expected


def test_title_from_head_when_no_heading():
    html = "<html><head><title>关于开展某某工作的通知_通知公告_某区政府</title></head><body><div id='zoom'><p>正文。</p></div></body></html>"
    row = extract_article(html, "http://a.gov.cn/a.html", SiteHints())
    assert row["title"] == "关于开展某某工作的通知"


def test_title_from_list_hint_last():
    row = extract_article("<html><body><div id='zoom'><p>正文。</p></div></body></html>", "http://a.gov.cn/a.html",
                          SiteHints(), list_hints=ListHints(title="列表页标题"))
    assert row["title"] == "列表页标题"
    assert row["subtitle"] is None and row["source"] is None and row["editor"] is None
    assert row["authors"] == [] and row["published_at"] is None and row["date_source"] is None


@pytest.mark.parametrize("text,expected", [
    ("首页 > 新闻中心 > 区政要闻", "区政要闻"),
    ("当前位置：首页 > 政务公开 > 通知公告 > 正文", "通知公告"),
    ("您的位置：首页 » 新闻动态", "新闻动态"),
])
def test_breadcrumb_column(text, expected):
    assert column_from_breadcrumb(text) == expected


def test_boilerplate_and_editor_inside_container():
    html = """<html><body><h1>某某街道开展消防演练活动</h1><div id="zoom">
    <p>发布时间：2020-07-06　来源：某某街道</p>
    <p>　　7月6日，某某街道开展消防演练。&nbsp;</p>
    <p>【字体：大 中 小】</p><p>分享到：微信 微博</p><p>扫一扫在手机打开当前页</p>
    <p>打印本页 关闭窗口</p><p>上一篇：某某新闻</p><p>相关链接</p>
    <p>责任编辑：王五</p>
    </div><p>京ICP备12345678号</p></body></html>"""
    row = extract_article(html, "http://a.gov.cn/a.html", SiteHints(), fetched_at=FETCHED)
    assert row["body_text"] == "7月6日，某某街道开展消防演练。"
    assert row["editor"] == "王五"
    assert row["source"] == "某某街道"
    assert row["date_source"] == "byline"


def test_tables_as_tab_separated_rows():
    html = """<html><body><div class="TRS_Editor"><p>统计如下：</p>
    <table><thead><tr><th>街道</th><th>人数</th></tr></thead>
    <tbody><tr><td> 学院路 </td><td>1,200</td></tr><tr><td>中关村</td><td><p>980</p></td></tr></tbody></table>
    <p>以上数据截至6月底。</p></div></body></html>"""
    row = extract_article(html, "http://a.gov.cn/a.html", SiteHints())
    assert row["body_text"] == "统计如下：\n街道\t人数\n学院路\t1,200\n中关村\t980\n以上数据截至6月底。"


def test_br_paragraphs_and_images():
    html = """<html><body><div class="TRS_Editor">第一段。<br/>　　第二段。<br><br>
    <img src="a.jpg"><img src="a.jpg"><img src="http://cdn.example.cn/b.png"><img src="data:image/gif;base64,R0">
    <img src="/images/pixel.gif" width="1" height="1"></div></body></html>"""
    row = extract_article(html, "http://a.gov.cn/news/1.html", SiteHints())
    assert row["body_text"] == "第一段。\n第二段。"
    assert row["images"] == ["http://a.gov.cn/news/a.jpg", "http://cdn.example.cn/b.png"]


def test_xml_declaration_and_empty_page():
    row = extract_article('<?xml version="1.0" encoding="utf-8"?><html><body><div id="zoom"><p>正文</p></div></body></html>',
                          "http://a.gov.cn/a.html", SiteHints())
    assert row["body_text"] == "正文"
    empty = extract_article("", "http://a.gov.cn/a.html", SiteHints())
    assert empty["body_text"] == "" and empty["title"] is None


def test_visible_date_and_source_beat_meta():
    # real: fengtai_1 (meta PubDate 2024-06-03 vs visible 日期：2024-05-30) and bjfgw_1 (meta
    # ContentSource is the bureau, the visible 来源 the outlet the text came from)
    html = """<html><head><meta name="PubDate" content="2024-06-03 14:25:31">
    <meta name="ContentSource" content="某某区发展和改革委员会"></head>
    <body><h1>标题甲乙丙丁</h1><p>日期：2024-05-30 10:10　来源：某某微信公众号</p>
    <div class="TRS_Editor"><p>正文。</p></div></body></html>"""
    row = extract_article(html, "http://a.gov.cn/a.html", SiteHints(), fetched_at=datetime(2024, 7, 1, tzinfo=SHANGHAI))
    assert (row["published_at"], row["date_source"]) == (datetime(2024, 5, 30, 10, 10, tzinfo=SHANGHAI), "byline")
    assert row["source"] == "某某微信公众号"
    assert row["meta"]["PubDate"] == "2024-06-03 14:25:31" and row["meta"]["ContentSource"] == "某某区发展和改革委员会"


def test_truncated_visible_source_is_completed_by_meta():
    # real: lysctcmsc_1, "【来源： 综合自学习强国、川观新闻、成都体育学院附属体...】"
    html = """<html><head><meta name="ContentSource" content="综合自甲报、乙网、丙院订阅号"></head>
    <body><h1>标题甲乙丙丁</h1><p>发布日期：2023-07-19　来源：综合自甲报、乙网...</p>
    <div class="TRS_Editor"><p>正文。</p></div></body></html>"""
    row = extract_article(html, "http://a.gov.cn/a.html", SiteHints(), fetched_at=FETCHED)
    assert row["source"] == "综合自甲报、乙网、丙院订阅号"
