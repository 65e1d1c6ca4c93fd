"""Deadline reminders (DESIGN §6: "reminders go out in working hours only").

Run by ``pokja worker`` on every pass over the deadline sources of :mod:`pokja.time.sources`
(the same list ``/deadlines`` reads). An item due within one working day gets
``deadline.approaching`` to the agencies that must act; one whose day has ended gets
``deadline.passed``, to those and to the agency waiting for them. Each reminder goes out once
per subscription (its ``dedupe_key`` names the item and its due day, so an extended deadline is
reminded again), and only while it is a working day between 08:00 and 16:00 in the item's
Pokja: a reminder that falls due at night or on a holiday waits for the next working morning.

Nothing is stored about overdue state itself: it is derived from the data each time.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.models import Pokja
from pokja.notify.outbox import notify
from pokja.time import sources
from pokja.time.calendar import PokjaCalendar
from pokja.time.catalogue import clock_settings
from pokja.time.scope import DueScope, PokjaClocks, Source
from pokja.time.settings import calendars_for

WORKING_HOURS = (time(8, 0), time(16, 0))


def in_working_hours(calendar: PokjaCalendar, now: datetime) -> bool:
    local = now.astimezone(calendar.zone)
    start, end = WORKING_HOURS
    return calendar.is_working_day(local.date()) and start <= local.time() < end


def produce_deadline_reminders(
    session: Session, *, now: datetime, source_list: list[Source] | None = None
) -> int:
    """Queue the reminders due at ``now``; returns how many messages were queued.

    Runs in the caller's transaction; calling it again queues nothing new.
    """
    pokjas = session.execute(
        sa.select(Pokja.id, Pokja.timezone, Pokja.clock_overrides).where(Pokja.active)
    ).all()
    calendars = calendars_for(session, pokjas)
    clocks: dict[uuid.UUID, PokjaClocks] = {}
    for pokja in pokjas:
        calendar = calendars[pokja.id]
        if in_working_hours(calendar, now):
            # "Within one working day": due no later than the next working day.
            clocks[pokja.id] = PokjaClocks(
                calendar=calendar,
                settings=clock_settings(pokja.clock_overrides),
                until=calendar.add_days(calendar.local_date(now), 1, "working"),
            )
    if not clocks:
        return 0
    scope = DueScope(now=now, pokjas=clocks)
    queued = 0
    for item in sources.collect(session, scope, source_list):
        calendar = clocks[item.pokja_id].calendar
        due_on = calendar.local_date(item.due_at)
        passed = calendar.day_has_ended(due_on, now)
        event_type = "deadline.passed" if passed else "deadline.approaching"
        addressees = list(item.acting_agency_ids)
        if passed and item.waiting_agency_id is not None:
            addressees.append(item.waiting_agency_id)
        payload = {"kind": item.kind, "item_id": item.item_id, "due_on": due_on, **item.payload}
        key = f"{event_type}:{item.kind}:{item.item_id}:{due_on.isoformat()}"
        for agency_id in addressees:
            queued += notify(
                session,
                pokja_id=item.pokja_id,
                agency_id=agency_id,
                event_type=event_type,
                payload=payload,
                dedupe_key=key,
                now=now,
            )
    return queued
