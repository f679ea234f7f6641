"""The search query language, parsed here (an allow-list), never handed to tantivy's own parser.

    接诉即办                      a term: articles whose body or title contains it
    "垃圾 分类"                   a quoted term (may hold spaces)
    接诉即办 营商环境              AND (also written: 接诉即办 AND 营商环境)
    疫情防控 OR 新冠               OR (binds looser than AND)
    接诉即办 NOT 会议 / -会议      NOT
    (疫情 OR 防控) 社区            parentheses

A term matches exactly the articles where ``contains(body_text, term) OR
contains(title, term)`` holds (case-sensitive, no normalisation). Anything else
(an unbalanced quote or parenthesis, an operator with nothing to apply to, an empty
query, more than :data:`MAX_TERMS` terms) is a :class:`QueryError` with one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LENGTH = 1000
MAX_TERMS = 32
MAX_DEPTH = 16
_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*")|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+)|(?P<bad>"))')


class QueryError(ValueError):
    """The search text is not a query of this grammar."""


@dataclass(frozen=True)
class Term:
    text: str


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.lastgroup == "bad":
            raise QueryError("unbalanced quote in the search terms")
        pos = m.end()
        kind, value = m.lastgroup, m.group(m.lastgroup)
        if kind == "phrase":
            if not value[1:-1]:
                raise QueryError('an empty quoted term ("") matches nothing useful')
            out.append(("term", value[1:-1]))
        elif kind == "word" and value in ("AND", "OR", "NOT"):
            out.append((value, value))
        elif kind == "word" and value.startswith("-"):
            out.append(("NOT", "-"))
            if len(value) > 1:
                out.append(("term", value[1:]))
        elif kind == "word":
            out.append(("term", value))
        else:
            out.append((kind, value))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.i, self.terms = tokens, 0, 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def or_(self, depth: int):
        parts = [self.and_(depth)]
        while self.peek() == "OR":
            self.take()
            parts.append(self.and_(depth))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self, depth: int):
        parts = [self.unary(depth)]
        while self.peek() in ("AND", "NOT", "term", "open"):
            if self.peek() == "AND":
                self.take()
            parts.append(self.unary(depth))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, depth: int):
        kind = self.peek()
        if kind == "NOT":
            self.take()
            return Not(self.unary(depth))
        if kind == "term":
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise QueryError(f"at most {MAX_TERMS} terms in one query")
            return Term(self.take()[1])
        if kind == "open":
            if depth >= MAX_DEPTH:
                raise QueryError(f"parentheses nest deeper than {MAX_DEPTH}")
            self.take()
            inner = self.or_(depth + 1)
            if self.peek() != "close":
                raise QueryError("unbalanced parenthesis in the search terms")
            self.take()
            return inner
        if kind is None:
            raise QueryError("an operator (AND, OR, NOT, -) has nothing after it")
        raise QueryError(f"unexpected {self.tokens[self.i][1]!r} in the search terms")


def parse(text: str):
    """The query tree of ``text`` (:class:`Term`, :class:`And`, :class:`Or`, :class:`Not`)."""
    if len(text) > MAX_LENGTH:
        raise QueryError(f"the search terms are longer than {MAX_LENGTH} characters")
    tokens = _tokens(text)
    if not tokens:
        raise QueryError("no search terms given")
    p = _Parser(tokens)
    tree = p.or_(0)
    if p.i != len(tokens):
        raise QueryError(f"unexpected {tokens[p.i][1]!r} in the search terms")
    return tree


def positive_terms(tree) -> list[str]:
    """The terms that are not negated (to find a snippet around)."""
    if isinstance(tree, Term):
        return [tree.text]
    if isinstance(tree, Not):
        return []
    return [t for c in tree.children for t in positive_terms(c)]


def to_sql(tree, params: list) -> str:
    """The same query as a DuckDB condition on ``articles`` (the reference the index must equal)."""
    if isinstance(tree, Term):
        params.extend([tree.text, tree.text])
        return "(coalesce(contains(body_text, ?), false) OR coalesce(contains(title, ?), false))"
    if isinstance(tree, Not):
        return f"(NOT {to_sql(tree.child, params)})"
    op = " AND " if isinstance(tree, And) else " OR "
    return "(" + op.join(to_sql(c, params) for c in tree.children) + ")"
