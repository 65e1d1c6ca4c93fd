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
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import ACTING_FOR
from pokja.models import Agency, Case, Escalation, Handoff, Pokja, Recommendation
from pokja.notify.outbox import handoff_payload, notify
from pokja.time.calendar import PokjaCalendar
from pokja.time.settings import calendars_for

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


def _open_recommendations(
    session: Session, until: Mapping[uuid.UUID, date], *, escalations: bool = False
) -> list[Any]:
    """Issued recommendations of the Pokjas in ``until`` with their register number and zone
    (and, with ``escalations``, one row per escalation); a UTC bound two days past the last
    due day keeps the scan to what can be due."""
    bound = datetime.combine(max(until.values()) + timedelta(days=2), time.min, tzinfo=UTC)
    stmt = (
        sa.select(Recommendation, Case.register_number, Pokja.timezone)
        .join(Case, Case.id == Recommendation.case_id)
        .join(Pokja, Pokja.id == Recommendation.pokja_id)
        .where(Recommendation.status == "issued", Recommendation.pokja_id.in_(until))
    )
    if escalations:
        stmt = stmt.add_columns(Escalation).join(
            Escalation, Escalation.recommendation_id == Recommendation.id
        )
        return list(session.execute(stmt.where(Escalation.due_at < bound)).all())
    return list(session.execute(stmt.where(Recommendation.follow_up_due_at < bound)).all())


def _addressee_sides(
    session: Session, recs: Iterable[Recommendation]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Per recommendation: its addressee and the agencies acting for an outside addressee."""
    recs = list(recs)
    if not recs:
        return {}
    pokja_ids = {r.pokja_id for r in recs}
    agencies = session.execute(
        sa.select(Agency.id, Agency.pokja_id, Agency.kind).where(
            Agency.pokja_id.in_(pokja_ids), Agency.active.is_(True)
        )
    ).all()
    kinds = {a.id: a.kind for a in agencies}
    sides = {}
    for rec in recs:
        acting = ACTING_FOR.get(kinds.get(rec.addressee_agency_id, ""))
        sides[rec.id] = [rec.addressee_agency_id] + [
            a.id for a in agencies if acting and a.pokja_id == rec.pokja_id and a.kind == acting
        ]
    return sides


def recommendation_deadlines(session: Session, until: Mapping[uuid.UUID, date]) -> list[Deadline]:
    """Issued recommendations: the addressee side must follow up; the issuer waits."""
    rows = _open_recommendations(session, until)
    sides = _addressee_sides(session, (row[0] for row in rows))
    deadlines = []
    for rec, register_number, zone in rows:
        due_on = PokjaCalendar(zone).local_date(rec.follow_up_due_at)
        if due_on > until[rec.pokja_id]:
            continue
        payload = {
            "recommendation_id": rec.id,
            "case_id": rec.case_id,
            "number": rec.number,
            "register_number": register_number,
            "due_at": rec.follow_up_due_at,
        }
        deadlines += [
            Deadline(
                "recommendation",
                rec.id,
                rec.pokja_id,
                due_on,
                agency_id,
                rec.issuing_agency_id,
                payload,
            )
            for agency_id in sides[rec.id]
        ]
    return deadlines


def escalation_deadlines(session: Session, until: Mapping[uuid.UUID, date]) -> list[Deadline]:
    """Escalations of still-issued recommendations, each on its own deadline."""
    rows = _open_recommendations(session, until, escalations=True)
    sides = _addressee_sides(session, (row[0] for row in rows))
    deadlines = []
    for rec, register_number, zone, escalation in rows:
        due_on = PokjaCalendar(zone).local_date(escalation.due_at)
        if due_on > until[rec.pokja_id]:
            continue
        payload = {
            "recommendation_id": rec.id,
            "escalation_id": escalation.id,
            "case_id": rec.case_id,
            "kind_of_escalation": escalation.kind,
            "register_number": register_number,
            "due_at": escalation.due_at,
        }
        deadlines += [
            Deadline(
                "escalation",
                escalation.id,
                rec.pokja_id,
                due_on,
                agency_id,
                rec.issuing_agency_id,
                payload,
            )
            for agency_id in sides[rec.id]
        ]
    return deadlines


DEADLINE_SOURCES: list[DeadlineSource] = [
    pending_handoff_deadlines,
    recommendation_deadlines,
    escalation_deadlines,
]


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
    pokjas = session.execute(sa.select(Pokja.id, Pokja.timezone).where(Pokja.active)).all()
    calendars = calendars_for(session, pokjas)
    for pokja in pokjas:
        calendar = calendars[pokja.id]
        if in_working_hours(calendar, now):
            today[pokja.id] = calendar.local_date(now)
            # "Within one working day": due no later than the next working day.
            until[pokja.id] = calendar.add_days(today[pokja.id], 1, "working")
    if not until:
        return 0
    queued = 0
    for source in sources:
        for deadline in source(session, until):
            # A deadline is the end of its day (pokja.time.calendar): passed once that day is over.
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
