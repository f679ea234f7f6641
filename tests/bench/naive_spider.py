"""The naive baseline: Scrapy with ``trafilatura.extract`` in the callback, writing JSON lines.

Run by tests/bench/pipeline.py as
``http_proxy=… scrapy runspider tests/bench/naive_spider.py -a start=… -O out.jsonl``;
``-a extract=0`` yields only the URL (Scrapy's own cost per page: the floor under both spiders).
"""

from __future__ import annotations

import json

import scrapy
import trafilatura


class NaiveSpider(scrapy.Spider):
    name = "naive"

    def __init__(self, start: str = "", extract: str = "1", **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_list = [u for u in start.split(",") if u]
        self.extract = extract != "0"  # -a extract=0: Scrapy alone, the floor under both spiders

    def _req(self, url, callback):
        return scrapy.Request(url, callback=callback)  # through $http_proxy (the fixture server)

    async def start(self):
        for url in self.start_list:
            yield self._req(url, self.parse)

    def parse(self, response):
        for href in response.css("ul.list a::attr(href)").getall():
            yield self._req(response.urljoin(href), self.parse_article)
        for href in response.css("a::attr(href)").re(r".*index_\d+\.html$"):
            yield self._req(response.urljoin(href), self.parse)
        # TRS paging is written by script: follow index_N.html up to the stated count
        count = response.css("script::text").re_first(r"createPageHTML\((\d+),\s*(\d+)")
        if count:
            current = int(response.css("script::text").re(r"createPageHTML\(\d+,\s*(\d+)")[0])
            if current + 1 < int(count):
                yield self._req(response.urljoin(f"index_{current + 1}.html"), self.parse)

    def parse_article(self, response):
        if not self.extract:
            yield {"url": response.url}
            return
        result = trafilatura.extract(response.text, url=response.url, with_metadata=True, output_format="json")
        if result:
            yield json.loads(result)
