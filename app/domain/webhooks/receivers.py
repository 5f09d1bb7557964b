"""Which receiver URLs a subscription may use. A webhook makes the service send requests
wherever a caller points it, so by default only https to public addresses is allowed; the
operator lists hosts (e.g. localhost for tests) that may use http and private addresses."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from app.domain.errors import DomainError

MAX_URL_LENGTH = 2000


class ReceiverRefused(DomainError):
    code = "webhook-url-refused"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def check_url(url: str, allowed_hosts: frozenset[str]) -> str:
    """The URL if a subscription may use it; otherwise a refusal naming the field."""
    if len(url) > MAX_URL_LENGTH:
        raise ReceiverRefused(f"the URL is longer than {MAX_URL_LENGTH} characters", field="url")
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise ReceiverRefused("the URL has no host", field="url")
    if parts.username is not None or parts.password is not None:
        raise ReceiverRefused("the URL must not carry credentials", field="url")
    if parts.scheme == "https" or (parts.scheme == "http" and host in allowed_hosts):
        return url
    if parts.scheme == "http":
        raise ReceiverRefused(
            f"http is allowed only to hosts the operator lists; use https for {host}",
            field="url",
        )
    raise ReceiverRefused("the URL must be https", field="url")


# NAT64 (RFC 6052): the last 32 bits are an IPv4 address the translator reaches.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to (mapped, 6to4, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def public_address(address: str) -> bool:
    """True for an address on the public internet (not loopback, private, link-local,
    multicast, reserved or unspecified), also for the IPv4 address an IPv6 one leads to
    (`::ffff:127.0.0.1`, `64:ff9b::a00:1` through NAT64, `2002:7f00:1::` through 6to4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if not ip.is_global or ip.is_multicast:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return inner.is_global and not inner.is_multicast
    return True
