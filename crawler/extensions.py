"""RunRecorder: exactly one run record (a ``start`` and an ``end`` event) per crawl of a site.

``govnews crawl`` writes the ``start`` events itself, right after taking the
crawl lock and before Scrapy starts, so a run killed at any later moment is
on record (and the next locked crawl marks it ``crashed``); it tells this
extension so with ``GOVNEWS_RUN_STARTED_AT``. Under plain ``scrapy crawl``
the extension writes the ``start`` event when the spider opens.
"""

from __future__ import annotations

import errno
import json
import resource
import sys
from datetime import datetime

from scrapy import signals

from crawler.diskguard import reserve, reserve_path
from crawler.verdict import blocked_count, run_verdict
from pipelines import runctx
from warehouse.runs import now, write_run_event


def peak_rss_bytes(who: int = resource.RUSAGE_SELF) -> int:
    """Peak resident memory (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(who).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def errors_by_class(stats: dict) -> dict[str, int]:
    """Error counts by class, from Scrapy's and govnews' stats.

    Download exceptions (``TimeoutError``, ``ConnectionRefusedError``...),
    callback exceptions, 5xx answers and error-level log lines.
    """
    out: dict[str, int] = {}

    def add(name: str, n) -> None:
        if n:
            out[name] = out.get(name, 0) + int(n)

    for key, value in stats.items():
        if not isinstance(value, (int, float)):
            continue
        if key.startswith("downloader/exception_type_count/"):
            add(key.rsplit("/", 1)[1].rsplit(".", 1)[-1], value)
        elif key.startswith("spider_exceptions/") and key != "spider_exceptions/count":
            add("spider:" + key.split("/", 1)[1], value)
        elif key.startswith("downloader/response_status_count/5"):
            add("http_" + key.rsplit("/", 1)[1], value)
    add("log_error", stats.get("log_count/ERROR", 0))
    return out


class RunRecorder:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        started = crawler.settings.get("GOVNEWS_RUN_STARTED_AT") or ""
        self.start_written = bool(started)
        self.started_at: datetime | None = datetime.fromisoformat(started) if started else None
        self.job = json.loads(crawler.settings.get("GOVNEWS_RUN_JOB") or "null")  # set by govnews worker

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
        reserve(self._reserve())  # room for the end event, should the disk fill meanwhile
        if self.start_written:
            return
        self.started_at = now()
        write_run_event(runctx.layout(self.crawler), run_id=runctx.run_id(self.crawler), site=self._site(),
                        event="start", status="running", started_at=self.started_at, job=self.job)
        self.start_written = True

    def _reserve(self):
        return reserve_path(runctx.layout(self.crawler).state_dir(), runctx.run_id(self.crawler), self._site())

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
            "blocked": blocked_count(stats),
        }
        stats_out = {k: str(v) for k, v in stats.items() if isinstance(v, (int, float, str))}
        stats_out["govnews/peak_rss_children_bytes"] = str(peak_rss_bytes(resource.RUSAGE_CHILDREN))
        def end() -> None:
            verdict = run_verdict(reason, stats)
            write_run_event(
                runctx.layout(self.crawler), run_id=runctx.run_id(self.crawler), site=self._site(), event="end",
                status=verdict.status, started_at=self.started_at or now(), ended_at=now(),
                finish_reason=verdict.reason, counts=counts, stats=stats_out, errors_by_class=errors_by_class(stats),
                peak_rss_bytes=peak_rss_bytes(), exit_code=verdict.exit_code, job=self.job,
            )

        try:
            end()
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            reason = "disk_full"  # the disk filled under us: free the reserve, say so
            self.crawler.stats.set_value("finish_reason", reason)
            self._reserve().unlink(missing_ok=True)
            end()
        finally:
            self._reserve().unlink(missing_ok=True)
