"""kill -9 of a crawl at a random moment, 20 times, each followed by a normal run.

After each kill: every visible Parquet file opens and DuckDB reads the whole
archive. After each re-run: no url_key twice in ``articles``, the archive holds
exactly the site's articles, the re-run fetched only what the killed run had not
committed (no article fetched successfully twice), and the killed run is
``crashed``; and every article a killed run committed has its captures row (outcome
``stored``, the same WARC record). The killed crawl is slowed (a small per-request delay, small
batches so it commits files as it goes) so most kills land mid-crawl.
Seeded: ``GOVNEWS_KILL_SEED=<n>`` replays a failure; the seed is in every message.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time

import pytest

from tests.reliability.conftest import (
    ROOT, YANQING, assert_archive_readable, assert_no_duplicate_keys, cli_env, crawl_cmd, fetched, query, run_crawl,
    site_article_urls,
)

pytestmark = pytest.mark.slow

TRIALS = int(os.environ.get("GOVNEWS_KILL_TRIALS") or 12)  # each is two crawls; 12 keep make test inside its budget
SLOW = ("-s", "DOWNLOAD_DELAY=0.02", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "ARCHIVE_BATCH_ROWS=5")
KILL_WINDOW_S = 2.2  # after the crawl's first request: about the slowed crawl's length (64 requests)


def _wait_for_first_request(server, proc, timeout=60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.log.exists() and server.log.stat().st_size > 0:
            return
        if proc.poll() is not None:
            raise AssertionError(f"crawl exited {proc.returncode} before its first request")
        time.sleep(0.01)
    raise AssertionError("no request")


def articles_without_capture(con, run_id: str) -> list[str]:
    """URLs of ``run_id``'s committed articles that have no ``stored`` captures row for their WARC record."""
    return [u for (u,) in query(con, """
        SELECT a.url FROM article_versions a
        ANTI JOIN (SELECT * FROM captures WHERE outcome = 'stored') c
            ON c.run_id = a.run_id AND c.warc_file = a.warc_file AND c.warc_offset = a.warc_offset
        WHERE a.run_id = ? ORDER BY 1""", [run_id])]


def test_kill_9_right_after_the_first_articles_commit_keeps_their_captures(fixture_server, tmp_path):
    """The moment that lost captures (6 of 160): an articles file committed, its captures still in memory."""
    archive = tmp_path / "archive"
    victim = subprocess.Popen(crawl_cmd(archive, fixture_server, YANQING, extra=SLOW), cwd=ROOT, env=cli_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not list((archive / "articles").glob("*/*/*.parquet")):
            assert victim.poll() is None, f"crawl exited {victim.returncode} before committing any article"
            assert time.monotonic() < deadline, "no articles file in 120 s"
            time.sleep(0.005)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=60)
    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait()
    con = assert_archive_readable(archive)
    (run_id,) = {r for (r,) in query(con, "SELECT run_id FROM article_versions")}
    n = query(con, "SELECT count(*) FROM article_versions")[0][0]
    assert n >= 1, n  # ARCHIVE_BATCH_ROWS=5: one batch, in files per publication month
    assert articles_without_capture(con, run_id) == []
    con.close()


@pytest.mark.timeout(1500)
def test_kill_9_at_a_random_moment_then_rerun(fixture_server, tmp_path):
    seed = int(os.environ.get("GOVNEWS_KILL_SEED") or random.SystemRandom().randrange(2**32))
    rng = random.Random(seed)
    articles = site_article_urls(YANQING)
    tally = {"captures_checked": 0, "killed_mid_crawl": 0, "killed_after_end_record": 0, "finished_before_kill": 0, "with_committed_articles": 0,
             "committed_by_killed": 0, "refetched_by_rerun": 0}
    for trial in range(TRIALS):
        where = f"seed {seed} (GOVNEWS_KILL_SEED={seed}), trial {trial}"
        archive = tmp_path / f"archive-{trial}"
        fixture_server.clear_log()
        victim = subprocess.Popen(crawl_cmd(archive, fixture_server, YANQING, extra=SLOW), cwd=ROOT, env=cli_env(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for_first_request(fixture_server, victim)
            delay = rng.uniform(0, KILL_WINDOW_S)
            time.sleep(delay)
            if victim.poll() is None:
                os.kill(victim.pid, signal.SIGKILL)
            code = victim.wait(timeout=60)
        finally:
            if victim.poll() is None:
                victim.kill()
                victim.wait()
        assert code in (0, -signal.SIGKILL), f"{where}: victim exited {code}"

        # right after the kill: whatever is visible is whole
        con = assert_archive_readable(archive)
        (victim_run, status_at_kill), = query(con, "SELECT run_id, status FROM runs")  # start precedes any request
        # killed before its end record (mid-crawl), or in the last instants after it (pool shutdown, summary)
        killed = status_at_kill == "running"
        assert killed or status_at_kill == "ok", f"{where}: {status_at_kill}"
        tally["killed_mid_crawl" if killed else ("killed_after_end_record" if code else "finished_before_kill")] += 1
        where += f", killed {delay:.2f} s after its first request ({'mid-crawl' if killed else 'after its end record'})"
        committed = {u for (u,) in query(con, "SELECT url FROM article_versions WHERE run_id = ?", [victim_run])}
        assert articles_without_capture(con, victim_run) == [], f"{where}: committed articles without their capture"
        tally["captures_checked"] += len(committed)
        con.close()
        tally["with_committed_articles"] += bool(committed and killed)
        tally["committed_by_killed"] += len(committed)

        fixture_server.clear_log()
        rerun = run_crawl(archive, fixture_server, YANQING)
        assert rerun.returncode == 0, f"{where}: re-run exited {rerun.returncode}\n{rerun.stderr[-3000:]}"
        refetched = [u for u in fetched(fixture_server) if "/art/" in u]
        tally["refetched_by_rerun"] += len(refetched)

        con = assert_archive_readable(archive)
        assert_no_duplicate_keys(con)
        have = {u for (u,) in query(con, "SELECT url FROM articles")}
        assert have == articles, f"{where}: missing {sorted(articles - have)[:3]}, extra {sorted(have - articles)[:3]}"
        assert query(con, "SELECT count(*) FROM article_versions")[0][0] == len(articles), where
        assert len(refetched) == len(set(refetched)), f"{where}: an article fetched twice by the re-run"
        assert not (set(refetched) & committed), f"{where}: re-fetched what the killed run had committed"
        assert set(refetched) | committed == articles, f"{where}: the re-run missed something"
        runs = dict(query(con, "SELECT run_id, status FROM runs"))
        con.close()
        assert len(runs) == 2 and runs[victim_run] == ("crashed" if killed else "ok"), f"{where}: runs {runs}"
        assert list(runs.values()).count("ok") == (1 if killed else 2), f"{where}: runs {runs}"
        assert ("marked crashed" in rerun.stderr) == killed, where
        assert not list(archive.rglob(".*.tmp")), f"{where}: a temp file outlived the re-run"
    print(f"kill -9: seed {seed}, {TRIALS} trials: {tally}")
    assert tally["killed_mid_crawl"] >= TRIALS // 4, f"seed {seed}: too few kills landed mid-crawl: {tally}"
