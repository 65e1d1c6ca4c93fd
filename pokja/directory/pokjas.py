"""Pokjas: creation and changes, with who may make them. Used by the API, the CLI and the demo
seed alike, so each rule lives here once."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import is_admin, manages_pokja
from pokja.access.rules import seed_default_rules
from pokja.errors import Conflict, NotPermitted, field_error
from pokja.models import Pokja, User


def create_pokja(session: Session, actor: User | None, data: dict[str, Any]) -> Pokja:
    if actor is not None and not is_admin(actor):
        raise NotPermitted("Only an administrator creates Pokjas.")
    if session.scalar(sa.select(Pokja.id).where(Pokja.name == data["name"])):
        raise Conflict(f"A Pokja named {data['name']!r} exists already.", code="duplicate")
    pokja = Pokja(**data)
    session.add(pokja)
    session.flush()
    # DESIGN §4: every Pokja starts with the seeded authority rules.
    seed_default_rules(session, pokja)
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


def target_pokja_id(actor: User | None, requested: uuid.UUID | None) -> uuid.UUID:
    """The Pokja a new agency or user goes into: an admin names it; anyone else uses their own."""
    if actor is None or is_admin(actor):
        if requested is None:
            raise field_error("pokja_id", "Missing data for required field.")
        return requested
    if requested is not None and requested != actor.pokja_id:
        # Another Pokja does not exist for this caller.
        raise field_error("pokja_id", "Unknown Pokja.")
    assert actor.pokja_id is not None  # noqa: S101 - non-admins always have one (CHECK constraint)
    return actor.pokja_id
