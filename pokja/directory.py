"""Pokjas, their agencies and their users: creation and changes, with who may make them.

Used by the API, the CLI and the demo seed alike, so each rule lives here once.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja import auth, authority
from pokja.access import is_admin, manages_pokja
from pokja.errors import Conflict, NotFound, NotPermitted, RuleViolation
from pokja.models import AGENCY_ROLES, Agency, Pokja, User


def _field_error(field: str, message: str, code: str = "validation_error") -> RuleViolation:
    return RuleViolation(message, code=code, errors={field: [message]})


def create_pokja(session: Session, actor: User | None, data: dict[str, Any]) -> Pokja:
    if actor is not None and not is_admin(actor):
        raise NotPermitted("Only an administrator creates Pokjas.")
    if session.scalar(sa.select(Pokja.id).where(Pokja.name == data["name"])):
        raise Conflict(f"A Pokja named {data['name']!r} exists already.", code="duplicate")
    pokja = Pokja(**data)
    session.add(pokja)
    session.flush()
    # DESIGN §4: every Pokja starts with the seeded authority rules.
    authority.seed_default_rules(session, pokja)
    return pokja


def update_pokja(session: Session, actor: User, pokja: Pokja, changes: dict[str, Any]) -> Pokja:
    if not manages_pokja(actor, pokja.id):
        raise NotPermitted("Only an administrator or the Pokja's coordinator changes it.")
    if "active" in changes and not is_admin(actor):
        raise NotPermitted("Only an administrator activates or deactivates a Pokja.")
    if (
        "name" in changes
        and changes["name"] != pokja.name
        and session.scalar(sa.select(Pokja.id).where(Pokja.name == changes["name"]))
    ):
        raise Conflict(f"A Pokja named {changes['name']!r} exists already.", code="duplicate")
    for key, value in changes.items():
        setattr(pokja, key, value)
    session.flush()
    return pokja


def _target_pokja_id(actor: User | None, requested: uuid.UUID | None) -> uuid.UUID:
    """The Pokja a new agency or user goes into: an admin names it; anyone else uses their own."""
    if actor is None or is_admin(actor):
        if requested is None:
            raise _field_error("pokja_id", "Missing data for required field.")
        return requested
    if requested is not None and requested != actor.pokja_id:
        # Another Pokja does not exist for this caller.
        raise _field_error("pokja_id", "Unknown Pokja.")
    assert actor.pokja_id is not None  # noqa: S101 - non-admins always have one (CHECK constraint)
    return actor.pokja_id


def create_agency(session: Session, actor: User | None, data: dict[str, Any]) -> Agency:
    pokja_id = _target_pokja_id(actor, data.pop("pokja_id", None))
    if actor is not None and not manages_pokja(actor, pokja_id):
        raise NotPermitted("Only an administrator or the Pokja's coordinator adds agencies.")
    if session.get(Pokja, pokja_id) is None:
        raise _field_error("pokja_id", "Unknown Pokja.")
    if session.scalar(
        sa.select(Agency.id).where(Agency.pokja_id == pokja_id, Agency.name == data["name"])
    ):
        raise Conflict(
            f"This Pokja has an agency named {data['name']!r} already.", code="duplicate"
        )
    agency = Agency(pokja_id=pokja_id, **data)
    session.add(agency)
    session.flush()
    return agency


def update_agency(session: Session, actor: User, agency: Agency, changes: dict[str, Any]) -> Agency:
    if not manages_pokja(actor, agency.pokja_id):
        raise NotPermitted("Only an administrator or the Pokja's coordinator changes agencies.")
    if (
        "name" in changes
        and changes["name"] != agency.name
        and session.scalar(
            sa.select(Agency.id).where(
                Agency.pokja_id == agency.pokja_id, Agency.name == changes["name"]
            )
        )
    ):
        raise Conflict(
            f"This Pokja has an agency named {changes['name']!r} already.", code="duplicate"
        )
    valid_from = changes.get("valid_from", agency.valid_from)
    valid_to = changes.get("valid_to", agency.valid_to)
    if valid_from and valid_to and valid_to < valid_from:
        raise _field_error("valid_to", "must not be before valid_from")
    for key, value in changes.items():
        setattr(agency, key, value)
    session.flush()
    return agency


def _check_membership(
    session: Session, role: str, pokja_id: uuid.UUID | None, agency_id: uuid.UUID | None
) -> None:
    """DESIGN §2: admins belong to no Pokja, viewers to no agency, everyone else to one."""
    if role == "admin":
        if pokja_id is not None or agency_id is not None:
            raise _field_error("role", "An administrator belongs to no Pokja or agency.")
        return
    if role in AGENCY_ROLES and agency_id is None:
        raise _field_error("agency_id", f"A {role} acts for an agency; give agency_id.")
    if role == "viewer" and agency_id is not None:
        raise _field_error("agency_id", "A viewer belongs to no agency.")
    if agency_id is not None:
        agency_pokja = session.scalar(
            sa.select(Agency.pokja_id).where(Agency.id == agency_id, Agency.active.is_(True))
        )
        if agency_pokja is None or agency_pokja != pokja_id:
            raise _field_error("agency_id", "Unknown agency.")


def create_user(session: Session, actor: User | None, data: dict[str, Any]) -> User:
    role = data["role"]
    if actor is not None and not is_admin(actor) and role == "admin":
        raise NotPermitted("Only an administrator creates administrators.")
    pokja_id = None if role == "admin" else _target_pokja_id(actor, data.get("pokja_id"))
    if actor is not None and pokja_id is not None and not manages_pokja(actor, pokja_id):
        raise NotPermitted("Only an administrator or the Pokja's coordinator adds users.")
    if pokja_id is not None and session.get(Pokja, pokja_id) is None:
        raise _field_error("pokja_id", "Unknown Pokja.")
    agency_id = data.get("agency_id")
    _check_membership(session, role, pokja_id, agency_id)
    if session.scalar(sa.select(User.id).where(User.username == data["username"])):
        raise Conflict(f"The username {data['username']!r} is taken.", code="duplicate")
    user = User(
        username=data["username"],
        display_name=data["display_name"],
        password_hash=auth.hash_password(data["password"]),
        role=role,
        pokja_id=pokja_id,
        agency_id=agency_id,
    )
    session.add(user)
    session.flush()
    return user


def update_user(session: Session, actor: User, user: User, changes: dict[str, Any]) -> User:
    """Change a user. Anyone may change their own name and password; nobody their own role,
    agency or active flag (so no one can raise their own rights)."""
    own = actor.id == user.id
    privileged = {"role", "agency_id", "active"} & changes.keys()
    if own and privileged:
        raise NotPermitted("You cannot change your own role, agency or active flag.")
    if not own and not manages_pokja(actor, user.pokja_id):
        raise NotPermitted("Only an administrator or the Pokja's coordinator changes users.")
    if not is_admin(actor) and (user.role == "admin" or changes.get("role") == "admin"):
        raise NotPermitted("Only an administrator manages administrators.")
    role = changes.get("role", user.role)
    agency_id = changes.get("agency_id", user.agency_id)
    if role in ("admin", "viewer") and "agency_id" not in changes:
        agency_id = None
    if {"role", "agency_id"} & changes.keys():
        _check_membership(session, role, user.pokja_id, agency_id)
    if "display_name" in changes:
        user.display_name = changes["display_name"]
    if "password" in changes:
        user.password_hash = auth.hash_password(changes["password"])
        auth.revoke_user_sessions(session, user.id, "password_changed")
    if privileged:
        user.role, user.agency_id = role, agency_id
    if changes.get("active") is False:
        auth.revoke_user_sessions(session, user.id, "deactivated")
    if "active" in changes:
        user.active = changes["active"]
    session.flush()
    return user


def get_or_404(session: Session, stmt: sa.Select[Any], what: str) -> Any:
    obj = session.scalar(stmt)
    if obj is None:
        raise NotFound(f"{what} not found.")
    return obj
