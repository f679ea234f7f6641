"""Page layouts the evaluation corpus showed wrong: old table layouts without a
known container, layout tables around the body, empty containers on
attachment-only pages, 引题 vs 副标题, site names opening <title>."""

from __future__ import annotations

from datetime import datetime

from pipelines.extract import SiteHints, extract_article
from pipelines.extract.headline import strip_title_suffix
from pipelines.extract.body import raw_lines
from pipelines.extract.container import guess_container
from pipelines.extract.dates import SHANGHAI

FETCHED = datetime(2020, 7, 9, 10, 30, tzinfo=SHANGHAI)

OLD_TABLE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某区人民政府--某某区召开防汛工作会议</title></head><body>
<table width="778"><tr><td><img src="/images/top.jpg"></td></tr></table>
<table width="778"><tr>
<td width="180"><table><tr><td><a href="/a.asp">政务动态</a></td></tr><tr><td><a href="/b.asp">通知公告</a></td></tr></table></td>
<td width="598">
<table width="100%"><tr><td class="dqwz">当前位置：首页 &gt;&gt; 政务动态</td></tr></table>
<table width="96%">
<tr><td align="center"><font size="4"><b>某某区召开防汛工作会议</b></font></td></tr>
<tr><td align="center">发布时间：2020-07-06 08:57　　来源：区应急管理局　　作者：张三</td></tr>
<tr><td class="nr14">　　7月6日，某某区召开防汛工作会议，部署汛期各项工作。<br><br>　　会议要求，各街镇要排查隐患，确保安全度汛。<br><br></td></tr>
<tr><td align="right">【责任编辑：李四】</td></tr>
<tr><td align="center"><a href="javascript:window.print()">[打印本页]</a> <a href="javascript:window.close()">[关闭窗口]</a></td></tr>
</table></td></tr></table>
<table width="778"><tr><td>版权所有：某某区人民政府　京ICP备05012345号</td></tr></table>
</body></html>"""


def test_old_table_layout_without_known_container():
    row = extract_article(OLD_TABLE, "http://www.a.gov.cn/ShowNews.asp?id=1", SiteHints(), fetched_at=FETCHED)
    assert row["title"] == "某某区召开防汛工作会议"
    assert row["body_text"] == "7月6日，某某区召开防汛工作会议，部署汛期各项工作。\n会议要求，各街镇要排查隐患，确保安全度汛。"
    assert (row["published_at"], row["date_source"]) == (datetime(2020, 7, 6, 8, 57, tzinfo=SHANGHAI), "byline")
    assert (row["source"], row["authors"], row["editor"]) == ("区应急管理局", ["张三"], "李四")
    assert row["column"] == "政务动态"


def test_guess_container_picks_the_prose_cell():
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(OLD_TABLE)
    block = guess_container(tree.body)
    # the article's own table (prose densest there), not the page's layout, nav or footer
    assert block is not None and block.xpath(".//td[@class='nr14']") or block.get("class") == "nr14"
    text = block.text_content()
    assert "7月6日" in text and "通知公告" not in text and "版权所有" not in text
    assert guess_container(lxml_html.fromstring("<html><body><a href='/'>首页</a><p>短</p></body></html>").body) is None


def test_layout_table_keeps_cells_apart_and_marks_the_body():
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(OLD_TABLE)
    body = tree.xpath("//td[@class='nr14']")[0]
    lines = raw_lines(tree.body, skip=body, marker="<BODY>")
    assert "<BODY>" in lines
    assert any(line.startswith("发布时间：2020-07-06 08:57") for line in lines)
    assert "【责任编辑：李四】" in lines
    assert not any("7月6日" in line for line in lines)  # the body is not walked twice


def test_data_table_in_the_body_stays_rows_of_cells():
    html = ("<html><body><h1>某某区重点项目清单公布</h1><div class='TRS_Editor'><p>项目清单如下。</p>"
            "<table><tr><th>序号</th><th>项目</th></tr><tr><td><p>1</p></td><td><p>道路工程</p></td></tr></table>"
            "</div></body></html>")
    row = extract_article(html, "http://a.gov.cn/a.html", SiteHints(), fetched_at=FETCHED)
    assert row["body_text"] == "项目清单如下。\n序号\t项目\n1\t道路工程"


def test_attachment_only_page_keeps_an_empty_body():
    html = ("<html><head><title>2020年部门预算_某某区人民政府</title></head><body><div class='nav'>首页 政务公开</div>"
            "<h1>2020年部门预算</h1><div class='info'>发布日期：2020-07-06　来源：区财政局</div>"
            "<div class='TRS_Editor'></div>"
            "<div class='fj'>附件：<a href='./P020200706.pdf'>2020年部门预算.pdf</a></div></body></html>")
    row = extract_article(html, "http://a.gov.cn/202007/t20200706_1.html", SiteHints(), fetched_at=FETCHED)
    assert row["body_text"] == ""
    assert row["attachments"] == [{"url": "http://a.gov.cn/202007/P020200706.pdf", "name": "2020年部门预算.pdf"}]
    assert (row["title"], row["source"]) == ("2020年部门预算", "区财政局")


def test_subtitle_beats_lead_title():
    html = ("<html><body><div class='article'><p class='article-yinti'>聚焦民生实事</p><h1>某某区新增十处养老驿站</h1>"
            "<p class='article-subtitle'>全年将覆盖所有街道</p><div class='article-content'><p>正文。</p></div></div>"
            "</body></html>")
    row = extract_article(html, "http://a.gov.cn/a.html", SiteHints(), fetched_at=FETCHED)
    assert (row["title"], row["subtitle"]) == ("某某区新增十处养老驿站", "全年将覆盖所有街道")
    only_lead = html.replace("<p class='article-subtitle'>全年将覆盖所有街道</p>", "")
    row = extract_article(only_lead, "http://a.gov.cn/a.html", SiteHints(), fetched_at=FETCHED)
    assert (row["title"], row["subtitle"]) == ("某某区新增十处养老驿站", "聚焦民生实事")


def test_site_name_opening_the_title():
    assert strip_title_suffix("合肥市蜀山区人民政府--关于临时停水的通知") == "关于临时停水的通知"
    assert strip_title_suffix("某某区政府网 - 区政府召开常务会议") == "区政府召开常务会议"
    assert strip_title_suffix("区政府召开常务会议_区政要闻_北京市海淀区人民政府") == "区政府召开常务会议"
    assert strip_title_suffix("海淀区政府 - 首页") == "海淀区政府"
