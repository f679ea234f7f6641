"""headline.marked: the elements under a scope whose class or id matches a pattern.

It searches each class and id value on its own (pipelines/extract/headline.py), which equals
searching the element's class and id together only while no word of the pattern holds
whitespace: the hypothesis test below generates every pattern's matches and checks that.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from pipelines.extract import xpaths
from pipelines.extract.headline import marked

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PATTERNS = {name: getattr(xpaths, name) for name in
            ("TITLE_CLASS", "SUBTITLE_CLASS", "LEAD_TITLE_CLASS", "BREADCRUMB_CLASS")}
_EDGE = re.compile(r"^[\s_-]|[\s_-]$")  # the boundary characters (?:^|[\s_-]) … (?:[\s_-]|$)


def _words_hold_no_space(pattern: re.Pattern):
    @SETTINGS
    @given(st.from_regex(pattern, fullmatch=True))
    def check(match):
        inner = _EDGE.sub("", match)
        assert not re.search(r"\s", inner), repr(match)
    check()


def test_no_pattern_word_holds_whitespace():
    for pattern in PATTERNS.values():
        _words_hold_no_space(pattern)


def test_a_word_with_a_space_is_caught():
    """The check above notices an alternative such as ``main title`` (it would span class and id)."""
    grown = re.compile(xpaths.TITLE_CLASS.pattern.replace("title|tit|", "title|main\\stitle|tit|"), re.I)
    assert grown.pattern != xpaths.TITLE_CLASS.pattern
    try:
        _words_hold_no_space(grown)
    except AssertionError:
        return
    raise AssertionError("a word holding whitespace went unnoticed")


PAGE = """<html><body><div class="title" id="wrap">
<h1 class="article-title" id="news_title">甲</h1>
<p class="x"><span id="fbt">乙</span></p>
<div class="detail"><b class="bt">丙</b></div>
</div></body></html>"""


def test_marked_finds_each_element_once_in_document_order_below_the_scope():
    tree = html.fromstring(PAGE)
    scope = tree.find(".//div")  # its own class "title" does not count
    found = marked(scope, xpaths.TITLE_CLASS)
    assert [e.text for e in found] == ["甲", "丙"]  # h1 matches by class and by id: once
    assert [e.text for e in marked(scope, xpaths.SUBTITLE_CLASS)] == ["乙"]
    assert [e.get("id") for e in marked(tree, xpaths.TITLE_CLASS)] == ["wrap", "news_title", None]


def test_marked_agrees_with_a_plain_walk_over_class_and_id_together():
    tree = html.fromstring(PAGE)

    def walk(scope, pattern):
        return [e for e in scope.iterdescendants() if isinstance(e.tag, str)
                and (e.get("class") is not None or e.get("id") is not None)
                and pattern.search(f" {e.get('class') or ''} {e.get('id') or ''} ")]

    for pattern in PATTERNS.values():
        for scope in tree.iter():
            assert marked(scope, pattern) == walk(scope, pattern)
