"""One article from many pages: the first page's fields, the other pages' bodies joined in order.

Pure: the crawler (:class:`pipelines.extract_pipeline.ExtractPipeline`) and
re-extraction (:mod:`pipelines.reextract`) fetch or read the pages the pager
named (``page_urls``) and hand their extracted fields here. A page that could
not be had is listed in ``pages_failed``, never dropped silently; the row keeps
every page URL the pager named in ``page_urls``.
"""

from __future__ import annotations

from collections.abc import Sequence

from warehouse.identity import content_sha256


def join_pages(first: dict, others: Sequence[tuple[str, dict | None]]) -> dict:
    """``first`` (page 1's fields) with ``others`` (``(url, fields or None when it failed)``, in page order)."""
    bodies = [first.get("body_text") or ""]
    images = list(first.get("images") or [])
    files = list(first.get("attachments") or [])
    failed = []
    for url, fields in others:
        if fields is None:
            failed.append(url)
            continue
        if text := (fields.get("body_text") or "").strip():
            bodies.append(text)
        images += [i for i in fields.get("images") or [] if i not in images]
        seen = {f.get("url") for f in files}
        files += [f for f in fields.get("attachments") or [] if f.get("url") not in seen]
    body = "\n".join(b for b in bodies if b)
    return {**first, "body_text": body, "images": images, "attachments": files,
            "content_sha256": content_sha256(body), "page_urls": [url for url, _ in others],
            "pages_failed": failed}
