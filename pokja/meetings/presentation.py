"""Meetings and decisions as each caller sees them, built in a fixed number of statements.

Everyone in the Pokja reads meetings (DESIGN §4), with two limits from DESIGN §5: a viewer
sees no minutes (free text, which may name people), and the title, notes and minutes of an
agenda item, or the text of a decision, tied to a case the caller does not see in full are
left out (``redacted``), as a redacted case summary leaves out its text. The owner agency's
liaison always reads its own decisions: it has to act on them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import is_liaison_of
from pokja.access.scopes import full_access_condition
from pokja.cases.presentation import agency_ref
from pokja.models import Agency, AgendaItem, Case, Decision, Meeting, MeetingInvitation, Pokja, User
from pokja.models.base import AnySelect
from pokja.time import clock
from pokja.time.calendar import PokjaCalendar
from pokja.time.settings import calendar_for


def _zone_calendar(session: Session, pokja_id: uuid.UUID) -> PokjaCalendar:
    return calendar_for(session, session.get_one(Pokja, pokja_id))


def pokja_calendar(session: Session, user: User) -> PokjaCalendar:
    """The caller's Pokja's calendar (a default one for a caller of no Pokja, who sees none)."""
    if user.pokja_id is None:
        return PokjaCalendar()
    return _zone_calendar(session, user.pokja_id)


def case_facts(
    session: Session, user: User, case_ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, tuple[str, bool]]:
    """Each case's register number and whether ``user`` sees it in full (one statement)."""
    ids = {case_id for case_id in case_ids if case_id is not None}
    if not ids:
        return {}
    full = full_access_condition(user)
    rows = session.execute(
        sa.select(Case.id, Case.register_number, full.label("full")).where(Case.id.in_(ids))
    )
    return {row.id: (row.register_number, bool(row.full)) for row in rows}


def _local(moment: datetime | None, calendar: PokjaCalendar) -> datetime | None:
    return moment.astimezone(calendar.zone) if moment is not None else None


MEETING_COLUMNS = tuple(
    getattr(Meeting, name)
    for name in (
        "id",
        "pokja_id",
        "title",
        "status",
        "starts_at",
        "ends_at",
        "place",
        "online_url",
        "sequence",
        "cancel_reason",
        "scheduled_at",
        "started_at",
        "closed_at",
        "cancelled_at",
        "agenda_frozen_at",
        "chain_head_seq",
        "chain_head_hash",
        "created_at",
        "updated_at",
        "version",
    )
)


def meeting_rows(stmt: sa.Select[Meeting]) -> AnySelect:
    """``stmt``'s meetings as plain columns (the list is a hot read)."""
    return stmt.with_only_columns(*MEETING_COLUMNS)


def meeting_summary(meeting: Any, calendar: PokjaCalendar, user: User) -> dict[str, Any]:
    """The meeting's own fields, times in the Pokja's zone."""
    head = None
    if meeting.chain_head_seq is not None:
        head = {"seq": meeting.chain_head_seq, "hash": meeting.chain_head_hash}
    return {
        "id": meeting.id,
        "title": meeting.title,
        "status": meeting.status,
        "starts_at": _local(meeting.starts_at, calendar),
        "ends_at": _local(meeting.ends_at, calendar),
        "time_zone": calendar.time_zone,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "sequence": meeting.sequence,
        "cancel_reason": meeting.cancel_reason,
        "scheduled_at": meeting.scheduled_at,
        "started_at": meeting.started_at,
        "closed_at": meeting.closed_at,
        "cancelled_at": meeting.cancelled_at,
        "agenda_frozen_at": meeting.agenda_frozen_at,
        "chain_head": head,
        "created_at": meeting.created_at,
        "updated_at": meeting.updated_at,
        "version": meeting.version,
    }


def present_meetings(session: Session, user: User, meetings: Sequence[Any]) -> list[dict]:
    """A page of :func:`meeting_rows` (their own fields only), ready to encode once."""
    if not meetings:
        return []
    calendar = _zone_calendar(session, meetings[0].pokja_id)
    return [meeting_summary(m, calendar, user) for m in meetings]


