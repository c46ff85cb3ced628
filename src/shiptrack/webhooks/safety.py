"""Where webhooks may go: URL rules on save, address checks at send time (SSRF protection).

A webhook URL is the account's to choose, so it could point at the server's own network
(``http://169.254.169.254/`` metadata services, ``localhost`` admin ports, a private database).
Every send resolves the host and refuses it unless *every* address is public (or inside an
allowed network, or ``allow_private`` is on): one private address among public ones is enough
to refuse. The request then goes to the checked address (the URL's host stays in ``Host`` and
in TLS SNI/certificate checks), so a DNS answer that changes between the check and the
connection cannot redirect it. Redirects are never followed.

IPv6 addresses that stand for an IPv4 address are judged by that IPv4 address (all of them,
for Teredo's two): IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``,
IPv4-translated ``::ffff:0:a.b.c.d``, NAT64 ``64:ff9b::a.b.c.d``, 6to4 ``2002:AABB:CCDD::/48``
and Teredo ``2001:0:SSSS:SSSS:…:CCCC:CCCC`` (server, and client with its bits inverted). The
local-use NAT64 prefix ``64:ff9b:1::/48`` (RFC 8215, where the IPv4 address may sit at several
offsets) is never public.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from yarl import URL


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: Longest webhook URL, as stored and sent (the column's width).
MAX_URL_LENGTH = 2048

#: How long a resolved address list is reused.
RESOLVE_TTL_SECONDS = 30.0

#: IPv6 /96 prefixes whose last 32 bits are an IPv4 address: IPv4-compatible (RFC 4291),
#: IPv4-translated (RFC 2765) and the well-known NAT64 prefix (RFC 6052). IPv4-mapped
#: ``::ffff:0:0/96``, 6to4 and Teredo have ``ipaddress`` properties of their own.
IPV4_SUFFIX_PREFIXES = (
    ipaddress.IPv6Network("::/96"),
    ipaddress.IPv6Network("::ffff:0:0:0/96"),
    ipaddress.IPv6Network("64:ff9b::/96"),
)
#: Local-use NAT64 (RFC 8215): translates to whatever IPv4 network the operator routes.
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")

#: Resolves ``(host, port)`` to its addresses (``loop.getaddrinfo`` by default).
Lookup = Callable[[str, int], Awaitable[list[str]]]


class UnsafeTarget(Exception):
    """The URL is malformed, or its host resolves to an address that is not allowed."""


def validate_url(raw: str) -> URL:
    """Syntax rules for a webhook URL; raises ``UnsafeTarget`` saying what to fix."""
    if not isinstance(raw, str) or not raw.strip():
        raise UnsafeTarget("url must be an http:// or https:// URL, e.g. https://example.com/hook")
    raw = raw.strip()
    if len(raw) > MAX_URL_LENGTH:
        raise UnsafeTarget(f"url is longer than {MAX_URL_LENGTH} characters")
    from yarl import URL  # here: imported with aiohttp's stack, when webhooks are used

    try:
        url = URL(raw)
    except (ValueError, TypeError):
        raise UnsafeTarget(f"url {raw!r} is not a valid URL") from None
    if url.scheme not in ("http", "https"):
        raise UnsafeTarget(f"url must use http or https, not {url.scheme or 'nothing'!r}")
    if not url.host:
        raise UnsafeTarget("url has no host name")
    if url.user is not None or url.password is not None:
        raise UnsafeTarget(
            "url must not hold credentials (user:password@); the request carries the webhook "
            "secret in its Authorization header and signature"
        )
    if url.fragment:
        raise UnsafeTarget("url must not have a #fragment")
    # The stored and sent form is encoded (IDNA host, percent-encoded path): it may be longer.
    encoded = len(str(url))
    if encoded > MAX_URL_LENGTH:
        raise UnsafeTarget(
            f"url is {encoded} characters long once encoded (IDNA host name, percent-encoded "
            f"path and query); the limit is {MAX_URL_LENGTH}"
        )
    return url


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    allow_private: bool = False
    allowed_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def from_settings(cls, allow_private: bool, networks: Sequence[str]) -> AddressPolicy:
        return cls(allow_private, tuple(ipaddress.ip_network(n, strict=False) for n in networks))

    def allows(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address):
            embedded = embedded_ipv4(address)
            if embedded:
                return all(self.allows(ipv4) for ipv4 in embedded)
        if address.is_unspecified or address.is_multicast:
            return False
        if self.allow_private:
            return True
        if any(address in network for network in self.allowed_networks):
            return True
        # ``is_global`` is false for private, loopback, link-local, CGNAT (100.64/10),
        # documentation, benchmarking and reserved ranges alike.
        return address.is_global and address not in NAT64_LOCAL_USE


def embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address stands for (none for a plain IPv6 address)."""
    if address.ipv4_mapped is not None:
        return (address.ipv4_mapped,)
    if any(address in prefix for prefix in IPV4_SUFFIX_PREFIXES):
        return (ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF),)
    if address.sixtofour is not None:
        return (address.sixtofour,)
    if address.teredo is not None:
        return address.teredo
    return ()


