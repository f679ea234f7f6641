"""crawler.web's allow-lists for URL parameters and its SVG charts (no server, no browser)."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.web import charts, inputs

KNOWN = {"demo-haidian", "beijing-haidian"}


@pytest.mark.parametrize("value", ["../etc", "/etc/passwd", "demo-haidian\x00", "Demo-Haidian", "a" * 65,
                                   "demo-haidian' OR '1'='1", "nowhere", "demo-haidian/..", "%2e%2e"])
def test_slug_refuses_what_it_does_not_know(value):
    with pytest.raises(inputs.BadInput):
        inputs.slug(value, KNOWN)


def test_slug_accepts_a_known_site_and_nothing():
    assert inputs.slug("demo-haidian", KNOWN) == "demo-haidian"
    assert inputs.slug(None, KNOWN) is None and inputs.slug("", KNOWN) is None


@pytest.mark.parametrize("value", ["2020-13", "2020-00", "20-01", "2020-1", "../2020", "2020-01\x00", "x" * 8])
def test_month_refuses(value):
    with pytest.raises(inputs.BadInput):
        inputs.month_range(value)


def test_month_range_is_the_whole_month():
    assert inputs.month_range("2020-02") == (date(2020, 2, 1), date(2020, 2, 29))
    assert inputs.month_range("2020-12") == (date(2020, 12, 1), date(2020, 12, 31))


@pytest.mark.parametrize("value", ["-1", "0", "51", "1e3", "9" * 30, " 1", "１"])
def test_page_numbers(value):
    with pytest.raises(inputs.BadInput):
        inputs.integer(value, "page", default=1, lo=1, hi=50)
    assert inputs.integer("7", "page", default=1, lo=1, hi=50) == 7
    assert inputs.integer(None, "page", default=1, lo=1, hi=50) == 1


@pytest.mark.parametrize("value", ["a\x00b", "a\x1bb", "x" * 2001, "\x7f"])
def test_text_refuses_control_characters_and_huge_values(value):
    with pytest.raises(inputs.BadInput):
        inputs.text(value, "q")
    assert inputs.text("接诉即办\t\"引号\"", "q") == "接诉即办\t\"引号\""


def test_charts_draw_one_bar_per_value_and_escape_labels():
    svg = str(charts.stacked_bars(["2020-01", "<b>"], {"要闻": [3, 0], "<script>": [1, 2]}))
    assert svg.startswith("<svg") and svg.count('class="bar"') == 3  # zero values draw no bar
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;" in svg
    spark = str(charts.sparkline([0, 1, 4]))
    assert spark.count('class="bar"') == 3 and 'height="0.0"' in spark
