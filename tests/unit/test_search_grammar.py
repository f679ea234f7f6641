"""The search grammar: what it accepts, what it refuses (one line, exit 2, nothing written)."""

from __future__ import annotations

import pytest

from crawler.cli import main
from warehouse.fulltext import grammar
from warehouse.fulltext.grammar import And, Not, Or, Term
from warehouse.fulltext.text import bigrams, indexed_text, protect


@pytest.mark.parametrize("text, tree", [
    ("接诉即办", Term("接诉即办")),
    ("接诉即办 营商环境", And((Term("接诉即办"), Term("营商环境")))),
    ("接诉即办 AND 营商环境", And((Term("接诉即办"), Term("营商环境")))),
    ("疫情 OR 防控 社区", Or((Term("疫情"), And((Term("防控"), Term("社区")))))),
    ('"垃圾 分类" -会议', And((Term("垃圾 分类"), Not(Term("会议"))))),
    ("NOT (a OR b)", Not(Or((Term("a"), Term("b"))))),
    ("COVID-19", Term("COVID-19")),
])
def test_accepted(text, tree):
    assert grammar.parse(text) == tree


HOSTILE = ['"', '"unclosed', "(接诉", "接诉)", "接诉 OR", "NOT", "-", '""', "OR 接诉", "接诉 AND",
           "x" * 1001, " ".join(["词"] * 33), "(" * 17 + "a" + ")" * 17, "   ", "()"]


@pytest.mark.parametrize("text", HOSTILE)
def test_refused(text):
    with pytest.raises(grammar.QueryError):
        grammar.parse(text)


@pytest.mark.parametrize("argv", [["search", "(接诉"], ["search", '"'], ["search", "接诉", "--since", "2024-13-01"],
                                  ["search", "接诉", "--limit", "0"], ["query", "--hits", "接诉 OR", "SELECT 1"]])
def test_cli_refuses_with_one_line_and_writes_nothing(tmp_path, capsys, argv):
    root = tmp_path / "archive"
    assert main([*argv, "--archive", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("govnews: ")
    assert not root.exists()


def test_bigrams_are_substrings_with_whitespace_protected():
    assert bigrams("接诉即办") == ["接诉", "诉即", "即办"]
    assert bigrams("一") == ["一"]
    text = "社区 居民\n\u3000志愿者"
    tokens = indexed_text(text).split(" ")
    assert len(tokens) == len(text) - 1  # one token per bigram: whitespace never splits one
    assert protect(text) != text and len(protect(text)) == len(text)
