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

_PAGE_TEXT = re.compile(r"^\s*[\[【]?\s*(?:\d{1,3}|下一页|下页|尾页|末页)\s*[\]】]?\s*$")
_PAGE_NUMBER = re.compile(r"_(\d{1,3})\.[a-z]+$")
_STEM = re.compile(r"^(?P<stem>.+?)(?:_\d{1,3})?\.[a-z]+$")


def _stem(path: str) -> tuple[str, str]:
    folder, _, name = path.rpartition("/")
    match = _STEM.match(name)
    return folder, (match.group("stem") if match else name or "index")


def pager_urls(container, page_url: str) -> list[str]:
    """URLs of the article's other pages, in page order (empty without a pager)."""
    anchors = list(container.iter("a"))
    level = container
    for _ in range(2):  # the pager sits in the container or just after it
        for i, sibling in enumerate(level.itersiblings()):
            if i >= 3:
                break
            if isinstance(sibling.tag, str) and len(sibling.text_content()) < 600:
                anchors.extend(sibling.iter("a"))
        level = level.getparent()
        if level is None:
            break
    here = urlsplit(page_url)
    folder, stem = _stem(here.path)
    found: dict[str, int] = {}
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")) or not _PAGE_TEXT.match(anchor.text_content()):
            continue
        url = urljoin(page_url, href).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.netloc != here.netloc or url == page_url:
            continue
        other_folder, other_stem = _stem(parts.path)
        if other_folder != folder or other_stem != stem:
            continue
        number = _PAGE_NUMBER.search(parts.path)
        if number is None:  # the first page itself (a link back to page 1)
            continue
        found.setdefault(url, int(number.group(1)))
    return sorted(found, key=found.get)
