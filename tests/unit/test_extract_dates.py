"""Every date form of RELIABILITY.md ("Dates and identity") with its value and date_source."""

from __future__ import annotations

from datetime import datetime

import pytest

from pipelines.extract import SiteHints, ListHints, extract_article
from pipelines.extract.dates import (
    SHANGHAI, date_from_url, htmldate_guess, parse_date, parse_meta_date, parse_relative,
)

FETCHED = datetime(2020, 7, 9, 10, 30, tzinfo=SHANGHAI)
D = lambda *a: datetime(*a, tzinfo=SHANGHAI)  # noqa: E731


@pytest.mark.parametrize("text,expected", [
    ("2020年07月06日", D(2020, 7, 6)),
    ("2020年7月6日", D(2020, 7, 6)),
    ("2020年07月06日 08:57", D(2020, 7, 6, 8, 57)),
    ("发布时间：2020-07-06 08:57", D(2020, 7, 6, 8, 57)),
    ("发布日期：2020/07/06", D(2020, 7, 6)),
    ("2020.07.06", D(2020, 7, 6)),
    ("[2020-07-06]", D(2020, 7, 6)),
    ("2020-07-06 08:57:30", D(2020, 7, 6, 8, 57, 30)),
    ("2020年7月6日8时57分", D(2020, 7, 6, 8, 57)),
    ("2020-13-06", None),
    ("2021-07-06", None),  # after fetched_at + 1 day: rejected
    ("电话：010-12345678", None),
])
def test_parse_date(text, expected):
    assert parse_date(text, FETCHED) == expected


@pytest.mark.parametrize("value,expected", [
    ("2020-07-06 08:57", D(2020, 7, 6, 8, 57)),
    ("2020-07-06T00:57:00Z", D(2020, 7, 6, 8, 57)),
    ("2020-07-06T08:57:00+08:00", D(2020, 7, 6, 8, 57)),
    ("2020-07-05T20:57:00-04:00", D(2020, 7, 6, 8, 57)),
    ("20200706", D(2020, 7, 6)),
    ("20200706085700", D(2020, 7, 6, 8, 57)),
])
def test_parse_meta_date(value, expected):
    assert parse_meta_date(value, FETCHED) == expected


@pytest.mark.parametrize("url,expected", [
    ("http://www.bjhd.gov.cn/xwzx/2020/7/6/123.html", D(2020, 7, 6)),
    ("http://www.bjhd.gov.cn/xwzx/202007/t20200706_123.html", D(2020, 7, 6)),
    ("http://www.bjyq.gov.cn/art/2020/7/6/art_1_2.html", D(2020, 7, 6)),
    ("http://www.example.gov.cn/col/art_2020_7_6_88.html", D(2020, 7, 6)),
    ("http://www.example.gov.cn/news/20200706/abc.html", D(2020, 7, 6)),
    ("http://www.example.gov.cn/news/abc.html?id=20200706", None),
    ("http://www.example.gov.cn/2031/7/6/abc.html", None),
])
def test_date_from_url(url, expected):
    assert date_from_url(url, FETCHED) == expected


@pytest.mark.parametrize("text,expected", [
    ("3天前", D(2020, 7, 6)),
    ("昨天", D(2020, 7, 8)),
    ("前天", D(2020, 7, 7)),
    ("5小时前", D(2020, 7, 9, 5, 30)),
    ("20分钟前", D(2020, 7, 9, 10, 10)),
    ("很久以前", None),
])
def test_parse_relative(text, expected):
    assert parse_relative(text, FETCHED) == expected
    assert parse_relative(text, None) is None


def _page(head: str = "", info: str = "", title: str = "区政府召开常务会议") -> str:
    return (f"<html><head>{head}<title>{title}_某某区人民政府</title></head><body>"
            f"<h1>{title}</h1><div class='info'>{info}</div>"
            "<div class='TRS_Editor'><p>正文第一段。</p></div></body></html>")


