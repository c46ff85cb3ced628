"""SSRF protection: URL rules on save, address checks at send time."""

from __future__ import annotations

import ipaddress

import pytest
from yarl import URL

from shiptrack.webhooks.safety import (
    AddressPolicy,
    Resolver,
    UnsafeTarget,
    embedded_ipv4,
    validate_url,
)

PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"


def teredo(server: str, client: str) -> str:
    """A Teredo address (RFC 4380): 2001:0::/32, the server, flags and port, then the client
    address with every bit inverted."""
    value = (0x2001_0000 << 96) | (int(ipaddress.IPv4Address(server)) << 64)
    value |= int(ipaddress.IPv4Address(client)) ^ 0xFFFF_FFFF
    return str(ipaddress.IPv6Address(value))


@pytest.mark.parametrize(
    "url",
    ["https://example.com/hooks", "http://hooks.example.com:8080/a?b=1", "https://[2001:db8::1]/x"],
)
def test_valid_urls(url):
    assert str(validate_url(url)) == url


def test_longest_url_accepted():
    url = "https://example.com/" + "a" * 2028
    assert len(url) == 2048
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
        ("https://example.com/" + "a" * 2029, "2048"),  # 2,049 characters
        ("https://:pw@example.com/x", "credentials"),
        ("https://user@example.com/x", "credentials"),
        ("//example.com/x", "not 'nothing'"),
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


#: Every IPv6 form that carries an IPv4 address, each with a non-global IPv4 (refused) and
#: a public one (judged as that public address: allowed).
EMBEDDING_FORMS = [
    ("mapped", "::ffff:{}"),
    ("compatible", "::{}"),
    ("translated", "::ffff:0:{}"),
    ("nat64", "64:ff9b::{}"),
]
NON_GLOBAL_V4 = ["169.254.169.254", "10.0.0.1", "127.0.0.1", "192.168.1.1", "100.64.0.1"]


@pytest.mark.parametrize(("form", "template"), EMBEDDING_FORMS)
@pytest.mark.parametrize("inner", NON_GLOBAL_V4)
def test_ipv6_forms_of_non_global_ipv4_are_refused(form, template, inner):
    address = ipaddress.ip_address(template.format(inner))
    assert embedded_ipv4(address) == (ipaddress.IPv4Address(inner),)
    assert not AddressPolicy().allows(address), form
    assert AddressPolicy(allow_private=True).allows(address)
    assert AddressPolicy.from_settings(False, [f"{inner}/32"]).allows(address)


@pytest.mark.parametrize(("form", "template"), EMBEDDING_FORMS)
def test_ipv6_forms_of_a_public_ipv4_are_judged_by_it(form, template):
    address = ipaddress.ip_address(template.format(PUBLIC_V4))
    assert embedded_ipv4(address) == (ipaddress.IPv4Address(PUBLIC_V4),)
    assert AddressPolicy().allows(address), form


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254
        ("2002:0a00:0001:1::5", False),  # 6to4 of 10.0.0.1
        ("2002:5db8:d822::1", True),  # 6to4 of 93.184.216.34
        (teredo(PUBLIC_V4, "10.0.0.1"), False),  # Teredo client private
        (teredo(PUBLIC_V4, "169.254.169.254"), False),
        (teredo("10.0.0.1", PUBLIC_V4), False),  # Teredo server private
        (teredo(PUBLIC_V4, "8.8.8.8"), True),  # both public
        ("64:ff9b:1::5db8:d822", False),  # local-use NAT64: never public, whatever it holds
        ("64:ff9b:1:ffff::1", False),
        ("::", False),  # IPv4-compatible 0.0.0.0: unspecified
        ("::ffff:0.0.0.0", False),
        ("::ffff:224.0.0.1", False),
        # Just outside each prefix: plain IPv6, judged as such.
        ("64:ff9b::1:a9fe:a9fe", True),
        ("64:ff9b:2::a9fe:a9fe", True),
        ("2003:a9fe:a9fe::1", True),
    ],
)
def test_6to4_teredo_and_nat64_local_use(address, allowed):
    assert AddressPolicy().allows(ipaddress.ip_address(address)) is allowed


