"""The query sandbox under attack: every statement of the hostile corpus is refused or stopped by a
limit, with one line, and nothing on disk changes (the whole folder holding the archive, the files
beside it and the working directory are hashed before and after each statement).

Most run through the Python API (:func:`warehouse.sandbox.run_query`, what ``govnews query``, the
named queries and the web UI call); a representative subset runs through the real ``govnews
query`` in subprocesses. The positive side: the README cookbook, every named query and ordinary
analyst SQL still run.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from crawler.cli import main as cli_main
from tests.conftest import is_reader_scratch_dir
from tests.security.hostile_sql import BOMBS, COMMENTS_CASE_UNICODE, FILE_FUNCTIONS, STATEMENTS, STUCK, WRAPPED
from tests.unit.test_warehouse_views import article, capture, write_rows
from warehouse.layout import Layout
from warehouse.query import named_queries, run_named
from warehouse.sandbox import (Limits, QueryError, QueryRefused, QueryTimeout, ResultTooLarge, open_sandbox,
                               run_query)
from warehouse.sqlguard import check

ROOT = Path(__file__).resolve().parents[2]
# names DuckDB itself does not know (no such function, no replacement scan): refused at bind, not by the guard
UNKNOWN_TO_DUCKDB = {"SELECT getenv('HOME')", "SELECT * FROM df"}


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    """A folder with the archive, a folder of secrets beside it, and a symlink from inside the
    archive to the secrets; the working directory while the module runs (DuckDB would put a
    ``.tmp`` spill folder there)."""
    base = tmp_path_factory.mktemp("sandbox").resolve()
    layout = Layout.at(base / "archive")
    write_rows(layout, "articles", [article("beijing-haidian", n) for n in range(6)]
               + [article("beijing-yanqing", n, source="延庆报") for n in range(3)])
    write_rows(layout, "captures", [capture("beijing-haidian", n, "stored") for n in range(6)])
    out = base / "out"
    out.mkdir()
    (out / "secret.csv").write_text("secret\nhunter2\n")
    (out / "secret.json").write_text('{"secret": "hunter2"}\n')
    duckdb.connect().execute(f"COPY (SELECT 'hunter2' AS secret) TO '{out / 'secret.parquet'}'")
    (layout.root / "articles" / "link").symlink_to(out, target_is_directory=True)
    pq = next(layout.root.glob("articles/*/*/*.parquet"))
    old = os.getcwd()
    os.chdir(base)
    try:
        yield {"base": base, "layout": layout, "pq": pq, "out": out}
    finally:
        os.chdir(old)


def tree_hash(base: Path) -> dict[str, tuple]:
    """Every path under ``base`` (hidden ones too, symlinks not followed): type, bytes' hash, size, mtime."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(base))
            st = p.lstat()
            if any(is_reader_scratch_dir(p, root) or is_reader_scratch_dir(p.parent, root)
                   for root in [base, *p.parents] if (root / "state").is_dir() and root in p.parents):
                continue  # a reader's pins (hard links to snapshot files) and temp folders, not archive data
            if p.is_symlink():
                out[rel] = ("link", os.readlink(p))
            elif p.is_dir():
                out[rel] = ("dir", st.st_mode)
            else:
                out[rel] = ("file", hashlib.sha256(p.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns,
                            st.st_mode)
    return out


def fill(sql: str, place) -> str:
    return (sql.replace("@ROOT@", str(place["layout"].root)).replace("@PQ@", str(place["pq"]))
            .replace("@OUT@", str(place["out"])).replace("@LINK@", str(place["layout"].root / "articles" / "link")))


def _cases(category: str, statements: list[str]) -> list:
    return [pytest.param(s, id=f"{category}-{i:03d}") for i, s in enumerate(dict.fromkeys(statements))]


HOSTILE = (_cases("statement", STATEMENTS) + _cases("wrapped", WRAPPED)
           + _cases("comment-case-unicode", COMMENTS_CASE_UNICODE) + _cases("file", FILE_FUNCTIONS))


def test_the_corpus_is_big_enough():
    assert len(HOSTILE) >= 150 and len(BOMBS) >= 10
    issue_forms = {"WITH t AS (COPY (SELECT 42 AS x) TO '@ROOT@/pwn.csv') SELECT 1",
                   "EXPLAIN ANALYZE COPY (SELECT 42 AS x) TO '@ROOT@/pwn.csv'"}
    assert issue_forms <= set(WRAPPED)


@pytest.mark.parametrize("sql", HOSTILE)
def test_hostile_sql_is_refused_and_nothing_changes(place, sql):
    sql = fill(sql, place)
    before = tree_hash(place["base"])
    with pytest.raises(QueryError) as err:
        run_query(place["layout"], sql)
    message = str(err.value)
    assert err.value.exit_code == 2, message
    assert message and "\n" not in message
    assert tree_hash(place["base"]) == before


@pytest.mark.parametrize("sql", HOSTILE)
def test_the_guard_alone_refuses_it(place, sql):
    """Layer 1 by itself: the statement never reaches a connection (except names DuckDB does not know)."""
    if sql in UNKNOWN_TO_DUCKDB:
        check(sql)
        return
    with pytest.raises(QueryRefused):
        check(fill(sql, place))


BOMB_LIMITS = Limits(timeout=2.0, max_rows=10_000, max_bytes=5_000_000, memory_limit="256MB", threads=1)


@pytest.mark.parametrize("sql", _cases("bomb", BOMBS))
def test_resource_bombs_are_stopped_by_a_limit(place, sql):
    before = tree_hash(place["base"])
    t0 = time.monotonic()
    with pytest.raises(QueryError) as err:
        run_query(place["layout"], sql, limits=BOMB_LIMITS)
    elapsed = time.monotonic() - t0
    assert err.value.exit_code == 1, str(err.value)
    assert "\n" not in str(err.value)
    assert elapsed < BOMB_LIMITS.timeout + 10, elapsed  # stopped, not left to run
    assert tree_hash(place["base"]) == before


def test_the_connection_cannot_write_even_without_the_guard(place):
    """Layer 2 on its own: statements sent straight to the sandbox connection."""
    layout, base = place["layout"], place["base"]
    before = tree_hash(base)
    con = open_sandbox(layout, Limits(memory_limit="64MB", threads=1))
    try:
        settings = dict(con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('temp_directory', 'enable_external_access', "
            "'lock_configuration', 'autoload_known_extensions', 'autoinstall_known_extensions', "
            "'python_enable_replacements', 'allowed_directories')").fetchall())
        assert settings == {"temp_directory": "", "enable_external_access": "false", "lock_configuration": "true",
                            "autoload_known_extensions": "false", "autoinstall_known_extensions": "false",
                            "python_enable_replacements": "false", "allowed_directories": "[]"}
        allowed = con.execute("SELECT current_setting('allowed_paths')").fetchone()[0]
        live = sorted(p.name for p in layout.root.glob("*/*/*/*.parquet"))
        # each snapshot file, or the snapshot's own hard link to it (state/pins/…/<pid>-<hex>-<name>)
        assert all(a.startswith(str(layout.root) + "/") for a in allowed)
        assert sorted(Path(a).name.split("-", 2)[-1] if "/state/pins/" in a else Path(a).name
                      for a in allowed) == live
        for sql in (f"COPY (SELECT 1) TO '{layout.root}/pwn.csv'",
                    f"COPY (SELECT 1) TO '{layout.root / 'articles' / 'new.parquet'}'",
                    f"COPY (SELECT 1) TO '{place['out']}/x.csv'",
                    "SELECT * FROM read_text('/etc/passwd')",
                    f"SELECT * FROM read_csv('{place['out']}/secret.csv')",
                    f"SELECT * FROM read_csv('{layout.root}/articles/link/secret.csv')",
                    f"ATTACH '{layout.root}/x.duckdb'",
                    "SET enable_external_access = true",
                    "SET temp_directory = '.tmp'",
                    "INSTALL httpfs"):
            with pytest.raises(duckdb.Error):
                con.execute(sql)
        # more than the memory limit: fails instead of spilling to a .tmp folder
        with pytest.raises(duckdb.OutOfMemoryException):
            con.execute("SELECT * FROM range(20000000) ORDER BY random()").fetchmany(1)
        # the views still read the archive
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 9
    finally:
        con.close()
    assert tree_hash(base) == before
    assert not (base / ".tmp").exists() and not (layout.root / ".tmp").exists()


# ------------------------------------------------------------------------------- the CLI

CLI_CASES = [
    # (arguments after the SQL, SQL, exit code)
    ([], "WITH t AS (COPY (SELECT 42 AS x) TO '@ROOT@/pwn.csv') SELECT 1", 2),
    ([], "EXPLAIN ANALYZE COPY (SELECT 42 AS x) TO '@ROOT@/pwn.csv'", 2),
    ([], "SELECT 1; COPY (SELECT 1) TO '@ROOT@/m.csv'", 2),
    ([], "ATTACH '@ROOT@/pwn.duckdb'", 2),
    ([], "SELECT * FROM read_text('../out/secret.csv')", 2),
    ([], "SELECT * FROM read_csv('@LINK@/secret.csv')", 2),
    ([], "SELECT * FROM '@PQ@'", 2),
    ([], "ＣＯＰＹ (SELECT 1) TO '@ROOT@/fw.csv'", 2),
    (["--timeout", "nan"], "SELECT 1", 2),
    (["--timeout", "0"], "SELECT 1", 2),
    (["--timeout", "2"], "SELECT count(*) FROM range(1000000000) a, range(1000000000) b", 1),
    ([], "SELECT * FROM range(1000000000000)", 1),
    (["--timeout", "2"], STUCK, 1),
]


def _govnews(place, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GOVNEWS_ARCHIVE", None)
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=place["base"], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_cli_refuses_and_stops_with_one_line(place):
    before = tree_hash(place["base"])
    archive = str(place["layout"].root)
    with ThreadPoolExecutor(4) as pool:
        procs = list(pool.map(lambda c: _govnews(place, "query", fill(c[1], place), "--archive", archive, *c[0]),
                              CLI_CASES))
    for (extra, sql, code), proc in zip(CLI_CASES, procs):
        assert proc.returncode == code, (sql, extra, proc.stderr)
        assert proc.stdout == "", (sql, proc.stdout)
        assert proc.stderr.startswith("govnews: ") and proc.stderr.count("\n") == 1, (sql, proc.stderr)
    assert tree_hash(place["base"]) == before


@pytest.mark.slow
def test_cli_named_query_and_select_run(place):
    archive = str(place["layout"].root)
    proc = _govnews(place, "query", "latest", "--param", "site=beijing-yanqing", "--archive", archive,
                    "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1 + 3


# -------------------------------------------------------------------- limits and time

@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "abc", ""])
def test_timeout_must_be_finite_and_positive(place, value, capsys):
    code = cli_main(["query", "SELECT 1", "--archive", str(place["layout"].root), f"--timeout={value}"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("govnews: --timeout") and err.count("\n") == 1


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 0, -1, "5", True])
def test_limits_refuse_a_timeout_that_is_not_a_finite_positive_number(value):
    with pytest.raises(ValueError):
        Limits(timeout=value)


@pytest.mark.parametrize("option", ["--max-rows", "--max-bytes", "--memory-limit"])
@pytest.mark.parametrize("value", ["0", "-5", "lots", "1.5.2"])
def test_caps_must_be_positive(place, option, value, capsys):
    code = cli_main(["query", "SELECT 1", "--archive", str(place["layout"].root), f"{option}={value}"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"govnews: {option}") and err.count("\n") == 1


def test_row_cap_message_per_format(place, capsys, tmp_path):
    archive = str(place["layout"].root)
    assert cli_main(["query", "SELECT * FROM range(200000)", "--archive", archive]) == 1
    err = capsys.readouterr().err
    assert err == ("govnews: result exceeds 100,000 rows (--max-rows); add LIMIT, or write it with "
                   "--format parquet --out FILE\n")
    out = tmp_path / "r.parquet"
    assert cli_main(["query", "SELECT * FROM range(5000)", "--archive", archive, "--format", "parquet",
                     "--out", str(out), "--max-rows", "1000"]) == 1
    assert "exceeds 1,000 rows (--max-rows); add LIMIT or raise --max-rows" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.iterdir())
    assert cli_main(["query", "SELECT * FROM range(5000)", "--archive", archive, "--format", "parquet",
                     "--out", str(out)]) == 0
    assert out.exists()


def test_byte_cap(place, capsys):
    with pytest.raises(ResultTooLarge, match="exceeds 1,000,000 bytes"):
        run_query(place["layout"], "SELECT repeat('新', 200) FROM range(5000)", limits=Limits(max_bytes=1_000_000))
    with pytest.raises(ResultTooLarge, match="bytes"):
        run_query(place["layout"], "SELECT repeat('x', 2000000)", limits=Limits(max_bytes=1_000_000), arrow=True)
    assert cli_main(["query", "SELECT repeat('x', 100) FROM range(20000)", "--archive", str(place["layout"].root),
                     "--max-bytes", "1MB"]) == 1
    assert "exceeds 1,000,000 bytes (--max-bytes)" in capsys.readouterr().err
    ok = run_query(place["layout"], "SELECT repeat('x', 100) FROM range(100)", limits=Limits(max_bytes=1_000_000))
    assert len(ok.rows) == 100


def test_the_time_limit_covers_fetching_and_formatting(place, capsys):
    """1M rows in table format: fetching and formatting alone take longer than the limit."""
    buf = io.StringIO()
    t0 = time.monotonic()
    with contextlib.redirect_stdout(buf):
        code = cli_main(["query", "SELECT range AS n, range * 2 AS m FROM range(1000000)", "--archive",
                         str(place["layout"].root), "--timeout", "2", "--max-rows", "2000000"])
    elapsed = time.monotonic() - t0
    assert code == 1 and capsys.readouterr().err == "govnews: query interrupted after 2 s (--timeout)\n"
    assert buf.getvalue() == ""  # no partial table
    assert elapsed < 2 + 6, elapsed


def test_timeout_during_execution(place):
    with pytest.raises(QueryTimeout):
        run_query(place["layout"], "SELECT count(*) FROM range(1000000000) a, range(1000000000) b",
                  limits=Limits(timeout=0.5))


# ------------------------------------------------------------------------ what still works

def _cookbook() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Query cookbook", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.DOTALL)


def test_readme_cookbook_queries_run(place):
    queries = _cookbook()
    assert len(queries) >= 8
    for sql in queries:
        run_query(place["layout"], sql)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_runs_with_its_defaults(place, name):
    res = run_named(place["layout"], name, {})
    assert res.columns


ANALYST_SQL = [
    "SELECT site, count(*) AS n FROM articles GROUP BY ALL ORDER BY n DESC",
    "FROM articles SELECT title LIMIT 3",
    "SELECT * FROM articles USING SAMPLE 2 ROWS",
    "WITH s AS (SELECT site, count(*) AS n FROM articles GROUP BY site) SELECT * FROM s WHERE n > 1",
    "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT sum(n) FROM t",
    "SELECT site, title, row_number() OVER (PARTITION BY site ORDER BY published_at) AS k FROM articles "
    "QUALIFY k = 1",
    "SELECT date_trunc('month', published_at) AS m, count(*) FROM articles GROUP BY m ORDER BY m",
    "SELECT strftime(published_at, '%Y') AS y, count(*) FILTER (WHERE contains(body_text, '接诉即办')) FROM articles "
    "GROUP BY ROLLUP (y)",
    "SELECT list_transform(authors, lambda a: upper(a)), authors[1], len(attachments) FROM articles",
    "SELECT a.name, a.url FROM (SELECT unnest(attachments) AS a FROM articles)",
    "SELECT CASE WHEN published_at BETWEEN DATE '2020-01-01' AND DATE '2020-06-30' THEN 'h1' ELSE 'h2' END, "
    "count(*) FROM articles GROUP BY 1",
    "SELECT site FROM articles UNION SELECT site FROM captures EXCEPT SELECT 'x'",
    "SELECT regexp_extract(url, 'art/(\\d+)', 1)::INT AS n, title COLLATE nocase FROM articles ORDER BY n",
    "SELECT * FROM range(5) r JOIN generate_series(1, 3) g ON r.range = g.generate_series",
    "SELECT count(*) FROM articles WHERE site IN (SELECT site FROM captures) AND EXISTS (SELECT 1 FROM runs)",
    "VALUES (1, 'a'), (2, 'b')",
    "DESCRIBE articles",
    "SUMMARIZE SELECT site, warc_offset FROM articles",
    "SHOW TABLES",
    "SELECT table_name FROM information_schema.tables ORDER BY 1",
    "SELECT * FROM duckdb_columns() WHERE table_name = 'articles'",
    "SELECT current_setting('memory_limit'), now() > TIMESTAMP '2000-01-01', $1::INT + 1",
    "EXPLAIN SELECT count(*) FROM articles",
    "-- a comment\nEXPLAIN ANALYZE SELECT count(*) FROM articles WHERE site = 'beijing-haidian'",
    "SELECT 'COPY (SELECT 1) TO ''x''' AS text_about_copy, 'read_csv' AS name",
    "SELECT 1; ",
]


@pytest.mark.parametrize("sql", ANALYST_SQL)
def test_ordinary_analyst_sql_runs(place, sql):
    res = run_query(place["layout"], sql, params=[41] if "$1" in sql else None)
    assert res.columns and res.rows is not None
