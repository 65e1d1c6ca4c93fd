"""Decisions (action items) of a meeting (DESIGN §3): an owner agency does something by a day.

Taken while the meeting is in progress; they outlive it: an open one is a deadline source
(:mod:`pokja.meetings.due`) for its owner agency, carries over to the next meeting's agenda,
and, tied to a case, shows in the case's history. Marking one done is a conditional UPDATE on
``status = 'open'``, so of two concurrent completions one wins.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import may_complete_decision
from pokja.access.scopes import visible_cases
from pokja.audit import events
from pokja.errors import Conflict, NotPermitted, RuleViolation, field_error
from pokja.meetings.notices import notify_assigned
from pokja.meetings.queries import for_change, pokja_agencies, touch
from pokja.models import Case, Decision, Meeting, Pokja, User
from pokja.time import clock
from pokja.time.calendar import PokjaCalendar
from pokja.time.settings import calendar_for


def _snapshot(decision: Decision) -> dict[str, Any]:
    return {
        "decision_id": decision.id,
        "meeting_id": decision.meeting_id,
        "text": decision.text,
        "owner_agency_id": decision.owner_agency_id,
        "due_on": decision.due_on,
        "due_unit": decision.due_unit,
        "case_id": decision.case_id,
        "status": decision.status,
    }


def _due(calendar: PokjaCalendar, meeting: Meeting, data: dict[str, Any]) -> tuple[date, str]:
    """``due_on`` as given, or ``due_in_working_days`` counted from the meeting's day in the
    Pokja's calendar (its holidays and declared days). The meeting's day is the one it was
    called for, so that minutes typed in later count from when it was held."""
    given, days = data.get("due_on"), data.get("due_in_working_days")
    if (given is None) == (days is None):
        message = "Give either due_on or due_in_working_days."
        raise RuleViolation(
            message,
            code="due_required",
            errors={"due_on": [message], "due_in_working_days": [message]},
        )
    held_on = calendar.local_date(meeting.starts_at)
    if days is not None:
        return calendar.add_days(held_on, days, "working"), "working"
    assert given is not None  # noqa: S101 (one of the two is given, checked above)
    if given < held_on:
        raise field_error("due_on", "The decision cannot be due before the meeting.", "due_in_past")
    return given, "calendar"


def take_decision(
    session: Session, actor: User, meeting: Meeting, data: dict[str, Any]
) -> Decision:
    """A decision of ``meeting`` (in progress): ``text``, ``owner_agency_id``, ``due_on`` or
    ``due_in_working_days``, optional ``case_id`` of a case the caller may see."""
    meeting = for_change(session, actor, meeting, "in_progress")
    owner = pokja_agencies(session, meeting.pokja_id, [data["owner_agency_id"]], "owner_agency_id")[
        0
    ]
    case_id = data.get("case_id")
    if case_id is not None:
        seen = session.scalar(
            visible_cases(actor).where(Case.id == case_id).with_only_columns(Case.id)
        )
        if not seen:
            raise field_error("case_id", "Unknown case.", "unknown_case")
    pokja = session.get_one(Pokja, meeting.pokja_id)
    due_on, unit = _due(calendar_for(session, pokja), meeting, data)
    decision = Decision(
        pokja_id=meeting.pokja_id,
        meeting_id=meeting.id,
        text=data["text"],
        owner_agency_id=owner.id,
        due_on=due_on,
        due_unit=unit,
        case_id=case_id,
        status="open",
        created_by_id=actor.id,
    )
    session.add(decision)
    session.flush()
    touch(meeting)
    events.record(
        session,
        pokja_id=meeting.pokja_id,
        case_id=case_id,
        actor=actor,
        type="decision.taken",
        data={"after": _snapshot(decision)},
    )
    notify_assigned(session, decision)
    return decision


def mark_done(session: Session, actor: User, decision: Decision, note: str | None) -> Decision:
    """open → done, by the owner agency's liaison, a secretary or a coordinator."""
    if not may_complete_decision(actor, decision.owner_agency_id):
        raise NotPermitted("Only the owner agency's liaison, a secretary or a coordinator may.")
    now = clock.now()
    result = session.execute(
        sa.update(Decision)
        .where(Decision.id == decision.id, Decision.status == "open")
        .values(
            status="done",
            done_at=now,
            done_by_id=actor.id,
            done_note=note,
            updated_at=now,
            version=Decision.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(decision)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("The decision is done already.", code="decision_done")
    events.record(
        session,
        pokja_id=decision.pokja_id,
        case_id=decision.case_id,
        actor=actor,
        type="decision.done",
        data={
            "decision_id": decision.id,
            "meeting_id": decision.meeting_id,
            "note": note,
            "before": {"status": "open"},
            "after": {"status": "done", "done_at": now},
        },
    )
    return decision


def overdue_condition(calendar: PokjaCalendar, now: datetime) -> sa.ColumnElement[bool]:
    """Open after the end of its due day in the Pokja's zone (derived now, DESIGN §6)."""
    return sa.and_(Decision.status == "open", calendar.day_overdue_condition(Decision.due_on, now))


def filter_decisions(
    stmt: sa.Select[Decision],
    calendar: PokjaCalendar,
    *,
    owner_agency_id: uuid.UUID | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    case_id: uuid.UUID | None = None,
    meeting_id: uuid.UUID | None = None,
) -> sa.Select[Decision]:
    if owner_agency_id:
        stmt = stmt.where(Decision.owner_agency_id == owner_agency_id)
    if status:
        stmt = stmt.where(Decision.status == status)
    if case_id:
        stmt = stmt.where(Decision.case_id == case_id)
    if meeting_id:
        stmt = stmt.where(Decision.meeting_id == meeting_id)
    if overdue is not None:
        late = overdue_condition(calendar, clock.now())
        stmt = stmt.where(late if overdue else sa.not_(late))
    return stmt
