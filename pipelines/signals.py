"""govnews' own Scrapy signals and the outcome vocabulary of a fetch.

Every fetch ends in exactly one outcome, recorded in the ``captures`` table
and counted in stats as ``govnews/outcome/<outcome>``:

ok, not_found, gone, server_error, client_error, rate_limited, timeout,
truncated, blocked, too_large, redirect_loop, no_content, offsite,
refused_address, dns_error, connection_error, robots_disallowed, error

A downloader middleware classifies a response and stores the class in
``response.meta["govnews_outcome"]`` (``request.meta`` is shared with the
response). A fetch that ends without a response (timeout, reset, refused
address, ...) is announced with :data:`fetch_failed` so the archive can still
write its captures row.
"""

OUTCOMES = (
    "ok", "not_found", "gone", "server_error", "client_error", "rate_limited", "timeout", "truncated",
    "blocked", "too_large", "redirect_loop", "no_content", "offsite", "refused_address", "dns_error",
    "connection_error", "robots_disallowed", "error",
)

#: sent as ``crawler.signals.send_catch_log(fetch_failed, request=request, outcome=str, reason=str)``
fetch_failed = object()
