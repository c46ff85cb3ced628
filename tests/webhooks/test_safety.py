"""SSRF protection: URL rules on save, address checks at send time."""

from __future__ import annotations

import ipaddress

import pytest
from yarl import URL

from shiptrack.webhooks.safety import AddressPolicy, Resolver, UnsafeTarget, validate_url


@pytest.mark.parametrize(
    "url",
    ["https://example.com/hooks", "http://hooks.example.com:8080/a?b=1", "https://[2001:db8::1]/x"],
)
def test_valid_urls(url):
    assert str(validate_url(url)) == url


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "http:// or https://"),
        ("ftp://example.com/x", "http or https"),
        ("example.com/hooks", "http or https"),
        ("https:///path", "no host"),
        ("https://user:pw@example.com/x", "credentials"),
        ("https://example.com/x#frag", "fragment"),
        ("https://example.com/" + "a" * 2100, "2048"),
    ],
)
def test_invalid_urls(url, problem):
    with pytest.raises(UnsafeTarget, match=problem):
        validate_url(url)


@pytest.mark.parametrize(
    ("address", "public_only", "private_allowed"),
    [
        ("93.184.216.34", True, True),
        ("2606:2800:220:1:248:1893:25c8:1946", True, True),
        ("10.1.2.3", False, True),
        ("172.16.0.1", False, True),
        ("192.168.1.1", False, True),
        ("127.0.0.1", False, True),
        ("::1", False, True),
        ("169.254.169.254", False, True),
        ("fe80::1", False, True),
        ("100.64.0.1", False, True),
        ("::ffff:127.0.0.1", False, True),
        ("::ffff:93.184.216.34", True, True),
        ("0.0.0.0", False, False),
        ("224.0.0.1", False, False),
    ],
)
def test_address_policy(address, public_only, private_allowed):
    ip = ipaddress.ip_address(address)
    assert AddressPolicy().allows(ip) is public_only
    assert AddressPolicy(allow_private=True).allows(ip) is private_allowed


def test_allowed_networks():
    policy = AddressPolicy.from_settings(False, ["10.20.0.0/16"])
    assert policy.allows(ipaddress.ip_address("10.20.1.1"))
    assert not policy.allows(ipaddress.ip_address("10.21.1.1"))


async def test_loopback_is_refused_by_name_and_by_address():
    resolver = Resolver(AddressPolicy())
    for url in ("http://localhost:9/x", "http://127.0.0.1:9/x", "http://[::1]:9/x"):
        with pytest.raises(UnsafeTarget, match="private, loopback"):
            await resolver.target(URL(url))


async def test_target_pins_the_checked_address_and_keeps_the_host_name():
    resolver = Resolver(AddressPolicy(allow_private=True))
    target = await resolver.target(URL("http://localhost:8123/hooks?x=1"))
    assert target.address in ("127.0.0.1", "::1")
    assert target.host_header == "localhost:8123"
    assert target.connect_url.host == target.address
    assert target.connect_url.path_qs == "/hooks?x=1"
    assert target.server_hostname is None
    literal = await resolver.target(URL("https://127.0.0.1/hooks"))
    assert literal.connect_url == URL("https://127.0.0.1/hooks")
    assert literal.host_header == "127.0.0.1"


async def test_unresolvable_host_is_refused():
    resolver = Resolver(AddressPolicy())
    with pytest.raises(UnsafeTarget, match="cannot resolve"):
        await resolver.target(URL("http://no-such-host.invalid/x"))
