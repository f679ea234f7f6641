"""What the spider saw: one fetched response, nothing derived from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(kw_only=True, slots=True)
class PageItem:
    site: str
    kind: str  # "list" | "article" (responses without an item are "robots", "attachment", "redirect", "other")
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    encoding: str | None  # what Scrapy's response resolved
    fetched_at: datetime
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    method: str = "GET"
    protocol: str = "HTTP/1.1"
    # what the list page said about the link (fallbacks for extraction)
    column: str = ""
    list_title: str = ""
    list_date: str = ""
    pinned: bool = False
    # filled in by ArchivePipeline (found by URL from the response_received record): where the raw response lives
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None
