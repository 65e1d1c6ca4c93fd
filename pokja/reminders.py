"""Deadline reminders (DESIGN §6: "reminders go out in working hours only").

Run by ``pokja worker`` on every pass. Each source lists the open items of some kind with the
day they are due; an item due within one working day gets ``deadline.approaching``, one whose
day has ended gets ``deadline.passed``. Each reminder goes out once per subscription (its
``dedupe_key`` names the item and its due day, so an extended deadline is reminded again), and
only while it is a working day between 08:00 and 16:00 in the item's Pokja: a reminder that
falls due at night or on a holiday waits for the next working morning.

Nothing is stored about overdue state itself: it is derived from the data each time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.calendar import PokjaCalendar
from pokja.models import Case, Handoff, Pokja
from pokja.notifications import handoff_payload, notify

WORKING_HOURS = (time(8, 0), time(16, 0))


@dataclass(frozen=True)
class Deadline:
    """An open item's deadline. ``agency_id`` must act; ``waiting_agency_id`` (if any) waits
    for it and is told too once the deadline has passed."""

    kind: str
    item_id: uuid.UUID
    pokja_id: uuid.UUID
    due_on: date
    agency_id: uuid.UUID
    waiting_agency_id: uuid.UUID | None
    payload: Mapping[str, Any] = field(default_factory=dict)


# A source gets, per Pokja in working hours, the last due day worth reminding about, and yields
# the deadlines up to it (past ones included).
DeadlineSource = Callable[[Session, Mapping[uuid.UUID, date]], Iterable[Deadline]]


def pending_handoff_deadlines(session: Session, until: Mapping[uuid.UUID, date]) -> list[Deadline]:
    """Pending handoffs: the receiver must accept or decline; the sender waits."""
    stmt = (
        sa.select(Handoff, Case.register_number)
        .join(Case, Case.id == Handoff.case_id)
        .where(
            Handoff.status == "pending",
            Handoff.pokja_id.in_(until),
            Handoff.due_on <= max(until.values()),
        )
    )
    return [
        Deadline(
            kind="handoff",
            item_id=h.id,
            pokja_id=h.pokja_id,
            due_on=h.due_on,
            agency_id=h.to_agency_id,
            waiting_agency_id=h.from_agency_id,
            payload=handoff_payload(h, register_number),
        )
        for h, register_number in session.execute(stmt).all()
        if h.due_on is not None and h.due_on <= until[h.pokja_id]
    ]


# Recommendations and escalations add their sources here when they exist.
DEADLINE_SOURCES: list[DeadlineSource] = [pending_handoff_deadlines]


def calendar_of(pokja: Any) -> PokjaCalendar:
    """The Pokja's working calendar (its zone and Indonesia's public holidays)."""
    return PokjaCalendar(pokja.timezone)


def in_working_hours(calendar: PokjaCalendar, now: datetime) -> bool:
    local = now.astimezone(calendar.zone)
    start, end = WORKING_HOURS
    return calendar.is_working_day(local.date()) and start <= local.time() < end


def produce_deadline_reminders(
    session: Session, *, now: datetime, sources: Iterable[DeadlineSource] = DEADLINE_SOURCES
) -> int:
    """Queue the reminders due at ``now``; returns how many messages were queued.

    Runs in the caller's transaction; calling it again queues nothing new.
    """
    today: dict[uuid.UUID, date] = {}
    until: dict[uuid.UUID, date] = {}
    for pokja in session.execute(sa.select(Pokja.id, Pokja.timezone).where(Pokja.active)):
        calendar = calendar_of(pokja)
        if in_working_hours(calendar, now):
            today[pokja.id] = calendar.local_date(now)
            # "Within one working day": due no later than the next working day.
            until[pokja.id] = calendar.add_days(today[pokja.id], 1, "working")
    if not until:
        return 0
    queued = 0
    for source in sources:
        for deadline in source(session, until):
            # A deadline is the end of its day (pokja.calendar): passed once that day is over.
            passed = deadline.due_on < today[deadline.pokja_id]
            event_type = "deadline.passed" if passed else "deadline.approaching"
            addressees = [deadline.agency_id]
            if passed and deadline.waiting_agency_id is not None:
                addressees.append(deadline.waiting_agency_id)
            payload = {
                "kind": deadline.kind,
                "item_id": deadline.item_id,
                "due_on": deadline.due_on,
                **deadline.payload,
            }
            key = f"{event_type}:{deadline.kind}:{deadline.item_id}:{deadline.due_on.isoformat()}"
            for agency_id in addressees:
                queued += notify(
                    session,
                    pokja_id=deadline.pokja_id,
                    agency_id=agency_id,
                    event_type=event_type,
                    payload=payload,
                    dedupe_key=key,
                    now=now,
                )
    return queued