def item_view(
    item: AgendaItem, facts: dict[uuid.UUID, tuple[str, bool]], user: User
) -> dict[str, Any]:
    number, full = facts.get(item.case_id, (None, True)) if item.case_id else (None, True)
    hidden = not full
    return {
        "id": item.id,
        "meeting_id": item.meeting_id,
        "position": item.position,
        "title": None if hidden else item.title,
        "notes": None if hidden else item.notes,
        "case_id": item.case_id,
        "register_number": number,
        "presenter_agency_id": item.presenter_agency_id,
        "planned_minutes": item.planned_minutes,
        "minutes": None if hidden or user.role == "viewer" else item.minutes,
        "redacted": hidden,
        "version": item.version,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def present_items(session: Session, user: User, items: Sequence[AgendaItem]) -> list[dict]:
    facts = case_facts(session, user, (item.case_id for item in items))
    return [item_view(item, facts, user) for item in items]


def present_meeting(session: Session, user: User, meeting: Meeting) -> dict[str, Any]:
    """One meeting with its invited agencies and attendance, and its manual agenda items."""
    calendar = _zone_calendar(session, meeting.pokja_id)
    view = meeting_summary(meeting, calendar, user)
    invitations = session.execute(
        sa.select(MeetingInvitation, Agency)
        .join(Agency, Agency.id == MeetingInvitation.agency_id)
        .where(MeetingInvitation.meeting_id == meeting.id)
        .order_by(Agency.kind, Agency.name, Agency.id)
    ).all()
    items = list(
        session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position, AgendaItem.created_at, AgendaItem.id)
        )
    )
    view["minutes"] = None if user.role == "viewer" else meeting.minutes
    view["invitations"] = [
        {
            "agency": agency_ref(agency),
            "attendance": invitation.attendance,
            "attendees": invitation.attendees or [],
            "recorded_at": invitation.recorded_at,
        }
        for invitation, agency in invitations
    ]
    view["agenda_items"] = present_items(session, user, items)
    return view


def decision_view(
    decision: Any,
    register_number: str | None,
    full: bool,
    user: User,
    calendar: PokjaCalendar,
    now: datetime,
) -> dict[str, Any]:
    hidden = (
        decision.case_id is not None
        and not full
        and not is_liaison_of(user, decision.owner_agency_id)
    )
    due_at = calendar.end_of(decision.due_on)
    is_open = decision.status == "open"
    return {
        "id": decision.id,
        "meeting_id": decision.meeting_id,
        "text": None if hidden else decision.text,
        "redacted": hidden,
        "owner_agency_id": decision.owner_agency_id,
        "case_id": decision.case_id,
        "register_number": register_number,
        "due_on": decision.due_on,
        "due_unit": decision.due_unit,
        "due_at": due_at,
        "days_left": calendar.days_left(due_at, now, decision.due_unit) if is_open else None,  # type: ignore[arg-type]
        "overdue": is_open and calendar.day_has_ended(decision.due_on, now),
        "status": decision.status,
        "done_at": decision.done_at,
        "done_by_id": decision.done_by_id,
        "done_note": None if hidden else decision.done_note,
        "created_by_id": decision.created_by_id,
        "created_at": decision.created_at,
        "version": decision.version,
    }


DECISION_COLUMNS = (
    Decision.id,
    Decision.pokja_id,
    Decision.meeting_id,
    Decision.text,
    Decision.owner_agency_id,
    Decision.case_id,
    Decision.due_on,
    Decision.due_unit,
    Decision.status,
    Decision.done_at,
    Decision.done_by_id,
    Decision.done_note,
    Decision.created_by_id,
    Decision.created_at,
    Decision.version,
)


def decision_rows(stmt: sa.Select[Decision], user: User) -> AnySelect:
    """``stmt``'s decisions as plain columns, with their case's register number and the
    caller's full-access flag, in the same statement (a hot read: no ORM objects)."""
    full = full_access_condition(user)
    columns = (*DECISION_COLUMNS, Case.register_number, full.label("full"))
    return (
        stmt.with_only_columns(*columns, maintain_column_froms=False)
        .select_from(Decision)
        .outerjoin(Case, Case.id == Decision.case_id)
    )


def present_decision_rows(session: Session, user: User, rows: Sequence[Any]) -> list[dict]:
    """A page of :func:`decision_rows`, ready to encode once."""
    if not rows:
        return []
    calendar = _zone_calendar(session, rows[0].pokja_id)
    now = clock.now()
    return [
        decision_view(row, row.register_number, bool(row.full), user, calendar, now) for row in rows
    ]


def present_decision(session: Session, user: User, decision: Decision) -> dict[str, Any]:
    facts = case_facts(session, user, [decision.case_id])
    number, full = facts.get(decision.case_id, (None, False)) if decision.case_id else (None, True)
    calendar = _zone_calendar(session, decision.pokja_id)
    return decision_view(decision, number, full, user, calendar, clock.now())
