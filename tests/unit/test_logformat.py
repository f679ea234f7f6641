"""crawler.logformat: drop and error lines name the reason and the URL, never the item's body."""

from __future__ import annotations

import logging

from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import PageItem
from crawler.logformat import GovnewsLogFormatter


def _line(result: dict) -> str:
    return result["msg"] % result["args"]


def _page() -> PageItem:
    body = "正文".encode() * 20_000
    return PageItem(site="demo", kind="article", url="http://www.example.gov.cn/a.html", status=200, headers=[],
                    body=body, encoding="utf-8", fetched_at=None, request_headers=[], method="GET",
                    protocol="HTTP/1.1")


def test_dropped_keeps_the_reason_and_not_the_body():
    crawler = get_crawler(settings_dict={"LOG_FORMATTER": "crawler.logformat.GovnewsLogFormatter"})
    spider = Spider.from_crawler(crawler, name="x")
    fmt = GovnewsLogFormatter.from_crawler(crawler)
    exc = DropItem("2 chars < 8: http://www.example.gov.cn/a.html")
    out = fmt.dropped(_page(), exc, None, spider)
    assert _line(out) == "Dropped: 2 chars < 8: http://www.example.gov.cn/a.html"
    assert out["level"] in (logging.INFO, logging.WARNING)


def test_item_error_names_the_url():
    fmt = GovnewsLogFormatter()
    out = fmt.item_error(_page(), ValueError("x"), None, None)
    assert _line(out) == "Error processing http://www.example.gov.cn/a.html"
    assert _line(fmt.item_error(object(), ValueError("x"), None, None)) == "Error processing ?"
