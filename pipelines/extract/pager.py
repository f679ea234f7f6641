"""Multi-page articles: the pager under the body (``[1] [2] … [6]``, ``下一页``).

Government CMSs split long articles into pages named after the first one
(TRS ``t20200706_123.html`` -> ``t20200706_123_1.html``; ``index.html`` ->
``index_1.html``). The pager is read from the container and the blocks right
after it; the other pages' URLs come back in page order, so the crawler can
fetch them and the article can be joined into one row.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from pipelines.extract.dom import text_content

_PAGE_TEXT = re.compile(r"^\s*[\[【]?\s*(?:\d{1,3}|下一页|下页|尾页|末页)\s*[\]】]?\s*$")
_NAME = re.compile(r"^(?P<stem>.+)\.(?:s?html?|jsp|php|aspx?)$", re.I)
_SUFFIX = re.compile(r"^(?P<base>.+)_(?P<n>\d{1,3})$")


def _split(path: str) -> tuple[str, str] | None:
    """(folder, name without extension) of a page path; ``/a/`` is ``/a/index``."""
    folder, _, name = path.rpartition("/")
    match = _NAME.match(name or "index.html")
    return (folder, match["stem"]) if match else None


def _number(stem: str, first: str) -> int | None:
    """Page number of ``stem`` in the article whose first page is ``first``."""
    match = _SUFFIX.match(stem)
    if match and match["base"] == first:
        return int(match["n"])
    return None


def pager_urls(container, page_url: str) -> list[str]:
    """URLs of the article's other pages, in page order (empty without a pager)."""
    anchors = list(container.iter("a"))
    level = container
    for _ in range(2):  # the pager sits in the container or just after it
        for i, sibling in enumerate(level.itersiblings()):
            if i >= 3:
                break
            if isinstance(sibling.tag, str) and len(text_content(sibling)) < 600:
                anchors.extend(sibling.iter("a"))
        level = level.getparent()
        if level is None:
            break
    here = urlsplit(page_url)
    page = _split(here.path)
    if page is None:
        return []
    folder, stem = page
    firsts = {stem}
    if (own := _SUFFIX.match(stem)) is not None:  # this page is itself page N of base
        firsts.add(own["base"])
    found: dict[str, int] = {}
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")) or not _PAGE_TEXT.match(text_content(anchor)):
            continue
        url = urljoin(page_url, href).split("#", 1)[0]
        parts = urlsplit(url)
        other = _split(parts.path)
        if parts.netloc != here.netloc or url == page_url or other is None or other[0] != folder:
            continue
        for first in firsts:  # t20240105_123_2.html is page 2 of t20240105_123.html
            number = _number(other[1], first)
            if number is not None:
                found.setdefault(url, number)
                break
    return sorted(found, key=found.get)
