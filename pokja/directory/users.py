"""Users of a Pokja and administrators: creation and changes, with who may make them (DESIGN
§2: admins belong to no Pokja, viewers to no agency, everyone else to one)."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from pokja.access.roles import is_admin, manages_pokja
from pokja.directory import accounts
from pokja.directory.passwords import hash_password
from pokja.directory.pokjas import target_pokja_id
from pokja.errors import Conflict, NotPermitted, field_error
from pokja.models import AGENCY_ROLES, Agency, Pokja, User


def _check_membership(
    session: Session, role: str, pokja_id: uuid.UUID | None, agency_id: uuid.UUID | None
) -> None:
    """DESIGN §2: admins belong to no Pokja, viewers to no agency, everyone else to one."""
    if role == "admin":
        if pokja_id is not None or agency_id is not None:
            raise field_error("role", "An administrator belongs to no Pokja or agency.")
        return
    if role in AGENCY_ROLES and agency_id is None:
        raise field_error("agency_id", f"A {role} acts for an agency; give agency_id.")
    if role == "viewer" and agency_id is not None:
        raise field_error("agency_id", "A viewer belongs to no agency.")
    if agency_id is not None:
        agency_pokja = session.scalar(
            sa.select(Agency.pokja_id).where(Agency.id == agency_id, Agency.active.is_(True))
        )
        if agency_pokja is None or agency_pokja != pokja_id:
            raise field_error("agency_id", "Unknown agency.")


def create_user(session: Session, actor: User | None, data: dict[str, Any]) -> User:
    role = data["role"]
    if actor is not None and not is_admin(actor) and role == "admin":
        raise NotPermitted("Only an administrator creates administrators.")
    pokja_id = None if role == "admin" else target_pokja_id(actor, data.get("pokja_id"))
    if actor is not None and pokja_id is not None and not manages_pokja(actor, pokja_id):
        raise NotPermitted("Only an administrator or the Pokja's coordinator adds users.")
    if pokja_id is not None and session.get(Pokja, pokja_id) is None:
        raise field_error("pokja_id", "Unknown Pokja.")
    agency_id = data.get("agency_id")
    _check_membership(session, role, pokja_id, agency_id)
    if session.scalar(sa.select(User.id).where(User.username == data["username"])):
        raise Conflict(f"The username {data['username']!r} is taken.", code="duplicate")
    user = User(
        username=data["username"],
        display_name=data["display_name"],
        password_hash=hash_password(data["password"]),
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
        user.password_hash = hash_password(changes["password"])
        accounts.revoke_user_sessions(session, user.id, "password_changed")
    if privileged:
        user.role, user.agency_id = role, agency_id
    if changes.get("active") is False:
        accounts.revoke_user_sessions(session, user.id, "deactivated")
    if "active" in changes:
        user.active = changes["active"]
    session.flush()
    return user


def me(session: Session, user: User) -> User:
    """The caller as stored now, with the Pokja and agency it belongs to. A service token's
    caller is not stored (:mod:`pokja.directory.service_tokens`; its id is the token's, which
    no user has): it is shown as it comes, with its Pokja."""
    stored = session.scalars(
        sa.select(User)
        .where(User.id == user.id)
        .options(joinedload(User.pokja), joinedload(User.agency))
        .execution_options(populate_existing=True)
    ).one_or_none()
    if stored is not None:
        return stored
    user.pokja = session.get(Pokja, user.pokja_id) if user.pokja_id else None
    return user
