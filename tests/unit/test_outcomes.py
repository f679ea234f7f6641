"""crawler.outcomes: responses and exceptions -> the outcome vocabulary of pipelines.signals."""

from __future__ import annotations

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)

from crawler.middlewares import retry_after_seconds
from crawler.outcomes import classify_exception, classify_response
from pipelines.signals import OUTCOMES
from tests.faults.server import CHALLENGE_200, CHALLENGE_412, CHALLENGE_521

ARTICLE = ("<html><head><title>区政府常务会议</title></head><body><div class='TRS_Editor'><p>"
           + "区政府召开常务会议，研究部署防汛工作。" * 20 + "</p></div></body></html>").encode()


@pytest.mark.parametrize("status,headers,body,flags,outcome", [
    (200, {}, ARTICLE, (), "ok"),
    (200, {"Set-Cookie": [b"__jsluid_h=abc; path=/"]}, ARTICLE, (), "ok"),  # 加速乐 tracks ordinary pages too
    (200, {}, ARTICLE + b"<script>var jiasule=1;</script>", (), "ok"),  # a marker on a real page is not a wall
    (200, {}, ARTICLE[:200], ("dataloss",), "truncated"),
    (412, {}, CHALLENGE_412, (), "blocked"),
    (412, {}, b"", (), "blocked"),
    (521, {}, CHALLENGE_521, (), "blocked"),
    (521, {}, b"origin down", (), "server_error"),
    (200, {}, CHALLENGE_200, (), "blocked"),
    (200, {"Set-Cookie": [b"__jsl_clearance=1.2|0|x; path=/"]}, b"<html></html>", (), "blocked"),
    (200, {}, b"", (), "no_content"),
    (200, {}, b"   \n", (), "no_content"),
    (204, {}, b"", (), "no_content"),
    (200, {}, b"<meta http-equiv='refresh' content='0;url=/a.html'>", (), "no_content"),
    (200, {}, b"<script>location.href='/a.html'</script>", (), "no_content"),
    (404, {}, b"nf", (), "not_found"),
    (410, {}, b"", (), "gone"),
    (429, {}, b"", (), "rate_limited"),
    (403, {}, b"forbidden", (), "client_error"),
    (500, {}, b"", (), "server_error"),
    (503, {}, b"", (), "server_error"),
])
def test_classify_response(status, headers, body, flags, outcome):
    got, reason = classify_response(status, headers, body, flags)
    assert got == outcome and got in OUTCOMES and reason


@pytest.mark.parametrize("exc,outcome", [
    (DownloadTimeoutError("Getting x took longer than 3 seconds."), "timeout"),
    (CannotResolveHostError("no results"), "dns_error"),
    (DownloadConnectionRefusedError("refused"), "connection_error"),
    (DownloadCancelledError(), "too_large"),
    (DownloadCancelledError("Expected to receive 3 bytes which is larger than download max size (1)"), "too_large"),
    (DownloadFailedError("[<Failure _DataLoss>]"), "truncated"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots_disallowed"),
    (IgnoreRequest("max redirections reached"), "redirect_loop"),
    (ValueError("odd"), "error"),
])
def test_classify_exception(exc, outcome):
    got, reason = classify_exception(exc)
    assert got == outcome and got in OUTCOMES and reason


def test_retry_after_forms():
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds(b"Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


_VISIBLE_CASES = [
    b"", b"<html><head><title>t</title></head><body></body></html>",
    b"<script>document.cookie='a=1';location.reload()</script>",
    b"<style>p{color:red}</style><!-- a comment with text --><p>&nbsp; x &nbsp;</p>",
    b"<p>a < b and c > d</p>" * 3, b"<div>" + "正文内容".encode() * 30 + b"</div>",
    b"<!-- unclosed comment <p>text</p>", b"<script>var s = '</div>';</script>visible",
    b"<SCRIPT type=x>hidden</SCRIPT >seen<STYLE>.a{}</STYLE>", b"<" * 50, b"text only, no tags at all",
    CHALLENGE_200, CHALLENGE_412, CHALLENGE_521,
]


def _real_bodies() -> list[bytes]:
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus"
    return [p.read_bytes() for p in sorted(corpus.rglob("*.html"))]


def visible_text_length(body: bytes) -> int:
    """The full count has_visible_text replaced (crawler/outcomes.py before it): bytes of text outside
    tags, scripts, styles and comments, whitespace and &nbsp; not counted."""
    import re

    for pattern in (rb"<!--.*?-->", rb"<style\b[^>]*>.*?</style\s*>", rb"<script\b[^>]*>(.*?)</script\s*>", rb"<[^>]+>"):
        body = re.sub(pattern, b" ", body, flags=re.I | re.S)
    return len(re.sub(rb"\s+|&nbsp;", b"", body))


@pytest.mark.parametrize("at_least", [1, 40, 200, 1000])
def test_has_visible_text_agrees_with_visible_text_length(at_least):
    """The early-stopping test the challenge check uses answers as the full count does, on hand-made
    edge cases and, when ../shared/corpus is present, on every real page and on its first bytes."""
    from crawler.outcomes import has_visible_text

    bodies = list(_VISIBLE_CASES)
    real = _real_bodies()
    bodies += real + [b[:k] for b in real for k in (300, 2000, 20000)]
    for body in bodies:
        assert has_visible_text(body, at_least) == (visible_text_length(body) >= at_least), body[:80]
