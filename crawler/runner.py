"""Run crawls in this process: settings for one invocation, then Scrapy's CrawlerProcess."""

from __future__ import annotations

from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.progress import Progress
from crawler.settings import govnews_settings, leave_out_switched_off
from crawler.sites import Site
from crawler.spiders.district_news import DistrictNewsSpider
from crawler.verdict import NOT_STARTED, NOT_STARTED_KEY
from warehouse.layout import Layout, new_run_id


def crawl_settings(archive: Path | str | None = None, *, via: str = "", full: bool = False, since: str = "",
                   recheck_days: int = 0, run_id: str | None = None, started_at: str = "",
                   log_level: str | None = None, extra: dict | None = None) -> Settings:
    """``started_at``: ISO time of the ``start`` run events the caller already wrote (see RunRecorder)."""
    settings = govnews_settings()  # never from scrapy.cfg: the same wherever govnews starts
    settings.set("GOVNEWS_ARCHIVE", str(Layout.at(archive).root), priority="cmdline")
    settings.set("GOVNEWS_RUN_ID", run_id or new_run_id(), priority="cmdline")
    settings.set("GOVNEWS_FULL", full, priority="cmdline")
    settings.set("GOVNEWS_SINCE", since or "", priority="cmdline")
    settings.set("GOVNEWS_RECHECK_DAYS", int(recheck_days or 0), priority="cmdline")
    settings.set("GOVNEWS_RUN_STARTED_AT", started_at or "", priority="cmdline")
    if via:
        settings.set("GOVNEWS_VIA", via, priority="cmdline")  # on loopback the spider relaxes politeness
    if log_level:
        settings.set("LOG_LEVEL", log_level, priority="cmdline")
    for key, value in (extra or {}).items():
        settings.set(key, value, priority="cmdline")
    leave_out_switched_off(settings)
    return settings


def run_crawl(sites: list[Site], settings: Settings, *, progress: str = "off") -> dict[str, dict]:
    """Crawl ``sites`` (concurrently, one crawler each) and return each site's final stats.

    ``progress``: ``off``, ``live`` (a rich table on stderr) or ``plain`` (a line per site now and then).
    """
    process = CrawlerProcess(settings)
    crawlers = {}
    refused: dict[str, str] = {}  # slug -> why its crawler did not start (a component refused its settings)

    def not_started(failure, slug: str) -> None:
        refused[slug] = f"{failure.value}" or type(failure.value).__name__

    for site in sites:
        crawler = process.create_crawler(DistrictNewsSpider)
        crawlers[site.slug] = crawler
        process.crawl(crawler, site=site.slug).addErrback(not_started, site.slug)
    display = None
    if progress != "off":
        display = Progress(crawlers, interactive=progress == "live")
        display.start()
    try:
        process.start()
    finally:
        if display is not None:
            display.stop()
    results = {slug: crawler.stats.get_stats() for slug, crawler in crawlers.items()}
    for slug, why in refused.items():
        results[slug] = {**results[slug], "finish_reason": NOT_STARTED, NOT_STARTED_KEY: why}
    return results
