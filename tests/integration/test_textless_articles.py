"""Articles with no text of their own (an image-only 图片新闻, an attachment-only notice) are archived
as rows, crawled by the real Scrapy engine from a loopback server; a page with nothing at all is
still dropped, and its capture says why. A second crawl adds nothing."""

from __future__ import annotations

import pytest

from tests.conftest import crawl, start_fixture_server
from tests.fixture_sites import textless, write_family
from warehouse.db import connect
from warehouse.layout import Layout


def _query(archive, sql, params=None):
    con = connect(Layout.at(archive))
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    root = tmp_path_factory.mktemp("textless")
    fam = textless.build()
    write_family(fam, root)
    server = start_fixture_server(root / "www", root / "requests.jsonl")
    extra = ("--sites-dir", str(root / "sites"))
    try:
        crawl(root / "archive", server, fam.slug, extra=extra)
        first = _query(root / "archive", "SELECT count(*) FROM article_versions")[0][0]
        crawl(root / "archive", server, fam.slug, extra=extra)
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    return {"archive": root / "archive", "first": first}


def test_image_only_and_attachment_only_articles_are_rows(crawled):
    rows = {r[0]: r[1:] for r in _query(crawled["archive"],
                                       "SELECT url, title, body_text, images, attachments FROM articles")}
    assert set(rows) == {textless.url(s) for s in textless.KEPT}
    title, body, images, attachments = rows[textless.url("t20240520_301")]
    assert (title, body) == ("【图片新闻】某某区举办全民健身运动会", "")
    assert images == [f"http://{textless.HOST}{textless.FOLDER}/W020240520301.jpg"]
    title, body, images, attachments = rows[textless.url("t20240518_300")]
    assert (title, body) == ("某某区2024年部门预算公开", "")
    assert [a["name"] for a in attachments] == ["某某区2024年部门预算.pdf"]


def test_a_page_with_nothing_is_a_dropped_capture(crawled):
    outcomes = _query(crawled["archive"], "SELECT DISTINCT outcome FROM captures WHERE url = $u",
                      {"u": textless.url("t20240515_299")})
    assert outcomes == [("dropped:EmptyBody",)]


def test_a_second_crawl_adds_nothing(crawled):
    assert crawled["first"] == 2
    assert _query(crawled["archive"], "SELECT count(*) FROM article_versions")[0][0] == 2
