"""The demo site generator: deterministic, consistent with its expectations, and realistic enough."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.demo import build as demo_build
from crawler.demo.build import EXPECTED_DIR, GBK_MARKERS, WWW_DIR

SLUGS = ("demo-haidian", "demo-yanqing")
PAGE_COUNT = re.compile(r"createPageHTML\(\s*(\d+)")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("demo")
    demo_build.build(base / "www", base / "expected")
    return base / "www", base / "expected"


@pytest.fixture(scope="module")
def expected() -> dict[str, dict]:
    return {slug: json.loads((EXPECTED_DIR / f"{slug}.json").read_text(encoding="utf-8")) for slug in SLUGS}


def _file_for(url: str, www: Path = WWW_DIR) -> Path:
    """The file the fixture server maps ``url`` to (same rule as crawler.demo.server)."""
    parts = urlsplit(url)
    rel = parts.path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    if parts.query:
        rel += "@" + parts.query
    return www / parts.hostname / rel


def test_build_is_deterministic_and_committed(built, tmp_path):
    www, exp = built
    demo_build.build(tmp_path / "www", tmp_path / "expected")
    first, second = _tree(www), _tree(tmp_path / "www")
    assert first == second
    assert _tree(exp) == _tree(tmp_path / "expected")
    committed = _tree(WWW_DIR)
    assert committed.keys() == first.keys(), "run `python -m crawler.demo.build` and keep its output"
    assert committed == first
    assert _tree(EXPECTED_DIR) == _tree(exp)


def test_counts_and_shape(expected):
    total = sum(len(e["articles"]) for e in expected.values())
    assert total >= 70
    for e in expected.values():
        urls = [a["url"] for a in e["articles"]]
        assert len(set(urls)) == len(urls)
        titles = [a["title"] for a in e["articles"]]
        assert len(set(titles)) == len(titles)
        for a in e["articles"]:
            assert a["url"].startswith(f"http://{e['host']}/")
            assert re.fullmatch(r"2020-(0[3-9]|1[0-2])-\d\dT\d\d:\d\d:00\+08:00", a["published_at"])
            if not a["has_time"]:
                assert a["published_at"].endswith("T00:00:00+08:00")
            assert 1 <= a["body_paragraphs"] <= 9
            assert len(a["body_start"]) <= 30 and len(a["body_end"]) <= 30
        months_per_column: dict[str, set[str]] = {}
        for a in e["articles"]:
            months_per_column.setdefault(a["column"], set()).add(a["published_at"][:7])
        assert all(len(m) >= 4 for m in months_per_column.values())


def test_every_expected_url_is_a_served_file(expected):
    for e in expected.values():
        assert _file_for(e["robots"]).is_file()
        for url in e["list_pages"]:
            assert _file_for(url).is_file(), url
        for a in e["articles"]:
            assert _file_for(a["url"]).is_file(), a["url"]
            for att in a["attachments"]:
                assert _file_for(att["url"]).is_file(), att["url"]
            for img in a["images"]:
                assert _file_for(img).is_file(), img


def test_article_pages_hold_the_expected_text(expected):
    for e in expected.values():
        for a in e["articles"]:
            raw = _file_for(a["url"]).read_bytes()
            page = raw.decode("gb18030" if a["encoding"] == "gb18030" else "utf-8")
            text = re.sub(r"<[^>]+>", "", page).replace("&nbsp;", " ")
            assert a["title"].replace("&", "&amp;") in page
            assert a["body_start"].split("\n")[0] in text
            assert a["body_end"].split("\n")[-1] in text


def test_seed_article(expected):
    seed = [a for a in expected["demo-haidian"]["articles"] if a["title"] == "区新冠肺炎疫情防控工作领导小组召开第九十七次会议"]
    assert len(seed) == 1
    seed = seed[0]
    assert seed["url"] == "http://haidian.demo.govnews.test/xwzx/qzyw/202007/t20200706_4420198.html"
    assert seed["published_at"] == "2020-07-06T08:57:00+08:00"
    assert seed["body_start"] == "7月5日晚，区新冠肺炎疫情防控工作领导小组召开第九十七次会议"
    assert seed["body_end"].endswith("各项目标任务。（记者唐炜）")
    assert seed["authors"] == ["唐炜"] and seed["body_paragraphs"] == 7
    page = _file_for(seed["url"]).read_text(encoding="utf-8")
    title, body = demo_build.load_seed()
    assert f'<div class="TRS_Editor">{body}</div>' in page
    shared = Path("/work/shared/seed/000_62ebc4b576d8ce4b.txt")
    if shared.is_file():
        assert shared.read_text(encoding="utf-8").rstrip("\n") == f"{title}\n{body}"


def test_gbk_column():
    host = WWW_DIR / "haidian.demo.govnews.test"
    headers = json.loads((host / "_headers.json").read_text(encoding="utf-8"))
    assert headers == {"/xwzx/tzgg/*.html": "text/html"}
    files = sorted((host / "xwzx" / "tzgg").rglob("*.html"))
    assert len(files) > 30
    seen = set()
    for f in files:
        raw = f.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        text = raw.decode("gb18030")
        assert 'content="text/html; charset=gb2312"' in text
        seen |= {c for c in GBK_MARKERS if c in text}
    assert len(seen) >= 4
    assert all(c.encode("gbk") and _not_gb2312(c) for c in GBK_MARKERS)


def _not_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def test_trs_list_pages_match_create_page_html(expected):
    e = expected["demo-haidian"]
    by_col: dict[str, list[str]] = {}
    for url in e["list_pages"]:
        by_col.setdefault(url.rsplit("/", 1)[0], []).append(url)
    assert len(by_col) == 3
    article_urls = {a["url"] for a in e["articles"]}
    listed: set[str] = set()
    for base, urls in by_col.items():
        assert len(urls) >= 3
        for i, url in enumerate(urls):
            assert url == f"{base}/index.html" if i == 0 else url == f"{base}/index_{i}.html"
            html = _file_for(url).read_text(encoding="gb18030" if "/tzgg/" in url else "utf-8")
            counts = PAGE_COUNT.findall(html)
            assert counts == [str(len(urls))]
            assert f'createPageHTML({len(urls)}, {i}, "index", "html");' in html
            links = re.findall(r'<li(?: class="top")?>.*?<a href="\./(\d{6}/t\d{8}_\d+\.html)"', html)
            for link in links:
                assert f"{base}/{link}" in article_urls
                listed.add(f"{base}/{link}")
    assert listed == article_urls
    pinned = [a for a in e["articles"] if a["pinned"]]
    assert len(pinned) == 2 and {a["column"] for a in pinned} == {"区政要闻"}
    first = _file_for(e["list_pages"][0]).read_text(encoding="utf-8")
    assert first.count('<li class="top"><span class="zd">[置顶]</span>') == 2


def test_hanweb_list_pages_match_totalpage(expected):
    e = expected["demo-yanqing"]
    article_urls = {a["url"] for a in e["articles"]}
    listed: set[str] = set()
    for col in ("1001", "1002"):
        urls = [u for u in e["list_pages"] if f"/col/col{col}/" in u]
        assert len(urls) >= 3
        for n, url in enumerate(urls, start=1):
            assert url.endswith("/index.html" if n == 1 else f"/index.html?uid=0&pageNum={n}")
            html = _file_for(url).read_text(encoding="utf-8")
            assert re.search(r"<totalpage>\s*(\d+)\s*</totalpage>", html).group(1) == str(len(urls))
            records = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", html)
            regular = [r for r in records if 'class="top"' not in r]
            assert len(regular) <= 12 and (n == len(urls) or len(regular) == 12)
            for r in records:
                href = re.search(r'href="(/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html)"', r).group(1)
                listed.add(f"http://{e['host']}{href}")
    assert listed == article_urls
    pinned = [a for a in e["articles"] if a["pinned"]]
    assert len(pinned) == 1
    assert "[置顶]" in _file_for(e["list_pages"][0]).read_text(encoding="utf-8")


def test_yanqing_has_no_government_meta_tags(expected):
    for a in expected["demo-yanqing"]["articles"]:
        page = _file_for(a["url"]).read_text(encoding="utf-8")
        assert 'name="ArticleTitle"' not in page and 'name="PubDate"' not in page
        assert '<div id="zoom">' in page
    assert any(not a["has_time"] for a in expected["demo-yanqing"]["articles"])


def test_site_files_load_and_match():
    sites = pytest.importorskip("crawler.sites")
    registry = sites.load_registry()
    for slug in SLUGS:
        site = registry[slug]
        exp = json.loads((EXPECTED_DIR / f"{slug}.json").read_text(encoding="utf-8"))
        assert site.demo and site.verified and site.hosts == (exp["host"],)
        pages = []
        for col in site.columns:
            count = sum(1 for u in exp["list_pages"] if u.startswith(col.url.rsplit("/", 1)[0] + "/"))
            pages += [col.page_url(i) for i in range(count)]
        assert pages == exp["list_pages"]
        for a in exp["articles"]:
            assert site.columns[0].rules.article_re.search(a["url"]), a["url"]
