"""Which receiver addresses a webhook may reach when the operator has not allowed the host:
public ones only, also when an IPv6 address leads to an IPv4 one."""

from __future__ import annotations

import pytest

from app.domain.webhooks.receivers import ReceiverRefused, check_url, public_address


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "::",
        "fd00::1",
        "fe80::1%eth0",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not public_address(address)


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_pass(address: str) -> None:
    assert public_address(address)


def test_urls() -> None:
    allowed = frozenset({"localhost"})
    assert check_url("https://erp.example.vn/h", allowed) == "https://erp.example.vn/h"
    assert check_url("http://localhost:9000/h", allowed) == "http://localhost:9000/h"
    for refused in (
        "http://erp.example.vn/h",
        "ftp://erp.example.vn/",
        "https://u:p@erp.example.vn/",
        "https:///nohost",
    ):
        with pytest.raises(ReceiverRefused):
            check_url(refused, allowed)
