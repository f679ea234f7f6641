"""Downloader middlewares for what Scrapy lacks: a fixture proxy, the address guard,
outcome classification, Retry-After, and outcome-recording redirect and decompression."""

from __future__ import annotations

import email.utils
import logging
import time
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware as _HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware as _RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached

from crawler.outcomes import classify_exception, classify_response
from crawler.resolver import address_refusal, is_ip_literal, is_special_use, parse_allowed, refusal_for
from pipelines.signals import fetch_failed


def via_problem(via: str) -> str | None:
    """Why ``via`` (GOVNEWS_VIA, ``--via``) cannot work, or None."""
    parts = urlsplit(via)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != "http" or not parts.hostname or not port:
        return f"GOVNEWS_VIA must look like http://127.0.0.1:8080, not {via!r}"
    if is_special_use(parts.hostname) and not is_ip_literal(parts.hostname):
        return (f"GOVNEWS_VIA: {parts.hostname} is a special-use name, never looked up: "
                f"use its address (http://127.0.0.1:{port})")
    return None


class ViaProxyMiddleware:
    """Send every request through ``GOVNEWS_VIA`` (an HTTP proxy URL).

    The fixture and demo servers answer as proxies, so a crawl of
    ``http://haidian.demo.govnews.test/`` keeps its real URLs whatever port
    the server listens on. Robots.txt requests pass here too.
    """

    def __init__(self, via: str) -> None:
        problem = via_problem(via)
        if problem:
            raise ValueError(problem)
        self.via = via

    @classmethod
    def from_crawler(cls, crawler):
        via = crawler.settings.get("GOVNEWS_VIA")
        if not via:
            raise NotConfigured("GOVNEWS_VIA is not set")
        return cls(via)

    def process_request(self, request, spider=None):
        request.meta.setdefault("proxy", self.via)
        return None


# --- outcomes, the address guard, polite retries ------------------------------------
logger = logging.getLogger(__name__)

OUTCOME_KEY = "govnews_outcome"
#: failures logged as errors (the run counts them); policy decisions and answers are logged quietly
_FAILURES = {"timeout", "truncated", "too_large", "dns_error", "connection_error", "error"}
_NOTICES = {"blocked", "redirect_loop", "rate_limited", "refused_address", "offsite"}


def record_outcome(crawler, request, outcome: str, reason: str, *, responded: bool) -> None:
    """Store, count and log one fetch's outcome; announce ``fetch_failed`` when there is no response."""
    request.meta[OUTCOME_KEY] = outcome
    crawler.stats.inc_value(f"govnews/outcome/{outcome}")
    level = (logging.ERROR if outcome in _FAILURES else logging.WARNING if outcome in _NOTICES
             else logging.DEBUG if outcome == "ok" else logging.INFO)
    logger.log(level, "outcome=%s url=%s reason=%s", outcome, request.url, reason)
    if not responded:
        crawler.signals.send_catch_log(signal=fetch_failed, request=request, outcome=outcome, reason=reason)


def _str_headers(headers) -> dict[str, list[bytes]]:
    return {(k.decode("latin-1") if isinstance(k, bytes) else k): list(v) for k, v in headers.items()}


