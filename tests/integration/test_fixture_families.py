"""Every fixture family (tests/fixture_sites) crawled once with the real engine over loopback.

One server and one ``govnews crawl`` of all families into one archive (module-scoped: a crawl
costs seconds); each test checks one family: every expected article exactly once with its
expected fields, and what the family is about (robots: only robots.txt fetched; stubs: paging
stopped, said in stats; shells: followed once within the site's hosts; POST forms sent).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import crawl, start_fixture_server
from tests.fixture_sites import build_all
from warehouse.db import connect
from warehouse.layout import Layout

pytestmark = pytest.mark.slow

CRAWLED = ["fixture-docwrite", "fixture-jsonapi", "fixture-trsdynamic", "fixture-eportal", "fixture-hanwebnext",
           "fixture-jpage", "fixture-undated", "fixture-gbk", "fixture-robots", "fixture-stubs", "fixture-shell"]


@pytest.fixture(scope="module")
def families(tmp_path_factory):
    root = tmp_path_factory.mktemp("families")
    fams = build_all(root)
    assert sorted(fams) == sorted(CRAWLED)
    server = start_fixture_server(root / "www", root / "requests.jsonl")
    archive = root / "archive"
    try:
        proc = crawl(archive, server, ",".join(CRAWLED), extra=("--sites-dir", str(root / "sites")), check=False)
        requests = server.requests()
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    return fams, archive, requests, proc


def _rows(archive, site):
    con = connect(Layout.at(archive))
    cur = con.execute("SELECT * FROM articles WHERE site = ?", [site])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _stats(archive, site) -> dict[str, str]:
    con = connect(Layout.at(archive))
    (stats,) = con.execute("SELECT stats FROM runs WHERE site = ?", [site]).fetchone()
    if isinstance(stats, dict):  # DuckDB reads the stats column as a MAP
        return stats
    return {s["key"]: s["value"] for s in stats or []}


@pytest.mark.parametrize("slug", [s for s in CRAWLED if s != "fixture-robots"])
def test_every_expected_article_once_with_its_fields(families, slug):
    fams, archive, _, _ = families
    fam = fams[slug]
    rows = _rows(archive, slug)
    got = {r["url"]: r for r in rows}
    assert len(got) == len(rows), "an article was stored twice"
    want = {a.url: a.expected() for a in fam.articles}
    assert set(got) == set(want), f"missing {sorted(set(want) - set(got))[:3]}; extra {sorted(set(got) - set(want))[:3]}"
    wrong = []
    for url, w in want.items():
        r = got[url]
        checks = {"title": (r["title"], w["title"]), "column": (r["column"], w["column"]),
                  "published_at": (r["published_at"], datetime.fromisoformat(w["published_at"])),
                  "source": (r["source"], w["source"]),
                  "body_start": (r["body_text"][:20], w["body_start"]), "body_end": (r["body_text"][-20:], w["body_end"])}
        if "encoding" in fam.expect:
            checks["encoding"] = (r["encoding"], fam.expect["encoding"])
        wrong += [f"{url} {k}: got {g!r}, want {x!r}" for k, (g, x) in checks.items() if g != x]
    assert not wrong, "\n".join(wrong[:10])


def _fetched(requests, fam):
    return [r for r in requests if r["host"] in fam.hosts]


def test_every_list_page_fetched_and_nothing_else_but_articles(families):
    """Compared as sets: under load a timed-out request is retried, and the server logs both tries
    (that an article is stored once is checked against the archive above)."""
    fams, _, requests, _ = families
    for slug, fam in fams.items():
        got = {f"http://{r['host']}{r['path']}" for r in _fetched(requests, fam) if not r["path"].endswith("/robots.txt")}
        want = set(fam.list_pages + [a.url for a in fam.articles])
        assert got == want, f"{slug}: extra {sorted(got - want)[:4]}, missing {sorted(want - got)[:4]}"


def test_robots_disallow_all_fetches_nothing_but_robots_txt(families):
    fams, archive, requests, _ = families
    fam = fams["fixture-robots"]
    assert [(r["method"], r["path"]) for r in _fetched(requests, fam)] == [("GET", "/robots.txt")]
    assert _rows(archive, "fixture-robots") == []
    assert int(_stats(archive, "fixture-robots").get("robotstxt/forbidden", 0)) == 1
    *_, proc = families  # the site was not crawled: the crawl fails, says why in one line, exits 1
    assert proc.returncode == 1
    assert [line for line in proc.stderr.splitlines() if line.startswith("govnews: crawl of")] == [
        "govnews: crawl of fixture-robots failed: robots_disallowed, no list page fetched (1 robots_disallowed)"]


def test_crawl_warns_once_per_unverified_site(families):
    *_, proc = families
    warnings = [line for line in proc.stderr.splitlines() if "unverified" in line]
    assert len(warnings) == 1 and warnings[0].startswith("govnews: warning: fixture-robots is unverified"), warnings


def test_deep_stub_pages_stop_paging_and_stats_say_so(families):
    fams, archive, requests, _ = families
    stats = _stats(archive, "fixture-stubs")
    assert stats.get("govnews/columns/stopped_no_new_links") == "1"
    paths = {r["path"] for r in _fetched(requests, fams["fixture-stubs"])}
    assert "/ywdt/dcyw/index_3.html" in paths and "/ywdt/dcyw/index_4.html" not in paths


def test_redirect_shells_followed_once_within_the_site(families):
    fams, archive, requests, _ = families
    stats = _stats(archive, "fixture-shell")
    assert stats.get("govnews/lists/redirect_shell_followed") == "3"
    assert stats.get("govnews/lists/redirect_shell_refused") == "2"
    assert not [r for r in requests if r["host"] == "elsewhere.fixture.govnews.test"]


def test_post_list_pages_sent_their_forms(families):
    """The jpage and trs-dynamic later pages are POSTs the server answered (a wrong form finds no file: 404)."""
    fams, _, requests, _ = families
    for slug in ("fixture-jpage", "fixture-trsdynamic"):
        posts = [r for r in _fetched(requests, fams[slug]) if r["method"] == "POST"]
        assert posts and all(r["status"] == 200 for r in posts), posts


def test_referer_header_sent(families):
    """The docwrite host answers 403 to a page request without the site file's Referer."""
    fams, _, requests, _ = families
    pages = [r for r in _fetched(requests, fams["fixture-docwrite"]) if r["path"] != "/robots.txt"]
    assert len(pages) == 13 and all(r["status"] == 200 for r in pages), pages


