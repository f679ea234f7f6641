"""decode_html over the 50-case grid of RELIABILITY.md ("Encodings").

Body encoding × where it is declared × page shape. Each case is decoded twice:
with nothing chosen beforehand, and with the encoding Scrapy's response would
have chosen (cp1250 for an undeclared GBK page, the lying header's charset...).
"""

from __future__ import annotations

import itertools

import pytest
from w3lib.encoding import html_to_unicode

from pipelines.extract import decode_html
from pipelines.extract.encoding import normalise_encoding

MARKERS = "镕堃喆祎玥犇"  # in GBK, not in GB2312
TEXT = f"朱{MARKERS[0]}基、王{MARKERS[1]}、张{MARKERS[2]}、李{MARKERS[3]}、陈{MARKERS[4]}、{MARKERS[5]}牛：区政府召开常务会议。"

# body key -> (python codec, label a page would declare, expected result)
BODIES = {
    "utf-8": ("utf-8", "utf-8", "utf-8"),
    "utf-8-bom": ("utf-8-sig", "utf-8", "utf-8"),
    "gb2312-declared-gbk": ("gbk", "gb2312", "gb18030"),
    "gbk": ("gbk", "gbk", "gb18030"),
    "gb18030": ("gb18030", "gb18030", "gb18030"),
}
DECLARATIONS = ("header", "meta", "both", "header-lies", "none")
SHAPES = ("short", "script30k")


def _page(codec: str, meta_label: str | None, shape: str) -> bytes:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={meta_label}">' if meta_label else ""
    script = ""
    if shape == "script30k":
        script = "<script>" + "var cfg = {a: 1, b: 'x'};\n" * 1250 + "</script>"
    html = (f"<html><head>{meta}{script}<title>会议</title></head>"
            f"<body><div class='TRS_Editor'><p>{TEXT}</p></div></body></html>")
    return html.encode(codec)


def _scrapy_choice(header: str | None, body: bytes) -> str:
    """What Scrapy's TextResponse would pick (its sniffer says cp1250 for GBK)."""
    def sniff(data: bytes) -> str | None:
        for enc in ("ascii", "utf-8"):
            try:
                data.decode(enc)
            except UnicodeDecodeError:
                continue
            return enc
        return "cp1250"

    return html_to_unicode(header, body, auto_detect_fun=sniff)[0]


@pytest.mark.parametrize(
    "body_kind,declaration,shape", list(itertools.product(BODIES, DECLARATIONS, SHAPES)))
def test_decode_grid(body_kind: str, declaration: str, shape: str) -> None:
    codec, label, expected = BODIES[body_kind]
    wrong = "gbk" if expected == "utf-8" else "utf-8"
    header_label, meta_label = {
        "header": (label, None),
        "meta": (None, label),
        "both": (label, label),
        "header-lies": (wrong, label),
        "none": (None, None),
    }[declaration]
    body = _page(codec, meta_label, shape)
    header = f"text/html; charset={header_label}" if header_label else "text/html"
    for declared in (None, _scrapy_choice(header, body)):
        text, encoding = decode_html(body, declared=declared, content_type=header)
        assert TEXT in text, (declared, encoding)
        assert "\ufffd" not in text
        assert encoding == expected


def test_grid_has_fifty_cases() -> None:
    assert len(BODIES) * len(DECLARATIONS) * len(SHAPES) == 50


def test_scrapy_picks_wrong_for_undeclared_gbk_with_script() -> None:
    body = _page("gbk", None, "script30k")
    assert _scrapy_choice("text/html", body) == "cp1250"  # the case the check must recover
    assert decode_html(body, declared="cp1250", content_type="text/html") == (
        body.decode("gb18030"), "gb18030")


@pytest.mark.parametrize("name,expected", [
    ("GBK", "gb18030"), ("gb2312", "gb18030"), ("UTF8", "utf-8"), ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8"), ("GB18030", "gb18030"), ("nonsense-enc", None), (None, None),
])
def test_normalise_encoding(name, expected) -> None:
    assert normalise_encoding(name) == expected
