"""Which agencies act on a deadline: a Pokja's Bawaslu for its cases' decisions, and for a
recommendation its addressee with the agencies acting for an outside one
(:func:`pokja.access.roles.acting_kind`)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import acting_kind
from pokja.models import (
    Agency,
)
from pokja.time.scope import (
    DueScope,
)


def _known_agencies(scope: DueScope) -> list[tuple[uuid.UUID, uuid.UUID, str, bool]] | None:
    """(Pokja id, agency id, kind, active) of the scope's Pokjas, oldest agency first, when the
    scope was given every Pokja's agencies (:attr:`PokjaClocks.agencies`); else None."""
    if any(clocks.agencies is None for clocks in scope.pokjas.values()):
        return None
    return [
        (pokja_id, agency.id, agency.kind, agency.active)
        for pokja_id, clocks in scope.pokjas.items()
        for agency in clocks.agencies or ()
    ]


def bawaslu_agencies(session: Session, scope: DueScope) -> dict[uuid.UUID, uuid.UUID]:
    """Each Pokja's (first) Bawaslu agency: the one that decides on registered cases."""
    known = _known_agencies(scope)
    if known is not None:
        # Oldest first: the first Bawaslu agency of each Pokja is the one kept.
        first: dict[uuid.UUID, uuid.UUID] = {}
        for pokja_id, agency_id, kind, _active in known:
            if kind == "BAWASLU":
                first.setdefault(pokja_id, agency_id)
        return first
    rows = session.execute(
        sa.select(Agency.pokja_id, Agency.id)
        .where(Agency.pokja_id.in_(list(scope.pokjas)), Agency.kind == "BAWASLU")
        .order_by(Agency.created_at.desc(), Agency.id.desc())
    )
    # Newest first, so that the oldest Bawaslu agency of each Pokja is the one kept.
    return {pokja_id: agency_id for pokja_id, agency_id in rows}


def addressee_sides(
    session: Session, scope: DueScope, addressees: Mapping[uuid.UUID, tuple[uuid.UUID, str]]
) -> dict[uuid.UUID, tuple[uuid.UUID, ...]]:
    """Per addressee agency id: itself and the Pokja's active agencies acting for it."""
    acting: dict[tuple[uuid.UUID, str], list[uuid.UUID]] = defaultdict(list)
    known = _known_agencies(scope)
    if known is None:
        known = [
            (row.pokja_id, row.id, row.kind, True)
            for row in session.execute(
                sa.select(Agency.id, Agency.pokja_id, Agency.kind)
                .where(Agency.pokja_id.in_(scope.pokjas), Agency.active.is_(True))
                .order_by(Agency.created_at, Agency.id)
            )
        ]
    for pokja_id, agency_id, kind, active in known:
        if active:
            acting[pokja_id, kind].append(agency_id)
    return {
        agency_id: (agency_id, *acting.get((pokja_id, acting_kind(kind) or ""), ()))
        for agency_id, (pokja_id, kind) in addressees.items()
    }
