"""Bytes -> str for Chinese government pages.

First Scrapy's resolution (w3lib: BOM > Content-Type charset > ``<meta>`` >
sniff; gb2312/gbk read as gb18030), or the encoding Scrapy's response already
chose. Then a check: a decode with U+FFFD, Latin-1/cp125x mojibake, or
almost no CJK where gb18030 gives plenty is retried with the page's own
``<meta charset>``, gb18030 and utf-8, and the cleanest decode wins.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_body_declared_encoding, html_to_unicode, read_bom, resolve_encoding

_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff00-\uffef]")
# Characters a GBK page decoded as Latin-1/cp1250/cp1252 is full of.
_MOJIBAKE = re.compile(r"[\u00c0-\u024f\u0080-\u00bf\u2020-\u203a\u02c6-\u02dd]")
# Only this much text is scored: enough for a verdict, cheap on 1 MB pages.
_SAMPLE = 200_000

_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
            "utf8": "utf-8", "utf_8": "utf-8", "utf-8-sig": "utf-8", "utf_8_sig": "utf-8"}


def normalise_encoding(name: str | None) -> str | None:
    """``GBK``/``gb2312`` -> ``gb18030``, ``UTF8`` -> ``utf-8``; None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        canonical = codecs.lookup(resolve_encoding(name) or name).name
    except LookupError:
        return None
    return _ALIASES.get(canonical, canonical)


def _auto_detect(body: bytes) -> str | None:
    # Scrapy tries ascii then utf-8 before its charset sniffer; the check
    # below replaces the sniffer.
    for enc in ("ascii", "utf-8"):
        try:
            body.decode(enc)
        except UnicodeDecodeError:
            continue
        return enc
    return None


def _decode(body: bytes, encoding: str) -> str:
    if encoding == "utf-8" and body.startswith(codecs.BOM_UTF8):
        body = body[3:]
    return body.decode(encoding, errors="replace")


def _looks_wrong(text: str) -> bool:
    sample = text[:_SAMPLE]
    if "\ufffd" in sample:
        return True
    mojibake = len(_MOJIBAKE.findall(sample))
    return mojibake >= 4 and mojibake > len(_CJK.findall(sample))


def _is_utf8(body: bytes) -> bool:
    """Valid UTF-8 with multibyte sequences: GBK text almost never is."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([a-zA-Z0-9_-]+)", re.I)


def _meta_charset(body: bytes) -> str | None:
    """``<meta charset>`` further in than w3lib looks (after a long script)."""
    match = _META_CHARSET.search(body, 0, 131072)
    return match.group(1).decode("ascii") if match else None


def _score(text: str) -> tuple[int, int, int]:
    sample = text[:_SAMPLE]
    return (sample.count("\ufffd"), len(_MOJIBAKE.findall(sample)), -len(_CJK.findall(sample)))


def decode_html(body: bytes, declared: str | None = None, content_type: str | None = None) -> tuple[str, str]:
    """Decode ``body``; return ``(text, encoding)`` with a normalised name."""
    bom_enc, _ = read_bom(body)
    if bom_enc:
        enc = normalise_encoding(bom_enc) or "utf-8"
        return _decode(body, enc), enc
    enc = normalise_encoding(declared)
    if enc:
        text = _decode(body, enc)
    else:
        enc, text = html_to_unicode(content_type, body, auto_detect_fun=_auto_detect)
        enc = normalise_encoding(enc) or "utf-8"
    if enc == "utf-8" and "\ufffd" not in text:
        # decoded with errors="replace" and nothing replaced: valid UTF-8, which every check
        # below would keep as it is (most pages; it saves two scans and a second decode)
        return text, enc
    utf8 = _is_utf8(body)
    if not _looks_wrong(text) and (enc == "utf-8" or not utf8):
        return text, enc
    if utf8:  # a header claiming gbk over utf-8 bytes: gb18030 "succeeds" with garbage
        return _decode(body, "utf-8"), "utf-8"
    candidates: dict[str, str] = {enc: text}
    meta_enc = normalise_encoding(html_body_declared_encoding(body) or _meta_charset(body))
    for alt in (meta_enc, "gb18030", "utf-8"):
        if alt and alt not in candidates:
            candidates[alt] = _decode(body, alt)
    best = min(candidates, key=lambda k: _score(candidates[k]))
    return candidates[best], best
