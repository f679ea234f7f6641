"""An ``https://`` site behind the fixture server (issue 12, section 2): most real portals are https.

The fixture server answers ``CONNECT`` with a tunnel and TLS (a self-signed certificate made
when it starts tunnelling; Scrapy does not verify it). The https variant of the bundled
延庆 site (the same pages, its site file's URLs on https, as 北京 district portals now are)
is crawled through it: every article archived under its https URL, every request made
inside a tunnel, the run ``ok``, exit 0, and ``health`` says ok.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, expected, govnews
from tests.reliability.conftest import query

pytestmark = pytest.mark.slow

SLUG = "test-https-yanqing"


def https_site(folder) -> None:
    text = (ROOT / "crawler" / "sites" / "demo-yanqing.toml").read_text(encoding="utf-8")
    folder.mkdir()
    (folder / f"{SLUG}.toml").write_text(
        text.replace('slug = "demo-yanqing"', f'slug = "{SLUG}"').replace("http://yanqing.", "https://yanqing."),
        encoding="utf-8")


def test_an_https_site_is_crawled_through_the_fixture_server(fixture_server, tmp_path):
    sites, archive = tmp_path / "sites", tmp_path / "archive"
    https_site(sites)
    proc = govnews("crawl", "--archive", str(archive), "--sites-dir", str(sites), "-s", f"GOVNEWS_SITES_DIRS={sites}",
                   "--site", SLUG, "--via", fixture_server.url, "--progress", "off", "--log-level", "WARNING",
                   check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert [line for line in proc.stderr.splitlines()  # the https copy shares demo-yanqing's host on purpose
            if line.startswith("govnews") and "is listed by sites demo-yanqing, test-https-yanqing" not in line] == []
    want = {a["url"].replace("http://", "https://", 1) for a in expected("demo-yanqing")["articles"]}
    assert {u for (u,) in query(archive, "SELECT url FROM articles")} == want
    assert query(archive, "SELECT status, finish_reason, list_pages FROM runs") == [("ok", "finished", 6)]
    requests = fixture_server.requests()
    assert len(requests) == len(want) + 6 + 1  # articles, list pages, robots.txt
    assert {r.get("scheme") for r in requests} == {"https"}
    assert query(archive, "SELECT count(*) FROM captures WHERE url NOT LIKE 'https://%'") == [(0,)]
    health = govnews("health", "--archive", str(archive), "--sites-dir", str(sites), "--site", SLUG,
                     "--format", "json", check=False)
    assert health.returncode == 0
    assert [line for line in health.stderr.splitlines() if "is listed by sites demo-yanqing" not in line] == []
    assert json.loads(health.stdout)["health"] == "ok"
