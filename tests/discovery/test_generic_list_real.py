"""The generic list rule, with no preset, on the real pingtan list pages labelled in truth.jsonl."""

from __future__ import annotations

import pytest

from tests.eval.lists import CORPUS, TARGET, labelled_lists, score

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent (real pages live beside the clone)")


def test_generic_rule_finds_the_labelled_items_and_the_next_page():
    results = [score(row) for row in labelled_lists()]
    assert len(results) == 3
    hits = sum(r["hit"] for r in results)
    assert hits / sum(r["got"] for r in results) >= TARGET, results
    assert hits / sum(r["want"] for r in results) >= TARGET, results
    assert all(r["next_ok"] for r in results), results
    assert all(r["dates"] >= TARGET for r in results), results
