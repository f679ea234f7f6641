"""Every entry point loads govnews' settings wherever it starts (issue 12, section 1b).

Scrapy looks for ``scrapy.cfg`` upwards from the working directory; started anywhere
else, a crawl used to run with Scrapy's defaults: no pipelines (nothing archived),
``--via`` ignored, no address guard, no robots.txt, 16 requests at once, exit 0.
Here each entry point runs from an unrelated folder (a temp dir, no ``PYTHONPATH``)
against the fixture server over loopback, and must archive every article with
govnews' settings in effect, the same settings whichever way it started (each run
records them in its stats, ``govnews/settings/<NAME>``). Entry points that cannot
find the settings refuse, archiving nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, expected
from tests.reliability.conftest import query

pytestmark = pytest.mark.slow

SITE = "demo-yanqing"
N_ARTICLES = len(expected(SITE)["articles"])
BIN = Path(sys.executable).parent


def clean_env(**extra: str) -> dict:
    """The environment of a user's shell: no PYTHONPATH, no settings module, no archive."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE", "GOVNEWS_ARCHIVE", "SCRAPY_PROJECT")}
    return {**env, **extra}


def govnews_cmd() -> list[str]:
    script = BIN / "govnews"
    return [str(script)] if script.exists() else [sys.executable, "-m", "crawler.cli"]


def recorded_settings(archive: Path) -> dict[str, str]:
    ((stats,),) = query(archive, "SELECT stats FROM runs")
    prefix = "govnews/settings/"
    return {k[len(prefix):]: v for k, v in dict(stats).items() if k.startswith(prefix)}


def assert_archived_with_govnews_settings(archive: Path, server, via: str) -> dict[str, str]:
    assert query(archive, "SELECT count(*) FROM articles")[0][0] == N_ARTICLES
    assert query(archive, "SELECT status, finish_reason FROM runs") == [("ok", "finished")]
    got = recorded_settings(archive)
    assert got["GOVNEWS_SETTINGS"] == "crawler.settings"
    assert got["ROBOTSTXT_OBEY"] == "True" and got["USER_AGENT"].startswith("govnews/")
    assert got["TWISTED_DNS_RESOLVER"] == "crawler.resolver.GuardedResolver"  # the address guard
    assert got["GOVNEWS_VIA"] == via
    # a fixture server on loopback is ours: the loopback relaxation, not Scrapy's defaults (16 / 8)
    assert (got["CONCURRENT_REQUESTS"], got["CONCURRENT_REQUESTS_PER_DOMAIN"], got["DOWNLOAD_DELAY"]) == ("32", "16", "0")
    paths = [r["path"] for r in server.requests()]
    assert "/robots.txt" in paths  # robots.txt obeyed, through the --via proxy
    return got


def test_govnews_crawl_from_an_unrelated_folder(fixture_server, tmp_path):
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    proc = subprocess.run([*govnews_cmd(), "crawl", "--site", SITE, "--via", fixture_server.url, "--archive",
                           "archive", "--progress", "off", "--log-level", "WARNING"],
                          cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert_archived_with_govnews_settings(cwd / "archive", fixture_server, fixture_server.url)


def test_scrapy_crawl_anywhere_with_the_settings_module_and_from_the_repo_root_alike(fixture_server, tmp_path):
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    args = [sys.executable, "-m", "scrapy", "crawl", "district_news", "-a", f"site={SITE}", "-s",
            f"GOVNEWS_VIA={fixture_server.url}", "-s", "LOG_LEVEL=WARNING"]
    proc = subprocess.run([*args, "-s", f"GOVNEWS_ARCHIVE={cwd / 'archive'}"], cwd=cwd,
                          env=clean_env(SCRAPY_SETTINGS_MODULE="crawler.settings"), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    anywhere = assert_archived_with_govnews_settings(cwd / "archive", fixture_server, fixture_server.url)

    fixture_server.clear_log()
    root_archive = tmp_path / "from-root"
    proc = subprocess.run([*args, "-s", f"GOVNEWS_ARCHIVE={root_archive}"], cwd=ROOT, env=clean_env(),
                          capture_output=True, text=True, timeout=300)  # scrapy.cfg
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert assert_archived_with_govnews_settings(root_archive, fixture_server, fixture_server.url) == anywhere


def test_entry_points_without_the_settings_refuse_and_archive_nothing(fixture_server, tmp_path):
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    common = ["-a", f"site={SITE}", "-s", f"GOVNEWS_VIA={fixture_server.url}", "-s",
              f"GOVNEWS_ARCHIVE={cwd / 'archive'}"]
    # no scrapy.cfg above the folder, no SCRAPY_SETTINGS_MODULE: Scrapy has no crawl command here
    crawl = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "district_news", *common], cwd=cwd,
                           env=clean_env(), capture_output=True, text=True, timeout=120)
    assert crawl.returncode == 2 and "The crawl command is not available from this location" in crawl.stdout
    # the spider file run on its own: Scrapy's defaults, which the spider refuses
    spider = ROOT / "crawler" / "spiders" / "district_news.py"
    run = subprocess.run([sys.executable, "-m", "scrapy", "runspider", str(spider), *common], cwd=cwd,
                         env=clean_env(PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "govnews' settings are not loaded" in run.stderr
    assert not (cwd / "archive").exists()
    assert fixture_server.requests() == []


def test_scrapy_crawl_of_a_site_it_cannot_reach_exits_1_with_the_one_line(tmp_path):
    """Scrapy's own crawl command exits 0 whenever the spider starts; govnews' override
    (COMMANDS_MODULE) judges the run as ``govnews crawl`` does."""
    import socket

    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    archive = tmp_path / "archive"
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "district_news", "-a", f"site={SITE}",
                           "-s", f"GOVNEWS_VIA=http://127.0.0.1:{port}", "-s", f"GOVNEWS_ARCHIVE={archive}",
                           "-s", "LOG_LEVEL=WARNING", "-s", "RETRY_TIMES=0"],
                          cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert [line for line in proc.stderr.splitlines() if line.startswith("govnews:")] == [
        f"govnews: crawl of {SITE} failed: unreachable, no list page fetched (3 connection_error)"]
    assert query(archive, "SELECT status, finish_reason, exit_code FROM runs") == [("failed", "unreachable", 1)]
