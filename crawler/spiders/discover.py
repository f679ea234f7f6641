"""The spider behind ``govnews discover``: it fetches what :func:`crawler.discovery.explore.explore` asks for,
one request at a time, and sends each answer back.

Runs on the project's settings, as check-site does (robots.txt obeyed, the identifying User-Agent,
the address guard, ``GOVNEWS_VIA``) with nothing archived. HTTP redirects are not followed
(a redirect is an answer the walk judges like any other: it leaves no host unasked).
"""

from __future__ import annotations

import scrapy
from scrapy.exceptions import IgnoreRequest

from crawler.discovery.explore import DiscoveryError, Page, explore
from crawler.settings import relax_for_loopback
from crawler.spiders.check_site import CHECK_SETTINGS

# LOG_LEVEL: the outcome is the one line `govnews discover` prints; Scrapy's error lines would repeat it
DISCOVER_SETTINGS = {**CHECK_SETTINGS, "REDIRECT_ENABLED": False, "RETRY_TIMES": 0, "LOG_LEVEL": "CRITICAL"}


def _content_type(response) -> str:
    return response.headers.get("Content-Type", b"").decode("latin-1")


class DiscoverSpider(scrapy.Spider):
    name = "discover"

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        relax_for_loopback(settings)  # a fixture server on loopback needs no delay between requests

    def __init__(self, start_url: str, budget: int, result: dict, **kwargs) -> None:
        super().__init__(**kwargs)
        self.walk = explore(start_url, budget)
        self.result = result

    async def start(self):
        request = self._advance(None)
        if request is not None:
            yield request

    def _advance(self, page: Page | None):
        try:
            fetch = self.walk.send(page) if page is not None else next(self.walk)
        except StopIteration as stop:
            self.result["found"] = stop.value
            return None
        except DiscoveryError as exc:
            self.result["error"] = str(exc)
            return None
        headers = {"Referer": fetch.referer} if fetch.referer else {}
        return scrapy.Request(fetch.url, callback=self.on_page, errback=self.on_error, headers=headers,
                              dont_filter=True, meta={"handle_httpstatus_all": True})

    def on_page(self, response):
        page = Page(url=response.url, status=response.status, content_type=_content_type(response), body=response.body)
        request = self._advance(page)
        if request is not None:
            yield request

    def on_error(self, failure):
        if failure.check(IgnoreRequest) and "robots" in str(failure.value).lower():
            error = "robots.txt disallows it"
        else:
            error = f"{failure.type.__name__}: {failure.value}".strip()
        request = self._advance(Page(url=failure.request.url, status=None, error=error))
        if request is not None:
            yield request
