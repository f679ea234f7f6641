"""ValidatePipeline: one DropItem subclass per reason, so Scrapy's
``item_dropped_reasons_count/<Reason>`` stats give per-reason figures for free.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from pipelines import runctx
from warehouse.known import known_articles


class InvalidArticle(DropItem):
    """Base of every reason an extracted page is not stored as an article."""


class NotArticlePage(InvalidArticle):
    """The response is not a 200 HTML page."""


class EmptyBody(InvalidArticle):
    """No body text was found."""


class BodyTooShort(InvalidArticle):
    """The body is shorter than VALIDATE_MIN_BODY_CHARS."""


class NoTitle(InvalidArticle):
    """No title anywhere (meta, heading, <title>, list)."""


class Unchanged(DropItem):
    """The archive already holds this url_key with the same content hash."""


class ValidatePipeline:
    def __init__(self, crawler, min_chars: int) -> None:
        self.crawler = crawler
        self.min_chars = min_chars
        self.known: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("VALIDATE_MIN_BODY_CHARS", 8))

    def open_spider(self) -> None:
        site = getattr(self.crawler.spider, "site", None)
        if site is not None:
            self.known = known_articles(runctx.layout(self.crawler), site.slug)

    def process_item(self, item):
        row = ItemAdapter(item)
        if "body_text" not in row:
            return item  # list pages pass through untouched
        if row.get("status") != 200:
            raise NotArticlePage(f"status {row.get('status')}: {row['url']}")
        body = (row.get("body_text") or "").strip()
        if not body:
            raise EmptyBody(f"no body text: {row['url']}")
        if len(body) < self.min_chars:
            raise BodyTooShort(f"{len(body)} chars < {self.min_chars}: {row['url']}")
        if not row.get("title"):
            raise NoTitle(f"no title: {row['url']}")
        previous = self.known.get(row["url_key"])
        if previous == row["content_sha256"]:
            raise Unchanged(f"unchanged since last archived: {row['url']}")
        row["_version"] = "edit" if previous else "new"
        self.known[row["url_key"]] = row["content_sha256"]
        return item
