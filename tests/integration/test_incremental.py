"""Daily incremental crawls against the fixture site over loopback, counting requests in the server's log."""

from __future__ import annotations

import pytest

from crawler.sites import load_registry
from tests.reliability.conftest import (
    YANQING, add_yanqing_articles, assert_archive_readable, assert_no_duplicate_keys, edit_article, fetched,
    query, remove_article, run_crawl, site_article_urls,
)

pytestmark = pytest.mark.slow


def _first_list_pages(slug: str) -> set[str]:
    return {c.url for c in load_registry()[slug].columns}


def test_rerun_fetches_list_pages_only_then_exactly_the_new_articles(fixture_server, site_tree, archive):
    first = run_crawl(archive, fixture_server, YANQING)
    assert first.returncode == 0, first.stderr[-3000:]
    articles = site_article_urls(YANQING)
    assert set(fetched(fixture_server)) >= articles
    rows_before = query(archive, "SELECT count(*) FROM article_versions")[0][0]
    assert rows_before == len(articles)

    fixture_server.clear_log()
    second = run_crawl(archive, fixture_server, YANQING)
    assert second.returncode == 0, second.stderr[-3000:]
    assert set(fetched(fixture_server, status=None)) == _first_list_pages(YANQING)
    assert query(archive, "SELECT count(*) FROM article_versions")[0][0] == rows_before

    new = add_yanqing_articles(site_tree, 3)
    fixture_server.clear_log()
    third = run_crawl(archive, fixture_server, YANQING)
    assert third.returncode == 0, third.stderr[-3000:]
    got = fetched(fixture_server, status=None)
    assert sorted(u for u in got if "/art/" in u) == sorted(new)
    assert {u for u in got if "/art/" not in u} == _first_list_pages(YANQING)
    assert query(archive, "SELECT count(*) FROM article_versions")[0][0] == rows_before + 3
    titles = {t for (t,) in query(archive, "SELECT title FROM articles WHERE url IN (SELECT unnest(?))", [new])}
    assert titles == {f"延庆区新发布第{i}条测试新闻{9000 + i}" for i in (1, 2, 3)}
    runs = query(archive, "SELECT status, new_articles, list_pages, article_pages FROM runs ORDER BY started_at")
    assert runs == [("ok", len(articles), 6, len(articles)), ("ok", 0, 2, 0), ("ok", 3, 2, 3)]
    assert_archive_readable(archive)
    assert_no_duplicate_keys(archive)


def test_recheck_turns_an_edit_into_a_version_and_a_removal_into_a_tombstone(fixture_server, site_tree, archive):
    assert run_crawl(archive, fixture_server, YANQING).returncode == 0
    urls = sorted(site_article_urls(YANQING))
    edited, removed = urls[3], urls[7]
    edit_article(site_tree, edited)
    remove_article(site_tree, removed)
    fixture_server.clear_log()
    # every fixture article is from 2020: a window of 5000 days covers them all
    proc = run_crawl(archive, fixture_server, YANQING, extra=("--recheck-days", "5000"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = fetched(fixture_server, status=None)
    assert sorted(u for u in got if "/art/" in u) == urls, "every recent article is rechecked once"

    versions = query(archive, "SELECT url, count(*), count(DISTINCT content_sha256) FROM article_versions "
                              "GROUP BY url HAVING count(*) > 1")
    assert versions == [(edited, 2, 2)]
    latest = query(archive, "SELECT body_text FROM articles WHERE url = ?", [edited])[0][0]
    assert latest.startswith("（更正：本文第二段数据有误")
    tomb = query(archive, "SELECT status, outcome, kind FROM captures WHERE url = ? AND status <> 200", [removed])
    # ArchivePipeline keeps the fetch outcome of a 404 (not_found); before that change it recorded the drop reason
    assert len(tomb) == 1 and tomb[0][0] == 404 and tomb[0][2] == "article", tomb
    assert tomb[0][1] in ("not_found", "dropped:Tombstone"), tomb
    run = query(archive, "SELECT status, new_articles, new_versions, stats['item_dropped_reasons_count/Tombstone'] "
                         "FROM runs ORDER BY started_at DESC LIMIT 1")[0]
    assert run == ("ok", 0, 1, "1")
    assert_no_duplicate_keys(archive)


def test_schedule_runs_a_crawl_with_the_same_lock_and_run_records(fixture_server, archive):
    import subprocess
    import sys

    from tests.reliability.conftest import ROOT, cli_env

    log = archive.parent / "logs" / "crawl.log"
    log.parent.mkdir()
    log.write_text("an old day's output\n" * 100)  # over --log-max-mb: rotated before the crawl
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "schedule", "0 6 * * *", "--archive", str(archive), "--site", YANQING,
         "--via", fixture_server.url, "--run-now", "--max-runs", "1", "--log", str(log), "--log-max-mb", "0.001"],
        cwd=ROOT, env=cli_env(), capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "crawl #1 exited 0" in proc.stderr
    # then compacted, as the cron line and the systemd unit do
    assert "compact after crawl #1 exited 0" in proc.stderr
    text = log.read_text()
    assert "compacted " in text and "crawl #1 exited 0" in text and "old day" not in text
    assert (log.parent / "crawl.log.1").read_text() == "an old day's output\n" * 100
    assert sorted(p.name for p in log.parent.iterdir()) == ["crawl.log", "crawl.log.1"]
    assert query(archive, "SELECT site, status, new_articles FROM runs") == [(YANQING, "ok", len(site_article_urls(YANQING)))]
    assert (archive / "state" / "crawl.lock").exists()
