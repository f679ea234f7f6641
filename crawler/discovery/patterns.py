"""An article URL pattern (a regular expression over the path) inferred from a column's links.

Paths are cut into tokens (hex ids, digit runs, letter runs, single other characters). When all
paths have the same kinds of tokens, equal tokens stay literal and differing ones become a class;
digit runs are always a class (a year or a column id seen in a few links is no constant):
``\\d{4}``/``\\d{6}``/``\\d{8}`` when every link has a year, year-month or date there, else ``\\d+``.
When the paths differ in shape, the pattern is their common folder, ``.+`` and their common ending.
"""

from __future__ import annotations

import os
import re

_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{16,}(?![0-9A-Za-z])|\d+|[A-Za-z]+|.", re.S)


# digit runs that are a year, a year and month or a date keep their length in the pattern
_DATE_LIKE = {4: re.compile(r"(19|20)\d\d"), 6: re.compile(r"(19|20)\d\d(0[1-9]|1[0-2])"),
              8: re.compile(r"(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")}
_NEVER = re.compile(r"(?!)")


def _kind(token: str) -> str:
    if len(token) >= 16 and re.fullmatch(r"[0-9a-f]+", token) and not token.isdigit():
        return "hex"
    if token.isdigit():
        return "digits"
    if token.isalpha() and token.isascii():
        return "letters"
    return token  # punctuation: its own kind


def _class(tokens: list[str], kind: str) -> str:
    if kind == "digits":
        lengths = {len(t) for t in tokens}
        if len(lengths) == 1 and all(_DATE_LIKE.get(len(t), _NEVER).fullmatch(t) for t in tokens):
            return rf"\d{{{next(iter(lengths))}}}"
        return r"\d+"
    if len(set(tokens)) == 1:
        return re.escape(tokens[0])
    if kind == "hex":
        lengths = {len(t) for t in tokens}
        return f"[0-9a-f]{{{lengths.pop()}}}" if len(lengths) == 1 else "[0-9a-f]+"
    return "[A-Za-z]+"


def infer_pattern(paths: list[str]) -> str:
    """A regular expression that every path in ``paths`` matches (and, ideally, nothing else)."""
    if not paths:
        raise ValueError("no paths")
    tokenized = [_TOKEN.findall(p) for p in paths]
    kinds = [[_kind(t) for t in toks] for toks in tokenized]
    if all(k == kinds[0] for k in kinds):
        parts = [_class([toks[i] for toks in tokenized], kinds[0][i]) for i in range(len(kinds[0]))]
        return "^" + "".join(parts) + "$"
    folder = os.path.commonprefix(paths)
    folder = folder[:folder.rfind("/") + 1] or "/"
    ends = [p.rsplit(".", 1)[-1] if "." in p.rsplit("/", 1)[-1] else "" for p in paths]
    suffix = rf"\.{re.escape(ends[0])}" if ends[0] and len(set(ends)) == 1 else ""
    return f"^{re.escape(folder)}.+{suffix}$"
