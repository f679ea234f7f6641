"""ArchivePipeline: every response the crawler receives -> a WARC request/response pair + a captures row.

The WARC is the source of truth (everything else can be re-derived from it).
Responses are archived from Scrapy's ``response_received`` signal, which sees
every response the engine gets (list and article pages, robots.txt, error
pages before HttpErrorMiddleware drops them, attachments), and redirects are
archived by :class:`ArchiveWireMiddleware` before RedirectMiddleware consumes
them. Fetches that end without a response arrive as
:data:`pipelines.signals.fetch_failed` and get a captures row without a
WARC location.

Items find their record by URL: :meth:`ArchivePipeline.process_item` puts the
WARC location on the item, and the captures row of a list or article page is
finished when Scrapy says how its item ended (``item_scraped`` /
``item_dropped`` / ``item_error``), so ``outcome`` tells stored from unchanged
from dropped and why.
"""

from __future__ import annotations

import time

from collections import defaultdict
from datetime import datetime, timezone
from http import HTTPStatus
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import signals

from pipelines import runctx
from pipelines import signals as govnews_signals
from pipelines.http import content_type as http_content_type
from pipelines.http import header_pairs
from warehouse.identity import url_key
from warehouse.warc import WarcLocation, WarcSink, recover_open_files
from warehouse.writer import PartitionedWriter

#: sent by ArchiveWireMiddleware for a 3xx that RedirectMiddleware is about to follow
redirect_received = object()

_REDIRECTS = (301, 302, 303, 307, 308)
_WIRE_HEADERS = ("Content-Encoding", "Transfer-Encoding", "Content-Length")
_ARCHIVED_FLAG = "govnews_archived"
_HTML_TYPES = ("text/html", "application/xhtml", "text/xml", "application/xml", "text/plain")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def classify(status: int | None) -> str:
    """The outcome of a response when no middleware classified it (pipelines.signals.OUTCOMES)."""
    if status is None:
        return "error"
    if status == 204:
        return "no_content"
    if status < 400:
        return "ok"
    if status == 404:
        return "not_found"
    if status == 410:
        return "gone"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server_error"
    return "client_error"


def guess_kind(url: str, status: int | None, content_type: str | None, asked: str | None = None) -> str:
    """What a response is before (or without) an item saying so: robots, redirect, attachment, or
    what the spider asked for (``asked``: list, article; request.meta[KIND_KEY]), else other."""
    if urlsplit(url).path == "/robots.txt":
        return "robots"
    if status is not None and 300 <= status < 400:
        return "redirect"
    ct = (content_type or "").lower()
    if status is not None and 200 <= status < 300 and ct and not ct.startswith(_HTML_TYPES):
        return "attachment"
    return asked or "other"


def _truncated(response, outcome: str) -> str | None:
    """A WARC-Truncated reason, or None when the body is whole."""
    if outcome == "too_large":
        return "length"
    if outcome == "truncated" or {"dataloss", "partial"} & set(response.flags or ()):
        return "disconnect"
    return None


