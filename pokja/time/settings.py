"""A Pokja's calendar and clock settings, as every deadline computation needs them.

One place to ask "which days count and how long is each clock here", so that handoffs,
recommendations, escalations, reminders and the agenda never build a calendar differently.

A setting applies to cases registered after it changed, never to past records: every
deadline is stored (or derived from stored values) when its clock starts, e.g. a handoff's
``due_on`` and a case clock extension's ``due_at``, and a case's own clocks are computed
with the settings copied onto it at registration (``cases.clock_settings``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.models import Pokja, PokjaDay
from pokja.time.calendar import PokjaCalendar
from pokja.time.catalogue import Clock, ElectionKind, Settings, clock_settings, deadline_for

# Per-session cache of calendars, so that a page of items of one Pokja reads its declared days
# once. Dropped whenever a transaction ends (and by every change to the days), so a calendar is
# never older than the transaction reading it.
_CACHE_KEY = "pokja.time.settings.calendars"


class _HasZone(Protocol):
    id: uuid.UUID
    timezone: str


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_calendars(session: Session, transaction: Any) -> None:
    session.info.pop(_CACHE_KEY, None)


def forget_calendar(session: Session) -> None:
    """Drop the cached calendars (after a change to a Pokja's declared days)."""
    session.info.pop(_CACHE_KEY, None)


def calendar_for(session: Session, pokja: _HasZone) -> PokjaCalendar:
    """The Pokja's working-day calendar: its zone, plus the days it declares off or working.

    ``pokja`` is a :class:`Pokja` or any row with its ``id`` and ``timezone``. One query, or
    none when the Pokja was loaded with its ``declared_days``.
    """
    cache: dict[tuple[uuid.UUID, str], PokjaCalendar] = session.info.setdefault(_CACHE_KEY, {})
    key = (pokja.id, pokja.timezone)
    if key not in cache:
        days: Sequence[Any]
        if isinstance(pokja, Pokja) and "declared_days" not in sa.inspect(pokja).unloaded:
            days = pokja.declared_days  # loaded with the Pokja on purpose (a page of cases)
        else:
            days = session.execute(
                sa.select(PokjaDay.day, PokjaDay.kind).where(PokjaDay.pokja_id == pokja.id)
            ).all()
        cache[key] = _calendar(pokja.timezone, days)
    return cache[key]


def calendars_for(session: Session, pokjas: Iterable[_HasZone]) -> dict[uuid.UUID, PokjaCalendar]:
    """:func:`calendar_for` of many Pokjas (the reminder worker's pass over every one) in one
    query, whatever their number."""
    pokjas = list(pokjas)
    days: dict[uuid.UUID, list[Any]] = {p.id: [] for p in pokjas}
    for row in session.execute(
        sa.select(PokjaDay.pokja_id, PokjaDay.day, PokjaDay.kind).where(
            PokjaDay.pokja_id.in_(list(days))
        )
    ):
        days[row.pokja_id].append(row)
    cache: dict[tuple[uuid.UUID, str], PokjaCalendar] = session.info.setdefault(_CACHE_KEY, {})
    for pokja in pokjas:
        cache[pokja.id, pokja.timezone] = _calendar(pokja.timezone, days[pokja.id])
    return {p.id: cache[p.id, p.timezone] for p in pokjas}


def _calendar(time_zone: str, days: Sequence[Any]) -> PokjaCalendar:
    return PokjaCalendar(
        time_zone=time_zone,
        days_off=[d.day for d in days if d.kind == "off"],
        working_days=[d.day for d in days if d.kind == "working"],
    )


class _HasSnapshot(Protocol):
    @property
    def clock_settings(self) -> dict[str, Any] | None: ...


def settings_for(session: Session, pokja: Pokja, case: _HasSnapshot | None = None) -> Settings:
    """The clocks: DESIGN §6 defaults with the overrides laid over them — those fixed on
    ``case`` when it was registered (DESIGN §6: a later settings change applies to later
    cases), or the Pokja's current ones (for a new case, or one without a snapshot)."""
    return clock_settings(overrides_of(pokja.clock_overrides, case))


def overrides_of(pokja_overrides: Any, case: _HasSnapshot | None) -> Any:
    """A case's clock overrides: its snapshot, else its Pokja's (current) ones."""
    if case is not None and case.clock_settings is not None:
        return case.clock_settings
    return pokja_overrides


def snapshot_settings(
    current: Settings, current_overrides: Any, snapshot: Any, cache: dict[str, Settings]
) -> Settings:
    """The clocks of a case registered with ``snapshot``: most cases share their Pokja's
    ``current`` settings; the others are computed once per ``cache`` (a page of cases)."""
    if snapshot is None or snapshot == current_overrides:
        return current
    key = json.dumps(snapshot, sort_keys=True)
    if key not in cache:
        cache[key] = clock_settings(snapshot)
    return cache[key]


def pokja_deadline(
    session: Session,
    pokja: Pokja,
    clock: Clock,
    election_kind: str,
    start: datetime,
    case: _HasSnapshot | None = None,
) -> datetime:
    """When ``clock`` runs out for an event at ``start`` in this Pokja (of ``case``: with
    the clock settings fixed when it was registered)."""
    return deadline_for(
        calendar_for(session, pokja),
        settings_for(session, pokja, case),
        clock,
        ElectionKind(election_kind),
        start,
    )
