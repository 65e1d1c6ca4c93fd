"""A Pokja's agencies (members and outside authorities): creation and changes, with who may
make them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import manages_pokja
from pokja.directory.pokjas import target_pokja_id
from pokja.errors import Conflict, NotPermitted, field_error
from pokja.models import Agency, Pokja, User


def create_agency(session: Session, actor: User | None, data: dict[str, Any]) -> Agency:
    pokja_id = target_pokja_id(actor, data.pop("pokja_id", None))
    if actor is not None and not manages_pokja(actor, pokja_id):
        raise NotPermitted("Only an administrator or the Pokja's coordinator adds agencies.")
    if session.get(Pokja, pokja_id) is None:
        raise field_error("pokja_id", "Unknown Pokja.")
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
        raise field_error("valid_to", "must not be before valid_from")
    for key, value in changes.items():
        setattr(agency, key, value)
    session.flush()
    return agency
