"""The audit chain's keys (issue 9): each event's ``hash`` is an HMAC-SHA256 under a key kept
outside the database, so that whoever can write SQL but does not hold the key cannot rewrite
an event and recompute the chain without ``pokja audit-verify`` noticing.

Keys come from the configuration (``POKJA_AUDIT_KEYS="2026a:<secret>,2027a:<secret>"``, and
``POKJA_AUDIT_KEY_ID`` names the one new events use, by default the last listed). Each event
records the id of its key, so rotating is adding a key and making it current: older events
still verify with theirs as long as it stays listed. Without configured keys one is derived
from ``SECRET_KEY`` (id ``derived``), which the demo and the tests use; production warns.

The access log needs no key of its own: its digests are stored in ``access_log.digested``
events, which are keyed like every other event.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DERIVED_KEY_ID = "derived"
_MIN_SECRET = 32


@dataclass(frozen=True)
class Keyring:
    current_id: str
    secrets: Mapping[str, bytes] = field(repr=False)
    derived: bool = False

    def mac(self, key_id: str, message: bytes) -> str | None:
        """HMAC-SHA256 of ``message`` under ``key_id`` (hex), None for an unknown key."""
        secret = self.secrets.get(key_id)
        if secret is None:
            return None
        return hmac.new(secret, message, hashlib.sha256).hexdigest()


def parse_keys(spec: str) -> dict[str, bytes]:
    """``"id:secret,id:secret"`` → ``{id: secret}``; a ValueError says what is wrong."""
    keys: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key_id, sep, secret = item.partition(":")
        if not sep or not key_id or not secret or len(key_id) > 32:
            raise ValueError("POKJA_AUDIT_KEYS must be id:secret pairs separated by commas")
        if key_id in keys:
            raise ValueError(f"POKJA_AUDIT_KEYS names the key {key_id!r} twice")
        keys[key_id] = secret.encode()
    return keys


def keyring_from_config(config: Mapping[str, Any]) -> Keyring:
    """The keyring the configuration describes (see the module's docstring)."""
    spec = config.get("POKJA_AUDIT_KEYS") or ""
    if not spec:
        secret = hmac.new(
            str(config["SECRET_KEY"]).encode(), b"pokja audit chain", hashlib.sha256
        ).digest()
        return Keyring(DERIVED_KEY_ID, {DERIVED_KEY_ID: secret}, derived=True)
    keys = parse_keys(spec)
    current = config.get("POKJA_AUDIT_KEY_ID") or list(keys)[-1]
    if current not in keys:
        raise ValueError(f"POKJA_AUDIT_KEY_ID {current!r} is not among POKJA_AUDIT_KEYS")
    short = [key_id for key_id, secret in keys.items() if len(secret) < _MIN_SECRET]
    if short and config.get("POKJA_ENV") == "production":
        raise ValueError(f"audit keys need at least {_MIN_SECRET} characters: {', '.join(short)}")
    return Keyring(current, keys)


_keyring: Keyring | None = None


def install(keyring: Keyring) -> None:
    """Make ``keyring`` the one events are recorded and verified with (the app factory)."""
    global _keyring
    _keyring = keyring


def current() -> Keyring:
    if _keyring is None:
        raise RuntimeError("no audit keyring installed (pokja.create_app installs it)")
    return _keyring
