"""The boilerplate-line check's shortcut: a line holding none of BOILERPLATE_KEYS never matches
BOILERPLATE_LINE (pipelines/extract/xpaths.py), so is_boilerplate skips the regex for it."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.extract import xpaths
from pipelines.extract.body import clean_line, is_boilerplate

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _holds_a_key(pattern: re.Pattern):
    @SETTINGS
    @given(st.from_regex(pattern, fullmatch=True))
    def check(line):
        assert xpaths.BOILERPLATE_KEYS.search(line), line
    check()


def test_every_line_the_pattern_matches_holds_a_key():
    _holds_a_key(xpaths.BOILERPLATE_LINE)


def test_an_alternative_without_a_key_is_caught():
    """The check above finds an alternative someone adds without adding its key."""
    grown = re.compile(xpaths.BOILERPLATE_LINE.pattern.replace(
        "| .{0,6}版权所有.{0,80}", "| .{0,6}版权所有.{0,80}\n | 欢迎访问.{0,3}"), re.X)
    assert grown.pattern != xpaths.BOILERPLATE_LINE.pattern
    try:
        _holds_a_key(grown)
    except AssertionError:
        return
    raise AssertionError("an alternative without a key went unnoticed")


def test_lines_as_before():
    assert is_boilerplate("【打印本页】【关闭窗口】")
    assert is_boilerplate("上一篇：海淀区召开会议")
    assert is_boilerplate("京ICP备05060933号")
    assert not is_boilerplate("海淀区召开区政府常务会议，研究部署相关工作。")  # a key, no match
    assert not is_boilerplate("2023年全区地区生产总值同比增长5.2%")  # no key
    assert clean_line("发布时间：2020-07-06 【字体：大 中 小】") == "发布时间：2020-07-06"
    assert clean_line("收藏[打印]") == "收藏"
    assert clean_line("  区政府  ") == "区政府"
