"""Sending one claimed delivery over HTTP (see :mod:`pokja.notify.delivery`): a signed JSON
POST, no redirects followed, non-public addresses refused unless allowed, and every network or
receiver failure an :class:`Outcome`, never an exception."""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

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


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed attempt: following it would send the signed body elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _non_public_address(url: str) -> str | None:
    """Why ``url`` must not be called, when its host resolves to a non-public address."""
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot resolve {parts.hostname}: {exc}"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return f"{parts.hostname} resolves to a non-public address ({address})"
    return None


def send(claim: Claim, settings: DeliverySettings) -> Outcome:
    """POST one claimed message; never raises for what the network or receiver does."""
    if urlsplit(claim.url).scheme not in ("http", "https"):
        return Outcome(False, error="only http and https URLs are called")
    if not settings.allow_private_networks and (refused := _non_public_address(claim.url)):
        return Outcome(False, error=refused)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        claim.url,
        data=claim.body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": _USER_AGENT,
            "X-Pokja-Delivery": str(claim.message_id),
            "X-Pokja-Event": claim.event_type,
            "X-Pokja-Timestamp": timestamp,
            "X-Pokja-Signature": sign(claim.secret, timestamp, claim.body),
        },
    )
    try:
        with _opener.open(request, timeout=settings.timeout) as response:
            return Outcome(True, response.status)
    except urllib.error.HTTPError as exc:
        detail = exc.read(200).decode("utf-8", "replace").strip()
        error = f"HTTP {exc.code}: {detail}" if detail else f"HTTP {exc.code}"
        return Outcome(False, exc.code, error[:_ERROR_LENGTH])
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Outcome(False, error=f"{type(exc).__name__}: {reason}"[:_ERROR_LENGTH])
