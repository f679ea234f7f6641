"""Deterministic generator of the bundled demo district sites (one module per family in ``families/``).

``python -m crawler.demo.build`` regenerates ``crawler/demo/www/`` (what
:mod:`crawler.demo.server` serves) and ``crawler/demo/expected/<slug>.json``
(what a correct crawl + extraction must find) byte-identically every time:
fixed-seed RNGs only, no clock reads, sorted output.

Two sites modelled on real district portals:

``demo-haidian`` (TRS WCM, host ``haidian.demo.govnews.test``)
    Columns ``/xwzx/qzyw/`` 区政要闻, ``/xwzx/bmdt/`` 部门动态, ``/xwzx/tzgg/`` 通知公告.
    Lists ``index.html``, ``index_1.html`` … (15 items, newest first) with
    ``createPageHTML(N, current, "index", "html");``; articles
    ``<column>/YYYYMM/tYYYYMMDD_<id>.html`` with government meta tags and the body
    in ``div.TRS_Editor``. 区政要闻 page 1 starts with 2 pinned ``<li class="top">``
    items. 通知公告 is GBK-encoded (meta charset=gb2312, the server sends plain
    ``text/html`` for it via ``_headers.json``). Holds the seed article.

``demo-yanqing`` (Hanweb, host ``yanqing.demo.govnews.test``)
    Columns ``/col/col1001/index.html`` 延庆要闻, ``/col/col1002/index.html`` 乡镇动态.
    Records in a ``<script type="text/xml"><datastore>`` (12 per page, page n >= 2 is
    ``index.html?uid=0&pageNum=n``, stored as ``index.html@uid=0&pageNum=n``); one pinned
    record on page 1; articles ``/art/YYYY/M/D/art_<col>_<id>.html``, body in
    ``div#zoom``, no meta tags, date only in the page text.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

# re-exported: tests/unit/test_demo_build.py and tests/bench/site.py read these from here
from crawler.demo.families.common import GBK_MARKERS  # noqa: F401
from crawler.demo.families.haidian import (HAIDIAN_HOST, _trs_body, build_haidian, haidian_article_page,  # noqa: F401
                                          haidian_articles, haidian_list_page, load_seed)
from crawler.demo.families.text import HD_STREETS  # noqa: F401
from crawler.demo.families.yanqing import YANQING_HOST, build_yanqing

HERE = Path(__file__).parent
WWW_DIR = HERE / "www"
EXPECTED_DIR = HERE / "expected"


def build(www: Path = WWW_DIR, expected_dir: Path = EXPECTED_DIR) -> list[dict]:
    """Regenerate both sites under ``www`` and their expectations under ``expected_dir``."""
    seed_title, seed_html = load_seed()
    for host in (HAIDIAN_HOST, YANQING_HOST):
        if (www / host).exists():
            shutil.rmtree(www / host)
    www.mkdir(parents=True, exist_ok=True)
    expected_dir.mkdir(parents=True, exist_ok=True)
    results = [build_haidian(www, seed_title, seed_html), build_yanqing(www)]
    for exp in results:
        bodies = exp.pop("_bodies")
        if len(set(bodies)) != len(bodies):
            raise AssertionError(f"{exp['slug']}: two demo articles share a body text")
        titles = [row["title"] for row in exp["articles"]]
        if len(set(titles)) != len(titles):
            raise AssertionError(f"{exp['slug']}: two demo articles share a title")
        (expected_dir / f"{exp['slug']}.json").write_text(
            json.dumps(exp, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo.build", description=__doc__.splitlines()[0])
    parser.add_argument("--www", type=Path, default=WWW_DIR)
    parser.add_argument("--expected", type=Path, default=EXPECTED_DIR)
    args = parser.parse_args(argv)
    results = build(args.www, args.expected)
    for exp in results:
        cols: dict[str, int] = {}
        for row in exp["articles"]:
            cols[row["column"]] = cols.get(row["column"], 0) + 1
        print(f"{exp['slug']}: {len(exp['articles'])} articles {cols}, {len(exp['list_pages'])} list pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
