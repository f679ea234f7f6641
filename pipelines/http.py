"""HTTP headers as the pipelines keep them: ``[(name, value), ...]`` str pairs, in received order."""

from __future__ import annotations


def header_pairs(headers) -> list[tuple[str, str]]:
    """Scrapy ``Headers`` (bytes names -> lists of bytes values) as str pairs, one per value."""
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


def content_type(headers: list[tuple[str, str]]) -> str | None:
    """The first Content-Type value of ``header_pairs`` output, or None."""
    for k, v in headers:
        if k.lower() == "content-type":
            return v
    return None
