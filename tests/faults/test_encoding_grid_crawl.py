"""The 50-case encoding grid of RELIABILITY.md, end to end: served by the fault server, crawled, read back.

Body in {utf-8, utf-8 with BOM, GBK declared gb2312, gbk, gb18030} x declaration {header, meta, both,
header that lies, none} x {short page, 30 KB of script first}. The stored article keeps the GBK-only
marker characters, has no U+FFFD, and records the encoding it was decoded with.
"""

from __future__ import annotations

import pytest

from tests.faults.conftest import FAST, RUN_BOUND_S, scrapy_crawl
from tests.faults.server import GRID, GRID_BODIES, GRID_TEXT, MARKERS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def enc_crawl(fault_server, tmp_path_factory):
    crawl = scrapy_crawl(tmp_path_factory.mktemp("enc") / "archive", "faults-enc", FAST, via=fault_server.url)
    rows = crawl.rows("SELECT url, title, body_text, encoding FROM articles")
    return crawl, {url.rsplit("/", 1)[1].removesuffix(".html"): (title, body, enc) for url, title, body, enc in rows}


def test_grid_has_fifty_cases():
    assert len(GRID) == 50


@pytest.mark.parametrize("case", GRID)
def test_case_decoded_cleanly(enc_crawl, case):
    crawl, rows = enc_crawl
    assert crawl.seconds < RUN_BOUND_S
    assert case in rows, f"no article row for {case}"
    title, body, encoding = rows[case]
    assert GRID_TEXT in body and all(m in body for m in MARKERS)
    assert "\ufffd" not in body and "\ufffd" not in (title or "")
    expected = GRID_BODIES[next(b for b in sorted(GRID_BODIES, key=len, reverse=True) if case.startswith(b + "-"))][2]
    assert encoding == expected
