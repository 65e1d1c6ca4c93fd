"""A Pokja's calendar and clock settings, as every deadline computation needs them.

One place to ask "which days count and how long is each clock here", so that handoffs,
recommendations, escalations, reminders and the agenda never build a calendar differently.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from pokja.calendar import PokjaCalendar
from pokja.clocks import Clock, ElectionKind, Settings, clock_settings, deadline_for
from pokja.models import Pokja


def calendar_for(session: Session, pokja: Pokja) -> PokjaCalendar:
    """The Pokja's working-day calendar: its zone, plus the days it declares off or working."""
    return PokjaCalendar(time_zone=pokja.timezone)


def settings_for(session: Session, pokja: Pokja) -> Settings:
    """The Pokja's clocks: DESIGN §6 defaults with its stored overrides laid over them."""
    return clock_settings(None)


def pokja_deadline(
    session: Session, pokja: Pokja, clock: Clock, election_kind: str, start: datetime
) -> datetime:
    """When ``clock`` runs out for an event at ``start`` in this Pokja."""
    return deadline_for(
        calendar_for(session, pokja),
        settings_for(session, pokja),
        clock,
        ElectionKind(election_kind),
        start,
    )
