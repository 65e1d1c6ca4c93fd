"""What a user's role and agency say, in one place: administrators, a Pokja's managers, the
callers who see every case, and who acts for an outside addressee (DESIGN §2, §4, §5)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import object_session

from pokja.models import AGENCY_ROLES, Agency, User


def is_admin(user: User) -> bool:
    return user.role == "admin"


def in_a_pokja(user: User) -> bool:
    """An active user of some Pokja (administrators belong to none, DESIGN §2)."""
    return user.active and user.pokja_id is not None


def member_of(user: User, pokja_id: object) -> bool:
    """An active user of that Pokja: anything of another Pokja does not exist for them."""
    return in_a_pokja(user) and user.pokja_id == pokja_id


def acts_on_cases(user: User) -> bool:
    """A liaison acts on cases for its agency, a coordinator for any (DESIGN §4): the only
    roles :func:`pokja.access.permissions.permissions` ever grants a write on a case to."""
    return user.role in ("coordinator", "liaison")


def acts_for_an_agency(user: User) -> bool:
    """Coordinators, secretaries and liaisons belong to an agency (DESIGN §2)."""
    return user.role in AGENCY_ROLES


def may_manage_pokjas(user: User) -> bool:
    """Administrators, and coordinators for their own Pokja (:func:`manages_pokja`)."""
    return is_admin(user) or user.role == "coordinator"


def manages_pokja(user: User, pokja_id: object) -> bool:
    """Admins manage every Pokja; a coordinator manages its own (agencies, users, settings)."""
    return is_admin(user) or (user.role == "coordinator" and member_of(user, pokja_id))


def may_manage_webhooks(user: User) -> bool:
    """A liaison manages its own agency's subscriptions, a coordinator any agency's."""
    return acts_on_cases(user) and user.pokja_id is not None


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
ACTING_FOR: Mapping[str, str] = MappingProxyType(
    {"PPK": "BKDPSDM", "BKN": "BKDPSDM", "KASN": "BKDPSDM"}
)


def acting_kind(addressee_kind: str) -> str | None:
    """The kind of the member agency that acts for an addressee of ``addressee_kind`` (None
    when the addressee acts itself). Every "who acts for an outside addressee" question of
    the code base is answered from this rule."""
    return ACTING_FOR.get(addressee_kind)


def kinds_acted_for(agency_kind: str | None) -> list[str]:
    """The addressee kinds an agency of ``agency_kind`` acts for (the inverse rule)."""
    return [kind for kind in ACTING_FOR if agency_kind and acting_kind(kind) == agency_kind]


def acts_for_addressee(user: User, addressee: Agency) -> bool:
    """A liaison of the addressee, or of the agency acting for an outside addressee."""
    if user.role != "liaison" or not member_of(user, addressee.pokja_id):
        return False
    if user.agency_id == addressee.id:
        return True
    acting = acting_kind(addressee.kind)
    return acting is not None and user_agency_kind(user) == acting


def addressee_side_condition(
    addressee: Any, agency_id: uuid.UUID, agency_kind: str | None
) -> sa.ColumnElement[bool]:
    """SQL over an ``Agency`` row (alias) ``addressee``: it is the agency itself, or an outside
    authority the agency acts for (:func:`acting_kind`)."""
    acted_for = kinds_acted_for(agency_kind)
    own = addressee.id == agency_id
    return sa.or_(own, addressee.kind.in_(acted_for)) if acted_for else own


def manages_meetings(user: User) -> bool:
    """DESIGN §4: meetings, agendas, minutes and decisions are the secretary's and the
    coordinator's to write (within their own Pokja)."""
    return in_a_pokja(user) and user.role in ("secretary", "coordinator")


def may_complete_decision(user: User, owner_agency_id: uuid.UUID) -> bool:
    """A decision is marked done by its owner agency's liaison, a secretary or a coordinator."""
    return manages_meetings(user) or is_liaison_of(user, owner_agency_id)
