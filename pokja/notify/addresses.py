"""Where a webhook may be sent (issue 9): a URL's host is resolved once, every address it
resolves to must be public (not loopback, private, link-local, shared, multicast or reserved)
unless private networks are allowed, and the delivery connects to the address that was
checked, never resolving the name a second time (no DNS-rebinding window between the check
and the connection).

:func:`resolve` is the one place names are looked up; tests patch it.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

SCHEMES = ("http", "https")


class UnsafeURL(ValueError):
    """The URL must not be called; the message says why."""


class Unresolvable(UnsafeURL):
    """The host does not resolve (now): nothing can be sent to it, and nothing checked."""


@dataclass(frozen=True)
class Target:
    """A checked URL: connect to ``address`` and speak to ``host`` (Host header, TLS SNI)."""

    scheme: str
    host: str
    port: int
    address: str
    path: str


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (``socket.getaddrinfo``), in its order."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def non_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check(url: str, *, allow_private: bool) -> Target:
    """Resolve ``url``'s host once and return where to connect; :class:`UnsafeURL` when it is
    not an http(s) URL, does not resolve, or reaches a non-public address that is not
    allowed."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise UnsafeURL("only http:// and https:// URLs are called")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolve(parts.hostname, port)
    except (OSError, UnicodeError, ValueError) as exc:
        raise Unresolvable(f"cannot resolve {parts.hostname}: {exc}") from exc
    if not addresses:
        raise Unresolvable(f"{parts.hostname} resolves to no address")
    if not allow_private:
        for address in addresses:
            if non_public(address):
                raise UnsafeURL(f"{parts.hostname} resolves to a non-public address ({address})")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, parts.hostname, port, addresses[0], path)