def test_embedded_addresses_of_each_form():
    assert embedded_ipv4(ipaddress.IPv6Address("2002:a9fe:a9fe::1")) == (
        ipaddress.IPv4Address("169.254.169.254"),
    )
    assert embedded_ipv4(ipaddress.IPv6Address(teredo("8.8.8.8", "10.0.0.1"))) == (
        ipaddress.IPv4Address("8.8.8.8"),
        ipaddress.IPv4Address("10.0.0.1"),
    )
    assert embedded_ipv4(ipaddress.IPv6Address(PUBLIC_V6)) == ()
    assert embedded_ipv4(ipaddress.IPv6Address("64:ff9b::1:a9fe:a9fe")) == ()


def test_allowed_networks_and_private_switch_cover_nat64_local_use():
    address = ipaddress.ip_address("64:ff9b:1::a00:1")
    assert AddressPolicy.from_settings(False, ["64:ff9b:1::/48"]).allows(address)
    assert AddressPolicy(allow_private=True).allows(address)
    assert not AddressPolicy.from_settings(False, ["64:ff9b:2::/48"]).allows(address)


def test_allowed_networks():
    policy = AddressPolicy.from_settings(False, ["10.20.0.0/16"])
    assert policy.allows(ipaddress.ip_address("10.20.1.1"))
    assert not policy.allows(ipaddress.ip_address("10.21.1.1"))
    # Host bits set, as people write them: taken as the network.
    loose = AddressPolicy.from_settings(False, ["10.20.1.0/16"])
    assert loose.allows(ipaddress.ip_address("10.20.200.1"))


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
    assert literal.server_hostname is None  # no SNI for an address


async def test_unresolvable_host_is_refused():
    resolver = Resolver(AddressPolicy())
    with pytest.raises(UnsafeTarget, match="cannot resolve"):
        await resolver.target(URL("http://no-such-host.invalid/x"))


class FixedLookup:
    """A resolver answer chosen by the test (in place of DNS), recording its calls."""

    def __init__(self, *addresses: str, error: OSError | None = None) -> None:
        self.addresses = list(addresses)
        self.error = error
        self.asked: list[tuple[str, int]] = []

    @property
    def calls(self) -> int:
        return len(self.asked)

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append((host, port))
        if self.error is not None:
            raise self.error
        return list(self.addresses)


@pytest.mark.parametrize(
    "answer",
    [
        (PUBLIC_V4, "10.0.0.5"),
        ("10.0.0.5", PUBLIC_V4),
        (PUBLIC_V4, PUBLIC_V6, "10.0.0.5"),
        (PUBLIC_V6, "::ffff:10.0.0.5"),
        (PUBLIC_V4, "64:ff9b::10.0.0.5"),
    ],
)
async def test_a_host_with_any_non_global_address_is_refused(answer):
    """One private address among public ones is enough (a DNS answer can mix them to reach
    an internal service on the connection attempt that picks it)."""
    resolver = Resolver(AddressPolicy(), lookup=FixedLookup(*answer))
    refused = r"resolves to [0-9a-f:.]*(10\.0\.0\.5|a00:5 \(IPv4 10\.0\.0\.5\))"
    with pytest.raises(UnsafeTarget, match=refused):
        await resolver.target(URL("https://hooks.example.com/x"))


async def test_a_host_with_only_public_addresses_goes_to_the_first():
    lookup = FixedLookup(PUBLIC_V4, PUBLIC_V6, PUBLIC_V4)
    resolver = Resolver(AddressPolicy(), lookup=lookup)
    target = await resolver.target(URL("https://hooks.example.com:8443/x?y=1"))
    assert target.address == PUBLIC_V4
    assert target.connect_url == URL(f"https://{PUBLIC_V4}:8443/x?y=1")
    assert target.host_header == "hooks.example.com:8443"
    assert target.server_hostname == "hooks.example.com"
    # The answer is reused for the TTL: one lookup.
    await resolver.target(URL("https://hooks.example.com:8443/other"))
    assert lookup.calls == 1


