"""Password hashes: argon2id (DESIGN §3), with RFC 9106's low-memory profile in production.

The profile comes from the application's configuration (``ARGON2_PROFILE``; the test suite
asks for argon2's cheapest because it hashes hundreds of passwords). The app factory installs
where to read it (:data:`profile`), so that this module needs no Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

DEFAULT_PROFILE = "RFC_9106_LOW_MEMORY"

# Where the current profile's name comes from; pokja.app points it at the app's config.
profile: Callable[[], str] = lambda: DEFAULT_PROFILE  # noqa: E731 - a replaceable hook


@lru_cache(maxsize=4)
def _hasher_for(profile_name: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile_name))


@lru_cache(maxsize=4)
def _dummy_hash_for(profile_name: str) -> str:
    return _hasher_for(profile_name).hash("pokja: no such user")


def _hasher() -> PasswordHasher:
    return _hasher_for(profile())


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_nothing(password: str) -> None:
    """Spend an argon2 verification on no account, so that an unknown username costs the same
    time as a wrong password and usernames cannot be probed."""
    verify_password(_dummy_hash_for(profile()), password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
