"""One generic spider for every district site: list pages -> pagination -> article pages.

Driven entirely by the site file (``-a site=<slug>``). Incremental: at start
it loads the ``url_key``s the archive already holds for the site; known
article links are skipped, and a column stops paging after
``stop_after_known`` known links in a row (pinned items do not count).

``GOVNEWS_RECHECK_DAYS`` (``--recheck-days N``) re-fetches the known articles
published in the last N days straight from their archived URLs, so an edit
becomes a new version and a removal (404/410) a tombstone in ``captures``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import scrapy
from scrapy.http import Response

from crawler.items import PageItem
from crawler.listing import parse_list_page
from crawler.settings import relax_for_loopback
from crawler.sites import Column, Site, SiteError, load_registry_with
from pipelines.http import header_pairs
from pipelines.signals import KIND_KEY
from warehouse.identity import url_key
from warehouse.layout import Layout
from warehouse.known import KnownArticle, known_article_info
from warehouse.runs import previous_status


GONE_STATUSES = (404, 410)


def _due_for_recheck(info: dict[str, KnownArticle], days: int) -> list[tuple[str, KnownArticle]]:
    """Known articles published in the last ``days`` days (undated ones are not rechecked)."""
    if days <= 0:
        return []
    since = datetime.now(timezone.utc) - timedelta(days=days)
    return sorted(
        ((key, k) for key, k in info.items() if k.published_at is not None and k.published_at >= since),
        key=lambda kv: kv[1].url,
    )


class SettingsMissing(RuntimeError):
    """The crawl runs without govnews' settings: no archive, no address guard, no politeness."""


def require_govnews_settings(settings) -> None:
    if settings.get("GOVNEWS_SETTINGS") != "crawler.settings":
        raise SettingsMissing(
            "govnews' settings are not loaded (Scrapy found no scrapy.cfg above the current folder): "
            "run `govnews crawl`, or `SCRAPY_SETTINGS_MODULE=crawler.settings scrapy crawl district_news ...`")


def load_site_for(settings, slug: str | None) -> Site:
    if not slug:
        raise SiteError("no site given: use -a site=<slug> (see `govnews sites`)")
    registry = load_registry_with(settings.getlist("GOVNEWS_SITES_DIRS"))
    if slug not in registry:
        raise SiteError(f"unknown site {slug!r} (see `govnews sites`)")
    return registry[slug]