@pytest.mark.parametrize("head,info,url,expected,source", [
    ('<meta name="PubDate" content="2020-07-06 08:57">', "发布时间：2020-07-01", "http://a.gov.cn/a.html",
     D(2020, 7, 1), "byline"),
    ('<meta name="pubtime" content="2020-07-06 08:57:30">', "", "http://a.gov.cn/a.html",
     D(2020, 7, 6, 8, 57, 30), "meta"),
    ('<meta property="article:published_time" content="2020-07-06T00:57:00+00:00">', "", "http://a.gov.cn/a.html",
     D(2020, 7, 6, 8, 57), "meta"),
    ("", "发布时间：2020-07-06 08:57　来源：北京日报", "http://a.gov.cn/a.html", D(2020, 7, 6, 8, 57), "byline"),
    ("", "发布日期：2020/07/06", "http://a.gov.cn/a.html", D(2020, 7, 6), "byline"),
    ("", "日期：2020.07.06", "http://a.gov.cn/a.html", D(2020, 7, 6), "byline"),
    ("", "2020年07月06日", "http://a.gov.cn/a.html", D(2020, 7, 6), "text"),
    ("", "2020年7月6日", "http://a.gov.cn/a.html", D(2020, 7, 6), "text"),
    ("", "2020年07月06日 08:57", "http://a.gov.cn/a.html", D(2020, 7, 6, 8, 57), "text"),
    ("", "[2020-07-06]", "http://a.gov.cn/a.html", D(2020, 7, 6), "text"),
    ("", "3天前", "http://a.gov.cn/a.html", D(2020, 7, 6), "relative"),
    ("", "", "http://a.gov.cn/202007/t20200706_123.html", D(2020, 7, 6), "url"),
    ("", "", "http://a.gov.cn/news/2020/7/6/123.html", D(2020, 7, 6), "url"),
    ("", "", "http://a.gov.cn/art/2020/7/6/art_1_2.html", D(2020, 7, 6), "url"),
    ("", "", "http://a.gov.cn/col/art_2020_7_6_88.html", D(2020, 7, 6), "url"),
    ("", "发布时间：2020-07-06 08:57:30", "http://a.gov.cn/a.html", D(2020, 7, 6, 8, 57, 30), "byline"),
    ("", "时间：2020年7月6日 8:57", "http://a.gov.cn/a.html", D(2020, 7, 6, 8, 57), "byline"),
    ("", "发布时间：昨天", "http://a.gov.cn/a.html", D(2020, 7, 8), "relative"),
    ("", "[ 2020-07-06 ]", "http://a.gov.cn/a.html", D(2020, 7, 6), "text"),
    # the visible line beats the URL and a re-stamped meta PubDate (issue 13: real CMSs
    # re-stamp PubDate on migration, fengtai/mhmiit/zysc); meta only adds the time of the same day
    ("", "发布日期：2020-07-06", "http://a.gov.cn/202007/t20200701_1.html", D(2020, 7, 6), "byline"),
    ('<meta name="PubDate" content="2020-07-05 18:00:00">', "发布时间：2020-07-06 08:57",
     "http://a.gov.cn/202007/t20200701_1.html", D(2020, 7, 6, 8, 57), "byline"),
    ('<meta name="PubDate" content="2023-05-12 23:20">', "发布时间：2009-09-30 10:53",
     "http://a.gov.cn/a.html", D(2009, 9, 30, 10, 53), "byline"),
    ('<meta name="PubDate" content="2020-07-06 10:43">', "发布日期：2020-07-06",
     "http://a.gov.cn/a.html", D(2020, 7, 6, 10, 43), "meta"),
    ('<meta name="PubDate" content="">', "2020年07月06日", "http://a.gov.cn/a.html", D(2020, 7, 6), "text"),
    ("", "发布时间：2021-07-06", "http://a.gov.cn/a.html", None, None),  # future: rejected
    ('<meta name="PubDate" content="2021-07-06">', "", "http://a.gov.cn/a.html", None, None),
])
def test_article_date_priority(head, info, url, expected, source):
    row = extract_article(_page(head, info), url, SiteHints(), fetched_at=FETCHED)
    assert (row["published_at"], row["date_source"]) == (expected, source)
    if expected is not None:
        assert row["published_at"].tzinfo == SHANGHAI


def test_list_hint_date():
    row = extract_article(_page(), "http://a.gov.cn/a.html", SiteHints(),
                          list_hints=ListHints(date="2020-07-06"), fetched_at=FETCHED)
    assert (row["published_at"], row["date_source"]) == (D(2020, 7, 6), "list")


def test_url_beats_list_hint():
    row = extract_article(_page(), "http://a.gov.cn/202007/t20200705_1.html", SiteHints(),
                          list_hints=ListHints(date="2020-07-06"), fetched_at=FETCHED)
    assert (row["published_at"], row["date_source"]) == (D(2020, 7, 5), "url")


def test_htmldate_year_only_fallback_rejected():
    # htmldate's only clue is a copyright year: it would say 2019-01-01.
    html = "<html><head><title>t</title></head><body><p>正文</p><p>© 2019 某某区</p></body></html>"
    assert htmldate_guess(html, "正文 © 2019 某某区", FETCHED) is None


def test_htmldate_used_last():
    html = ('<html><head><title>t</title></head><body><p>正文</p>'
            '<time datetime="2020-07-06">July 6, 2020</time></body></html>')
    row = extract_article(html, "http://a.gov.cn/a.html", SiteHints(), fetched_at=FETCHED)
    assert (row["published_at"], row["date_source"]) == (D(2020, 7, 6), "htmldate")


def test_no_date_anywhere_is_null():
    # dates in the text (a rule's start and end) are not the publication date
    html = ("<html><head><title>关于印发管理办法的通知_某某区人民政府</title></head><body><h1>关于印发管理办法的通知</h1>"
            "<div class='TRS_Editor'><p>本办法自2021年1月1日起施行，有效期至2023年12月31日。</p></div></body></html>")
    row = extract_article(html, "http://a.gov.cn/content/post_1.html", SiteHints(), fetched_at=FETCHED)
    assert (row["published_at"], row["date_source"]) == (None, None)


def test_relative_date_needs_fetch_time():
    row = extract_article(_page(info="发布时间：3天前"), "http://a.gov.cn/a.html", SiteHints(), fetched_at=None)
    assert row["published_at"] is None
