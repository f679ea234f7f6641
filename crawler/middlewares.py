"""Downloader middlewares for what Scrapy lacks."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured


class ViaProxyMiddleware:
    """Send every request through ``GOVNEWS_VIA`` (an HTTP proxy URL).

    The fixture and demo servers answer as proxies, so a crawl of
    ``http://haidian.demo.govnews.test/`` keeps its real URLs whatever port
    the server listens on. Robots.txt requests pass here too.
    """

    def __init__(self, via: str) -> None:
        parts = urlsplit(via)
        if parts.scheme != "http" or not parts.hostname or not parts.port:
            raise ValueError(f"GOVNEWS_VIA must look like http://127.0.0.1:8080, not {via!r}")
        self.via = via

    @classmethod
    def from_crawler(cls, crawler):
        via = crawler.settings.get("GOVNEWS_VIA")
        if not via:
            raise NotConfigured("GOVNEWS_VIA is not set")
        return cls(via)

    def process_request(self, request, spider=None):
        request.meta.setdefault("proxy", self.via)
        return None
