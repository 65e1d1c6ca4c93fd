"""Which agencies act on a deadline: a Pokja's Bawaslu for its cases' decisions, and for a
recommendation its addressee with the agencies acting for an outside one
(:func:`pokja.access.roles.acting_kind`)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import acting_kind
from pokja.models import (
    Agency,
)
from pokja.time.scope import (
    DueScope,
)


def bawaslu_agencies(session: Session, pokja_ids: Any) -> dict[uuid.UUID, uuid.UUID]:
    """Each Pokja's (first) Bawaslu agency: the one that decides on registered cases."""
    rows = session.execute(
        sa.select(Agency.pokja_id, Agency.id)
        .where(Agency.pokja_id.in_(pokja_ids), Agency.kind == "BAWASLU")
        .order_by(Agency.created_at.desc())
    )
    # Newest first, so that the oldest Bawaslu agency of each Pokja is the one kept.
    return {pokja_id: agency_id for pokja_id, agency_id in rows}


def addressee_sides(
    session: Session, scope: DueScope, addressees: Mapping[uuid.UUID, tuple[uuid.UUID, str]]
) -> dict[uuid.UUID, tuple[uuid.UUID, ...]]:
    """Per addressee agency id: itself and the Pokja's active agencies acting for it."""
    acting: dict[tuple[uuid.UUID, str], list[uuid.UUID]] = defaultdict(list)
    for row in session.execute(
        sa.select(Agency.id, Agency.pokja_id, Agency.kind)
        .where(Agency.pokja_id.in_(scope.pokjas), Agency.active.is_(True))
        .order_by(Agency.created_at, Agency.id)
    ):
        acting[row.pokja_id, row.kind].append(row.id)
    return {
        agency_id: (agency_id, *acting.get((pokja_id, acting_kind(kind) or ""), ()))
        for agency_id, (pokja_id, kind) in addressees.items()
    }
