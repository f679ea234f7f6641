"""How one site's crawl ended: its run status, the reason, and its share of the exit code.

Pure: Scrapy's finish reason and the crawl's stats go in. One rule matters
most: a crawl that fetched no list page did not crawl the site, whatever
Scrapy says (``finished`` is only "the queue ran dry"). It ends ``failed``
with the reason the list pages did not come:

- ``robots_disallowed``: robots.txt forbids them (nothing but robots.txt was fetched)
- ``blocked``: anti-bot challenge pages answered instead
- ``unreachable``: every fetch failed (DNS, refused or reset connections, a
  proxy that is not there, timeouts, TLS) or answered an error status

``govnews health`` flags a site whose last run ended with one of these.
"""

from __future__ import annotations

from dataclasses import dataclass

#: reasons a run that fetched no list page ends ``failed`` with (``govnews health`` shows them as they are)
NO_LIST_REASONS = ("unreachable", "blocked", "robots_disallowed")
#: the finish reason of a crawler that never started (a component refused its settings), and the stat
#: that says why (crawler/runner.py)
NOT_STARTED = "not started"
NOT_STARTED_KEY = "govnews/not_started"


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str  # ok, partial, failed, shutdown
    reason: str  # Scrapy's finish reason, or one of NO_LIST_REASONS
    exit_code: int  # 0 or 1
    detail: str = ""  # e.g. "6 connection_error" (why nothing came), for the one-line message


def _count(stats: dict, key: str) -> int:
    try:
        return int(stats.get(key, 0) or 0)
    except (TypeError, ValueError):
        return 0


def blocked_count(stats: dict) -> int:
    by_status = sum(_count(stats, k) for k in stats if k.startswith("govnews/blocked/") and k != "govnews/blocked/stopped")
    return max(by_status, _count(stats, "govnews/outcome/blocked"))


def failed_outcomes(stats: dict) -> dict[str, int]:
    """Outcomes other than ``ok`` and their counts, most frequent first."""
    prefix = "govnews/outcome/"
    out = {k[len(prefix):]: _count(stats, k) for k in stats if k.startswith(prefix) and k != prefix + "ok"}
    return dict(sorted(((k, v) for k, v in out.items() if v), key=lambda kv: (-kv[1], kv[0])))


def no_list_reason(stats: dict, finish_reason: str) -> str:
    outcomes = failed_outcomes(stats)
    if finish_reason == "blocked" or blocked_count(stats):
        return "blocked"
    if outcomes.get("robots_disallowed"):
        return "robots_disallowed"
    return "unreachable"


def run_verdict(finish_reason: str, stats: dict) -> Verdict:
    errors = _count(stats, "log_count/ERROR") + _count(stats, "spider_exceptions/count")
    if finish_reason == "shutdown":
        return Verdict("shutdown", finish_reason, 1)
    if finish_reason == NOT_STARTED:  # nothing was fetched because nothing ran: not "unreachable"
        return Verdict("failed", finish_reason, 1, str(stats.get(NOT_STARTED_KEY) or ""))
    if finish_reason == "disk_full":  # what was fetched may not all be archived
        return Verdict("failed", finish_reason, 1, "the archive's disk is full")
    if _count(stats, "govnews/pages/list") == 0:
        detail = ", ".join(f"{n} {outcome}" for outcome, n in failed_outcomes(stats).items()) or "no fetch answered"
        return Verdict("failed", no_list_reason(stats, finish_reason), 1, detail)
    if finish_reason == "finished":
        return Verdict("ok" if errors == 0 else "partial", finish_reason, 0)
    return Verdict("partial", finish_reason, 1)


def failure_line(slug: str, verdict: Verdict) -> str:
    """The one line a user reads about a run that did not end ``ok``."""
    if verdict.reason in NO_LIST_REASONS:
        return f"govnews: crawl of {slug} failed: {verdict.reason}, no list page fetched ({verdict.detail})"
    detail = f" ({verdict.detail})" if verdict.detail else ""
    return f"govnews: crawl of {slug} ended {verdict.status}: {verdict.reason}{detail}"
