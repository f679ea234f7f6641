"""The address check alone: every refused range, without opening any connection."""

from __future__ import annotations

import pytest

from crawler.resolver import address_refusal, is_special_use, parse_allowed

REFUSED = [
    ("127.0.0.1", "loopback"), ("127.0.0.2", "loopback"), ("::1", "loopback"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("fd00::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("100.64.0.1", "cgnat"), ("100.127.255.254", "cgnat"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"), ("192.0.2.10", "private"),
    ("198.18.0.1", "private"), ("224.0.0.1", "multicast"),
    ("::ffff:10.0.0.1", "private"), ("::ffff:127.0.0.1", "loopback"),
]


@pytest.mark.parametrize("address,why", REFUSED)
def test_refused(address, why):
    assert address_refusal(address) == why


@pytest.mark.parametrize("address", ["220.181.38.148", "114.114.114.114", "2400:3200::1", "100.128.0.1",
                                     "100.63.255.255"])
def test_global_addresses_pass(address):
    assert address_refusal(address) is None


def test_allow_list_opens_exactly_what_it_names():
    allowed = parse_allowed(["127.0.0.1", "10.1.0.0/16"])
    assert address_refusal("127.0.0.1", allowed) is None
    assert address_refusal("127.0.0.2", allowed) == "loopback"
    assert address_refusal("10.1.2.3", allowed) is None
    assert address_refusal("10.2.0.1", allowed) == "private"
    assert address_refusal("::ffff:127.0.0.1", allowed) is None


def test_bad_allow_entry_is_an_error():
    with pytest.raises(ValueError):
        parse_allowed(["not-an-address"])


def test_special_use_names_never_reach_dns():
    assert is_special_use("haidian.demo.govnews.test") and is_special_use("nowhere.invalid")
    assert is_special_use("localhost") and not is_special_use("www.bjhd.gov.cn")
