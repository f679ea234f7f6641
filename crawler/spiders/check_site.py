"""The spider behind ``govnews check-site``: each column's first list page, then one article, one at a time.

Runs on the project's settings (robots.txt obeyed, the identifying User-Agent, the address guard,
``GOVNEWS_VIA``) with nothing archived: no item pipelines, no run records, no WARC middleware.
Results go to the list passed in as ``results`` (one :class:`crawler.checksite.ColumnCheck` per column).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest

from crawler.checksite import ColumnCheck, check_article, check_list
from crawler.sites import Site

CHECK_SETTINGS = {
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {"crawler.extensions.RunRecorder": None},
    "CONCURRENT_REQUESTS": 1,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "RETRY_TIMES": 1,
    "LOG_LEVEL": "ERROR",
}


def _content_type(response) -> str:
    return response.headers.get("Content-Type", b"").decode("latin-1")


def _outcome(response) -> str:
    ctype = _content_type(response) or "no content type"
    return f"{response.status} {ctype} ({len(response.body)} bytes)"


class CheckSiteSpider(scrapy.Spider):
    name = "check_site"

    def __init__(self, site: Site, columns: list[int], results: list[ColumnCheck], **kwargs) -> None:
        super().__init__(**kwargs)
        self.site, self.columns, self.results = site, columns, results
        self.allowed_domains = list(site.hosts)

    async def start(self):
        if self.columns:
            yield self._list_request(0, self.site.columns[self.columns[0]].url)

    def _request(self, url: str, callback, **meta) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error, headers=dict(self.site.headers),
                              dont_filter=True, meta={"handle_httpstatus_all": True, **meta})

    def _list_request(self, k: int, url: str, shell_from: str = "") -> scrapy.Request:
        return self._request(url, self.on_list, k=k, stage="list", shell_from=shell_from)

    def _next_column(self, k: int):
        if k + 1 < len(self.columns):
            yield self._list_request(k + 1, self.site.columns[self.columns[k + 1]].url)

    def on_list(self, response):
        k = response.meta["k"]
        column = self.site.columns[self.columns[k]]
        check = check_list(self.site, column, url=response.url, status=response.status,
                           content_type=_content_type(response), body=response.body, outcome=_outcome(response))
        shell_from = response.meta.get("shell_from")
        if check.shell_to:  # this page is a shell: follow it once, to one of the site's hosts
            host = (urlsplit(check.shell_to).hostname or "").lower()
            if not shell_from and host in self.site.hosts:
                yield self._list_request(k, check.shell_to, shell_from=response.url)
                return
            why = "a second shell" if shell_from else "another host"
            check.shell_refused = f"a redirect shell to {check.shell_to}: not followed ({why})"
            check.shell_to = ""
        if shell_from:
            check.shell_to = response.url
        self.results.append(check)
        if check.page is not None and check.page.links:
            yield self._request(check.page.links[0].url, self.on_article, k=k, stage="article")
            return
        yield from self._next_column(k)

    def on_article(self, response):
        k = response.meta["k"]
        check_article(self.site, self.results[-1], url=response.url, status=response.status,
                      content_type=_content_type(response), body=response.body, outcome=_outcome(response))
        yield from self._next_column(k)

    def on_error(self, failure):
        request = failure.request
        k = request.meta["k"]
        if failure.check(IgnoreRequest) and "robots" in str(failure.value).lower():
            outcome = "not fetched: robots.txt disallows it"
        else:
            outcome = f"not fetched: {failure.type.__name__}: {failure.value}".strip()
        if request.meta["stage"] == "article":
            self.results[-1].article_url, self.results[-1].article_outcome = request.url, outcome
        else:
            column = self.site.columns[self.columns[k]]
            self.results.append(ColumnCheck(column=column, url=column.url, outcome=outcome))
        yield from self._next_column(k)
