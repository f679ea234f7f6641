"""Components their own setting switches off are left out of Scrapy's tables (crawler/settings.py,
SWITCHED_OFF_BY): Scrapy would import them, aiohttp and tldextract with them, before the first request."""

from __future__ import annotations

import subprocess
import sys

import pytest
from scrapy.utils.conf import build_component_list

from crawler.runner import crawl_settings
from crawler.settings import SWITCHED_OFF_BY


def _loaded(settings, table: str) -> list[str]:
    """The component paths Scrapy builds for ``table`` (what its MiddlewareManager reads)."""
    with_base = getattr(settings, "get_component_priority_dict_with_base", settings.getwithbase)  # Scrapy < 2.13
    return [c if isinstance(c, str) else f"{c.__module__}.{c.__name__}" for c in build_component_list(with_base(table))]


@pytest.mark.parametrize("flag", sorted(SWITCHED_OFF_BY))
def test_a_switched_off_component_is_not_loaded(flag):
    table, path = SWITCHED_OFF_BY[flag]
    settings = crawl_settings(None, extra={flag: False})
    assert path not in _loaded(settings, table)
    assert "crawler.extensions.RunRecorder" in _loaded(settings, "EXTENSIONS")  # govnews' own stay


@pytest.mark.parametrize("flag", sorted(SWITCHED_OFF_BY))
def test_switched_on_it_loads_as_usual(flag):
    table, path = SWITCHED_OFF_BY[flag]
    assert path in _loaded(crawl_settings(None, extra={flag: True}), table)


def test_the_defaults_switch_all_three_off():
    settings = crawl_settings(None)
    for flag, (table, path) in SWITCHED_OFF_BY.items():
        assert not settings.getbool(flag), flag
        assert path not in _loaded(settings, table)


def test_building_the_components_imports_neither_aiohttp_nor_tldextract():
    code = ("import sys\n"
            "from scrapy.utils.misc import load_object\n"
            "from scrapy.utils.conf import build_component_list\n"
            "from crawler.runner import crawl_settings\n"
            "s = crawl_settings(None)\n"
            "for table in ('EXTENSIONS', 'DOWNLOADER_MIDDLEWARES', 'SPIDER_MIDDLEWARES'):\n"
            "    with_base = getattr(s, 'get_component_priority_dict_with_base', s.getwithbase)\n"
            "    [load_object(c) for c in build_component_list(with_base(table))]\n"
            "print(sorted(m for m in ('aiohttp', 'tldextract') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out
