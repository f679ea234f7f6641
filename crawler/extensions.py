"""RunRecorder: one ``start`` and one ``end`` run record per crawl of a site."""

from __future__ import annotations

from scrapy import signals

from pipelines import runctx
from warehouse.runs import now, write_run_event


def run_status(finish_reason: str, errors: int, fetched: int) -> str:
    if finish_reason == "finished":
        return "ok" if errors == 0 else "partial"
    if finish_reason == "shutdown":
        return "partial"
    return "failed" if fetched == 0 else "partial"


class RunRecorder:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.started_at = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _site(self) -> str:
        site = getattr(self.crawler.spider, "site", None)
        return site.slug if site is not None else "unknown"

    def spider_opened(self, spider=None) -> None:
        self.started_at = now()
        write_run_event(runctx.layout(self.crawler), run_id=runctx.run_id(self.crawler), site=self._site(),
                        event="start", status="running", started_at=self.started_at)

    def spider_closed(self, spider=None, reason: str = "finished") -> None:
        stats = self.crawler.stats.get_stats()
        errors = int(stats.get("log_count/ERROR", 0)) + int(stats.get("spider_exceptions/count", 0) or 0)
        counts = {
            "list_pages": int(stats.get("govnews/pages/list", 0)),
            "article_pages": int(stats.get("govnews/pages/article", 0)),
            "new_articles": int(stats.get("govnews/articles/new", 0)),
            "new_versions": int(stats.get("govnews/articles/new_versions", 0)),
            "dropped": int(stats.get("item_dropped_count", 0)),
            "errors": errors,
            "bytes": int(stats.get("downloader/response_bytes", 0)),
        }
        fetched = int(stats.get("response_received_count", 0))
        write_run_event(
            runctx.layout(self.crawler), run_id=runctx.run_id(self.crawler), site=self._site(), event="end",
            status=run_status(reason, errors, fetched), started_at=self.started_at or now(), ended_at=now(),
            finish_reason=reason, counts=counts,
            stats={k: str(v) for k, v in stats.items() if isinstance(v, (int, float, str))},
        )
