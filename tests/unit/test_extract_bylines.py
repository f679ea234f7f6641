"""Info lines and body credits."""

from __future__ import annotations

import pytest

from pipelines.extract.bylines import body_credits, credits_from_body, parse_info_line, split_credits, split_names


@pytest.mark.parametrize("line,date_text,source,authors,editor", [
    ("发布时间：2020-07-06 08:57　来源：北京日报　作者：张三 【字体：大 中 小】",
     "2020-07-06 08:57", "北京日报", ["张三"], None),
    ("发布时间：2020-07-06 08:57 来源：北京日报 作者：张三【字体：大 中 小】",
     "2020-07-06 08:57", "北京日报", ["张三"], None),
    ("发布日期：2020年07月06日　信息来源：延庆区融媒体中心　浏览次数：123",
     "2020年07月06日", "延庆区融媒体中心", [], None),
    ("时间：2020-07-06 文章来源：区委宣传部 [打印] [关闭]", "2020-07-06", "区委宣传部", [], None),
    ("日期：2020/07/06 | 来源：海淀区政府网", "2020/07/06 |", "海淀区政府网", [], None),
    ("记者：王五 通讯员：赵六、钱七", None, None, ["王五", "赵六", "钱七"], None),
    ("摄影：李四", None, None, [], None),  # a photographer (see test_photographers_apart)
    ("责任编辑：孙八", None, None, [], "孙八"),
    ("编辑：孙八　审核：周九", None, None, [], "孙八"),
    ("编辑：孙八　审核：周九　责任编辑：吴十", None, None, [], "吴十"),  # 责任编辑 beats 编辑
    ("【责任编辑：孙八】", None, None, [], "孙八"),
    ("责编：孙八", None, None, [], "孙八"),
    ("作者：张三、李四", None, None, ["张三", "李四"], None),
    ("文字：张三 图片：李四", None, None, ["张三"], None),
    ("来源：北京日报（记者 王五）", None, "北京日报", ["王五"], None),
    ("来源：广西日报 2024-10-17 08:03", None, "广西日报", [], None),
    ("来源：某某检查局 文章类型：原创", None, "某某检查局", [], None),  # real: nfra, an unknown next label  # real: lfygxzf, a date after the source
    ("作者：海淀区融媒体中心", None, None, [], None),  # an organisation is no author
])
def test_parse_info_line(line, date_text, source, authors, editor):
    found = parse_info_line(line)
    assert (found.source, found.authors, found.editor) == (source, authors, editor)
    if date_text is not None:
        assert found.date_text.startswith(date_text.rstrip(" |"))
    else:
        assert found.date_text is None


@pytest.mark.parametrize("last,expected", [
    ("各项目标任务。（记者唐炜）", ["唐炜"]),
    ("（记者 张三 通讯员 李四）", ["张三", "李四"]),
    ("文/张三", ["张三"]),
    ("文／张三 图／李四", ["张三"]),
    ("摄影 李四", []),
    ("李四 摄", []),
    ("本报记者 王五", ["王五"]),
    ("推动形成良好氛围。文/王小明", ["王小明"]),
    ("这是普通的结尾，没有署名。", []),
    ("（此件公开发布）", []),
])
def test_credits_at_end(last, expected):
    assert credits_from_body(["第一段正文内容。", last]) == expected


def test_credits_at_start():
    assert credits_from_body(["（通讯员 张三 李四）7月6日，区里召开会议。", "第二段。"]) == ["张三", "李四"]


def test_split_names_skips_organisations():
    assert split_names("海淀区政府") == []
    assert split_names("张三、李四，王五") == ["张三", "李四", "王五"]


@pytest.mark.parametrize("first,expected", [
    ("本报讯（记者 张三 通讯员 李四）7月6日，区里召开会议。", ["张三", "李四"]),
    ("新华社北京7月6日电（记者 王五）近日，……", ["王五"]),
    ("本网讯（通讯员 赵六）7月6日，……", ["赵六"]),
    ("（记者 张三）7月6日，区里召开会议。", ["张三"]),
    ("文/张三 图/李四", ["张三"]),
    ("7月6日，区里召开会议（第一次）。", []),
])
def test_credits_at_start_forms(first, expected):
    assert credits_from_body([first, "第二段。", "第三段。"]) == expected


def test_editor_rank_across_lines():
    from pipelines.extract.article import collect_byline

    byline = collect_byline(["编辑：孙八", "责任编辑：吴十"])
    assert byline.editor == "吴十"
    assert collect_byline(["责任编辑：吴十", "编辑：孙八"]).editor == "吴十"


@pytest.mark.parametrize("line,photographers", [
    ("摄影：李四", ["李四"]),
    ("文字：张三 图片：李四", ["李四"]),
    ("记者：王五 摄影：赵六", ["赵六"]),
])
def test_photographers_apart(line, photographers):
    assert parse_info_line(line).photographers == photographers


@pytest.mark.parametrize("text,authors,photographers", [
    ("李四 摄", [], ["李四"]),
    ("文/张三 图/李四", ["张三"], ["李四"]),
    ("记者 张三 摄影 李四", ["张三"], ["李四"]),
    ("融媒体记者 翁娟", ["翁娟"], []),
    ("特约通讯员：林兴勇", ["林兴勇"], []),
    ("区图书馆 魏乐禹", ["魏乐禹"], []),  # a unit beside a person is nobody
    ("某某县统计局", [], []),
])
def test_split_credits(text, authors, photographers):
    assert split_credits(text) == (authors, photographers)


# Forms seen on real pages (../shared/corpus): the pingtan dateline
# "平潭网6月12日讯（融媒体记者 某某）", ahjyt's trailing "（特约通讯员：某某）",
# lfygxzf's "……意义。（某某 某某）", jchhp's "(图书馆 某某）", baiyun's
# "白云时事讯（某某）", dcyliaoyang's "记者某某报道　6月10日，……", xhyshanghai's
# "见习记者 某某" line; the names here are made up.
@pytest.mark.parametrize("lines,authors,photographers", [
    (["平潭网6月12日讯（融媒体记者 张三）6月11日，召开会议。", "第二段。"], ["张三"], []),
    (["第一段。", "评委进行了综合评分。（特约通讯员：李四）"], ["李四"], []),
    (["第一段。", "具有重要意义。（王五 赵六）"], ["王五", "赵六"], []),
    (["第一段。", "焕发优雅自信。(图书馆 钱七）"], ["钱七"], []),
    (["第一段。", "满足群众多样化的需求。白云时事讯（孙八）"], ["孙八"], []),
    (["记者周九报道　6月10日，比赛开幕。", "第二段。"], ["周九"], []),
    (["见习记者 吴十", "以创新为主题的论坛近日召开。"], ["吴十"], []),
    (["第一段。", "现场照片。（张三 摄）"], [], ["张三"]),
    (["第一段。", "入选集训（特殊打法）"], [], []),  # a parenthesis inside a sentence is no credit
    (["第一段。", "印发实施方案（试行）"], [], []),
])
def test_body_credits_real_forms(lines, authors, photographers):
    assert body_credits(lines) == (authors, photographers)
