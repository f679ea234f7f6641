"""The full-text index answers exactly what DuckDB's contains() answers over ``articles``:
10k generated articles, 50 random 2-4 character terms, per site and per month; after new
versions, compaction and a rebuild; and ``govnews search`` / ``query --hits`` end to end."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.integration.fulltext_data import add_articles, assert_exact, quoted, random_terms, reference
from warehouse.compact import compact, live_files
from warehouse.db import connect
from warehouse.fulltext.store import open_index
from warehouse.fulltext.update import absorbed_files, catch_up, rel
from warehouse.layout import Layout

SEED = 16


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    layout = Layout.at(tmp_path_factory.mktemp("fulltext") / "archive")
    rng = random.Random(SEED)
    for b in range(3):  # three daily crawls
        add_articles(layout, rng, b * 3000, 3000, f"run{b}", fetched_days=b)
    return layout, rng


def test_random_terms_match_duckdb_contains(archive):
    layout, rng = archive
    rep = catch_up(layout)
    assert rep.added == 9000
    con = connect(layout)
    terms = random_terms(con, random.Random(SEED), 50)
    con.close()
    assert sum(1 for t in terms if " " in t or "\n" in t or "\u3000" in t) >= 1  # whitespace inside terms
    # then a crawl that brings 1,000 new articles and edits 300 (their older versions must leave)
    add_articles(layout, rng, 9000, 1000, "run3", edit_of=list(range(0, 9000, 30)), fetched_days=5)
    rep = catch_up(layout)
    assert rep.new_files and rep.added == 1300 and rep.affected == 1300
    assert_exact(layout, [quoted(t) for t in terms] + [
        "接诉即办", "5G", "COVID-19", "社区 居民", "社区 OR 居民", "社区 -居民", "NOT 区", "(城市 OR 乡村) 治理 -会议",
        "区", "。", "G"])


def test_compaction_and_rebuild_keep_it_exact(archive):
    layout, rng = archive
    catch_up(layout)
    before = absorbed_files(open_index(layout))
    compact(layout, grace=0)
    rep = catch_up(layout)
    assert rep.gone_files == len(before) - len(before & absorbed_files(open_index(layout)))
    assert absorbed_files(open_index(layout)) == {rel(layout, p) for p in live_files(layout, "articles")}
    terms = ["接诉即办", "社区", "居民 志愿者", "COVID", "区 -城市"]
    assert_exact(layout, terms)
    assert open_index(layout).searcher().num_docs == 10_000 + len(absorbed_files(open_index(layout)))
    catch_up(layout, rebuild=True)
    assert_exact(layout, terms)


def _govnews(layout: Layout, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args, "--archive", str(layout.root)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_search_and_query_hits_commands(archive):
    layout, _ = archive
    con = connect(layout)
    want = reference(con, "接诉即办", "month")
    latest = con.execute("SELECT title, url FROM articles WHERE contains(body_text, '接诉即办') "
                         "OR contains(title, '接诉即办') ORDER BY published_at DESC NULLS LAST LIMIT 3").fetchall()
    con.close()
    out = _govnews(layout, "search", "接诉即办", "--count-by", "month", "--format", "json")
    assert out.returncode == 0, out.stderr
    got = {r["month"]: r["articles"] for r in map(json.loads, out.stdout.splitlines())}
    assert got == want
    out = _govnews(layout, "search", "接诉即办", "--limit", "3", "--format", "json")
    hits = [json.loads(line) for line in out.stdout.splitlines()]
    assert [h["url"] for h in hits] == [u for _, u in latest]
    assert all("【接诉即办】" in h["snippet"] or "接诉即办" in (h["title"] or "") for h in hits)
    out = _govnews(layout, "query", "--hits", "接诉即办", "--format", "json",
                   "SELECT month, count(*) AS n FROM hits GROUP BY month")
    assert out.returncode == 0, out.stderr
    assert {r["month"]: r["n"] for r in map(json.loads, out.stdout.splitlines())} == want


def test_filters_match_sql(archive):
    from datetime import date

    from warehouse.fulltext import grammar
    from warehouse.fulltext.search import count, current, filtered

    layout, _ = archive
    index = current(layout)
    con = connect(layout)
    try:
        for sites, columns, since, until in [(["beijing-haidian"], [], None, None),
                                             (["beijing-haidian", "beijing-miyun"], ["栏目1"], None, None),
                                             ([], [], date(2020, 3, 1), date(2020, 3, 31)),
                                             ([], ["栏目0", "栏目2"], date(2021, 1, 1), None)]:
            q = filtered(index.schema, grammar.parse("社区"), sites=sites, columns=columns, since=since, until=until)
            sql = ["(contains(body_text, '社区') OR contains(title, '社区'))"]
            if sites:
                sql.append(f"site IN ({', '.join(repr(s) for s in sites)})")
            if columns:
                sql.append(f'"column" IN ({", ".join(repr(c) for c in columns)})')
            if since:
                sql.append(f"CAST(published_at AS DATE) >= DATE '{since}'")
            if until:
                sql.append(f"CAST(published_at AS DATE) <= DATE '{until}'")
            want = con.execute(f"SELECT count(*) FROM articles WHERE {' AND '.join(sql)}").fetchone()[0]
            assert count(index, q) == want > 0, (sites, columns, since, until)
    finally:
        con.close()
