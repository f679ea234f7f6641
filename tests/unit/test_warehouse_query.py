"""The sandboxed query: refusals, the time limit, named queries with bound parameters, output."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pyarrow.parquet as pq
import pytest

from crawler.cli import main as cli_main
from crawler.output import print_table
from tests.unit.test_warehouse_views import article, write_rows
from warehouse.layout import Layout
from warehouse.query import (Limits, QueryFailed, QueryRefused, QueryTimeout, check_statement, named_queries,
                             run_named, run_query)


@pytest.fixture
def layout(tmp_path) -> Layout:
    layout = Layout.at(tmp_path / "archive")
    rows = [article("beijing-haidian", n) for n in range(8)]
    rows += [article("beijing-yanqing", n, source="延庆报") for n in range(4)]
    # the same text at two sites: a repost
    same = "北京市发布重要通知。各区认真落实。"
    rows += [article("beijing-haidian", 90, body=same), article("beijing-chaoyang", 91, body=same)]
    write_rows(layout, "articles", rows)
    return layout


REFUSED = {
    "copy": "COPY (SELECT 1) TO '/tmp/govnews-evil.csv'",
    "copy_into_archive": "COPY (SELECT 1) TO '{root}/articles/evil.csv'",
    "explain_analyze_copy": "EXPLAIN ANALYZE COPY (SELECT 1) TO '{root}/evil.csv'",
    "attach": "ATTACH '/tmp/x.duckdb'",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set": "SET memory_limit = '100GB'",
    "reset": "RESET enable_external_access",
    "pragma": "PRAGMA enable_profiling",
    "two_statements": "SELECT 1; SELECT 2",
    "read_passwd": "SELECT * FROM read_csv('/etc/passwd')",
    "read_text_passwd": "SELECT * FROM read_text('/etc/passwd')",
    "parquet_outside": "SELECT * FROM read_parquet('/tmp/*.parquet')",
    "http": "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",
    "not_sql": "DROP TABLE articles",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refusals(layout, name):
    sql = REFUSED[name].format(root=layout.root.resolve())
    with pytest.raises(QueryRefused) as err:
        run_query(layout, sql)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("name", ["copy", "attach", "set", "two_statements", "read_passwd", "install"])
def test_cli_refusal_is_one_line_and_exit_2(layout, name, capsys):
    sql = REFUSED[name].format(root=layout.root.resolve())
    code = cli_main(["query", sql, "--archive", str(layout.root)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("govnews: ") and err.strip().count("\n") == 0


def test_nothing_written_by_refused_copy(layout):
    target = layout.root.resolve() / "evil.csv"
    with pytest.raises(QueryRefused):
        run_query(layout, f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{target}'")
    assert not target.exists()


def test_explain_and_select_pass(layout):
    check_statement("-- a comment\nEXPLAIN SELECT 1")
    check_statement("EXPLAIN ANALYZE SELECT count(*) FROM articles")
    res = run_query(layout, "SELECT count(*) FROM articles")
    assert res.rows == [(14,)]


def test_configuration_is_locked(layout):
    res = run_query(layout, "SELECT current_setting('lock_configuration'), current_setting('enable_external_access')")
    assert res.rows == [(True, False)]


def test_timeout_interrupts_a_slow_query(layout):
    # a cross join of 10^12 rows would run for hours; the limit stops it
    with pytest.raises(QueryTimeout):
        run_query(layout, "SELECT count(*) FROM range(1000000) a, range(1000000) b WHERE a.range + b.range = -1",
                  limits=Limits(timeout=0.5))


def test_cli_timeout_exit_1(layout, capsys):
    code = cli_main(["query", "SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b",
                     "--archive", str(layout.root), "--timeout", "0.5"])
    assert code == 1 and "interrupted" in capsys.readouterr().err


def test_named_queries_declare_and_use_their_parameters():
    queries = named_queries()
    assert {"articles_per_month", "latest", "keyword_per_month", "sources_ranking", "reposts"} <= set(queries)
    for q in queries.values():
        assert q.title
        for p in q.params:
            assert f"${p.name}" in q.sql, (q.name, p.name)
            assert p.help


def test_articles_per_month(layout):
    res = run_named(layout, "articles_per_month", {"site": "beijing-yanqing"})
    assert sum(r[3] for r in res.rows) == 4 and {r[0] for r in res.rows} == {"beijing-yanqing"}
    res = run_named(layout, "articles_per_month", {"since": "2020-06-01", "until": "2020-06-30"})
    expected = sum(1 for n in range(8) if 1 + n % 12 == 6) + sum(1 for n in range(4) if 1 + n % 12 == 6)
    assert sum(r[3] for r in res.rows) == expected
    assert {r[2] for r in res.rows} <= {"2020-06"}


def test_latest(layout):
    res = run_named(layout, "latest", {"site": "beijing-haidian", "n": "3"})
    assert len(res.rows) == 3 and {r[1] for r in res.rows} == {"beijing-haidian"}
    published = [r[0] for r in res.rows]
    assert published == sorted(published, reverse=True)


def test_keyword_per_month(layout):
    res = run_named(layout, "keyword_per_month", {"keyword": "疫情防控", "site": "beijing-haidian"})
    assert sum(r[3] for r in res.rows) == 4  # odd n of 0..7
    res = run_named(layout, "keyword_per_month", {"keyword": "接诉即办"})
    assert sum(r[3] for r in res.rows) == 4 + 2


def test_sources_ranking(layout):
    res = run_named(layout, "sources_ranking", {"top": "1"})
    assert ("beijing-yanqing", "延庆区", "延庆报", 4, 1) in res.rows
    assert all(r[4] == 1 for r in res.rows)


def test_reposts(layout):
    res = run_named(layout, "reposts", {})
    assert len(res.rows) == 1
    assert res.rows[0][1] == 2 and res.rows[0][6] == ["beijing-chaoyang", "beijing-haidian"]


def test_parameters_are_bound_not_pasted(layout):
    # an injection attempt is just a site name that matches nothing
    res = run_named(layout, "latest", {"site": "x' OR '1'='1"})
    assert res.rows == []
    with pytest.raises(QueryRefused, match="no parameter"):
        run_named(layout, "latest", {"nope": "1"})


def test_cli_list_and_named_with_params(layout, capsys):
    assert cli_main(["query", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "latest:" in listing and "--param site=" in listing
    code = cli_main(["query", "latest", "--archive", str(layout.root), "--param", "site=beijing-yanqing",
                     "--param", "n=2", "--format", "jsonl"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and len(rows) == 2 and rows[0]["site"] == "beijing-yanqing"


def test_cli_parquet_output(layout, tmp_path, capsys):
    out = tmp_path / "res.parquet"
    code = cli_main(["query", "SELECT site, count(*) AS n FROM articles GROUP BY site ORDER BY site",
                     "--archive", str(layout.root), "--format", "parquet", "--out", str(out)])
    assert code == 0
    assert pq.read_table(out).to_pylist()[0] == {"site": "beijing-chaoyang", "n": 1}
    assert not list(tmp_path.glob(".*.tmp"))
    # an existing file is refused without --overwrite
    assert cli_main(["query", "SELECT 1", "--archive", str(layout.root), "--format", "parquet",
                     "--out", str(out)]) == 2


def test_table_clips_wide_chinese_text():
    buf = io.StringIO()
    body = "北京市海淀区召开疫情防控工作会议" * 10
    print_table(["title", "n"], [(body, 1), ("短", 2)], out=buf, max_cell=20)
    lines = buf.getvalue().splitlines()
    assert lines[2].startswith("北京市海淀区召开疫") and "…" in lines[2]
    # CJK counts two columns: both data rows put ``n`` in the same column
    assert lines[2].index("1") - 0 > 0
    from crawler.output import _width

    assert _width(lines[2].split("  ")[0]) <= 20
    assert _width(lines[2][: lines[2].rindex("1")]) == _width(lines[3][: lines[3].rindex("2")])


def test_params_for_raw_sql(layout):
    res = run_query(layout, "SELECT count(*) FROM articles WHERE site = $site", params={"site": "beijing-yanqing"})
    assert res.rows == [(4,)]
    assert isinstance(run_query(layout, "SELECT now()").rows[0][0], datetime)
    with pytest.raises(QueryFailed, match="no_such_column"):
        run_query(layout, "SELECT no_such_column FROM articles")


