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

#: ``request.meta`` key: what the spider asked for ("list" or "article"), so a response that never
#: becomes an item (a 404, a failed fetch) is still filed as the page it was meant to be
KIND_KEY = "govnews_kind"

OUTCOMES = (
    "ok", "not_found", "gone", "server_error", "client_error", "rate_limited", "timeout", "truncated",
    "blocked", "too_large", "redirect_loop", "no_content", "offsite", "refused_address", "dns_error",
    "connection_error", "robots_disallowed", "error",
)

#: sent as ``crawler.signals.send_catch_log(fetch_failed, request=request, outcome=str, reason=str)``
fetch_failed = object()

#: sent by ParquetPipeline as ``send_catch_log(article_accepted, item=item)`` just before an article row
#: joins a batch: the archive finishes the page's captures row (outcome ``stored``) at once, so the row
#: is committed no later than the article that references it
article_accepted = object()

#: sent by ParquetPipeline before it commits an articles file: the archive commits the captures rows it
#: holds first (a crash between the two leaves a ``stored`` capture whose article the next run re-fetches,
#: never an article without its capture)
articles_committing = object()
