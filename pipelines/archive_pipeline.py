"""ArchivePipeline: every fetched response -> a WARC request/response pair + a captures row.

The WARC is the source of truth (everything else can be re-derived from it).
The captures row of a response is finished when Scrapy says how its item
ended (``item_scraped`` / ``item_dropped`` / ``item_error``), so its
``outcome`` tells stored from dropped and why.
"""

from __future__ import annotations

from datetime import timezone
from http import HTTPStatus

from itemadapter import ItemAdapter
from scrapy import signals

from pipelines import runctx
from warehouse.identity import url_key
from warehouse.warc import WarcSink
from warehouse.writer import PartitionedWriter


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _content_type(headers: list[tuple[str, str]]) -> str | None:
    for k, v in headers:
        if k.lower() == "content-type":
            return v
    return None


class ArchivePipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.layout = runctx.layout(crawler)
        self.run_id = runctx.run_id(crawler)
        self.sink = WarcSink(self.layout, self.run_id, crawler.settings.getint("ARCHIVE_WARC_MAX_BYTES", 1024**3))
        self.captures = PartitionedWriter(
            self.layout, "captures", self.run_id, crawler.settings.getint("ARCHIVE_BATCH_ROWS", 5000)
        )
        self.pending: dict[str, tuple[dict, str]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        pipe = cls(crawler)
        crawler.signals.connect(pipe.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(pipe.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipe.item_error, signal=signals.item_error)
        return pipe

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if "body" not in adapter:
            return item
        fetched_at = adapter["fetched_at"]
        month = f"{fetched_at.astimezone(timezone.utc):%Y-%m}"
        warc = self.sink.file_for(adapter["site"], month)
        loc = warc.write_exchange(
            url=adapter["url"],
            fetched_at=fetched_at,
            status=adapter["status"],
            reason=_reason(adapter["status"]),
            protocol=adapter.get("protocol") or "HTTP/1.1",
            headers=adapter["headers"],
            body=adapter["body"],
            method=adapter.get("method") or "GET",
            request_headers=adapter.get("request_headers"),
        )
        adapter["warc_file"], adapter["warc_offset"], adapter["warc_length"] = loc.file, loc.offset, loc.length
        self.stats.inc_value("govnews/archive/records")
        self.stats.inc_value("govnews/archive/warc_bytes", loc.length)
        row = {
            "url": adapter["url"],
            "url_key": url_key(adapter["url"]),
            "site": adapter["site"],
            "kind": adapter["kind"],
            "status": adapter["status"],
            "content_type": _content_type(adapter["headers"]),
            "outcome": None,
            "fetched_at": fetched_at,
            "length": len(adapter["body"]),
            "payload_digest": loc.payload_digest,
            "warc_file": loc.file,
            "warc_offset": loc.offset,
            "warc_length": loc.length,
            "run_id": self.run_id,
        }
        self.pending[adapter["url"]] = (row, month)
        return item

    def _finish(self, item, outcome: str) -> None:
        adapter = ItemAdapter(item)
        entry = self.pending.pop(adapter.get("url") or "", None)
        if entry is None:
            return
        row, month = entry
        row["outcome"] = outcome
        self.captures.add(row, month)

    def item_scraped(self, item, response=None, spider=None) -> None:
        self._finish(item, "stored" if ItemAdapter(item).get("kind", "article") == "article" else "ok")

    def item_dropped(self, item, response=None, exception=None, spider=None) -> None:
        self._finish(item, f"dropped:{type(exception).__name__}" if exception else "dropped")

    def item_error(self, item, response=None, spider=None, failure=None) -> None:
        self._finish(item, "error")

    def close_spider(self) -> None:
        for row, month in self.pending.values():
            row["outcome"] = row["outcome"] or "unfinished"
            self.captures.add(row, month)
        self.pending.clear()
        self.sink.close()
        self.captures.flush()
