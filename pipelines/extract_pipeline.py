"""ExtractPipeline: article pages -> article rows, in a process pool (never in the reactor thread).

Each worker (:mod:`pipelines.extract_worker`) decodes the page (Scrapy's charset, verified; see
``pipelines.extract.decode_html``) and runs the pure extraction. The
pipeline awaits the worker's result from an ``async def process_item``, so
the reactor keeps downloading while both cores extract. Pages go to the
workers in batches (``EXTRACT_BATCH`` pages, or what arrived within
``EXTRACT_BATCH_WAIT`` seconds; :mod:`pipelines.extract_batch`).
"""

from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone

from itemadapter import ItemAdapter
from scrapy import Request

from pipelines.extract import EXTRACTOR_VERSION, ListHints, SiteHints
from pipelines.extract.join import join_pages
from pipelines.extract_batch import Batcher
from pipelines.extract_worker import NICE_RANGE, extract_page, take
from pipelines.http import content_type, header_pairs
from pipelines.signals import KIND_KEY
from warehouse.identity import url_key

logger = logging.getLogger(__name__)


def article_row(page: ItemAdapter, fields: dict, hints: SiteHints, run_id: str) -> dict:
    """The ``articles`` row of one extracted page (schema: warehouse.schema.ARTICLES)."""
    return {
        "url": page["url"],
        "url_key": url_key(page["url"]),
        "site": page["site"],
        "district": hints.district or None,
        "city": hints.city or None,
        "province": hints.province or None,
        "admin_code": fields.get("admin_code") or hints.admin_code or None,
        "column": fields.get("column"),
        "title": fields.get("title"),
        "subtitle": fields.get("subtitle"),
        "published_at": fields.get("published_at"),
        "date_source": fields.get("date_source"),
        "source": fields.get("source"),
        "authors": fields.get("authors") or [],
        "editor": fields.get("editor"),
        "body_text": fields.get("body_text"),
        "attachments": fields.get("attachments") or [],
        "images": fields.get("images") or [],
        "meta": list((fields.get("meta") or {}).items()),
        "content_sha256": fields.get("content_sha256"),
        "fetched_at": page["fetched_at"],
        "run_id": run_id,
        "warc_file": page.get("warc_file"),
        "warc_offset": page.get("warc_offset"),
        "warc_length": page.get("warc_length"),
        "encoding": fields.get("encoding"),
        "extractor_version": fields.get("extractor_version") or EXTRACTOR_VERSION,
        "photographers": fields.get("photographers") or [],
        "index_no": fields.get("index_no"),
        "doc_number": fields.get("doc_number"),
        "issuer": fields.get("issuer"),
        "written_at": fields.get("written_at"),
        "page_urls": fields.get("page_urls") or [],
        "pages_failed": fields.get("pages_failed") or [],
        "kind": "article",
        "status": page["status"],
    }


#: what the pipeline reads where a setting is unset (crawler/settings.py sets the same)
DEFAULTS = {"EXTRACT_WORKERS": 2, "EXTRACT_BATCH": 8, "EXTRACT_BATCH_WAIT": 0.02, "EXTRACT_NICE": 10}


def _number(settings, name: str, kind: type, ok, allowed: str):
    raw = settings.get(name, DEFAULTS[name])
    try:
        value = kind(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or not ok(value):
        raise ValueError(f"{name} must be {allowed}, not {raw!r}")
    return value


def extract_settings(settings) -> tuple[int, int, float, int]:
    """``EXTRACT_WORKERS``, ``EXTRACT_BATCH``, ``EXTRACT_BATCH_WAIT``, ``EXTRACT_NICE``, checked.

    A wrong value raises ValueError naming the setting, and the crawl does not start: extraction is
    never switched off by a typo (a crawl without it would store pages and no articles)."""
    return (_number(settings, "EXTRACT_WORKERS", int, lambda v: v >= 1, "a whole number of processes, 1 or more"),
            _number(settings, "EXTRACT_BATCH", int, lambda v: v >= 1, "a whole number of pages, 1 or more"),
            _number(settings, "EXTRACT_BATCH_WAIT", float, lambda v: 0 <= v <= 10, "0..10 seconds"),
            _number(settings, "EXTRACT_NICE", int, lambda v: v in NICE_RANGE,
                    "0..19 (niceness added to the workers)"))


class ExtractPipeline:
    def __init__(self, crawler, workers: int, batch: int, batch_wait: float, nice: int) -> None:
        self.crawler = crawler
        self.workers = workers
        self.nice = nice
        self.batch, self.batch_wait = batch, batch_wait
        self.pool: ProcessPoolExecutor | None = None
        self.batcher: Batcher | None = None
        self.hints = SiteHints()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, *extract_settings(crawler.settings))

    def open_spider(self) -> None:
        from pipelines import runctx

        self.run_id = runctx.run_id(self.crawler)
        site = getattr(self.crawler.spider, "site", None)
        self.hints = site.hints() if site is not None else SiteHints()
        self.pool = take(self.workers, self.nice)  # started by `govnews crawl` already (pipelines/extract_worker.py), or now
        self.batcher = Batcher(self.pool, extract_page, size=self.batch, wait=self.batch_wait)

    def close_spider(self) -> None:
        if self.batcher is not None:
            self.batcher.flush()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def process_item(self, item):
        page = ItemAdapter(item)
        if page.get("kind") != "article":
            return item
        list_hints = ListHints(column=page.get("column") or "", title=page.get("list_title") or "",
                               date=page.get("list_date") or "", pinned=bool(page.get("pinned")))
        fields = await self._extract(page["body"], page.get("encoding"), content_type(page["headers"]),
                                     page["url"], list_hints, page["fetched_at"])
        if fields.get("page_urls") and page.get("status") == 200:
            fields = join_pages(fields, [(url, await self._continuation(url, list_hints))
                                         for url in fields["page_urls"]])
            self.crawler.stats.inc_value("govnews/articles/multi_page")
        return article_row(page, fields, self.hints, self.run_id)

    async def _extract(self, body: bytes, declared: str | None, ctype: str | None, url: str,
                       list_hints: ListHints, fetched_at: datetime) -> dict:
        fields, cpu = await self.batcher.submit(body, declared, ctype, url, self.hints, list_hints, fetched_at)
        self.crawler.stats.inc_value("govnews/extract/pages")
        self.crawler.stats.inc_value("govnews/cpu/extract_seconds", cpu, start=0.0)
        return fields

    async def _continuation(self, url: str, list_hints: ListHints) -> dict | None:
        """Fetch and extract one more page of a multi-page article (None: it failed, counted in stats).

        The request goes through the downloader middlewares (address guard, politeness, retries) and
        the archive files its response as its own ``article_page`` capture; it never becomes an item.
        """
        stats = self.crawler.stats
        site = getattr(self.crawler.spider, "site", None)
        request = Request(url, headers=dict(site.headers) if site is not None else None,
                          meta={KIND_KEY: "article_page"})
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # refused address, timeout, robots: the article keeps the pages it has
            stats.inc_value("govnews/articles/pages_failed")
            logger.warning("page %s of a multi-page article not fetched: %s", url, type(exc).__name__)
            return None
        stats.inc_value("govnews/pages/article_page")
        if response.status != 200:
            stats.inc_value("govnews/articles/pages_failed")
            logger.warning("page %s of a multi-page article answered %s", url, response.status)
            return None
        headers = header_pairs(response.headers)
        return await self._extract(response.body, getattr(response, "encoding", None), content_type(headers),
                                   response.url, list_hints, datetime.now(timezone.utc))