class ArchiveWireMiddleware:
    """Downloader middleware (priority 650, between HttpProxy 750 and Redirect 600).

    It sees each response as it came off the wire, before HttpCompressionMiddleware
    (590) decodes it and before RedirectMiddleware (600) turns a 3xx into a new
    request. It notes the transfer headers the server sent (Scrapy deletes
    ``Content-Encoding`` once it decodes) and hands redirects to the archive.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        wire = {}
        for name in _WIRE_HEADERS:
            value = response.headers.get(name)
            if value is not None:
                wire[name] = value.decode("latin-1")
        if wire:
            request.meta["govnews_wire"] = wire
        if response.status in _REDIRECTS and b"Location" in response.headers and not request.meta.get("dont_redirect"):
            self.crawler.signals.send_catch_log(redirect_received, response=response, request=request)
        return response


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
        # url -> captures entries [row, month] of 2xx responses that may still become items
        self.pending: dict[str, list[list]] = defaultdict(list)
        # url -> the entry an item in flight claimed
        self.claimed: dict[str, list] = {}

    @classmethod
    def from_crawler(cls, crawler):
        pipe = cls(crawler)
        connect = crawler.signals.connect
        connect(pipe.response_received, signal=signals.response_received)
        connect(pipe.redirect_received, signal=redirect_received)
        connect(pipe.fetch_failed, signal=govnews_signals.fetch_failed)
        connect(pipe.article_accepted, signal=govnews_signals.article_accepted)
        connect(pipe.articles_committing, signal=govnews_signals.articles_committing)
        connect(pipe.item_scraped, signal=signals.item_scraped)
        connect(pipe.item_dropped, signal=signals.item_dropped)
        connect(pipe.item_error, signal=signals.item_error)
        return pipe

    # ------------------------------------------------------------------ lifecycle

    def open_spider(self) -> None:
        for rec in recover_open_files(self.layout):
            self.stats.inc_value(f"govnews/archive/recovered/{rec.action}")

    def close_spider(self) -> None:
        cpu = time.thread_time()
        for entries in self.pending.values():
            for row, month in entries:
                self.captures.add(row, month)
        for row, month in self.claimed.values():
            row["outcome"] = row["outcome"] or "error"
            self.captures.add(row, month)
        self.pending.clear()
        self.claimed.clear()
        self.sink.close()
        self.captures.flush()
        self.stats.inc_value("govnews/cpu/write_seconds", time.thread_time() - cpu, start=0.0)

    # ------------------------------------------------------------------ responses

    def _site(self) -> str:
        site = getattr(self.crawler.spider, "site", None)
        return site.slug if site is not None else (getattr(self.crawler.spider, "name", None) or "unknown")

    def _row(self, *, url: str, kind: str, status: int | None, content_type: str | None, outcome: str,
             fetched_at: datetime, loc: WarcLocation | None = None, length: int | None = None,
             truncated: bool = False, reason: str | None = None, redirect_to: str | None = None) -> dict:
        return {
            "url": url, "url_key": url_key(url), "site": self._site(), "kind": kind, "status": status,
            "content_type": content_type, "outcome": outcome, "fetched_at": fetched_at, "length": length,
            "payload_digest": loc.payload_digest if loc else None,
            "warc_file": loc.file if loc else None, "warc_offset": loc.offset if loc else None,
            "warc_length": loc.length if loc else None, "run_id": self.run_id, "truncated": truncated,
            "reason": reason, "redirect_to": redirect_to, "origin": "crawl",
        }

    def _archive(self, response, request) -> list:
        cpu = time.thread_time()
        fetched_at = datetime.now(timezone.utc)
        headers = header_pairs(response.headers)
        present = {k.lower() for k, _ in headers}
        wire = request.meta.get("govnews_wire") or {}
        # what Scrapy removed after decoding goes back in, to be kept as X-Govnews-Original-*
        headers += [(k, v) for k, v in wire.items() if k.lower() not in present]
        status = response.status
        outcome = request.meta.get("govnews_outcome") or classify(status)
        truncated = _truncated(response, outcome)
        is_redirect = _ARCHIVED_FLAG in response.flags
        month = f"{fetched_at:%Y-%m}"
        ip = getattr(response, "ip_address", None)
        loc = self.sink.file_for(self._site(), month).write_exchange(
            url=response.url, fetched_at=fetched_at, status=status, reason=_reason(status),
            protocol=response.protocol or "HTTP/1.1", headers=headers, body=response.body,
            method=request.method, request_headers=header_pairs(request.headers),
            decoded=not is_redirect, truncated=truncated, ip_address=str(ip) if ip else None,
        )
        self.stats.inc_value("govnews/archive/records")
        self.stats.inc_value("govnews/archive/warc_bytes", loc.length)
        content_type = http_content_type(headers)
        kind = guess_kind(response.url, status, content_type, request.meta.get(govnews_signals.KIND_KEY))
        location = response.headers.get("Location")
        row = self._row(url=response.url, kind=kind, status=status, content_type=content_type, outcome=outcome,
                        fetched_at=fetched_at, loc=loc, length=len(response.body), truncated=bool(truncated),
                        reason=request.meta.get("govnews_reason"),
                        redirect_to=location.decode("latin-1") if location and 300 <= status < 400 else None)
        self.stats.inc_value(f"govnews/archive/kind/{kind}")
        self.stats.inc_value("govnews/cpu/write_seconds", time.thread_time() - cpu, start=0.0)
        return [row, month]

    def response_received(self, response, request, spider=None) -> None:
        if _ARCHIVED_FLAG in response.flags:
            return  # a redirect archived on its way in that RedirectMiddleware then let through
        entry = self._archive(response, request)
        row = entry[0]
        # robots.txt and a multi-page article's later pages (fetched by ExtractPipeline) never become items
        if row["kind"] not in ("robots", "article_page") and self._reaches_spider(response, request):
            self.pending[row["url"]].append(entry)  # may become a list or article item
        else:
            self.captures.add(*entry)

    def _reaches_spider(self, response, request) -> bool:
        """Whether HttpErrorMiddleware lets the response through to a callback (which may yield an item)."""
        status = response.status
        if 200 <= status < 300 or request.meta.get("handle_httpstatus_all"):
            return True
        allowed = request.meta.get("handle_httpstatus_list")
        if allowed is None:
            allowed = getattr(self.crawler.spider, "handle_httpstatus_list", ())
        return status in allowed

    def redirect_received(self, response, request) -> None:
        response.flags.append(_ARCHIVED_FLAG)
        self.captures.add(*self._archive(response, request))

    def fetch_failed(self, request, outcome: str = "error", reason: str = "", **_) -> None:
        now = datetime.now(timezone.utc)
        kind = guess_kind(request.url, None, None, request.meta.get(govnews_signals.KIND_KEY))
        row = self._row(url=request.url, kind=kind, status=None, content_type=None, outcome=outcome or "error",
                        fetched_at=now, reason=reason or None, truncated=outcome == "truncated")
        self.stats.inc_value("govnews/archive/failed_fetches")
        self.captures.add(row, f"{now:%Y-%m}")

    # ------------------------------------------------------------------ items

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if "body" not in adapter:
            return item
        url = adapter["url"]
        entries = self.pending.get(url)
        if entries:
            entry = entries.pop(0)
            if not entries:
                del self.pending[url]
        else:  # no response seen for it (an item made without the engine): archive from the item
            entry = self._archive_item(adapter)
        row = entry[0]
        row["kind"] = adapter.get("kind") or row["kind"]
        if row["kind"] == "article":
            row.update(hint_column=adapter.get("column") or None, hint_title=adapter.get("list_title") or None,
                       hint_date=adapter.get("list_date") or None, hint_pinned=bool(adapter.get("pinned")))
        adapter["warc_file"], adapter["warc_offset"], adapter["warc_length"] = (
            row["warc_file"], row["warc_offset"], row["warc_length"])
        # one fetch time everywhere: the record's WARC-Date, the capture's and the article's
        adapter["fetched_at"] = row["fetched_at"]
        old = self.claimed.pop(url, None)
        if old is not None:  # the same URL in flight twice: keep the first row
            self.captures.add(*old)
        self.claimed[url] = entry
        return item

    def _archive_item(self, adapter: ItemAdapter) -> list:
        fetched_at = adapter["fetched_at"]
        month = f"{fetched_at.astimezone(timezone.utc):%Y-%m}"
        loc = self.sink.file_for(adapter["site"], month).write_exchange(
            url=adapter["url"], fetched_at=fetched_at, status=adapter["status"], reason=_reason(adapter["status"]),
            protocol=adapter.get("protocol") or "HTTP/1.1", headers=adapter["headers"], body=adapter["body"],
            method=adapter.get("method") or "GET", request_headers=adapter.get("request_headers"),
        )
        self.stats.inc_value("govnews/archive/records")
        self.stats.inc_value("govnews/archive/warc_bytes", loc.length)
        row = self._row(url=adapter["url"], kind=adapter["kind"], status=adapter["status"],
                        content_type=http_content_type(adapter["headers"]), outcome=classify(adapter["status"]),
                        fetched_at=fetched_at, loc=loc, length=len(adapter["body"]))
        row["site"] = adapter["site"]
        return [row, month]

    def _finish(self, item, outcome: str | None) -> None:
        entry = self.claimed.pop(ItemAdapter(item).get("url") or "", None)
        if entry is None:
            return
        row, month = entry
        status = row.get("status") or 0
        if outcome is not None and (200 <= status < 300 or outcome == "error"):
            row["outcome"] = outcome  # a 404/410 let through (a recheck) keeps not_found/gone
        self.stats.inc_value(f"govnews/archive/outcome/{row['outcome']}")
        self.captures.add(row, month)

    def article_accepted(self, item) -> None:
        self._finish(item, "stored")  # before the article joins its batch (item_scraped comes later)

    def articles_committing(self) -> None:
        self.captures.flush()

    def item_scraped(self, item, response=None, spider=None) -> None:
        kind = ItemAdapter(item).get("kind", "article")
        self._finish(item, "stored" if kind == "article" else None)

    def item_dropped(self, item, response=None, exception=None, spider=None) -> None:
        name = type(exception).__name__ if exception else ""
        self._finish(item, "unchanged" if name == "Unchanged" else (f"dropped:{name}" if name else "dropped"))

    def item_error(self, item, response=None, spider=None, failure=None) -> None:
        self._finish(item, "error")
