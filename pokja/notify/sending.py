"""Sending one claimed delivery over HTTP (see :mod:`pokja.notify.delivery`): a signed JSON
POST, no redirects followed, non-public addresses refused unless allowed, and every network or
receiver failure an :class:`Outcome`, never an exception.

The host is resolved once, by :func:`pokja.notify.addresses.check`, and the connection is made
to the address that was checked, with the URL's name in the Host header and, for https, in
the TLS SNI and the certificate check: a name that resolves elsewhere a moment later (DNS
rebinding) changes nothing.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pokja.notify import addresses
from pokja.notify.signing import sign

_ERROR_LENGTH = 500

if TYPE_CHECKING:  # delivery calls send(); only its types are needed here
    from pokja.notify.delivery import Claim, DeliverySettings


_USER_AGENT = "pokja-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the checked address, not to whatever the name resolves to now."""

    def __init__(self, target: addresses.Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address; SNI and the certificate check use the URL's name."""

    def __init__(self, target: addresses.Target, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def connection(target: addresses.Target, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        return _PinnedHTTPSConnection(target, timeout)
    return _PinnedHTTPConnection(target, timeout)


def send(claim: Claim, settings: DeliverySettings) -> Outcome:
    """POST one claimed message; never raises for what the network or receiver does."""
    try:
        target = addresses.check(claim.url, allow_private=settings.allow_private_networks)
    except addresses.UnsafeURL as exc:
        return Outcome(False, error=str(exc)[:_ERROR_LENGTH])
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": _USER_AGENT,
        "X-Pokja-Delivery": str(claim.message_id),
        "X-Pokja-Event": claim.event_type,
        "X-Pokja-Timestamp": timestamp,
        "X-Pokja-Signature": sign(claim.secret, timestamp, claim.body),
    }
    conn = connection(target, settings.timeout)
    try:
        conn.request("POST", target.path, body=claim.body, headers=headers)
        response = conn.getresponse()
        if 200 <= response.status < 300:
            return Outcome(True, response.status)
        # Anything else, a redirect too (following it would send the signed body elsewhere).
        detail = response.read(200).decode("utf-8", "replace").strip()
        error = f"HTTP {response.status}: {detail}" if detail else f"HTTP {response.status}"
        return Outcome(False, response.status, error[:_ERROR_LENGTH])
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Outcome(False, error=f"{type(exc).__name__}: {exc}"[:_ERROR_LENGTH])
    finally:
        conn.close()