@dataclass(frozen=True, slots=True)
class Target:
    """Where to connect for a URL: the checked address, and the name for Host/SNI."""

    address: str
    host_header: str
    server_hostname: str | None
    #: ``url`` with the checked address as its host.
    connect_url: URL


def _literal(host: str) -> IPAddress | None:
    """The address ``host`` spells (yarl's ``URL.host`` holds IPv6 without brackets)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def _getaddrinfo(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class Resolver:
    """Resolves and checks hosts, caching answers for ``RESOLVE_TTL_SECONDS``; each cache
    keeps at most ``max_entries``, dropping the least recently stored first."""

    def __init__(
        self,
        policy: AddressPolicy,
        lookup: Lookup | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = 10_000,
    ) -> None:
        self.policy = policy
        self.lookup = lookup or _getaddrinfo
        self.clock = clock
        self.max_entries = max_entries
        self._cache: OrderedDict[tuple[str, int], tuple[float, list[IPAddress]]] = OrderedDict()
        self._targets: OrderedDict[str, tuple[float, Target]] = OrderedDict()

    def _remember(self, store: OrderedDict[K, tuple[float, V]], key: K, value: V) -> None:
        store[key] = (self.clock() + RESOLVE_TTL_SECONDS, value)
        store.move_to_end(key)
        while len(store) > self.max_entries:
            store.popitem(last=False)

    def _recall(self, store: OrderedDict[K, tuple[float, V]], key: K) -> V | None:
        cached = store.get(key)
        return cached[1] if cached is not None and cached[0] > self.clock() else None

    async def target_for(self, url: str) -> Target:
        """``target(URL(url))``, reusing the checked target of a URL for the resolve TTL
        (parsing and checking cost ~0.3 ms a delivery on a 2-core machine)."""
        target = self._recall(self._targets, url)
        if target is None:
            from yarl import URL

            target = await self.target(URL(url))
            self._remember(self._targets, url, target)
        return target

    async def _addresses(self, host: str, port: int) -> list[IPAddress]:
        literal = _literal(host)
        if literal is not None:
            return [literal]
        addresses = self._recall(self._cache, (host, port))
        if addresses is not None:
            return addresses
        try:
            found = await self.lookup(host, port)
        except OSError as exc:
            raise UnsafeTarget(f"cannot resolve {host}: {exc.strerror or exc}") from None
        # A link-local answer may carry its interface (``fe80::1%eth0``).
        addresses = [ipaddress.ip_address(text.partition("%")[0]) for text in found]
        if not addresses:
            raise UnsafeTarget(f"{host} has no address")
        self._remember(self._cache, (host, port), addresses)
        return addresses

    async def target(self, url: URL) -> Target:
        """The checked connection target for ``url``; raises ``UnsafeTarget``."""
        host, host_header = url.host, url.raw_host  # raw: IDNA-encoded (xn--…) names
        if not host or not host_header:
            raise UnsafeTarget("url has no host name")
        port = url.port or 0  # yarl fills in 80 and 443 for http and https
        addresses = await self._addresses(host, port)
        refused = [a for a in addresses if not self.policy.allows(a)]
        if refused:
            shown = str(refused[0])
            if isinstance(refused[0], ipaddress.IPv6Address) and embedded_ipv4(refused[0]):
                shown += f" (IPv4 {', '.join(map(str, embedded_ipv4(refused[0])))})"
            raise UnsafeTarget(
                f"{host} resolves to {shown}, a private, loopback, link-local or reserved "
                "address; webhooks go to public addresses only (operators can allow networks "
                "with SHIPTRACK_WEBHOOK_ALLOWED_NETWORKS or SHIPTRACK_WEBHOOK_ALLOW_PRIVATE)"
            )
        chosen = str(addresses[0])
        if ":" in host_header:  # an IPv6 literal, which yarl holds without brackets
            host_header = f"[{host_header}]"
        if url.explicit_port is not None:
            host_header += f":{url.explicit_port}"
        literal = _literal(host) is not None
        return Target(
            address=chosen,
            host_header=host_header,
            server_hostname=host if url.scheme == "https" and not literal else None,
            connect_url=url.with_host(chosen),
        )
