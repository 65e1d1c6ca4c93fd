"""Which cases' decision clocks (DESIGN §6) fall due by a day, as SQL: the decision deadline
is not stored (it follows from the registration and the Pokja's clocks), so the condition
turns "due by day D" into "registered before instant T" per election kind."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from pokja.models import (
    Case,
)
from pokja.time.catalogue import Clock, ElectionKind, deadline_for
from pokja.time.scope import DueScope, PokjaClocks


def _registered_before(clocks: PokjaClocks, kind: ElectionKind, last_day: date) -> datetime:
    """The first instant whose decision deadline falls after ``last_day``: registrations
    before it are due by then. Deadlines only grow with their start, so scanning back from
    ``last_day`` finds it; the SQL then compares plain timestamps on either database."""
    calendar, day = clocks.calendar, last_day
    while True:
        due = deadline_for(calendar, clocks.settings, Clock.DECISION, kind, calendar.start_of(day))
        if calendar.local_date(due) <= last_day:
            return calendar.start_after(day)
        day -= timedelta(days=1)


def decision_due_by(
    scope: DueScope, ext: Any, last_day: Callable[[PokjaClocks], date]
) -> sa.ColumnElement[bool]:
    """Cases whose decision deadline falls on or before ``last_day(clocks)`` of their Pokja.

    Pokjas with the same calendar, decision clocks and day share one condition, so the reminder
    pass over hundreds of Pokjas stays a short OR.
    """
    groups: dict[Any, list[uuid.UUID]] = defaultdict(list)
    for pokja_id, clocks in scope.pokjas.items():
        lengths = tuple(clocks.settings[Clock.DECISION][kind] for kind in ElectionKind)
        groups[clocks.calendar, lengths, last_day(clocks)].append(pokja_id)
    conditions = []
    for (_calendar, _lengths, day), pokja_ids in groups.items():
        clocks = scope.pokjas[pokja_ids[0]]
        by_registration = sa.or_(
            *(
                sa.and_(
                    Case.election_kind == str(kind),
                    Case.registered_at < _registered_before(clocks, kind, day),
                )
                for kind in ElectionKind
            )
        )
        conditions.append(
            sa.and_(
                Case.pokja_id.in_(pokja_ids),
                sa.or_(
                    sa.and_(ext.id.is_(None), by_registration),
                    # Spelled out so the condition is never NULL (NOT NULL would drop the row).
                    sa.and_(ext.id.is_not(None), ext.due_at <= clocks.calendar.end_of(day)),
                ),
            )
        )
    return sa.or_(*conditions)
