"""Failures that must not look like success (issue 12, section 2).

Each test asserts the exit code, the one line the user reads, and what ``govnews health``
says afterwards. Crawls run the real CLI in a subprocess; nothing leaves loopback (the
DNS case uses a ``.invalid`` host, which the resolver never sends to DNS).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.cli import main
from crawler.sites import load_registry
from tests.conftest import ROOT, expected, govnews, tree_hash
from tests.reliability.conftest import query
from warehouse.layout import Layout
from warehouse.runs import now, write_run_event

QUIET = ("--progress", "off", "--log-level", "WARNING")
#: no waiting between the few requests of a crawl that cannot succeed
NO_WAIT = ("-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0")


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def govnews_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("govnews")]


def health(archive: Path, *extra: str):
    proc = govnews("health", "--archive", str(archive), "--format", "json", *extra, check=False)
    return proc, {r["site"]: r for r in map(json.loads, proc.stdout.splitlines())}




@pytest.mark.slow
def test_a_crawl_whose_every_fetch_is_refused_fails_and_health_flags_it(tmp_path):
    archive = tmp_path / "archive"
    proc = govnews("crawl", "--archive", str(archive), "--site", "demo-yanqing",
                   "--via", f"http://127.0.0.1:{closed_port()}", *QUIET, check=False)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    # robots.txt and the two column pages: each refused
    assert govnews_lines(proc.stderr) == [
        "govnews: crawl of demo-yanqing failed: unreachable, no list page fetched (3 connection_error)"]
    assert query(archive, "SELECT status, finish_reason, exit_code, list_pages FROM runs") == [
        ("failed", "unreachable", 1, 0)]

    h, rows = health(archive)
    assert h.returncode == 1
    assert rows["demo-yanqing"]["health"] == "unreachable"
    # every non-demo site of the registry is listed although never crawled
    registry = sorted(s.slug for s in load_registry().values() if not s.demo)
    assert registry and all(rows[slug]["health"] == "never_crawled" for slug in registry)
    assert set(rows) == {*registry, "demo-yanqing"}
    (line,) = h.stderr.strip().splitlines()
    assert line == (f"govnews health: {len(registry) + 1} site(s) flagged: never_crawled: {', '.join(registry)}; "
                    "unreachable: demo-yanqing")
    only, rows = health(archive, "--site", "demo-yanqing")
    assert only.returncode == 1 and list(rows) == ["demo-yanqing"]
    assert only.stderr.strip() == "govnews health: 1 site(s) flagged: unreachable: demo-yanqing"


@pytest.mark.slow
def test_a_crawl_whose_every_name_fails_to_resolve_fails_and_health_flags_it(tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    text = (ROOT / "crawler" / "sites" / "demo-yanqing.toml").read_text(encoding="utf-8")
    (sites / "test-nowhere.toml").write_text(
        text.replace('slug = "demo-yanqing"', 'slug = "test-nowhere"')
        .replace("yanqing.demo.govnews.test", "yanqing.nowhere.invalid"), encoding="utf-8")
    archive = tmp_path / "archive"
    proc = govnews("crawl", "--archive", str(archive), "--sites-dir", str(sites), "-s",
                   f"GOVNEWS_SITES_DIRS={sites}", "--site", "test-nowhere", *QUIET, *NO_WAIT, check=False)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert govnews_lines(proc.stderr) == [
        "govnews: crawl of test-nowhere failed: unreachable, no list page fetched (3 dns_error)"]
    h, rows = health(archive, "--sites-dir", str(sites), "--site", "test-nowhere")
    assert h.returncode == 1 and rows["test-nowhere"]["health"] == "unreachable"
    assert h.stderr.strip() == "govnews health: 1 site(s) flagged: unreachable: test-nowhere"


def test_via_a_name_that_is_never_looked_up_is_refused_before_anything_is_written(tmp_path, capsys):
    archive = tmp_path / "archive"
    code = main(["crawl", "--archive", str(archive), "--site", "demo-yanqing", "--via", "http://localhost:8000"])
    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        "govnews: --via: localhost is a special-use name, never looked up: use its address (http://127.0.0.1:8000)"]
    assert not archive.exists()


def _archive_with_a_run(root: Path) -> Path:
    t = now()
    write_run_event(Layout.at(root), run_id="r1", site="demo-yanqing", event="start", status="running", started_at=t)
    return root


BAD_ARCHIVE = {
    "query": ["query", "SELECT 1"],
    "runs": ["runs"],
    "health": ["health"],
    "export": ["export", "--out", "{out}"],
    "compact": ["compact"],
}


@pytest.mark.parametrize("command", sorted(BAD_ARCHIVE))
def test_an_archive_that_does_not_exist_is_bad_input(command, tmp_path, capsys):
    missing, out = tmp_path / "no-such-archive", tmp_path / "out"
    args = [a.format(out=out) for a in BAD_ARCHIVE[command]]
    assert main([*args, "--archive", str(missing)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"govnews: no archive at {missing}: the folder does not exist (--archive PATH or $GOVNEWS_ARCHIVE)"]
    assert not missing.exists() and not out.exists()
    # a folder that is not an archive (nothing any crawl, import or compaction makes)
    (tmp_path / "notes.txt").write_text("a user's file", encoding="utf-8")
    before = tree_hash(tmp_path)
    assert main([*args, "--archive", str(tmp_path)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"govnews: no archive at {tmp_path}: none of runs/, articles/")
    assert tree_hash(tmp_path) == before


UNKNOWN_SITE = {
    "query": ["query", "latest", "--param", "site=demo-yanqin"],
    "runs": ["runs", "--site", "demo-yanqin"],
    "health": ["health", "--site", "demo-yanqing,demo-yanqin"],
    "export": ["export", "--out", "{out}", "--site", "demo-yanqin"],
    "compact": ["compact", "--site", "demo-yanqin"],
}


@pytest.mark.parametrize("command", sorted(UNKNOWN_SITE))
def test_a_site_nobody_knows_is_bad_input(command, tmp_path, capsys):
    archive = _archive_with_a_run(tmp_path / "archive")
    out = tmp_path / "out"
    before = tree_hash(archive)
    assert main([*(a.format(out=out) for a in UNKNOWN_SITE[command]), "--archive", str(archive)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "govnews: unknown site(s): demo-yanqin (not in the registry nor in the archive; see `govnews sites`)"]
    assert tree_hash(archive) == before and not out.exists()


@pytest.mark.slow
def test_a_404_on_an_article_is_an_article_capture_with_its_outcome(site_tree, fixture_server, tmp_path):
    gone = expected("demo-yanqing")["articles"][3]["url"]
    parts = urlsplit(gone)
    (site_tree / parts.hostname / parts.path.lstrip("/")).unlink()
    archive = tmp_path / "archive"
    proc = govnews("crawl", "--archive", str(archive), "--site", "demo-yanqing", "--via", fixture_server.url, *QUIET,
                   check=False)
    # a removed article is not a failed crawl: exit 0, no failure line, health ok
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert govnews_lines(proc.stderr) == []
    assert query(archive, "SELECT kind, status, outcome FROM captures WHERE url = ?", [gone]) == [
        ("article", 404, "not_found")]
    assert query(archive, "SELECT count(*) FROM captures WHERE kind = 'other'") == [(0,)]
    h, rows = health(archive, "--site", "demo-yanqing")
    assert h.returncode == 0 and rows["demo-yanqing"]["health"] == "ok" and h.stderr == ""


@pytest.mark.slow
def test_robots_txt_disallowing_everything_fetches_nothing_else_and_health_says_so(site_tree, fixture_server,
                                                                                  tmp_path):
    # a portal whose robots.txt is ``Disallow: /`` (as 顺义's is): any fixture host folder can serve one
    (site_tree / "yanqing.demo.govnews.test" / "robots.txt").write_text("User-agent: *\nDisallow: /\n",
                                                                        encoding="utf-8")
    archive = tmp_path / "archive"
    proc = govnews("crawl", "--archive", str(archive), "--site", "demo-yanqing", "--via", fixture_server.url, *QUIET,
                   check=False)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert govnews_lines(proc.stderr) == [
        "govnews: crawl of demo-yanqing failed: robots_disallowed, no list page fetched (2 robots_disallowed)"]
    assert [r["path"] for r in fixture_server.requests()] == ["/robots.txt"]
    assert query(archive, "SELECT status, finish_reason FROM runs") == [("failed", "robots_disallowed")]
    assert query(archive, "SELECT kind, outcome FROM captures ORDER BY kind") == [
        ("list", "robots_disallowed"), ("list", "robots_disallowed"), ("robots", "ok")]
    h, rows = health(archive, "--site", "demo-yanqing")
    assert h.returncode == 1 and rows["demo-yanqing"]["health"] == "robots_disallowed"
    assert h.stderr.strip() == "govnews health: 1 site(s) flagged: robots_disallowed: demo-yanqing"
