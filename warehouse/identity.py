"""Identity of an article: ``url_key`` and ``content_sha256``.

``url_key`` folds the variants under which one article is reachable into one
string: http/https, ``www.``/``m.``/``wap.`` hosts, default ports, ``index.html``
vs ``/``, print/mobile and tracking parameters, parameter order, fragments.
It is idempotent: ``url_key(url_key_as_url)`` gives the same key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

from w3lib.url import canonicalize_url, safe_url_string

_HOST_ALIASES = ("www.", "m.", "wap.", "mobile.")
_INDEX_FILES = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)
_DROP_PARAMS = {
    "print", "isprint", "mobile", "from", "spm", "share", "sharefrom",
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
}
_WS = re.compile(r"\s+")


@lru_cache(maxsize=65536)  # pure; a crawl asks for each URL's key three times (spider, archive, article row)
def url_key(url: str) -> str:
    """Normalised identity of ``url`` (no scheme): ``host/path?sorted-params``."""
    parts = urlsplit(canonicalize_url(safe_url_string(url.strip()), keep_fragments=False))
    host = (parts.hostname or "").lower().rstrip(".")
    for alias in _HOST_ALIASES:
        if host.startswith(alias) and host.count(".") >= 2:
            host = host[len(alias):]
            break
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = _INDEX_FILES.sub("/", parts.path or "/")
    path = re.sub(r"/{2,}", "/", path)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _DROP_PARAMS]
    query = urlencode(sorted(params))
    return f"{host}{path}" + (f"?{query}" if query else "")


#: runs of CJK Unified Ideographs: NFKC leaves them as they are, and nothing composes with them on
#: either side (no decomposition, combining class 0, in no composition pair: tests/unit/test_nfkc.py
#: checks every one), so NFKC of a text is NFKC of the pieces between them, joined with them
_IDEOGRAPHS = re.compile(r"([\u4e00-\u9fff]+)")


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, normalising only the pieces between ideograph runs
    that are not ASCII (which NFKC leaves as it is): 3x faster on Chinese bodies, same result."""
    parts = _IDEOGRAPHS.split(text)
    parts[::2] = [p if p.isascii() else unicodedata.normalize("NFKC", p) for p in parts[::2]]
    return "".join(parts)


def normalise_text(text: str) -> str:
    """NFKC, whitespace collapsed: what ``content_sha256`` is computed over."""
    return _WS.sub(" ", nfkc(text)).strip()


def content_sha256(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
