"""Compression bombs (256 MiB of zeros as gzip, deflate, brotli) cost at most twice the size limit.

Peak RSS (ru_maxrss) of a crawl of three bombs + two articles, against a baseline crawl of the two
articles alone, with DOWNLOAD_MAXSIZE = 8 MiB. An unbounded inflate would add 256 MiB.
"""

from __future__ import annotations

import sys

import pytest

from tests.faults.conftest import FAST, scrapy_crawl

pytestmark = pytest.mark.slow

LIMIT = 8 * 1024 * 1024
PEAK = ("import atexit, resource, runpy, sys; out = sys.argv[1]; sys.argv = ['scrapy', *sys.argv[2:]]; "
        "atexit.register(lambda: open(out, 'w').write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))); "
        "runpy.run_module('scrapy', run_name='__main__')")


def _peak_kib(tmp_path, fault_server, site: str) -> tuple[int, object]:
    out = tmp_path / f"{site}.maxrss"
    crawl = scrapy_crawl(tmp_path / f"archive-{site}", site,
                         {**FAST, "DOWNLOAD_MAXSIZE": str(LIMIT), "DOWNLOAD_WARNSIZE": str(LIMIT // 2)},
                         via=fault_server.url, prefix=[sys.executable, "-c", PEAK, str(out)])
    return int(out.read_text()), crawl


def test_bombs_stay_under_twice_the_limit(fault_server, tmp_path):
    base_kib, _ = _peak_kib(tmp_path, fault_server, "faults-base")
    bomb_kib, crawl = _peak_kib(tmp_path, fault_server, "faults-bomb")
    growth = (bomb_kib - base_kib) * 1024
    print(f"peak RSS: baseline {base_kib} KiB, bombs {bomb_kib} KiB, growth {growth / 2**20:.1f} MiB "
          f"(limit {LIMIT / 2**20:.0f} MiB)")
    assert growth < 2 * LIMIT
    assert int(crawl.stats("faults-bomb")["govnews/outcome/too_large"]) == 3
    assert len(crawl.article_urls()) == 2
