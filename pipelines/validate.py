"""ValidatePipeline: one DropItem subclass per reason, so Scrapy's
``item_dropped_reasons_count/<Reason>`` stats give per-reason figures for free.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem

from pipelines import runctx
from warehouse.known import known_articles


class InvalidArticle(DropItem):
    """Base of every reason an extracted page is not stored as an article."""


class NotArticlePage(InvalidArticle):
    """The response is not a 200 HTML page."""


class EmptyBody(InvalidArticle):
    """No body text was found, and no attachment or image either."""


class BodyTooShort(InvalidArticle):
    """The body is shorter than VALIDATE_MIN_BODY_CHARS, with no attachment or image."""


class NoTitle(InvalidArticle):
    """No title anywhere (meta, heading, <title>, list)."""


class TruncatedBody(InvalidArticle):
    """The response body was cut short (``dataloss``): never an article."""


class BlockedPage(InvalidArticle):
    """The response is an anti-bot challenge page: never an article, never bypassed."""


class NoContent(InvalidArticle):
    """The response has no content (empty body, or only a meta-refresh/script redirect)."""


class Tombstone(DropItem):
    """A rechecked article answered 404/410: removed. Its captures row is the tombstone."""


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
        if row.get("status") in (404, 410) and row["url_key"] in self.known:
            raise Tombstone(f"status {row.get('status')}, removed: {row['url']}", log_level="INFO")
        if row.get("status") != 200:
            raise NotArticlePage(f"status {row.get('status')}: {row['url']}")
        body = (row.get("body_text") or "").strip()
        # a 图片新闻 whose body is one image, a notice that is only its attached PDF: articles
        # with no text of their own (real: hongshan_1), kept when they carry what they publish
        carries = bool(row.get("attachments") or row.get("images"))
        if not body and not carries:
            raise EmptyBody(f"no body text: {row['url']}")
        if body and len(body) < self.min_chars and not carries:
            raise BodyTooShort(f"{len(body)} chars < {self.min_chars}: {row['url']}")
        if not row.get("title"):
            raise NoTitle(f"no title: {row['url']}")
        previous = self.known.get(row["url_key"])
        if previous == row["content_sha256"]:
            # the common case under --recheck-days: not worth a WARNING (with the whole item) per page
            raise Unchanged(f"unchanged since last archived: {row['url']}", log_level="DEBUG")
        row["_version"] = "edit" if previous else "new"
        self.known[row["url_key"]] = row["content_sha256"]
        return item


#: fetch outcome (``response.meta["govnews_outcome"]``, see pipelines.signals) -> the drop reason
_GATED = {"truncated": TruncatedBody, "blocked": BlockedPage, "no_content": NoContent}


class FetchOutcomeGate:
    """Drop article pages whose fetch outcome rules them out, before extraction.

    Runs after ArchivePipeline (the raw response stays in the WARC) and before
    ExtractPipeline. The outcome is the downloader's classification in
    ``response.meta["govnews_outcome"]``, read on ``response_received`` and
    matched to the item by URL.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.outcomes: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler):
        gate = cls(crawler)
        crawler.signals.connect(gate.response_received, signal=signals.response_received)
        return gate

    def response_received(self, response, request=None, spider=None) -> None:
        outcome = (request if request is not None else response).meta.get("govnews_outcome")
        if outcome in _GATED:
            if len(self.outcomes) > 10_000:  # responses that never became items (non-2xx) are not kept forever
                self.outcomes.clear()
            self.outcomes[response.url] = outcome

    def process_item(self, item):
        row = ItemAdapter(item)
        outcome = self.outcomes.pop(row.get("url") or "", None)
        if outcome is not None and row.get("kind", "article") == "article":
            raise _GATED[outcome](f"{outcome}: {row['url']}")
        return item