@pytest.mark.parametrize("slug", ["fixture-docwrite", "fixture-jsonapi"])
def test_import_warc_and_reextract_take_list_hints_from_docwrite_and_json_lists(families, slug, tmp_path):
    """The crawl's WARC files imported into a fresh archive: the document.write / JSON list pages give
    their links' hints (column, list title) as in the crawl, and ``reextract --replace`` keeps them."""
    from tests.conftest import govnews
    from warehouse.warc import closed_warc_files

    fams, archive, _, _ = families
    root = archive.parent
    warcs = [str(f) for f in closed_warc_files(Layout.at(archive)) if f"site={slug}" in str(f)]
    assert warcs
    imported = tmp_path / "imported"
    govnews("import-warc", "--archive", str(imported), "--sites-dir", str(root / "sites"), *warcs)
    con = connect(Layout.at(imported))
    hints = dict(con.execute("SELECT url, hint_title FROM captures WHERE kind = 'article' AND site = ?",
                             [slug]).fetchall())
    want = {a.url: a for a in fams[slug].articles}
    assert hints == {url: a.title for url, a in want.items()}
    query = 'SELECT url, title, "column", published_at FROM articles WHERE site = ? ORDER BY url'
    crawled_rows = connect(Layout.at(archive)).execute(query, [slug]).fetchall()
    assert con.execute(query, [slug]).fetchall() == crawled_rows and len(crawled_rows) == len(want)
    con.close()
    govnews("reextract", "--archive", str(imported), "--sites-dir", str(root / "sites"), "--replace", "--site", slug)
    assert connect(Layout.at(imported)).execute(query, [slug]).fetchall() == crawled_rows