async def test_scoped_and_empty_answers():
    scoped = Resolver(AddressPolicy(), lookup=FixedLookup("fe80::1%eth0"))
    with pytest.raises(UnsafeTarget, match="fe80::1"):
        await scoped.target(URL("http://hooks.example.com/x"))
    empty = Resolver(AddressPolicy(), lookup=FixedLookup())
    with pytest.raises(UnsafeTarget, match="has no address"):
        await empty.target(URL("http://hooks.example.com/x"))


@pytest.mark.parametrize(
    "host",
    [
        "[::a9fe:a9fe]",
        "[::169.254.169.254]",
        "[::ffff:0:a9fe:a9fe]",
        "[::ffff:169.254.169.254]",
        "[64:ff9b::a9fe:a9fe]",
        "[64:ff9b:1::5db8:d822]",
        "[2002:a9fe:a9fe::1]",
        f"[{teredo(PUBLIC_V4, '169.254.169.254')}]",
    ],
)
async def test_literal_ipv6_forms_are_refused_at_send(host):
    lookup = FixedLookup(PUBLIC_V4)
    resolver = Resolver(AddressPolicy(), lookup=lookup)
    with pytest.raises(UnsafeTarget, match="private, loopback"):
        await resolver.target(URL(f"http://{host}/hook"))
    assert lookup.calls == 0  # a literal is never looked up


async def test_ports_and_host_headers():
    lookup = FixedLookup(PUBLIC_V4)
    resolver = Resolver(AddressPolicy(), lookup=lookup)
    await resolver.target(URL("http://hooks.example.com/x"))
    await resolver.target(URL("https://hooks.example.com/x"))
    await resolver.target(URL("https://hooks.example.com:8443/x"))
    assert lookup.asked == [
        ("hooks.example.com", 80),
        ("hooks.example.com", 443),
        ("hooks.example.com", 8443),
    ]
    international = await resolver.target(URL("https://bücher.example/x"))
    assert international.host_header == "xn--bcher-kva.example"
    assert international.server_hostname == "bücher.example"
    v6 = await resolver.target(URL(f"https://[{PUBLIC_V6}]:8443/x"))
    assert v6.host_header == f"[{PUBLIC_V6}]:8443"
    assert v6.server_hostname is None
    assert v6.connect_url == URL(f"https://[{PUBLIC_V6}]:8443/x")
    assert (await resolver.target(URL(f"http://[{PUBLIC_V6}]/x"))).host_header == f"[{PUBLIC_V6}]"


async def test_lookup_failures_say_why():
    named = Resolver(AddressPolicy(), lookup=FixedLookup(error=OSError(-2, "Name not known")))
    with pytest.raises(UnsafeTarget, match=r"cannot resolve hooks\.example\.com: Name not known$"):
        await named.target(URL("http://hooks.example.com/x"))
    bare = Resolver(AddressPolicy(), lookup=FixedLookup(error=OSError("no route")))
    with pytest.raises(UnsafeTarget, match=r"cannot resolve hooks\.example\.com: no route$"):
        await bare.target(URL("http://hooks.example.com/x"))


async def test_answers_and_targets_are_reused_for_the_ttl_only():
    now = [1000.0]
    lookup = FixedLookup(PUBLIC_V4)
    resolver = Resolver(AddressPolicy(), lookup=lookup, clock=lambda: now[0])
    first = await resolver.target_for("https://hooks.example.com/a")
    assert await resolver.target_for("https://hooks.example.com/a") is first
    now[0] += 29.9
    assert await resolver.target_for("https://hooks.example.com/a") is first
    await resolver.target(URL("https://hooks.example.com/b"))  # the answer is cached too
    assert lookup.calls == 1
    now[0] += 0.1  # 30 s: both expired
    again = await resolver.target_for("https://hooks.example.com/a")
    assert again is not first
    assert again == first
    assert lookup.calls == 2
    # A changed answer is seen once the TTL has passed.
    lookup.addresses = ["10.0.0.9"]
    now[0] += 30
    with pytest.raises(UnsafeTarget, match=r"10\.0\.0\.9"):
        await resolver.target_for("https://hooks.example.com/a")


