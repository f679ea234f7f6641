"""Classify a fetch into the outcome vocabulary of :mod:`pipelines.signals`.

Pure functions: a response (status, headers, body, flags) or the exception a
download ended with goes in, ``(outcome, reason)`` comes out. No I/O, no
crawler: :class:`crawler.middlewares.OutcomeMiddleware` records what these
decide.

Anti-bot challenges are recognised, never answered: 412 (瑞数-style JS
challenges; govnews never sends preconditions), 521 with a script (加速乐
``__jsl_clearance``), and 200 pages that are only a cookie-setting script or
carry a known vendor's marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# --- challenge pages -----------------------------------------------------------------
#: byte patterns of known anti-bot walls (any status)
CHALLENGE_MARKERS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("jiasule", re.compile(rb"__jsl_clearance|jsl_clearance_s|jiasule", re.I)),  # 加速乐 (Knownsec)
    ("ruishu", re.compile(rb"\$_ts\s*=|\$_ts\[|FSSBBIl1UgzbN7N", re.I)),  # 瑞数 (RiverSecurity)
    ("aliyun-waf", re.compile(rb"acw_sc__v2|acw_tc.*arg1=", re.I)),
    ("yunsuo", re.compile(rb"yunsuo_session_verify|security_session_verify", re.I)),  # 云锁
    ("safedog", re.compile(rb"safedog|WAF/2\.0.*safedog", re.I)),  # 安全狗
    ("cloudflare", re.compile(rb"cf-browser-verification|cf_chl_|challenge-platform", re.I)),
)
#: cookie names set by those walls
CHALLENGE_COOKIES = re.compile(rb"^(__jsl_clearance|__jsluid|acw_sc__v2|yunsuo_session_verify|FSSBBIl1UgzbN7N\w*)=",
                               re.I)
_SCRIPT = re.compile(rb"<script\b[^>]*>(.*?)</script\s*>", re.I | re.S)
_COOKIE_SCRIPT = re.compile(rb"document\.cookie\s*=", re.I)
_LOCATION = re.compile(rb"(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=|location\.(?:replace|assign|reload)\s*\(",
                       re.I)
_META_REFRESH = re.compile(rb"<meta[^>]+http-equiv\s*=\s*[\"']?refresh", re.I)
_ANCHOR = re.compile(rb"<a\s[^>]*href", re.I)
#: a page this small whose visible text is this short is a script or a redirect, not an article
SMALL_PAGE = 32 * 1024
SHORT_TEXT = 40
#: a challenge page shows at most this much text ("please wait", "enable JavaScript")
THIN_TEXT = 200


_SPACE = re.compile(rb"\s+|&nbsp;")
#: one pass over a page: a comment, a style or script block, a tag, or a run of text
_TOKEN = re.compile(rb"<!--.*?-->|<style\b[^>]*>.*?</style\s*>|<script\b[^>]*>.*?</script\s*>|<[^>]+>|[^<]+|<",
                    re.I | re.S)


def has_visible_text(body: bytes, at_least: int) -> bool:
    """Whether ``body`` shows at least ``at_least`` bytes of text outside tags, scripts, styles and
    comments (whitespace and ``&nbsp;`` not counted), reading the page only until that much text is
    seen (an article page shows its first few hundred bytes of text early: its menu and headline)."""
    seen = 0
    for m in _TOKEN.finditer(body):
        token = m.group()
        if token[0] == 0x3C and len(token) > 1:  # b"<": markup, or a comment/style/script block
            continue
        seen += len(_SPACE.sub(b"", token))
        if seen >= at_least:
            return True
    return False


def _set_cookies(headers: dict[str, list[bytes]]) -> list[bytes]:
    return [v for k, values in headers.items() if k.lower() == "set-cookie" for v in values]


def challenge_vendor(status: int, headers: dict[str, list[bytes]], body: bytes) -> str | None:
    """The anti-bot wall a response is, or None. ``headers``: names -> lists of values.

    Vendor cookies and markers count only on a 412/521 or on a thin page (little
    visible text): 加速乐 sets ``__jsluid`` on ordinary pages too.
    """
    walled = status in (412, 521)
    # visible text is read only until THIN_TEXT bytes of it are seen (a few KB into an ordinary
    # page), which spares the marker searches on every ordinary page
    thin = len(body) <= 2 * SMALL_PAGE and not has_visible_text(body, THIN_TEXT)
    if not (walled or thin):
        return None
    for value in _set_cookies(headers):
        if CHALLENGE_COOKIES.match(value.strip()):
            return "cookie:" + value.split(b"=", 1)[0].decode("latin-1")
    for name, pattern in CHALLENGE_MARKERS:
        if pattern.search(body):
            return name
    if walled and b"<script" in body.lower():
        return f"js-{status}"
    if status == 412:
        return "412"  # govnews never sends preconditions: a 412 is a wall
    if thin and _COOKIE_SCRIPT.search(body) and _LOCATION.search(body):
        return "cookie-script"
    return None


def redirect_page(body: bytes) -> str | None:
    """'meta refresh' or 'script redirect' for a small page that only sends the browser elsewhere."""
    if len(body) > SMALL_PAGE or _ANCHOR.search(body) or has_visible_text(body, SHORT_TEXT):
        return None
    if _META_REFRESH.search(body):
        return "meta refresh"
    if any(_LOCATION.search(m.group(1)) for m in _SCRIPT.finditer(body)):
        return "script redirect"
    return None


def classify_response(status: int, headers: dict[str, list[bytes]], body: bytes,
                      flags: Iterable[str] = ()) -> tuple[str, str]:
    """``(outcome, reason)`` of a response that reached the spider side of the downloader."""
    flags = set(flags)
    if "dataloss" in flags:
        return "truncated", "body shorter than announced (dataloss)"
    vendor = challenge_vendor(status, headers, body)
    if vendor:
        return "blocked", f"challenge {vendor} (status {status})"
    if status == 404:
        return "not_found", "404"
    if status == 410:
        return "gone", "410"
    if status == 429:
        return "rate_limited", "429"
    if 500 <= status <= 599:
        return "server_error", str(status)
    if 400 <= status <= 499:
        return "client_error", str(status)
    if 300 <= status <= 399:
        return "error", f"unfollowed redirect {status}"
    if status == 204 or not body.strip():
        return "no_content", "empty body"
    redirect = redirect_page(body)
    if redirect:
        return "no_content", redirect
    return "ok", str(status)


# --- failures ----------------------------------------------------------------------
def _names(exc: BaseException) -> list[str]:
    """The class names of ``exc`` and of everything it wraps (causes, Twisted's ``reasons``)."""
    seen: list[str] = []
    stack: list[BaseException] = [exc]
    while stack and len(seen) < 20:
        e = stack.pop()
        seen.extend(c.__name__ for c in type(e).__mro__)
        if e.__cause__ is not None:
            stack.append(e.__cause__)
        for reason in getattr(e, "reasons", None) or []:
            value = getattr(reason, "value", None)
            if isinstance(value, BaseException):
                stack.append(value)
    return seen


def classify_exception(exc: BaseException) -> tuple[str, str]:
    """``(outcome, reason)`` of a download that ended without a response."""
    names = set(_names(exc))
    text = str(exc) or type(exc).__name__
    if names & {"DownloadTimeoutError", "TimeoutError", "TCPTimedOutError", "UserTimeoutError"}:
        return "timeout", text
    if names & {"CannotResolveHostError", "DNSLookupError"}:
        return "dns_error", text
    if "DownloadCancelledError" in names or "CancelledError" in names:
        # Scrapy cancels a download over DOWNLOAD_MAXSIZE: with a message when Content-Length says so
        # up front, without one when the streamed body grows past it
        if not str(exc) or "max size" in text or "larger than" in text:
            return "too_large", str(exc) or "body over DOWNLOAD_MAXSIZE"
        return "error", text
    if names & {"ResponseDataLossError", "_DataLoss"}:
        return "truncated", text
    if names & {"DownloadConnectionRefusedError", "ConnectionRefusedError", "ConnectError",
                "ResponseNeverReceived", "ConnectionLost", "ConnectionDone", "TunnelError"}:
        return "connection_error", text
    if names & {"DownloadFailedError", "ResponseFailed"}:
        return "truncated", text  # the response started and broke off (bad chunking, reset mid-body)
    if "IgnoreRequest" in names:
        if "robots.txt" in text:
            return "robots_disallowed", text
        if "max redirections" in text:
            return "redirect_loop", text
        if "DOWNLOAD_MAXSIZE" in text or "max size" in text:
            return "too_large", text
        if "offsite" in text.lower():
            return "offsite", text
        return "error", text
    return "error", f"{type(exc).__name__}: {text}"

