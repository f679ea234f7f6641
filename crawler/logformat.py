"""Scrapy's log lines, without the item.

Scrapy's default formatter writes ``Dropped: <reason>`` followed by the whole item: for a page
item that is the response body, tens of kilobytes of escaped bytes in the log for every page
validation drops (and the CPU to build them). govnews' drop reasons already name the URL
(``pipelines.validate``), so the line keeps the reason only; an item error names the URL.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter


def _url(item) -> str:
    try:
        return str(ItemAdapter(item).get("url") or "?")
    except TypeError:  # not an item type itemadapter knows
        return "?"


class GovnewsLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        out = super().dropped(item, exception, response, spider)
        out["msg"], out["args"] = "Dropped: %(exception)s", {"exception": exception}
        return out

    def item_error(self, item, exception, response, spider):
        out = super().item_error(item, exception, response, spider)
        out["msg"], out["args"] = "Error processing %(url)s", {"url": _url(item)}
        return out