class DistrictNewsSpider(scrapy.Spider):
    name = "district_news"

    def __init__(self, site: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.site_slug = site

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        relax_for_loopback(settings)  # every entry point: govnews crawl, scrapy crawl, a worker

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        require_govnews_settings(crawler.settings)
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.site = load_site_for(settings, spider.site_slug)
        spider.allowed_domains = list(spider.site.hosts)
        spider.full = settings.getbool("GOVNEWS_FULL")
        since = settings.get("GOVNEWS_SINCE") or ""
        spider.since = date.fromisoformat(since) if since else None
        spider.recheck_days = settings.getint("GOVNEWS_RECHECK_DAYS", 0)
        layout = Layout.at(settings.get("GOVNEWS_ARCHIVE"))
        info = known_article_info(layout, spider.site.slug) if (not spider.full or spider.recheck_days) else {}
        spider.known = set() if spider.full else set(info)
        spider.recheck = [] if spider.full else _due_for_recheck(info, spider.recheck_days)
        spider.queued: set[str] = set()
        # Stopping at known links assumes the archive holds each column's newest items
        # as one unbroken run, which holds only after a crawl that ended ``ok``. A killed,
        # shut down or failed crawl may have committed some new articles and not the older
        # ones below them: then page every column to its end (list pages are cheap; known
        # articles are still skipped).
        spider.previous = previous_status(layout, spider.site.slug, exclude_run_id=settings.get("GOVNEWS_RUN_ID"))
        spider.deep = bool(spider.known) and spider.previous not in (None, "ok")
        return spider

    async def start(self):
        stats = self.crawler.stats
        for key in self.settings.getlist("GOVNEWS_RECORDED_SETTINGS"):
            stats.set_value(f"govnews/settings/{key}", str(self.settings.get(key)))
        stats.set_value("govnews/known_at_start", len(self.known))
        if self.deep:
            stats.set_value("govnews/columns/deep_paging", 1)
            self.logger.info("the last crawl of %s ended %s: paging every column to its end", self.site.slug,
                             self.previous)
        for key, known in self.recheck:
            # straight from the archive: a removed article is on no list page any more
            self.queued.add(key)
            stats.inc_value("govnews/links/recheck")
            yield scrapy.Request(
                known.url, callback=self.parse_article, dont_filter=True,
                meta={"handle_httpstatus_list": list(GONE_STATUSES), "govnews_recheck": True, KIND_KEY: "article"},
                cb_kwargs={"column": known.column or "", "title": "", "list_date": "", "pinned": False},
            )
        for column in self.site.columns:
            yield scrapy.Request(column.page_url(0), callback=self.parse_list, meta={KIND_KEY: "list"},
                                 cb_kwargs={"column": column, "index": 0})

    def _item(self, response: Response, kind: str, **extra) -> PageItem:
        return PageItem(
            site=self.site.slug,
            kind=kind,
            url=response.url,
            status=response.status,
            headers=header_pairs(response.headers),
            request_headers=header_pairs(response.request.headers) if response.request else [],
            method=response.request.method if response.request else "GET",
            protocol=response.protocol or "HTTP/1.1",
            body=response.body,
            encoding=getattr(response, "encoding", None),
            fetched_at=datetime.now(timezone.utc),
            **extra,
        )

    def parse_list(self, response: Response, column: Column, index: int, streak: int = 0):
        """``streak``: known links in a row so far, carried over from the previous page."""
        stats = self.crawler.stats
        stats.inc_value("govnews/pages/list")
        yield self._item(response, "list", column=column.name)
        page = parse_list_page(response.text, response.url, column.rules, self.site.hosts)
        known_in_a_row = streak
        longest = streak
        older_than_since = 0
        for link in page.links:
            key = url_key(link.url)
            if self.since and link.date and not link.pinned and date.fromisoformat(link.date) < self.since:
                older_than_since += 1
            if key in self.known:
                stats.inc_value("govnews/links/known")
                if not link.pinned:
                    known_in_a_row += 1
                    longest = max(longest, known_in_a_row)
                continue
            if not link.pinned:
                known_in_a_row = 0
            if key in self.queued:
                continue
            self.queued.add(key)
            stats.inc_value("govnews/links/new")
            yield scrapy.Request(
                link.url,
                callback=self.parse_article,
                meta={KIND_KEY: "article"},
                cb_kwargs={"column": column.name, "title": link.title, "list_date": link.date, "pinned": link.pinned},
            )
        if self._more_pages(column, index, page, longest, older_than_since):
            yield scrapy.Request(
                column.page_url(index + 1),
                callback=self.parse_list,
                meta={KIND_KEY: "list"},
                cb_kwargs={"column": column, "index": index + 1, "streak": known_in_a_row},
            )

    def _more_pages(self, column: Column, index: int, page, longest_known_run: int, older: int) -> bool:
        rules = column.rules
        if not rules.page_url or not page.links or index + 1 >= rules.max_pages:
            return False
        if page.page_count is not None and index + 1 >= page.page_count:
            return False
        if self.since is not None:
            # backfill: page until the whole page is older than --since
            unpinned = sum(1 for link in page.links if not link.pinned)
            return older < unpinned
        if not self.full and not self.deep and longest_known_run >= self.site.stop_after_known:
            self.crawler.stats.inc_value("govnews/columns/stopped_at_known")
            return False
        return True

    def parse_article(self, response: Response, column: str, title: str, list_date: str, pinned: bool):
        self.crawler.stats.inc_value("govnews/pages/article")
        if response.status in GONE_STATUSES:
            # only rechecked requests let 404/410 through: the archive's tombstone
            self.crawler.stats.inc_value("govnews/articles/gone")
        yield self._item(response, "article", column=column, list_title=title, list_date=list_date, pinned=pinned)
