"""The run id and archive layout shared by every component of one crawler."""

from __future__ import annotations

from warehouse.layout import Layout, new_run_id


def run_id(crawler) -> str:
    """One id per crawler: ``GOVNEWS_RUN_ID`` when the CLI set it, else made once and kept in stats."""
    rid = crawler.stats.get_value("govnews/run_id")
    if not rid:
        rid = crawler.settings.get("GOVNEWS_RUN_ID") or new_run_id()
        crawler.stats.set_value("govnews/run_id", rid)
    return rid


def layout(crawler) -> Layout:
    return Layout.at(crawler.settings.get("GOVNEWS_ARCHIVE"))
