"""What a user's role and agency say, in one place: administrators, a Pokja's managers, the
callers who see every case, and who acts for an outside addressee (DESIGN §2, §4, §5)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import object_session

from pokja.models import Agency, User


def is_admin(user: User) -> bool:
    return user.role == "admin"


# The roles that act on cases: a liaison for its agency, a coordinator for any (DESIGN §4).
# :func:`pokja.access.permissions.permissions` grants a write only to them.
CASE_WRITER_ROLES = ("coordinator", "liaison")
# Who manages an agency's webhook subscriptions: a liaison its own agency's, a coordinator any.
MANAGER_ROLES = ("coordinator", "liaison")


def may_manage_webhooks(user: User) -> bool:
    return user.role in MANAGER_ROLES and user.pokja_id is not None


def manages_pokja(user: User, pokja_id: object) -> bool:
    """Admins manage every Pokja; a coordinator manages its own (agencies, users, settings)."""
    return is_admin(user) or (user.role == "coordinator" and user.pokja_id == pokja_id)


def user_agency_kind(user: User) -> str | None:
    """The kind of the user's agency (``BAWASLU`` ...), or None for admins and viewers.

    Uses ``user.agency`` when the request loaded it with the user, else the session's
    identity map or one primary-key lookup.
    """
    if user.agency_id is None:
        return None
    if "agency" not in sa.inspect(user).unloaded:
        return user.agency.kind if user.agency else None
    session = object_session(user)
    if session is None:
        raise RuntimeError("user is detached; load it with its agency")
    agency = session.get(Agency, user.agency_id)
    return agency.kind if agency else None


def is_coordinator_of(user: User, pokja_id: uuid.UUID) -> bool:
    return user.role == "coordinator" and user.pokja_id == pokja_id


def is_liaison_of(user: User, agency_id: uuid.UUID | None) -> bool:
    return user.role == "liaison" and agency_id is not None and user.agency_id == agency_id


def sees_everything(user: User) -> bool:
    """DESIGN §5: Bawaslu liaisons, coordinators and secretaries see every case of the Pokja."""
    if user.role in ("coordinator", "secretary"):
        return True
    return user.role == "liaison" and user_agency_kind(user) == "BAWASLU"


# Outside authorities have no liaison in the Pokja; the member agency that acts for them
# receives the recommendation and records its follow-up. The regional staffing office
# (BKDPSDM) prepares the regent's (PPK) decisions and is the one that deals with KASN and BKN.
ACTING_FOR: dict[str, str] = {"PPK": "BKDPSDM", "BKN": "BKDPSDM", "KASN": "BKDPSDM"}


def acts_for_addressee(user: User, addressee: Agency) -> bool:
    """A liaison of the addressee, or of the agency acting for an outside addressee."""
    if user.role != "liaison" or user.pokja_id != addressee.pokja_id or not user.active:
        return False
    if user.agency_id == addressee.id:
        return True
    acting = ACTING_FOR.get(addressee.kind)
    return acting is not None and user_agency_kind(user) == acting
