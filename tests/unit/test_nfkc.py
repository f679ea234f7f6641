"""identity.nfkc equals unicodedata.normalize("NFKC") (content_sha256 must not move): the facts
it rests on, checked over every CJK Unified Ideograph, and the equality on generated texts."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warehouse.identity import content_sha256, nfkc

IDEOGRAPHS = range(0x4E00, 0xA000)


def _composition_pairs() -> set[int]:
    """Every code point that is one half of a canonical two-character decomposition (so of a
    composition NFKC may make)."""
    halves = set()
    for cp in range(sys.maxunicode + 1):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<"):
            parts = d.split()
            if len(parts) == 2:
                halves.update(int(p, 16) for p in parts)
    return halves


def test_ideographs_are_stable_and_never_compose():
    halves = _composition_pairs()
    for cp in IDEOGRAPHS:
        c = chr(cp)
        assert unicodedata.decomposition(c) == "", hex(cp)
        assert unicodedata.combining(c) == 0, hex(cp)
        assert cp not in halves, hex(cp)


def test_a_composing_pair_across_the_split_would_be_caught():
    """Control: the pairs check sees a real composition (e + combining acute -> é)."""
    halves = _composition_pairs()
    assert ord("e") in halves and 0x301 in halves
    assert unicodedata.normalize("NFKC", "e\u0301") == "\u00e9"


# letters, digits, fullwidth forms, combining marks, Hangul jamo, kana with (han)dakuten, ligatures,
# circled numbers, CJK compatibility ideographs, ideographs
ALPHABET = st.sampled_from(
    list("abcé e政府，。：；（）！？　１２ＡＢ") + ["\u0301", "\u0308", "\u0323", "\u1100", "\u1161", "\u11a8",
    "\u304b", "\u3099", "\u309a", "\ufb01", "\u2460", "\u3000", "\uf900", "\u2f00", "\u4e00", "\u9fff", "\u9fa5",
    "\u00bd", "\u2126", "\u212b", "\u1e9b", "\u0344", "\u0f73", "\U0001d400"])
SETTINGS = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_nfkc_equals_unicodedata(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_a_real_looking_body_hashes_as_before():
    body = "平潭网8月18日讯（融媒体记者 林 某）　２０２４年，区政府召开会议。e\u0301 ﬁ ①"
    import hashlib
    import re
    expected = hashlib.sha256(re.sub(r"\s+", " ", unicodedata.normalize("NFKC", body)).strip().encode()).hexdigest()
    assert content_sha256(body) == expected