class AddressGuardMiddleware:
    """Only the site's exact hosts, and no connection to a non-global address.

    Checked when a request is scheduled (before robots.txt is fetched for it)
    and again just before download, once proxies are set: the target host must
    be one of the site's ``hosts`` (Scrapy's OffsiteMiddleware also admits
    subdomains), an IP-literal target or proxy must pass
    :func:`crawler.resolver.address_refusal`. Names are checked by
    :class:`crawler.resolver.GuardedResolver` when they resolve. The
    ``GOVNEWS_VIA`` proxy is trusted: naming it is the operator's opt-in.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.allowed = parse_allowed(settings.getlist("GOVNEWS_ALLOW_ADDRESSES"))
        via = settings.get("GOVNEWS_VIA") or ""
        self.via = via.rstrip("/")

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler)
        crawler.signals.connect(mw.request_scheduled, signal=signals.request_scheduled)
        return mw

    def _hosts(self) -> tuple[str, ...]:
        spider = self.crawler.spider
        site = getattr(spider, "site", None)
        if site is not None:
            return tuple(h.lower() for h in site.hosts)
        return tuple(h.lower() for h in (getattr(spider, "allowed_domains", None) or ()))

    def refusal(self, request, proxy: str | None) -> tuple[str, str] | None:
        parts = urlparse_cached(request)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https"):
            return "offsite", f"scheme {parts.scheme!r} is not crawled"
        hosts = self._hosts()
        if hosts and host not in hosts:
            return "offsite", f"{host} is not one of the site's hosts"
        if is_ip_literal(host):
            why = address_refusal(host.strip("[]"), self.allowed)
            if why:
                return "refused_address", f"{host} is a {why} address"
        if proxy and proxy.rstrip("/") != self.via:
            proxy_host = (urlsplit(proxy).hostname or "").lower()
            if is_ip_literal(proxy_host):
                why = address_refusal(proxy_host, self.allowed)
                if why:
                    return "refused_address", f"proxy {proxy_host} is a {why} address"
        return None

    def _enforce(self, request, proxy: str | None) -> None:
        refused = self.refusal(request, proxy)
        if refused:
            record_outcome(self.crawler, request, *refused, responded=False)
            raise IgnoreRequest(f"{refused[0]}: {refused[1]}")

    def request_scheduled(self, request, spider=None) -> None:
        self._enforce(request, request.meta.get("proxy") or self.via or None)

    def process_request(self, request):
        self._enforce(request, request.meta.get("proxy"))
        return None


class OutcomeMiddleware:
    """Classify every final response and every failed fetch (see :mod:`crawler.outcomes`).

    Sits just below RetryMiddleware, so it sees what retries, redirects and
    decompression leave. Responses get ``meta["govnews_outcome"]``; failures
    are announced with ``pipelines.signals.fetch_failed`` and end as a quiet
    ``IgnoreRequest`` (one log line, no traceback). After
    ``GOVNEWS_BLOCKED_STOP_AFTER`` challenge pages the site's crawl stops
    with finish reason ``blocked``: walls are never bypassed.
    """

    def __init__(self, crawler, stop_after: int) -> None:
        self.crawler = crawler
        self.stop_after = stop_after
        self.blocked = 0
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler, crawler.settings.getint("GOVNEWS_BLOCKED_STOP_AFTER", 3))
        crawler.signals.connect(mw.request_dropped, signal=signals.request_dropped)
        return mw

    def process_response(self, request, response):
        outcome, reason = classify_response(response.status, _str_headers(response.headers), response.body,
                                            response.flags)
        record_outcome(self.crawler, request, outcome, reason, responded=True)
        if outcome == "blocked":
            self._blocked(response.status)
        return response

    def _blocked(self, status: int) -> None:
        stats = self.crawler.stats
        stats.inc_value(f"govnews/blocked/{status}")
        self.blocked += 1
        if self.stop_after > 0 and self.blocked >= self.stop_after and not self.stopping:
            self.stopping = True
            stats.set_value("govnews/blocked/stopped", 1)
            logger.warning("%d challenge pages: stopping this site's crawl (GOVNEWS_BLOCKED_STOP_AFTER=%d)",
                           self.blocked, self.stop_after)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="blocked"))

    def process_exception(self, request, exception):
        if isinstance(exception, IgnoreRequest) and OUTCOME_KEY in request.meta:
            return None  # refused by the guard: already recorded
        outcome, reason = classify_exception(exception)
        if outcome == "dns_error":
            proxy = request.meta.get("proxy")
            refused = refusal_for(urlparse_cached(request).hostname) or (
                refusal_for(urlsplit(proxy).hostname) if proxy else None)
            if refused:
                outcome, reason = "refused_address", refused
        record_outcome(self.crawler, request, outcome, reason, responded=False)
        if isinstance(exception, IgnoreRequest):
            return None
        raise IgnoreRequest(f"{outcome}: {reason}") from exception

    def request_dropped(self, request, spider=None) -> None:
        if request.url in request.meta.get("redirect_urls", ()):
            record_outcome(self.crawler, request, "redirect_loop", f"redirected back to {request.url}",
                           responded=False)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, plus: ``Retry-After`` is honoured up to
    ``GOVNEWS_RETRY_AFTER_MAX`` seconds (a longer wait gives up at once), and a
    truncated body (``dataloss``) is retried like a failed download.
    """

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("GOVNEWS_RETRY_AFTER_MAX", 60.0)

    async def process_response(self, request, response):
        if request.meta.get("dont_retry", False):
            return response
        if "dataloss" in response.flags:
            return self._retry(request, "truncated body (dataloss)") or response
        if response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is not None and wait > self.max_wait:
            self.crawler.stats.inc_value("govnews/retry_after/refused")
            logger.warning("%s asks to retry after %.0f s (> GOVNEWS_RETRY_AFTER_MAX=%.0f): giving up",
                           request.url, wait, self.max_wait)
            return response
        retry = self._retry(request, f"{response.status} response")
        if retry is None:
            return response
        if wait:
            self.crawler.stats.inc_value("govnews/retry_after/waited")
            await sleep(wait)
        return retry


class RedirectMiddleware(_RedirectMiddleware):
    """Scrapy's RedirectMiddleware; a chain over ``REDIRECT_MAX_TIMES`` is recorded as ``redirect_loop``."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            record_outcome(self.crawler, request, *classify_exception(exc), responded=False)
            raise


class HttpCompressionMiddleware(_HttpCompressionMiddleware):
    """Scrapy's decompression (bounded by ``DOWNLOAD_MAXSIZE``); a bomb is recorded as ``too_large``."""

    @classmethod
    def from_crawler(cls, crawler):
        mw = super().from_crawler(crawler)
        mw.crawler = crawler
        return mw

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            message = str(exc)
            # the chained exception's traceback holds the partly inflated body (up to
            # DOWNLOAD_MAXSIZE): let it go now, not at the next garbage collection
            exc.__cause__ = exc.__context__ = exc.__traceback__ = None
        record_outcome(self.crawler, request, "too_large", message, responded=False)
        raise IgnoreRequest(message)
