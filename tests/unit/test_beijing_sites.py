"""The 16 Beijing site files: they load, name their evidence and what is unknown, stay unverified, and
their list and article patterns parse the fixture family that copies their portal's structure."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pytest

from crawler.listing import parse_list_page
from crawler.sites import load_registry
from pipelines.extract import decode_html
from tests.fixture_sites import docwrite, eportal, gbk, jsonapi, robots, shell, stubs, undated
from tests.fixture_sites.common import path_of

REGISTRY = load_registry()
BEIJING = sorted(s for s in REGISTRY if s.startswith("beijing-"))
HTTP_ONLY = {"beijing-chaoyang", "beijing-yanqing"}

# site, column name -> the fixture family copying that column's structure
FAMILIES = [
    ("beijing-haidian", "要闻动态", docwrite),
    ("beijing-haidian", "政策文件库", jsonapi),
    ("beijing-dongcheng", "东城要闻", stubs),
    ("beijing-xicheng", "通知公告", undated),
    ("beijing-changping", "镇街动态", undated),
    ("beijing-mentougou", "政务信息", undated),
    ("beijing-shijingshan", "要闻动态", shell),
    ("beijing-chaoyang", "政务活动", gbk),
    ("beijing-daxing", "意见征集", eportal),
    ("beijing-shunyi", "政务公开", robots),
]


def test_sixteen_districts_with_their_codes():
    assert len(BEIJING) == 16
    codes = sorted(REGISTRY[s].admin_code for s in BEIJING)
    assert len(set(codes)) == 16 and all(c.startswith("1101") for c in codes)


@pytest.mark.parametrize("slug", BEIJING)
def test_site_file_names_evidence_and_unknowns_and_is_unverified(slug):
    site = REGISTRY[slug]
    assert not site.verified and not site.demo
    assert site.evidence and all(any(ch.isdigit() for ch in e) for e in site.evidence), "evidence needs source and date"
    assert site.unknown and "not checked live" in site.note
    scheme = "http" if slug in HTTP_ONLY else "https"
    assert all(urlsplit(c.url).scheme == scheme for c in site.columns)
    assert "bj" in site.hosts[0] and site.hosts[0].endswith(".gov.cn")


def _fixture_page(fam, site, column_url: str) -> tuple[str, str]:
    """The fixture's page for the site's column URL (host swapped), following a redirect shell once."""
    host = fam.hosts[0]
    parts = urlsplit(column_url)
    for h in fam.hosts:  # the fixture host with the same first label (www/zyk), else the first
        if h.split(".")[0] == parts.hostname.split(".")[0]:
            host = h
    url = urlunsplit(("http", host, parts.path, parts.query, ""))
    body = fam.files[(host, path_of(url))]
    return url, decode_html(body, None, None)[0]


@pytest.mark.parametrize("slug,column,family", FAMILIES, ids=[f"{s}-{c}" for s, c, _ in FAMILIES])
def test_site_patterns_parse_the_matching_fixture_family(slug, column, family):
    fam = family.build()
    site = REGISTRY[slug]
    col = next(c for c in site.columns if c.name == column)
    url, text = _fixture_page(fam, site, col.url)
    page = parse_list_page(text, url, col.rules, fam.hosts)
    if page.redirect:  # Shijingshan: the column is a shell in front of the list
        url = page.redirect
        text = decode_html(fam.files[(urlsplit(url).hostname, path_of(url))], None, None)[0]
        page = parse_list_page(text, url, col.rules, fam.hosts)
    got = [link.url for link in page.links]
    assert got, "the site file's article pattern finds nothing on the fixture's list page"
    if family is robots:  # nothing is crawled there; the list page shows 4 links
        assert len(got) == 4
        return
    # the first list page of a column shows that column's newest articles, in order
    by_url = {a.url: a for a in fam.articles}
    want = [a.url for a in fam.articles if a.column == by_url[got[0]].column]
    assert got == want[:len(got)]
    last = page.last_page_number(col.rules)
    if col.rules.page_url and last is not None and last >= col.page_number(1):
        nxt = urlsplit(col.page_url(1, page.page_vars, url))
        assert (nxt.hostname, path_of(nxt.geturl())) in fam.files, "the site file's page 2 is not the fixture's"

