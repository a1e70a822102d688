"""Which webhook URLs and addresses may be called: the rule that keeps webhooks out of the
server's own network. Pure: no Django imports.

A URL is checked by resolving its host and checking *every* address; the sender then connects
to the first checked address itself, so a second lookup (DNS rebinding) never happens.
"""

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

# Cloud metadata services not already covered by link-local (169.254/16, fe80::/10).
_METADATA = (
    ipaddress.ip_network("100.100.100.200/32"),  # Alibaba
    ipaddress.ip_network("fd00:ec2::254/128"),  # AWS IPv6
)
# Carrier-grade NAT and benchmarking ranges: not "private" to ipaddress everywhere, never public.
_SHARED = (ipaddress.ip_network("100.64.0.0/10"), ipaddress.ip_network("198.18.0.0/15"))


class RefusedURL(ValueError):
    """The URL may not be called; the message says why."""


@dataclass(frozen=True)
class Target:
    """Where to connect: the URL's scheme, host (for Host and TLS), port, and a checked address."""

    scheme: str
    host: str
    port: int
    address: str


def address_refusal(address: IPAddress) -> str | None:
    """Why ``address`` is refused, or None when it is a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            reason = address_refusal(embedded)
            return f"maps {embedded}, which {reason}" if reason else None
    checks = (
        (address.is_unspecified, "is unspecified"),
        (address.is_loopback, "is loopback"),
        (address.is_link_local, "is link-local"),
        (address.is_multicast, "is multicast"),
        (any(address in net for net in _METADATA), "is a cloud metadata address"),
        (address.is_private, "is private"),
        (any(address in net for net in _SHARED), "is shared or benchmarking space"),
        (address.is_reserved, "is reserved"),
        (not address.is_global, "is not a public address"),
    )
    for refused, reason in checks:
        if refused:
            return reason
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL; RefusedURL for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise RefusedURL(f"not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise RefusedURL("only http and https URLs are allowed")
    if not parts.hostname:
        raise RefusedURL("the URL has no host")
    if parts.username or parts.password:
        raise RefusedURL("credentials in the URL are not allowed")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def resolve_target(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> Target:
    """The checked address to connect to for ``url``; RefusedURL naming why if any is refused."""
    scheme, host, port = split_url(url)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = list(resolver(host, port))
        except (OSError, UnicodeError) as error:
            raise RefusedURL(f"the host {host} does not resolve ({error})") from None
        if not addresses:
            raise RefusedURL(f"the host {host} does not resolve")
    if not allow_private:
        for text in addresses:
            reason = address_refusal(ipaddress.ip_address(text.split("%", 1)[0]))
            if reason:
                raise RefusedURL(f"the address {text} of {host} {reason}")
    return Target(scheme=scheme, host=host, port=port, address=addresses[0].split("%", 1)[0])
