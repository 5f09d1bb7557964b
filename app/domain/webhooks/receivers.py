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


def public_address(address: str) -> bool:
    """True for an address on the public internet (not loopback, private, link-local,
    multicast, reserved or unspecified)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast
