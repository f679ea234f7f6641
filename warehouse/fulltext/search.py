"""Answer a search from the index: the matching latest versions, or their counts by a facet.

Before answering, the index is brought up to the archive's live files (:func:`current`),
so the answer is the one DuckDB's ``contains()`` gives over ``articles`` now; hits are
also checked against the live files they name, so a reader never sees a document the
archive no longer holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import tantivy

from warehouse.fulltext import grammar
from warehouse.fulltext.fresh import fingerprint, is_current, record
from warehouse.fulltext.store import KIND_DOC, exists, open_index
from warehouse.fulltext.text import bigrams, char_regex
from warehouse.fulltext.update import catch_up, delta
from warehouse.layout import Layout

COUNT_BY = ("month", "site", "district", "column")
SH = timezone(timedelta(hours=8))
SNIPPET_CHARS = 40
_MAX_BUCKETS = 65_000
Occur = tantivy.Occur


@dataclass
class Hit:
    published_at: datetime | None
    site: str | None
    title: str | None
    snippet: str
    url: str | None
    url_key: str


def current(layout: Layout, *, wait: float = 600.0, progress=None) -> tantivy.Index:
    """The index, brought up to the live files first if it lags (or built, if there is none)."""
    if not exists(layout):
        catch_up(layout, wait=wait, progress=progress)
    elif is_current(layout):  # no folder changed since the last update: no listing needed
        return open_index(layout)
    index = open_index(layout)
    fp = fingerprint(layout)  # before the listing, as an update takes it
    new, gone = delta(layout, index)
    if new or gone:
        catch_up(layout, wait=wait, progress=progress)
        index.reload()
    else:  # the index holds every file live at fp: later searches can skip the listing
        record(layout, fp)
    return index


def _field_query(schema, field: str, term: str) -> tantivy.Query:
    if len(term) == 1:
        return tantivy.Query.regex_query(schema, field, char_regex(term))
    grams = bigrams(term)
    if len(grams) == 1:
        return tantivy.Query.term_query(schema, field, grams[0])
    return tantivy.Query.phrase_query(schema, field, grams)


def compile_query(schema, tree) -> tantivy.Query:
    """A tantivy query for a :mod:`grammar` tree (documents only, never the file markers)."""
    every = tantivy.Query.term_query(schema, "kind", KIND_DOC)
    if isinstance(tree, grammar.Term):
        return tantivy.Query.boolean_query([(Occur.Should, _field_query(schema, f, tree.text))
                                            for f in ("body", "title")])
    if isinstance(tree, grammar.Not):
        return tantivy.Query.boolean_query([(Occur.Must, every), (Occur.MustNot, compile_query(schema, tree.child))])
    if isinstance(tree, grammar.Or):
        return tantivy.Query.boolean_query([(Occur.Should, compile_query(schema, c)) for c in tree.children])
    clauses = [(Occur.MustNot, compile_query(schema, c.child)) if isinstance(c, grammar.Not)
               else (Occur.Must, compile_query(schema, c)) for c in tree.children]
    if all(o == Occur.MustNot for o, _ in clauses):
        clauses.append((Occur.Must, every))
    return tantivy.Query.boolean_query(clauses)


def _day_start(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=SH).timestamp())


def filtered(schema, tree, *, sites=(), columns=(), since: date | None = None,
             until: date | None = None) -> tantivy.Query:
    """The query with its filters: sites, columns, publication days (Asia/Shanghai, inclusive)."""
    clauses = [(Occur.Must, compile_query(schema, tree))]
    for field, values in (("site", sites), ("column", columns)):
        if values:
            clauses.append((Occur.Must, tantivy.Query.term_set_query(schema, field, list(values))))
    if since or until:
        lo = _day_start(since) if since else None
        hi = _day_start(until + timedelta(days=1)) - 1 if until else None
        clauses.append((Occur.Must, tantivy.Query.range_query(schema, "published", tantivy.FieldType.Integer,
                                                              lo, hi)))
    return tantivy.Query.boolean_query(clauses)


def count_by(index: tantivy.Index, query: tantivy.Query, facet: str) -> list[tuple[str | None, int]]:
    """(value, matching articles) per value of ``facet``, sorted by value; None: articles without one."""
    if facet not in COUNT_BY:
        raise ValueError(f"count by one of {', '.join(COUNT_BY)}")
    searcher = index.searcher()
    total = searcher.search(query, limit=1, count=True).count
    if not total:
        return []
    res = searcher.aggregate(query, {"g": {"terms": {"field": facet, "size": _MAX_BUCKETS,
                                                     "segment_size": _MAX_BUCKETS}}})
    rows = sorted((b["key"], int(b["doc_count"])) for b in res["g"]["buckets"])
    missing = total - sum(n for _, n in rows)
    return rows + ([(None, missing)] if missing else [])


def count(index: tantivy.Index, query: tantivy.Query) -> int:
    return index.searcher().search(query, limit=1, count=True).count


def snippet(text: str | None, terms: list[str], before: int = 12, after: int = SNIPPET_CHARS) -> str:
    """The text around the first occurrence of any of ``terms``, the match in 【】 (whitespace collapsed)."""
    if not text:
        return ""
    found = [(i, t) for t in terms if (i := text.find(t)) >= 0]
    if not found:
        start, i, end, match = 0, 0, before + after, ""
    else:
        i, match = min(found)
        start, end = max(0, i - before), i + len(match) + after
    flat = [re.sub(r"\s+", " ", part) for part in (text[start:i], text[i + len(match):end])]
    mid = f"【{match}】" if match else ""
    return ("…" if start > 0 else "") + flat[0].lstrip() + mid + flat[1].rstrip() + ("…" if end < len(text) else "")


def top_hits(layout: Layout, index: tantivy.Index, query: tantivy.Query, tree, limit: int) -> list[Hit]:
    """The ``limit`` most recently published matches, with a snippet each."""
    searcher = index.searcher()
    res = searcher.search(query, limit=limit, count=False, order_by_field="published", order=tantivy.Order.Desc)
    terms = grammar.positive_terms(tree)
    out = []
    for _, addr in res.hits:
        d = searcher.doc(addr)
        if not (layout.root / d["file"][0]).is_file():  # the archive no longer holds it
            continue
        body = _text(d, "body_text")
        title = _text(d, "title_text")
        pub = d.get_first("published")
        out.append(Hit(
            published_at=datetime.fromtimestamp(pub, SH) if pub is not None else None,
            site=d.get_first("site"), title=title,
            snippet=snippet(body, terms) if body and any(t in body for t in terms) else snippet(title or body, terms),
            url=_text(d, "url"), url_key=d["url_key"][0]))
    return out


def _text(doc: tantivy.Document, field: str) -> str | None:
    v = doc.get_first(field)
    return bytes(v).decode("utf-8") if v is not None else None


def parse_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
