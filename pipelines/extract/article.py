"""Composition: html ``str`` + url + site hints -> the article columns.

One lxml parse; meta tags, then the page's own lines (outside the body
container) for the info line, title, breadcrumb and a visible date; the body
container walked directly (trafilatura only without one).
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree
from lxml import html as lxml_html

from pipelines.extract import EXTRACTOR_VERSION, ListHints, SiteHints, xpaths
from pipelines.extract.body import (
    attachments, clean_line, clean_lines, drop_attachment_lines, find_container, images,
    raw_lines,
    trafilatura_lines,
)
from pipelines.extract import govinfo
from pipelines.extract.container import guess_container, take_hidden
from pipelines.extract.dom import body_of, document_iter, fromstring
from pipelines.extract.lead import trim_lead, trim_tail
from pipelines.extract.pager import pager_urls
from pipelines.extract.bylines import LABEL_RE, REPORTED_BY, Byline, body_credits, parse_info_line, split_names
from pipelines.extract.dates import (
    DATE_RE, date_from_url, htmldate_guess, parse_date, parse_meta_date, parse_relative,
)
from pipelines.extract.headline import article_scope, find_column, find_subtitle, find_title, marked, none_if_blank
from pipelines.extract.meta import meta_get, parse_meta
from warehouse.identity import content_sha256

_BODY_MARK = "\x00BODY\x00"
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SIX_DIGITS = re.compile(r"\d{6}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TITLE_CLASS = xpaths.TITLE_CLASS


def _parse(html: str) -> lxml_html.HtmlElement:
    # lxml refuses a str that carries an XML encoding declaration.
    html = _XML_DECL.sub("", html, count=1)
    try:
        return fromstring(html or "<html></html>")
    except (etree.ParserError, ValueError):
        return fromstring("<html></html>")


# --- bylines -----------------------------------------------------------------


def _looks_like_info_line(line: str) -> bool:
    if len(line) > 200:
        return False
    # a sentence that starts with "公示时间：…。" is body text (real: zjct), not an info line
    if len(line) > 60 and "。" in line:
        return False
    matches = [m for m in LABEL_RE.finditer(line)
               if not m.start() or not _CJK.match(line[m.start() - 1])]  # "公示时间：" is no 时间 label
    if not matches:
        return False
    # "[2020-06-06]　信息来源：…": a bare date before the first label still makes an info line
    prefix = line[: matches[0].start()]
    # "时间发布：2023-06-12 09:51 阅读次数: 次 信息来源：…" (real: dcyliaoyang): a dated short prefix
    return (matches[0].start() <= 4 or len(matches) >= 2 or bool(xpaths.INFO_DATE_PREFIX.match(prefix))
            or (len(line) <= 120 and bool(DATE_RE.search(prefix))))


def collect_byline(lines: list[str]) -> Byline:
    merged = Byline()
    for line in lines:
        if not _looks_like_info_line(line):
            continue
        found = parse_info_line(line)
        merged.date_text = merged.date_text or found.date_text
        merged.source = merged.source or found.source
        if found.editor and found.editor_rank < merged.editor_rank:  # 责任编辑 > 责编 > 编辑
            merged.editor, merged.editor_rank = found.editor, found.editor_rank
        merged.authors += [a for a in found.authors if a not in merged.authors]
        merged.photographers += [a for a in found.photographers if a not in merged.photographers]
    return merged


_ELLIPSIS = re.compile(r"(?:\.{2,}|…+|。{2,})$")


def find_source(meta: dict[str, str], byline: Byline) -> str | None:
    """The visible 来源 wins over meta ``ContentSource`` (a template default or
    the publishing unit where the page credits another outlet); the meta value
    only when nothing is shown, or when the shown one is cut short (``…``) and
    the meta value completes it."""
    meta_source = meta_get(meta, xpaths.META_SOURCE_NAMES)
    shown = byline.source
    if shown and meta_source:
        cut = _ELLIPSIS.search(shown)
        if cut and meta_source.startswith(shown[: cut.start()].strip()):
            return meta_source
    return shown or meta_source


# --- dates -------------------------------------------------------------------


def _visible_date(lines: list[str], title: str | None, fetched_at):
    """A date line right under the title (``[2020-07-06]``, ``2020年07月06日``)."""
    start = 0
    if title:
        for i, line in enumerate(lines):
            if title in line or (len(line) >= 6 and line in title):
                start = i + 1
                break
    for line in lines[start:start + 6]:
        if line == _BODY_MARK:
            break
        if len(line) > 120:
            continue
        value = parse_date(line, fetched_at)
        if value is not None:
            return value, "text"
        value = parse_relative(line, fetched_at)
        if value is not None:
            return value, "relative"
    return None, None


def _visible_published(byline, page_lines, title, fetched_at):
    """The date the page shows: its 发布时间/日期 label, else a date line under the title."""
    if byline.date_text:
        found = parse_date(byline.date_text, fetched_at)
        if found is not None:
            return found, "byline"
        found = parse_relative(byline.date_text, fetched_at)
        if found is not None:
            return found, "relative"
    return _visible_date(page_lines, title, fetched_at)


def find_published(html, url, meta, byline, page_lines, title, list_hints, fetched_at, page_text):
    """The visible date wins: CMSs re-stamp ``PubDate`` when a page is migrated
    or republished (years apart), the page keeps showing the date it was
    published. The meta value keeps its place in ``meta``; it is used when the
    page shows no date, or the same day (it may carry the time the page omits)."""
    visible, visible_source = _visible_published(byline, page_lines, title, fetched_at)
    value = meta_get(meta, xpaths.META_DATE_NAMES)
    meta_date = parse_meta_date(value, fetched_at) if value else None
    if visible is not None:
        if meta_date is not None and meta_date.date() == visible.date() and not visible.hour + visible.minute:
            return meta_date, "meta"
        return visible, visible_source
    if meta_date is not None:
        return meta_date, "meta"
    found = date_from_url(url, fetched_at)
    if found is not None:
        return found, "url"
    if list_hints and list_hints.date:
        found = parse_meta_date(list_hints.date, fetched_at) or parse_relative(list_hints.date, fetched_at)
        if found is not None:
            return found, "list"
    found = htmldate_guess(html, page_text, fetched_at)
    if found is not None:
        return found, "htmldate"
    return None, None


_DATE_ONLY = re.compile(r"^[\[【(（]?\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?::\d{2})?)?\s*[\]】)）]?$")


def _trim_fallback(lines: list[str], title: str | None) -> list[str]:
    """trafilatura keeps the headline, the date and info lines: drop them."""
    out = []
    for i, line in enumerate(lines):
        if i < 4 and (line == title or _DATE_ONLY.match(line)):
            continue
        if _looks_like_info_line(line) and len(line) <= 160:
            continue
        out.append(line)
    return out


# --- composition -------------------------------------------------------------


def _holds_heading(element) -> bool:
    return element.find(".//h1") is not None or element.find(".//h2") is not None or bool(marked(element, _TITLE_CLASS))



def extract_article(
    html: str,
    url: str,
    hints: SiteHints,
    *,
    list_hints: ListHints | None = None,
    fetched_at: datetime | None = None,
) -> dict:
    """The article columns of one page (see DESIGN.md, "Extraction for government pages")."""
    tree = _parse(html)
    # every element's Python proxy, kept alive while the page is read: lxml then finds it again on
    # each later walk over the tree (hidden elements, the container, titles, the body) instead of
    # building a new one each time, ~25% of a walk's cost
    elements = list(document_iter(tree))
    meta = parse_meta(tree)
    _, hidden_left = take_hidden(tree)
    info, info_rest = govinfo.columns(govinfo.take_info_tables(tree))
    container = find_container(tree, tuple(hints.body_selectors) + xpaths.DEFAULT_BODY_SELECTORS)
    root = body_of(tree) if tree.find(".//body") is not None else tree
    title_container = container
    body_from = "container"
    if container is None:  # old table layouts: the block holding most prose
        container = guess_container(root, hidden_gone=not hidden_left)  # hidden copies are gone already
        body_from = "guessed" if container is not None else "trafilatura"
        # a guessed block may hold the headline and date line too: then the title
        # is looked for page-wide and those lines are trimmed from the body
        title_container = container if container is None or not _holds_heading(container) else None
    # The page's own lines around the body: the article area when there is a
    # container (nav and footers are not walked), else the whole page.
    scope = article_scope(container) if container is not None else root
    page_lines = [c for c in (clean_line(l) if l != _BODY_MARK else l
                              for l in raw_lines(scope, skip=title_container, marker=_BODY_MARK)) if c]

    if container is not None:
        container_lines = [c for c in (clean_line(l) for l in raw_lines(container)) if c]
        body_lines = clean_lines(container_lines)
        if title_container is None:
            title = find_title(tree, None, scope, meta, hints, list_hints)
            body_lines = _trim_fallback(body_lines, title)
            if body_lines and body_lines[0] in page_lines:  # the body starts here: dates stop before it
                page_lines.insert(page_lines.index(body_lines[0]), _BODY_MARK)
        files = attachments(container, url)
        pictures = images(container, url)
        pages = pager_urls(container, url)
        byline_lines = page_lines + container_lines[:3] + container_lines[-3:]
    else:
        lines = clean_lines(trafilatura_lines(html, url))
        title = find_title(tree, None, scope, meta, hints, list_hints)
        body_lines = _trim_fallback(lines, title)
        files = attachments(root, url, scan_siblings=False)
        pictures = []
        pages = []
        byline_lines = page_lines
    body_lines = drop_attachment_lines(body_lines, files)
    if title_container is not None:  # else found above, with the same arguments
        title = find_title(tree, title_container, scope, meta, hints, list_hints)
    body_lines, lead_subtitle, doc_number = trim_lead(
        body_lines, (title, meta_get(meta, xpaths.META_TITLE_NAMES)), _looks_like_info_line)
    body_lines, tail_editor = trim_tail(body_lines)
    body_authors, body_photographers = body_credits(body_lines)
    if body_lines and (reported := REPORTED_BY.match(body_lines[0])):  # "记者某某报道　6月10日，……"
        body_lines[0] = body_lines[0][reported.end():]
    body_text = "\n".join(body_lines)

    byline = collect_byline([l for l in byline_lines if l != _BODY_MARK])
    if byline.date_text is None and info.get("published"):  # the 信息公开 table's 发布日期
        byline.date_text = info["published"]
    published_at, date_source = find_published(
        html, url, meta, byline, page_lines, title, list_hints, fetched_at,
        "\n".join(page_lines) + "\n" + body_text,
    )

    names = set(hints.site_names) | {meta_get(meta, ("sitename",)) or ""}
    photographers = list(dict.fromkeys(byline.photographers + body_photographers))
    meta_author = meta_get(meta, xpaths.META_AUTHOR_NAMES)
    # a meta Author naming the page's editor (the CMS account that published it) is no author
    meta_names = [n for n in split_names(meta_author) if n != byline.editor] \
        if meta_author and meta_author not in names else []
    authors = [n for n in dict.fromkeys(meta_names + byline.authors + body_authors) if n not in photographers]

    site_id = meta_get(meta, ("siteidcode",)) or ""
    code = _SIX_DIGITS.search(site_id)
    fields = {
        "title": none_if_blank(title),
        "subtitle": none_if_blank(find_subtitle(scope, meta, title) or lead_subtitle),
        "published_at": published_at,
        "date_source": date_source,
        "source": none_if_blank(find_source(meta, byline)),
        "authors": authors,
        "photographers": photographers,
        "editor": none_if_blank(byline.editor or tail_editor),
        "column": none_if_blank(meta_get(meta, xpaths.META_COLUMN_NAMES) or find_column(tree, page_lines, title)
                        or (list_hints.column if list_hints else None)),
        "admin_code": none_if_blank(hints.admin_code or (code.group(0) if code else None)),
        "body_text": body_text,
        "attachments": files,
        "images": pictures,
        "meta": {**meta, **{k: v for k, v in info_rest.items() if k not in meta}},
        "index_no": none_if_blank(info.get("index_no")),
        "doc_number": none_if_blank(info.get("doc_number") or doc_number),
        "issuer": none_if_blank(info.get("issuer")),
        "written_at": parse_date(info.get("written_at") or "", fetched_at),
        "content_sha256": content_sha256(body_text),
        "extractor_version": EXTRACTOR_VERSION,
        "page_urls": pages,  # the article's other pages ([1][2]…/下一页 pager), in order; not a column
        "body_from": body_from,  # container | guessed | trafilatura (not a column; eval and `govnews extract`)
    }
    del elements  # the page is read: its proxies go with it
    return fields
