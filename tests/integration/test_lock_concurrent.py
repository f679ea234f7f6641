"""Two crawls of one archive started together, 20 times: exactly one works, the other is skipped with exit 75."""

from __future__ import annotations

import subprocess

import pytest

from crawler.lock import EX_TEMPFAIL
from tests.reliability.conftest import ROOT, YANQING, assert_archive_readable, cli_env, crawl_cmd, query, run_crawl

pytestmark = pytest.mark.slow

PAIRS = 20
# A short delay per request keeps each crawl holding the lock for a second or more,
# so "together" cannot degrade into "one after the other" on a loaded machine.
SLOW = ("-s", "DOWNLOAD_DELAY=0.15", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")


def test_two_crawls_started_together_one_works_one_is_skipped(fixture_server, archive):
    assert run_crawl(archive, fixture_server, YANQING).returncode == 0
    counts = {"worked": 0, "skipped": 0}
    for pair in range(PAIRS):
        procs = [subprocess.Popen(crawl_cmd(archive, fixture_server, YANQING, extra=SLOW), cwd=ROOT, env=cli_env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        codes = sorted(code for code, _ in results)
        assert codes == [0, EX_TEMPFAIL], f"pair {pair}: exit codes {codes}\n" + "\n".join(e[-1500:] for _, e in results)
        loser = next(err for code, err in results if code == EX_TEMPFAIL)
        lines = [line for line in loser.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("govnews: skipped: another crawl holds"), loser
        counts["worked"] += 1
        counts["skipped"] += 1
    statuses = dict(query(archive, "SELECT status, count(*) FROM runs GROUP BY 1"))
    assert statuses == {"ok": PAIRS + 1, "skipped": PAIRS}
    per_run = query(archive, "SELECT run_id, site, count(*) FROM runs GROUP BY ALL HAVING count(*) <> 1")
    assert per_run == []
    skipped = query(archive, "SELECT DISTINCT finish_reason, exit_code FROM runs WHERE status = 'skipped'")
    assert skipped == [("locked", EX_TEMPFAIL)]
    assert query(archive, "SELECT count(*) FROM article_versions")[0][0] == 57
    assert_archive_readable(archive)
    print(f"lock: {PAIRS} pairs, {counts}")
