"""crawler.verdict: a crawl that fetched no list page failed, with the reason; the rest as before."""

from __future__ import annotations

import pytest

from crawler.verdict import Verdict, run_verdict

LISTED = {"govnews/pages/list": 3}


@pytest.mark.parametrize("reason, stats, want", [
    # fetched list pages: Scrapy's reason decides
    ("finished", LISTED, Verdict("ok", "finished", 0)),
    ("finished", {**LISTED, "log_count/ERROR": 2}, Verdict("partial", "finished", 0)),
    ("blocked", {**LISTED, "govnews/outcome/blocked": 3}, Verdict("partial", "blocked", 1)),
    ("shutdown", {}, Verdict("shutdown", "shutdown", 1)),
    # no list page: failed, whatever Scrapy says
    ("finished", {"govnews/outcome/connection_error": 3},
     Verdict("failed", "unreachable", 1, "3 connection_error")),
    ("finished", {"govnews/outcome/dns_error": 2, "govnews/outcome/timeout": 1},
     Verdict("failed", "unreachable", 1, "2 dns_error, 1 timeout")),
    ("finished", {"govnews/outcome/not_found": 2, "govnews/outcome/ok": 1},
     Verdict("failed", "unreachable", 1, "2 not_found")),
    ("finished", {"govnews/outcome/robots_disallowed": 2, "govnews/outcome/ok": 1},
     Verdict("failed", "robots_disallowed", 1, "2 robots_disallowed")),
    ("blocked", {"govnews/outcome/blocked": 3, "govnews/blocked/521": 3, "govnews/blocked/stopped": 1},
     Verdict("failed", "blocked", 1, "3 blocked")),
    ("finished", {}, Verdict("failed", "unreachable", 1, "no fetch answered")),
    # a crawler that never started fetched nothing, and was not unreachable for it
    ("not started", {"govnews/not_started": "EXTRACT_NICE must be 0..19, not 50"},
     Verdict("failed", "not started", 1, "EXTRACT_NICE must be 0..19, not 50")),
])
def test_run_verdict(reason, stats, want):
    assert run_verdict(reason, stats) == want
