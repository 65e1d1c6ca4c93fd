"""How a webhook delivery is signed and checked (see :mod:`pokja.notify.delivery` for the
headers): an HMAC-SHA256 of the timestamp and the raw body, keyed with the subscription's
secret, refused by a receiver more than five minutes away from its own clock."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from pokja.models import OutboxMessage

SIGNATURE_TOLERANCE = 300  # seconds a receiver accepts between X-Pokja-Timestamp and its clock


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The ``X-Pokja-Signature`` value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    *,
    now: float | None = None,
    tolerance: int = SIGNATURE_TOLERANCE,
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    if not timestamp or not signature or not timestamp.isdigit():
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def envelope(message: OutboxMessage) -> bytes:
    """The request body; built from stored fields only, so every retry sends the same bytes."""
    document = {
        "id": str(message.id),
        "type": message.event_type,
        "created_at": message.created_at.isoformat(),
        "pokja_id": str(message.pokja_id),
        "agency_id": str(message.agency_id),
        "data": message.payload,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
