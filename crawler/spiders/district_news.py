"""One generic spider for every district site: list pages -> pagination -> article pages.

Driven entirely by the site file (``-a site=<slug>``). Incremental: at start
it loads the ``url_key``s the archive already holds for the site; known
article links are skipped, and a column stops paging after
``stop_after_known`` known links in a row (pinned items do not count).

Paging: the first list page states what later pages need (the page or
record count, the ``page_vars`` its scripts name); later pages are GET
``page_url`` or POST ``page_form`` (JSON APIs, Hanweb jpage). A column stops
paging at its last page, or at a page that adds no article link this crawl
has not seen (deep ``index_N.html`` pages of many portals are 300–400-byte
stubs): ``govnews/columns/stopped_no_new_links``. A first page that is a
redirect shell is followed once, to one of the site's hosts only.
Requests carry the site file's ``headers`` (Haidian wants a Referer).

``GOVNEWS_RECHECK_DAYS`` (``--recheck-days N``) re-fetches the known articles
published in the last N days straight from their archived URLs, so an edit
becomes a new version and a removal (404/410) a tombstone in ``captures``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawler.items import PageItem
from crawler.listing import parse_list_page
from crawler.settings import relax_for_loopback
from crawler.sites import Column, Site, SiteError, load_registry_with
from pipelines.extract import decode_html
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
def list_text(response: Response) -> str:
    """A list page's text, decoded as extraction decodes (the bytes decide when no charset is declared)."""
    content_type = response.headers.get("Content-Type", b"").decode("latin-1")
    return decode_html(response.body, None, content_type or None)[0]


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
        spider.column_links: dict[str, set[str]] = {}  # column -> article links its list pages showed this crawl
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
            yield self._request(
                known.url, callback=self.parse_article, dont_filter=True,
                meta={"handle_httpstatus_list": list(GONE_STATUSES), "govnews_recheck": True, KIND_KEY: "article"},
                cb_kwargs={"column": known.column or "", "title": "", "list_date": "", "pinned": False},
            )
        for column in self.site.columns:
            yield self._request(column.page_url(0), callback=self.parse_list, meta={KIND_KEY: "list"},
                                cb_kwargs={"column": column, "index": 0})

    def _request(self, url: str, *, form: dict[str, str] | None = None, **kwargs) -> scrapy.Request:
        """A request to the site with the site file's headers (a POST when ``form`` is given)."""
        headers = {**dict(self.site.headers), **kwargs.pop("headers", {})}
        if form is not None:
            return scrapy.FormRequest(url, formdata=form, method="POST", headers=headers, **kwargs)
        return scrapy.Request(url, headers=headers, **kwargs)

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

    def parse_list(self, response: Response, column: Column, index: int, streak: int = 0,
                   paging: dict | None = None):
        """``streak``: known links in a row so far, carried over from the previous page;
        ``paging``: what the first page stated (page vars, last page number, base URL)."""
        stats = self.crawler.stats
        stats.inc_value("govnews/pages/list")
        yield self._item(response, "list", column=column.name)
        page = parse_list_page(list_text(response), response.url, column.rules, self.site.hosts)
        if index == 0 and page.redirect:
            yield from self._follow_shell(response, column, page.redirect)
            return
        if index == 0:
            paging = {"vars": page.page_vars, "last": page.last_page_number(column.rules), "base": response.url}
        paging = paging or {"vars": {}, "last": None, "base": ""}
        seen_in_column = self.column_links.setdefault(column.name, set())
        new_to_column = sum(1 for link in page.links if link.url not in seen_in_column)
        seen_in_column.update(link.url for link in page.links)
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
            yield self._request(
                link.url,
                callback=self.parse_article,
                meta={KIND_KEY: "article"},
                cb_kwargs={"column": column.name, "title": link.title, "list_date": link.date, "pinned": link.pinned},
            )
        if not new_to_column:
            stats.inc_value("govnews/columns/stopped_no_new_links")
            return
        if self._more_pages(column, index, page, longest, older_than_since, paging):
            nxt = index + 1
            form = column.page_form(nxt, paging["vars"]) if column.rules.page_method == "POST" else None
            yield self._request(
                page.next_url or column.page_url(nxt, paging["vars"], paging["base"]), form=form,
                callback=self.parse_list,
                meta={KIND_KEY: "list"},
                cb_kwargs={"column": column, "index": nxt, "streak": known_in_a_row, "paging": paging},
            )

    def _follow_shell(self, response: Response, column: Column, target: str):
        """A redirect shell in front of the column: follow it once, and only to one of the site's hosts."""
        stats = self.crawler.stats
        host = (urlsplit(target).hostname or "").lower()
        if response.meta.get("govnews_shell") or host not in self.site.hosts:
            stats.inc_value("govnews/lists/redirect_shell_refused")
            self.logger.warning("%s: column %s: redirect shell to %s not followed (%s)", self.site.slug, column.name,
                                target, "second shell" if response.meta.get("govnews_shell") else "not a site host")
            return
        stats.inc_value("govnews/lists/redirect_shell_followed")
        yield self._request(target, callback=self.parse_list,
                            meta={"govnews_shell": response.url, KIND_KEY: "list"},
                            cb_kwargs={"column": column, "index": 0})

    def _more_pages(self, column: Column, index: int, page, longest_known_run: int, older: int,
                    paging: dict) -> bool:
        rules = column.rules
        if not (rules.page_url or page.next_url) or not page.links or index + 1 >= rules.max_pages:
            return False
        missing = rules.missing_vars(paging["vars"])
        if missing:
            self.crawler.stats.inc_value("govnews/columns/page_vars_missing")
            self.logger.warning("%s: column %s: the first list page does not name %s: one page only",
                                self.site.slug, column.name, ", ".join(missing))
            return False
        if paging["last"] is not None and column.page_number(index + 1, paging["vars"]) > paging["last"]:
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
