"""The evaluation harness as a test: govnews meets the thresholds on the labelled
corpus and beats plain trafilatura's body F1. Timing is printed by
``python -m tests.eval.harness``, never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from tests.eval import harness, make_corpus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pages():
    return harness.load_corpus()


@pytest.fixture(scope="module")
def govnews_results(pages):
    return harness.run(pages, ("govnews",))["govnews"]


def test_corpus_is_what_make_corpus_writes():
    files, truth = make_corpus.build()
    assert {p.name: p.read_bytes() for p in harness.CORPUS.glob("*.html")} == files
    assert harness.TRUTH.read_bytes() == truth


def test_corpus_covers_the_issue(pages):
    assert len(pages) >= 80
    truths = [p.truth for p in pages]
    kinds = {t["kind"] for t in truths}
    assert {"news", "repost", "image", "notice", "attachment", "table", "metaconflict", "urldate", "relative",
            "nodate", "hard", "hard2"} <= kinds
    assert {"trs", "hanweb", "jiyue", "oldtable", "mobile"} == {t["template"] for t in truths}
    gbk = [p for p in pages if p.truth["encoding"] == "gbk"]
    assert len(gbk) >= 5
    for page in gbk:  # really GBK bytes, declared only in <meta>
        with pytest.raises(UnicodeDecodeError):
            page.body.decode("utf-8")
    assert sum(1 for t in truths if t["published_at"] is None) >= 4
    assert sum(1 for t in truths if t["published_at"] and "T" in t["published_at"]) >= 20
    assert any(t["source"] == "北京日报" for t in truths)
    assert any(t["attachments"] and not t["body_text"] for t in truths)
    assert any("\t" in t["body_text"] for t in truths)
    for t in truths:
        if t["published_at"]:
            when = datetime.fromisoformat(t["published_at"])
            assert "T" not in t["published_at"] or when.utcoffset().total_seconds() == 8 * 3600


def test_govnews_meets_thresholds(pages, govnews_results):
    figures = harness.score(pages, govnews_results)
    assert harness.failures(figures) == [], figures


def test_govnews_beats_plain_trafilatura(pages, govnews_results):
    ours = harness.score(pages, govnews_results)["body_f1"]
    theirs = harness.run(pages, ("bare", "fast"))
    for system, results in theirs.items():
        figure = harness.score(pages, results)
        assert ours > figure["body_f1"], (system, ours, figure["body_f1"])
        assert figure["leaked_lines"] > 0  # the corpus does hold boilerplate to leak


def test_the_harness_can_fail(pages, govnews_results):
    broken = list(govnews_results)
    for i in range(0, len(broken), 10):  # a wrong title on every tenth page, furniture in the body
        broken[i] = replace(broken[i], title="标题", body=broken[i].body + "\n【打印本页】【关闭窗口】")
    missed = harness.failures(harness.score(pages, broken))
    assert any(m.startswith("title exact") for m in missed)
    assert any(m.startswith("leaked boilerplate lines") for m in missed)
    wrong_dates = [replace(r, minute=None, date=None) if i % 2 else r for i, r in enumerate(govnews_results)]
    assert any(m.startswith("date (day)") for m in harness.failures(harness.score(pages, wrong_dates)))


@pytest.mark.parametrize("predicted,expected,f1", [
    ("区政府召开会议", "区政府召开会议", 1.0),
    ("区 政府\n召开会议", "区政府召开会议", 1.0),  # whitespace ignored
    ("", "", 1.0),
    ("正文", "", 0.0),
    ("甲乙", "甲乙丙丁", 2 * 1.0 * 0.5 / 1.5),
])
def test_char_f1(predicted, expected, f1):
    assert harness.char_f1(predicted, expected) == pytest.approx(f1)


def test_leaked_lines_counts_furniture_not_text():
    body = "正文第一段。\n【打印本页】\n责任编辑：张三\n京ICP备05060933号\n文中提到的相关链接说明。"
    truth = "正文第一段。\n文中提到的相关链接说明。"
    assert harness.leaked_lines(body, truth) == ["【打印本页】", "责任编辑：张三", "京ICP备05060933号"]


def _harness(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tests.eval.harness", "--systems", "govnews", "--repeat", "1", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_harness_command_passes_and_prints_the_table():
    proc = _harness()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for label in ("title exact", "date (day)", "body char F1", "leaked boilerplate lines", "median ms per page"):
        assert label in proc.stdout
    assert "PASS" in proc.stdout


def test_harness_command_fails_on_wrong_labels(tmp_path):
    truth = json.loads(harness.TRUTH.read_text(encoding="utf-8"))
    for page in truth["pages"][::5]:  # a labeller's slip on a fifth of the pages
        page["title"] += "（续）"
        page["source"] = "某某日报"
    bad = tmp_path / "truth.json"
    bad.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    proc = _harness("--truth", str(bad))
    assert proc.returncode == 1, proc.stdout
    assert "FAIL: title exact" in proc.stdout and "source" in proc.stdout.split("FAIL:")[1]
