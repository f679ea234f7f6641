"""One fixture per failure class of issue 13 ("extraction that holds on real
government pages"). Each fixture in tests/unit/data/extract/real_*.html is of
our own making and says in a comment which real pages it reproduces; the real
pages themselves are scored by tests/eval/test_real_corpus.py."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pipelines.extract import SiteHints, extract_article
from pipelines.extract.dates import SHANGHAI

DATA = Path(__file__).parent / "data" / "extract"
URL = "http://www.a.gov.cn/xwzx/202401/t20240105_123.html"
FETCHED = datetime(2026, 7, 1, tzinfo=SHANGHAI)


def _row(name: str) -> dict:
    html = (DATA / name).read_text(encoding="utf-8")
    return extract_article(html, URL, SiteHints(), fetched_at=FETCHED)


def _day(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M") if value else None


def test_1_visible_date_and_source_win_over_meta():
    row = _row("real_meta_vs_visible.html")
    assert (_day(row["published_at"]), row["date_source"]) == ("2021-05-30 10:10", "byline")
    assert row["source"] == "某某援建微信公众号"
    assert row["meta"]["PubDate"] == "2024-06-03 14:25:31"  # kept where it was
    assert row["meta"]["ContentSource"] == "某某区发展和改革委员会"
    assert row["authors"] == []  # meta Author 某某区 is a district, not a person


def test_2_lines_above_the_body_are_not_body():
    row = _row("real_lead_lines.html")
    assert row["title"] == "某某灌区工程全面开工"
    assert row["subtitle"] == "某某重大水利工程之一"  # the kicker (引题) above the headline
    body = row["body_text"]
    assert body.startswith("10月16日，某某灌区工程开工仪式")  # no headline repeat, subtitle, caption
    assert "王某宣布开工" not in body and "图为" not in body
    assert row["authors"] == ["李某", "韦某"]  # the trailing （某某 某某） credit


def test_2_a_subtitle_line_under_the_repeated_headline():
    from pipelines.extract.lead import trim_lead

    lines = ["某某灌区工程全面开工", "王某宣布开工 李某张某讲话", "图为开工仪式现场。", "10月16日，工程开工仪式在某某县举行，工程总投资约二十亿元。"]
    assert trim_lead(lines, ("某某灌区工程全面开工",), lambda line: False) == (
        [lines[3]], "王某宣布开工 李某张某讲话", None)
    # a numbered heading or a salutation opening the body stays body
    kept = ["一、总体要求", "坚持以人民为中心的发展思想，推动各项工作落实。"]
    assert trim_lead(kept, ("某某通知",), lambda line: False)[0] == kept
    salutation = ["各区卫生健康委：", "今年5月19日是第14个世界家庭医生日。"]
    assert trim_lead(salutation, ("某某通知",), lambda line: False)[0] == salutation


def test_3_open_government_table_is_metadata():
    row = _row("real_govinfo.html")
    assert (row["index_no"], row["doc_number"], row["issuer"]) == ("002400000/2020-10000", "浙某函〔2020〕12号", "省某某厅")
    assert _day(row["written_at"]) == "2020-12-25 00:00"
    assert _day(row["published_at"]) == "2020-12-29 11:07"  # written_at is not published_at
    assert row["meta"]["公开分类"] == "人事"
    body = row["body_text"]
    assert body.startswith("根据《某某评审管理办法》")  # neither the table nor the 文号 line
    assert "索引号" not in body and "002400000" not in body
    assert "公示时间：2020年12月30日" in body  # a sentence opening with a label is body


@pytest.mark.parametrize("table,expected", [
    # label: value inside each cell (real: zjjyt)
    ("<tr><td>索引号: 0024/2024-00332</td><td>文件编号: </td><td>发布机构: 省教育厅</td></tr>"
     "<tr><td>生成日期: 2024-10-21</td><td>主题分类: 教育</td><td>公开方式: 主动公开</td></tr>",
     {"index_no": "0024/2024-00332", "issuer": "省教育厅"}),
    # a header row of labels over a row of values (real: shwsjkw)
    ("<tr><td>索取号</td><td>发布时间</td><td>发布机构</td><td>文件编号</td><td>备注</td></tr>"
     "<tr><td>0764Q/2024-00112</td><td></td><td>上海市某某委员会</td><td>沪卫基层〔2024〕5号</td><td></td></tr>",
     {"index_no": "0764Q/2024-00112", "issuer": "上海市某某委员会", "doc_number": "沪卫基层〔2024〕5号"}),
])
def test_3_open_government_table_layouts(table, expected):
    html = (f"<html><body><table>{table}</table><h1>关于某某工作的通知</h1>"
            "<div id='zoom'><p>各有关单位：现将有关事项通知如下，请认真贯彻执行。</p></div></body></html>")
    row = extract_article(html, URL, SiteHints(), fetched_at=FETCHED)
    assert {k: row[k] for k in expected} == expected
    assert row["body_text"] == "各有关单位：现将有关事项通知如下，请认真贯彻执行。"


def test_4_container_by_evidence_not_first_match():
    row = _row("real_wrong_container.html")
    assert row["body_from"] == "guessed"
    assert row["body_text"].split("\n") == [
        "1月10日，某某局召开年度工作会议，总结去年工作，部署今年任务。",
        "会议指出，过去一年全局上下攻坚克难，各项工作取得新进展。",
        "会议强调，今年要坚持稳中求进，持续提升监管效能，切实防范化解风险。",
        "会议要求，各单位要细化任务清单，确保各项部署落地见效。",
    ]  # both sibling blocks; not the menu's summaries, the related links or the disclaimer
    assert row["subtitle"] is None  # the menu's "sub-title" panel is none
    assert (row["source"], _day(row["published_at"])) == ("某某局办公室", "2024-01-12 00:00")


def test_5_pager_gives_the_other_pages():
    row = _row("real_pager.html")
    assert row["page_urls"] == ["http://www.a.gov.cn/xwzx/202401/t20240105_123_1.html",
                                "http://www.a.gov.cn/xwzx/202401/t20240105_123_2.html"]
    assert "下一页" not in row["body_text"] and "[2]" not in row["body_text"]
    assert _row("real_lead_lines.html")["page_urls"] == []


def test_6_bylines_reporters_photographers_units():
    row = _row("real_bylines.html")
    assert row["authors"] == ["张小明"]  # inside the dateline's （融媒体记者 …）
    assert row["photographers"] == ["李大力"]  # （… 摄）, not an author
    assert row["source"] == "某某网"  # the 来源 line after the body
    assert row["body_text"].startswith("某某网6月12日讯（融媒体记者 张小明）6月11日")  # the dateline is body


def test_7_word_export_spans_tables_and_hidden_print_copy():
    row = _row("real_word_table.html")
    assert row["body_text"].split("\n") == [
        "公示时间为2021年1月6日至1月12日。",  # numbers split over <span>s joined
        "序号\t姓名\t工作单位",  # the table row by row, cells apart
        "1\t张三\t某某市博物馆",
        "2\t李四\t某某县文化馆",
        "某某省文化厅",
    ]  # and the hidden print copy is not counted again


def test_8_single_page_application_text_once():
    row = _row("real_spa_twice.html")
    body = row["body_text"]
    assert body.count("罚款五十六万元") == 1
    assert body.startswith("当事人某某保险公司") and body.endswith("警告并罚款十四万元。")
    assert row["source"] == "某某监管局"  # the next label (文章类型：) ends the value
    assert row["title"] == "某某监管局行政处罚信息公开表"


def test_hidden_parts_are_kept_when_they_hold_the_article():
    # a saved page whose article waits for a script: the stylesheet hides the whole content block
    html = ("<html><head><style>.content{display:none}</style></head><body><div class='content'>"
            "<h1>某某区召开会议</h1><div id='zoom'><p>7月6日，某某区召开会议，部署汛期各项工作。</p></div>"
            "</div></body></html>")
    row = extract_article(html, URL, SiteHints(), fetched_at=FETCHED)
    assert row["body_text"] == "7月6日，某某区召开会议，部署汛期各项工作。"


def test_4_a_selector_that_matches_a_counter_is_not_the_body():
    """A preset's `.view` matches the page's hit counter (a span holding "-次"): a few characters
    of inline text are no body when a block of the page holds its prose."""
    html = (DATA / "real_selector_on_a_counter.html").read_text(encoding="utf-8")
    hints = SiteHints(body_selectors=(".TRS_Editor", "#mainText", ".article-content", ".view", "#zoom"))
    for row in (extract_article(html, URL, hints, fetched_at=FETCHED),
                extract_article(html, URL, SiteHints(), fetched_at=FETCHED)):
        assert row["body_from"] == "guessed"
        assert row["body_text"].startswith("某某市有这么一个制造业，")
        assert row["body_text"].endswith("这也需要企业、政府和社会的共同努力。")
        assert "-次" not in row["body_text"]
        assert (row["title"], row["source"]) == ("某某产业依靠自主创新持续发力", "某某日报")


def test_4_an_empty_or_short_selected_block_still_beats_guessing():
    """What the rule above leaves alone: a selected block, not inline, with a short text of its own
    (a notice that is only 见附件) stays the body, as an empty one does (attachment-only pages)."""
    html = ("<html><body><div class='side'><p>本站开展网站满意度调查，欢迎广大网民积极参与，提出宝贵意见和建议，谢谢。</p></div>"
            "<h1>关于某某事项的通知</h1><div class='TRS_Editor'><p>见附件。</p></div>"
            "<p>附件：<a href='./P0.pdf'>某某事项.pdf</a></p></body></html>")
    row = extract_article(html, URL, SiteHints(body_selectors=(".TRS_Editor",)), fetched_at=FETCHED)
    assert (row["body_from"], row["body_text"]) == ("container", "见附件。")
