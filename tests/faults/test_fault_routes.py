"""One crawl of the fault site (tests/faults/server.py, /net/): every route ends in its outcome class.

The table below is the contract: route -> (URL where the outcome lands, outcome class, article row?).
Outcomes are read back from the archive (captures table, downloader log line) and the run's stats.
"""

from __future__ import annotations

import re

import pytest

from tests.faults.conftest import FAST, RUN_BOUND_S, scrapy_crawl
from tests.faults.server import NET_ROUTES

pytestmark = pytest.mark.slow

BASE = "http://faults.govnews.test/net/"

#: route -> (where the outcome is recorded, outcome class, an article row expected)
EXPECTED = {
    "ok-1": ("ok-1", "ok", True),
    "ok-2": ("ok-2", "ok", True),
    "unclosed": ("unclosed", "ok", True),
    "slow": ("slow", "timeout", False),
    "drip": ("drip", "timeout", False),
    "hang": ("hang", "timeout", False),
    "truncated": ("truncated", "truncated", False),
    "badchunk": ("badchunk", "truncated", False),
    "reset": ("reset", "connection_error", False),
    "e500": ("e500", "server_error", False),
    "e502": ("e502", "server_error", False),
    "e503": ("e503", "server_error", False),
    "e404": ("e404", "not_found", False),
    "retry-after-then-ok": ("retry-after-then-ok", "ok", True),
    "retry-after-long": ("retry-after-long", "rate_limited", False),
    "c412": ("c412", "blocked", False),
    "c521": ("c521", "blocked", False),
    "challenge200": ("challenge200", "blocked", False),
    "loop-a": ("loop-a", "redirect_loop", False),
    "chain-0": ("chain-10", "redirect_loop", False),  # REDIRECT_MAX_TIMES = 10
    "metarefresh": ("metarefresh", "no_content", False),
    "jsredirect": ("jsredirect", "no_content", False),
    "empty": ("empty", "no_content", False),
    "big": ("big", "too_large", False),
    "big-stream": ("big-stream", "too_large", False),
    "gzip-bomb": ("gzip-bomb", "too_large", False),
    "deflate-bomb": ("deflate-bomb", "too_large", False),
    "br-bomb": ("br-bomb", "too_large", False),
    "offsite-redirect": ("http://other.govnews.test/net/ok-1.html", "offsite", False),
    "subdomain-redirect": ("http://sub.faults.govnews.test/net/ok-1.html", "offsite", False),
    "literal-redirect": ("http://127.0.0.2/net/ok-1.html", "offsite", False),
    "private/secret": ("private/secret", "robots_disallowed", False),
}
#: the drop reason a response that reached the spider gets instead of an article row
GATED = {"truncated": "dropped:TruncatedBody", "blocked": "dropped:BlockedPage", "no_content": "dropped:NoContent"}
LINE = re.compile(r"outcome=(\w+) url=(\S+)")


def _url(where: str) -> str:
    return where if where.startswith("http") else f"{BASE}{where}.html"


@pytest.fixture(scope="module")
def net_crawl(fault_server, tmp_path_factory):
    archive = tmp_path_factory.mktemp("net") / "archive"
    return scrapy_crawl(archive, "faults-net", {**FAST, "GOVNEWS_BLOCKED_STOP_AFTER": "0"}, via=fault_server.url)


def test_table_covers_every_route():
    assert set(EXPECTED) == set(NET_ROUTES)


@pytest.mark.parametrize("route", NET_ROUTES)
def test_route_outcome(net_crawl, route):
    where, outcome, stored = EXPECTED[route]
    url = _url(where)
    assert net_crawl.seconds < RUN_BOUND_S
    logged = {(m.group(2), m.group(1)) for m in LINE.finditer(net_crawl.log.read_text(encoding="utf-8"))}
    captures = net_crawl.outcomes().get(url, set())
    articles = net_crawl.article_urls()
    if outcome == "ok":
        assert not any(u == url for u, _ in logged), f"{url} got a non-ok outcome: {logged}"
        assert "stored" in captures, captures
    else:
        assert (url, outcome) in logged, sorted(x for x in logged if x[0] == url)
        assert outcome in captures or GATED.get(outcome) in captures, captures
    assert (url in articles) is stored
    assert (_url(route) in articles) is stored


def test_stats_count_every_class(net_crawl):
    stats = net_crawl.stats("faults-net")
    counts: dict[str, int] = {}
    for where, outcome, _ in EXPECTED.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    for outcome, n in counts.items():
        if outcome != "ok":
            assert int(stats.get(f"govnews/outcome/{outcome}", 0)) == n, (outcome, stats)
    assert int(stats["govnews/blocked/412"]) == 1 and int(stats["govnews/blocked/521"]) == 1
    assert int(stats["govnews/blocked/200"]) == 1
    assert int(stats["item_dropped_reasons_count/TruncatedBody"]) == 2
    assert int(stats["item_dropped_reasons_count/BlockedPage"]) == 1


def test_retries_are_bounded_and_retry_after_is_honoured(net_crawl, fault_server):
    seen: dict[str, list[float]] = {}
    for r in fault_server.requests():
        if r["host"] == "faults.govnews.test" and r["path"].startswith("/net/"):
            seen.setdefault(r["path"], []).append(r["t"])
    # RETRY_TIMES=1: at most two attempts, whatever the fault
    assert max(len(v) for v in seen.values()) <= 2, {k: len(v) for k, v in seen.items() if len(v) > 2}
    assert len(seen["/net/e503.html"]) == 2 and len(seen["/net/drip.html"]) == 2
    first, second = seen["/net/retry-after-then-ok.html"]
    assert second - first >= 0.95  # Retry-After: 1 waited
    assert len(seen["/net/retry-after-long.html"]) == 1  # Retry-After: 3600 > GOVNEWS_RETRY_AFTER_MAX: no retry
    assert "/net/private/secret.html" not in seen
    assert "/net/loop-a.html" in seen and len(seen["/net/loop-a.html"]) == 1


def test_log_has_no_traceback(net_crawl):
    text = net_crawl.log.read_text(encoding="utf-8")
    assert "Traceback" not in text
    assert "outcome=" in text
