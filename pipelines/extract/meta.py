"""Government meta tags (GB/T 42147) and the common publishing ones."""

from __future__ import annotations

from lxml import html as lxml_html

from pipelines.extract.xpaths import GOV_META_NAMES


def parse_meta(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """Every known meta tag with a non-empty value, keyed as the page spells it.

    The first occurrence of a name wins (pages sometimes repeat a tag with
    a template default further down).
    """
    found: dict[str, str] = {}
    seen: set[str] = set()
    for element in tree.iter("meta"):
        name = element.get("name") or element.get("property") or element.get("itemprop")
        if not name:
            continue
        key = name.strip()
        lowered = key.lower()
        if lowered not in GOV_META_NAMES or lowered in seen:
            continue
        value = " ".join((element.get("content") or "").split())
        if value:
            seen.add(lowered)
            found[key] = value
    return found


def meta_get(meta: dict[str, str], names: tuple[str, ...]) -> str | None:
    """First value among ``names`` (lowercase), whatever the page's casing."""
    lowered = {k.lower(): v for k, v in meta.items()}
    for name in names:
        value = lowered.get(name)
        if value:
            return value
    return None
