"""How text becomes index terms: overlapping character bigrams at consecutive positions.

tantivy's n-gram tokenizer gives every gram position 0, so phrase queries over it
cannot work. Instead each text is rewritten as its bigrams separated by spaces
(``接诉即办`` → ``接诉 诉即 即办``) and indexed with the whitespace tokenizer, which
numbers tokens 0, 1, 2, ...: the bigram starting at character *i* has position *i*.
A term of n ≥ 2 characters is then the phrase of its n-1 bigrams, and a document
matches it exactly when the term is a substring of the text (``contains``): no
lowercasing, no normalisation. Whitespace characters inside the text would split
tokens, so every character Python calls whitespace is first mapped to a code point
of Supplementary Private Use Area-B (U+100000…), in texts and in query terms alike.
A text of one character is indexed as that one token; one-character terms are
answered with a regular expression over the bigram dictionary (see :func:`char_regex`).
"""

from __future__ import annotations

import operator
import re
from array import array

_SPACE_BASE = 0x100000
# every whitespace character is below U+3001 (U+3000 IDEOGRAPHIC SPACE is the last)
_SPACES = [c for c in map(chr, range(0x3001)) if c.isspace()]
_PRIVATE = {c: chr(_SPACE_BASE + i) for i, c in enumerate(_SPACES)}
_SPACE_CP = array("I", [0x20])
_SPACE = re.compile("[" + re.escape("".join(_SPACES)) + "]")


def protect(text: str) -> str:
    """``text`` with whitespace characters replaced by private-use ones (one for one)."""
    return _SPACE.sub(lambda m: _PRIVATE[m.group()], text)


def bigrams(text: str) -> list[str]:
    """The overlapping bigrams of ``text`` (whitespace protected); one token for a 1-character text."""
    t = protect(text)
    if len(t) < 2:
        return [t] if t else []
    return list(map(operator.add, t, t[1:]))


def indexed_text(text: str | None) -> str:
    """What the index is given for a text field: its bigrams separated by spaces."""
    if not text:
        return ""
    t = protect(text)
    n = len(t) - 1
    if n < 1:
        return t
    # " ".join(map(operator.add, t, t[1:])), five times faster: interleave code points in C
    cps = array("I")
    cps.frombytes(t.encode("utf-32-le"))
    out = array("I", bytes(12 * n))
    out[0::3] = cps[:-1]
    out[1::3] = cps[1:]
    out[2::3] = _SPACE_CP * n
    return out.tobytes()[:-4].decode("utf-32-le")


def char_regex(char: str) -> str:
    """A regular expression (tantivy's syntax) for the index terms holding ``char``:
    every bigram that starts or ends with it, and the token of a 1-character text."""
    c = f"\\x{{{ord(protect(char)):X}}}"
    return f"{c}.?|.{c}"
