"""ORM models. Importing this package registers every table on ``Base.metadata``."""

from pokja.models.base import Base
from pokja.models.pokja import (
    AGENCY_KINDS,
    MEMBER_AGENCY_KINDS,
    POKJA_LEVELS,
    POKJA_TIMEZONES,
    Agency,
    Pokja,
)
from pokja.models.user import AGENCY_ROLES, ROLES, AuthSession, RefreshToken, User

__all__ = [
    "AGENCY_KINDS",
    "AGENCY_ROLES",
    "MEMBER_AGENCY_KINDS",
    "POKJA_LEVELS",
    "POKJA_TIMEZONES",
    "ROLES",
    "Agency",
    "AuthSession",
    "Base",
    "Pokja",
    "RefreshToken",
    "User",
]
