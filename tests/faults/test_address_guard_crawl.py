"""The address guard in a real crawl, without --via, so the guard's resolver path runs.

Only 127.0.0.1 is allowed. The site's list page links to an article on 127.0.0.1, to the IP literal
127.0.0.2, to a name the resolver maps to 127.0.0.3 (GOVNEWS_HOSTS), to a closed port and to an
unresolvable ``.invalid`` name. Servers listen on 127.0.0.2 and 127.0.0.3 and must see no request.
"""

from __future__ import annotations

import json
import socket

import pytest

from tests.faults.conftest import FAST, RUN_BOUND_S, scrapy_crawl, start_fault_server

pytestmark = pytest.mark.slow


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _listening(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5):
        return True  # connect and close: the server logs nothing without a request line


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("guard")
    two = start_fault_server(tmp / "two.jsonl", host="127.0.0.2")
    three = start_fault_server(tmp / "three.jsonl", host="127.0.0.3")
    dead = _closed_port()
    p2, p3 = two.url.rsplit(":", 1)[1], three.url.rsplit(":", 1)[1]
    links = {
        "own": None,
        "literal": f"http://127.0.0.2:{p2}/addr/ok-1.html",
        "named": f"http://named.test:{p3}/addr/ok-1.html",
        "dead": f"http://127.0.0.1:{dead}/addr/ok-2.html",
        "unresolvable": "http://nowhere.invalid/addr/ok-1.html",
    }
    list_page = tmp / "list.html"
    try:
        one = start_fault_server(tmp / "one.jsonl", list_page=list_page)
    except Exception:
        two.stop()
        three.stop()
        raise
    p1 = one.url.rsplit(":", 1)[1]
    links["own"] = f"http://127.0.0.1:{p1}/addr/ok-1.html"
    list_page.write_text("<html><head><meta charset='utf-8'><title>列表</title></head><body><ul>" + "".join(
        f"<li><a href='{u}'>文章 {k}</a></li>" for k, u in links.items()) + "</ul></body></html>", encoding="utf-8")
    sites = tmp / "sites"
    sites.mkdir()
    (sites / "faults-guard.toml").write_text(f'''slug = "faults-guard"
name = "地址防护测试"
district = "故障区"
city = "测试市"
province = "测试省"
admin_code = "990101"
homepage = "http://127.0.0.1:{p1}/"
hosts = ["127.0.0.1", "127.0.0.2", "named.test", "nowhere.invalid"]
family = "generic"
demo = true
verified = true

[list]
article_pattern = '^/addr/ok-\\d\\.html$'

[extract]
body = [".TRS_Editor"]

[[columns]]
name = "列表"
url = "http://127.0.0.1:{p1}/addr/index.html"
''', encoding="utf-8")
    try:
        assert _listening(two.url) and _listening(three.url)
        crawl = scrapy_crawl(tmp / "archive", "faults-guard", {
            **FAST, "GOVNEWS_ALLOW_ADDRESSES": "127.0.0.1", "GOVNEWS_HOSTS": json.dumps({"named.test": "127.0.0.3"}),
            "ROBOTSTXT_OBEY": "1"}, sites_dir=sites)
    finally:
        for s in (one, two, three):
            s.stop()
    return crawl, links, one, two, three


def test_refused_addresses_see_no_request(guarded):
    crawl, links, one, two, three = guarded
    assert crawl.seconds < RUN_BOUND_S
    assert two.requests() == [] and three.requests() == []
    assert any(r["path"] == "/addr/ok-1.html" for r in one.requests())


def test_refused_links_are_counted(guarded):
    crawl, links, *_ = guarded
    outcomes = crawl.outcomes()
    assert outcomes.get(links["literal"]) == {"refused_address"}
    assert outcomes.get(links["named"]) == {"refused_address"}
    assert outcomes.get(links["dead"]) == {"connection_error"}
    assert outcomes.get(links["unresolvable"]) == {"dns_error"}
    assert int(crawl.stats("faults-guard")["govnews/outcome/refused_address"]) >= 2
    text = crawl.log.read_text(encoding="utf-8")
    assert "named.test resolves to 127.0.0.3 (loopback)" in text
    assert "127.0.0.2 is a loopback address" in text


def test_only_the_allowed_address_gives_an_article(guarded):
    crawl, links, *_ = guarded
    assert crawl.article_urls() == {links["own"]}
