"""Multi-page articles (issue 13 §5) crawled by the real Scrapy engine from a loopback server.

The fixture family (:mod:`tests.fixture_sites.multipage`, TRS ``t…_<n>.html`` pages under a
``[1] [2] [3] 下一页`` pager): each article is one row, its pages' bodies joined in order; the later
pages are archived as their own ``article_page`` captures and never become rows; a second crawl adds
nothing; re-extraction from the WARC gives the same rows; a page that answers 500 leaves the article
written from the pages it has, the failure in ``pages_failed`` and in the run's stats.
"""

from __future__ import annotations

import pytest

from tests.conftest import crawl, start_fixture_server
from tests.fixture_sites import multipage, write_family
from warehouse.db import connect
from warehouse.layout import Layout

FIELDS = "url, title, body_text, page_urls, pages_failed, content_sha256, images, attachments"


def _rows(archive) -> dict[str, dict]:
    con = connect(Layout.at(archive))
    try:
        cur = con.execute(f"SELECT {FIELDS} FROM article_versions WHERE site = $s", {"s": multipage.SLUG})
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        con.close()
    assert len(rows) == len({r["url"] for r in rows}), "an article stored twice"
    return {r["url"]: r for r in rows}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    root = tmp_path_factory.mktemp("multipage")
    fam = multipage.build()
    write_family(fam, root)
    server = start_fixture_server(root / "www", root / "requests.jsonl")
    extra = ("--sites-dir", str(root / "sites"))
    try:
        first = crawl(root / "archive", server, fam.slug, extra=extra)
        after_first = _rows(root / "archive")
        first_requests = server.requests()
        server.clear_log()
        second = crawl(root / "archive", server, fam.slug, extra=extra)
        second_requests = server.requests()
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    return {"archive": root / "archive", "rows": after_first, "first": first, "second": second,
            "first_requests": first_requests, "second_requests": second_requests}


def test_each_article_is_one_row_with_its_pages_joined_in_order(crawled):
    rows = crawled["rows"]
    firsts = {multipage.url(stem) for stem, *_ in multipage.ARTICLES}
    assert set(rows) == firsts  # no later page became a row of its own
    stem, title, _, pages = multipage.ARTICLES[0]
    row = rows[multipage.url(stem)]
    assert row["title"] == title
    assert row["body_text"] == multipage.expected_body(pages)
    assert list(row["page_urls"]) == [multipage.url(stem, 1), multipage.url(stem, 2)]
    assert list(row["pages_failed"]) == []
    assert "下一页" not in row["body_text"] and "[2]" not in row["body_text"]
    single = rows[multipage.url(multipage.ARTICLES[2][0])]
    assert (list(single["page_urls"]), list(single["pages_failed"])) == ([], [])
    fetched = [r["path"] for r in crawled["first_requests"] if r["method"] == "GET"]
    for later in (multipage.url(stem, 1), multipage.url(stem, 2)):
        assert fetched.count(later.split(multipage.HOST, 1)[1]) == 1  # fetched once each


def test_later_pages_are_archived_as_their_own_captures(crawled):
    con = connect(Layout.at(crawled["archive"]))
    try:
        kinds = dict(con.execute("SELECT url, kind FROM captures WHERE site = $s AND status = 200",
                                 {"s": multipage.SLUG}).fetchall())
        failed = con.execute("SELECT kind, status, outcome FROM captures WHERE url = $u",
                             {"u": f"http://{multipage.HOST}{multipage.FAILING}"}).fetchall()
    finally:
        con.close()
    stem = multipage.ARTICLES[0][0]
    assert kinds[multipage.url(stem)] == "article"
    assert kinds[multipage.url(stem, 1)] == kinds[multipage.url(stem, 2)] == "article_page"
    assert failed and {(k, s) for k, s, _ in failed} == {("article_page", 500)}
    assert {o for *_, o in failed} == {"server_error"}


def test_a_page_that_fails_leaves_the_article_written_with_the_failure_recorded(crawled):
    stem, title, _, pages = multipage.ARTICLES[1]
    row = crawled["rows"][multipage.url(stem)]
    assert row["title"] == title
    assert list(row["pages_failed"]) == [f"http://{multipage.HOST}{multipage.FAILING}"]
    assert list(row["page_urls"]) == [multipage.url(stem, 1), multipage.url(stem, 2)]
    assert row["body_text"] == multipage.expected_body(pages, skip=2)  # pages 1 and 2, not the missing 3rd
    con = connect(Layout.at(crawled["archive"]))
    try:
        counts = [r[0] for r in con.execute(
            "SELECT map_extract(stats, 'govnews/articles/pages_failed') FROM runs "
            "WHERE site = $s ORDER BY started_at", {"s": multipage.SLUG}).fetchall()]
    finally:
        con.close()
    first_run = counts[0][0] if isinstance(counts[0], list) else counts[0]
    assert int(first_run) == 1  # the one page that answered 500, counted in the run's stats


def test_a_second_crawl_adds_nothing(crawled):
    assert _rows(crawled["archive"]) == crawled["rows"]
    fetched = {r["path"] for r in crawled["second_requests"]}
    assert not any("_1.html" in p or "_2.html" in p for p in fetched)  # known articles: pages not refetched


def test_reextract_from_the_warc_gives_the_same_rows(crawled):
    from pipelines.extract import SiteHints  # noqa: F401
    from crawler.sites import load_registry_with
    from pipelines.reextract import article_pages, extract_batch

    archive = crawled["archive"]
    layout = Layout.at(archive)
    site = load_registry_with([str(archive.parent / "sites")])[multipage.SLUG]
    pages = [p for p in article_pages(layout) if p.site == multipage.SLUG]
    assert {p.url for p in pages} == set(crawled["rows"])  # later pages are no articles of their own
    out = extract_batch(str(archive), pages, {multipage.SLUG: site.hints()}, "test-reextract")
    again = {row["url"]: row for row, reason in out if row is not None}
    assert set(again) == set(crawled["rows"])
    for url, row in crawled["rows"].items():
        for field in ("body_text", "content_sha256", "title"):
            assert again[url][field] == row[field], (url, field)
        assert list(again[url]["page_urls"]) == list(row["page_urls"])
        assert list(again[url]["pages_failed"]) == list(row["pages_failed"])
