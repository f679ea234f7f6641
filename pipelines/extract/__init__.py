"""Pure extraction: html ``str`` + url + site hints -> article fields.

No Scrapy here. The crawl's ExtractPipeline, re-extraction, ``govnews
extract`` and the evaluation harness all call :func:`extract_article`.

Order (README, "Measuring extraction"): drop hidden copies; read 政府信息公开
tables into their columns; the body container (site selectors, CMS presets,
else the block chosen by prose density), walked directly, trafilatura only
when no block holds prose; lead and tail lines that are not body cut; visible
dates and sources over meta ones; bylines, photographers apart; the pager.
"""

from __future__ import annotations

from dataclasses import dataclass

EXTRACTOR_VERSION = "1.2.1"


@dataclass(frozen=True, slots=True)
class SiteHints:
    """What extraction knows about the site a page came from (picklable)."""

    slug: str = ""
    district: str = ""
    city: str = ""
    province: str = ""
    admin_code: str = ""
    site_names: tuple[str, ...] = ()  # stripped from <title> suffixes
    body_selectors: tuple[str, ...] = ()  # CSS selectors of the body container, tried in order
    family: str = ""


@dataclass(frozen=True, slots=True)
class ListHints:
    """What the list page said about a link (fallbacks only)."""

    column: str = ""
    title: str = ""
    date: str = ""
    pinned: bool = False


from pipelines.extract.article import extract_article  # noqa: E402
from pipelines.extract.encoding import decode_html  # noqa: E402

__all__ = ["EXTRACTOR_VERSION", "ListHints", "SiteHints", "decode_html", "extract_article"]
