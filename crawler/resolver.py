"""The address guard: no download may connect to a loopback, private, link-local,
CGNAT or reserved address unless ``GOVNEWS_ALLOW_ADDRESSES`` names it.

Two places enforce it:

- :class:`GuardedResolver` (``TWISTED_DNS_RESOLVER``) checks every address a
  host name resolves to at connection time, so a district host that resolves
  (or re-resolves) to 10.x is refused.
- :class:`crawler.middlewares.AddressGuardMiddleware` checks IP-literal URLs
  and proxies before a request is sent, and tells refusals from DNS errors
  with :func:`refusal_for`.

Names under the special-use domains ``.test``, ``.invalid``, ``.localhost``
and ``.example`` are never sent to DNS: they resolve only through
``GOVNEWS_HOSTS`` (a name -> address map, for tests) or not at all.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

CGNAT = ipaddress.ip_network("100.64.0.0/10")
SPECIAL_USE_SUFFIXES = (".test", ".invalid", ".localhost", ".example")

#: host name -> why its address was refused (filled by the resolver, read by the middleware)
_REFUSED: dict[str, str] = {}


def parse_allowed(entries: Iterable[str]) -> tuple[Network, ...]:
    """``["127.0.0.1", "10.1.0.0/16"]`` -> networks. Raises ValueError on a bad entry."""
    return tuple(ipaddress.ip_network(str(e).strip(), strict=False) for e in entries if str(e).strip())


def address_refusal(address: str | IPAddress, allowed: Iterable[Network] = ()) -> str | None:
    """Why a connection to ``address`` must be refused ("loopback", "private", ...), or None.

    Only globally routable unicast addresses pass, plus whatever ``allowed`` names.
    An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
    """
    try:
        ip = ipaddress.ip_address(address) if not isinstance(address, (ipaddress.IPv4Address,
                                                                        ipaddress.IPv6Address)) else address
    except ValueError:
        return "not an address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in net for net in allowed if net.version == ip.version):
        return None
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT:
        return "cgnat"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "reserved"
    return None


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def is_special_use(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(SPECIAL_USE_SUFFIXES)


def refusal_for(host: str | None) -> str | None:
    """Why the resolver refused ``host``'s address, if it did."""
    return _REFUSED.get((host or "").lower().rstrip("."))


def _remember(host: str, reason: str) -> None:
    if len(_REFUSED) > 10_000:
        _REFUSED.clear()
    _REFUSED[host.lower().rstrip(".")] = reason


class AddressRefused(DNSLookupError):
    """The host resolved to an address the guard refuses."""


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, plus the address guard and a local hosts map.

    Settings (read from the process settings): ``GOVNEWS_ALLOW_ADDRESSES``
    (addresses or networks a download may connect to although they are not
    global), ``GOVNEWS_HOSTS`` (name -> address, answered without DNS), and
    ``GOVNEWS_VIA``: the configured proxy is trusted.
    """

    def __init__(self, reactor, cache_size: int, timeout: float, allowed: tuple[Network, ...] = (),
                 hosts: Mapping[str, str] | None = None, trusted: Iterable[str] = ()) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.allowed = allowed
        self.trusted = {t.lower().rstrip(".") for t in trusted}
        self.hosts = {k.lower().rstrip("."): v for k, v in (hosts or {}).items()}

    @classmethod
    def from_crawler(cls, crawler, reactor):
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        allowed = parse_allowed(settings.getlist("GOVNEWS_ALLOW_ADDRESSES"))
        via_host = urlsplit(settings.get("GOVNEWS_VIA") or "").hostname
        trusted = ()
        if via_host and is_ip_literal(via_host):
            allowed += parse_allowed([via_host])  # the configured proxy is the operator's opt-in
        elif via_host:
            trusted = (via_host,)
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), allowed,
                   settings.getdict("GOVNEWS_HOSTS"), trusted)

    def getHostByName(self, name: str, timeout=()):
        key = name.lower().rstrip(".")
        if key in self.hosts:
            d = defer.succeed(self.hosts[key])
        elif is_special_use(key) and not is_ip_literal(key):
            return defer.fail(DNSLookupError(f"{name}: special-use name, not looked up"))
        else:
            d = super().getHostByName(name, timeout)
        return d.addCallback(self._check, key)

    def _check(self, address: str, name: str) -> str:
        reason = None if name in self.trusted else address_refusal(address, self.allowed)
        if reason:
            _remember(name, f"{name} resolves to {address} ({reason})")
            logger.info("address guard: refused %s -> %s (%s)", name, address, reason)
            raise AddressRefused(f"{name} resolves to {address} ({reason})")
        return address