async def test_caches_drop_the_oldest_entry_past_their_bound():
    lookup = FixedLookup(PUBLIC_V4)
    resolver = Resolver(AddressPolicy(), lookup=lookup, clock=lambda: 0.0, max_entries=2)
    for host in ("a.example", "b.example", "c.example"):
        await resolver.target_for(f"https://{host}/x")
    assert lookup.calls == 3
    await resolver.target_for("https://c.example/x")
    await resolver.target_for("https://b.example/x")
    assert lookup.calls == 3  # still cached
    await resolver.target_for("https://a.example/x")
    assert lookup.calls == 4  # dropped: looked up again


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("  ", "url must be an http:// or https:// URL, e.g. https://example.com/hook"),
        ("http://[::1/x", "url 'http://[::1/x' is not a valid URL"),
        ("https://example.com:99999/x", "url 'https://example.com:99999/x' is not a valid URL"),
        ("https:///path", "url has no host name"),
        (
            "https://user:pw@example.com/x",
            "url must not hold credentials (user:password@); the request carries the webhook "
            "secret in its Authorization header and signature",
        ),
        ("https://example.com/x#frag", "url must not have a #fragment"),
        (
            # 1,120 characters as typed, 6,620 once each é is percent-encoded (%C3%A9).
            "https://example.com/" + "é" * 1100,
            "url is 6620 characters long once encoded (IDNA host name, percent-encoded path "
            "and query); the limit is 2048",
        ),
    ],
)
def test_invalid_urls_say_exactly_what_to_fix(url, message):
    """The messages reach the client as the 400's text: each names the problem and the fix."""
    with pytest.raises(UnsafeTarget) as caught:
        validate_url(url)
    assert str(caught.value) == message


def test_policy_from_settings():
    assert AddressPolicy.from_settings(True, []).allows(ipaddress.ip_address("10.1.2.3"))
    assert not AddressPolicy.from_settings(False, []).allows(ipaddress.ip_address("10.1.2.3"))
    # A network written with host bits set is taken as its network.
    policy = AddressPolicy.from_settings(False, ["10.1.2.3/16"])
    assert policy.allowed_networks == (ipaddress.ip_network("10.1.0.0/16"),)


async def test_the_refusal_names_the_address_and_the_settings_that_allow_it():
    resolver = Resolver(AddressPolicy(), lookup=FixedLookup(PUBLIC_V4, "10.0.0.5"))
    with pytest.raises(UnsafeTarget) as caught:
        await resolver.target(URL("https://hooks.example.com/x"))
    assert str(caught.value) == (
        "hooks.example.com resolves to 10.0.0.5, a private, loopback, link-local or reserved "
        "address; webhooks go to public addresses only (operators can allow networks with "
        "SHIPTRACK_WEBHOOK_ALLOWED_NETWORKS or SHIPTRACK_WEBHOOK_ALLOW_PRIVATE)"
    )


async def test_a_refused_teredo_address_shows_both_ipv4_addresses():
    address = teredo("10.0.0.1", PUBLIC_V4)
    resolver = Resolver(AddressPolicy(), lookup=FixedLookup(address))
    with pytest.raises(
        UnsafeTarget, match=rf"resolves to {address} \(IPv4 10\.0\.0\.1, {PUBLIC_V4}\), a"
    ):
        await resolver.target(URL("https://hooks.example.com/x"))


async def test_a_scoped_answer_is_judged_without_its_interface():
    resolver = Resolver(AddressPolicy(), lookup=FixedLookup("fe80::1%eth0"))
    with pytest.raises(UnsafeTarget, match=r"resolves to fe80::1, a private"):
        await resolver.target(URL("http://hooks.example.com/x"))


async def test_a_url_without_host_is_refused_at_send():
    with pytest.raises(UnsafeTarget, match=r"^url has no host name$"):
        await Resolver(AddressPolicy(allow_private=True)).target(URL("/relative/path"))


async def test_system_lookup_answers_each_address_once():
    """One entry per address (stream sockets only), not one per socket type."""
    from shiptrack.webhooks.safety import _getaddrinfo

    found = await _getaddrinfo("localhost", 80)
    assert found
    assert len(found) == len(set(found))
