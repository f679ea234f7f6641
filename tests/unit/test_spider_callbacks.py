"""The check Scrapy makes per response, made once here: no spider callback is a generator that
``return``s a value (its items would be lost). crawler/settings.py turns Scrapy's per-response
check off (WARN_ON_GENERATOR_RETURN_VALUE = False: it parsed each callback's source every time)."""

from __future__ import annotations

import inspect

import pytest
from scrapy.utils.misc import is_generator_with_return_value

from crawler import settings
from crawler.spiders.check_site import CheckSiteSpider
from crawler.spiders.discover import DiscoverSpider
from crawler.spiders.district_news import DistrictNewsSpider

SPIDERS = [DistrictNewsSpider, CheckSiteSpider, DiscoverSpider]


def generator_methods(cls) -> list:
    return [f for _, f in inspect.getmembers(cls, inspect.isfunction)
            if inspect.isgeneratorfunction(f) and f.__module__ == cls.__module__]


@pytest.mark.parametrize("spider", SPIDERS, ids=lambda c: c.__name__)
def test_no_callback_returns_a_value_from_a_generator(spider):
    methods = generator_methods(spider)
    assert methods, f"{spider.__name__} has no generator callbacks to check"
    bad = [f.__name__ for f in methods if is_generator_with_return_value(f)]
    assert bad == []


def test_the_check_sees_a_return_value():
    """The same function finds one where it is (the test above could not pass by finding nothing)."""
    def callback(self, response):
        yield {"url": response.url}
        return 3

    assert is_generator_with_return_value(callback)


def test_scrapy_per_response_check_is_off_under_govnews_settings():
    assert settings.WARN_ON_GENERATOR_RETURN_VALUE is False
