"""Sections 1–4 of an agenda (DESIGN §7): new cases, handoffs pending or declined,
recommendations past their follow-up deadline, and decisions still open.

Each section is one statement of plain columns over the whole Pokja, built once (per database
dialect where it aggregates children into JSON) and run with the meeting's values. An item
names its object and why it is on the agenda; its free text (a handoff's reason, a
recommendation's text) is kept under ``text``, which a reader who does not see the case in full
never gets (:mod:`pokja.meetings.agenda.reading`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.cases.child_rows import json_rows
from pokja.models import Case, Decision, Escalation, Handoff, Meeting, Recommendation
from pokja.models.base import AnySelect
from pokja.time.calendar import PokjaCalendar, is_overdue, overdue_at

NEW_CASES = (
    sa.select(Case.id, Case.register_number, Case.registered_at)
    .where(
        Case.pokja_id == sa.bindparam("pokja_id"),
        Case.registered_at >= sa.bindparam("since"),
        Case.registered_at <= sa.bindparam("now"),
    )
    .order_by(Case.registered_at, Case.id)
)

HANDOFFS = (
    sa.select(
        Handoff.id,
        Handoff.case_id,
        Handoff.status,
        Handoff.from_agency_id,
        Handoff.to_agency_id,
        Handoff.purpose,
        Handoff.reason,
        Handoff.letter_number,
        Handoff.letter_date,
        Handoff.due_on,
        Handoff.created_at,
        Handoff.decline_reason,
        Handoff.decline_text,
        Handoff.suggested_agency_id,
        Handoff.decided_at,
    )
    .where(
        Handoff.pokja_id == sa.bindparam("pokja_id"),
        sa.or_(
            Handoff.status == "pending",
            sa.and_(Handoff.status == "declined", Handoff.decided_at >= sa.bindparam("since")),
        ),
    )
    .order_by(Handoff.created_at, Handoff.id)
)

OPEN_DECISIONS = (
    sa.select(
        Decision.id,
        Decision.meeting_id,
        Meeting.title.label("meeting_title"),
        Meeting.starts_at.label("meeting_starts_at"),
        Decision.text,
        Decision.owner_agency_id,
        Decision.due_on,
        Decision.case_id,
    )
    .join(Meeting, Meeting.id == Decision.meeting_id)
    .where(
        Decision.pokja_id == sa.bindparam("pokja_id"),
        Decision.status == "open",
        Decision.meeting_id != sa.bindparam("meeting_id"),
        Meeting.starts_at < sa.bindparam("starts_at"),
    )
    .order_by(Decision.due_on, Decision.id)
)

_RECOMMENDATIONS: dict[str, AnySelect] = {}


def _recommendations(dialect: str) -> AnySelect:
    if dialect not in _RECOMMENDATIONS:
        escalations = json_rows(
            dialect,
            {
                "id": Escalation.id,
                "kind": Escalation.kind,
                "letter_number": Escalation.letter_number,
                "date": Escalation.date,
                "due_at": Escalation.due_at,
            },
            Escalation.recommendation_id == Recommendation.id,
            (Escalation.date, Escalation.created_at, Escalation.id),
            Recommendation,
        )
        _RECOMMENDATIONS[dialect] = (
            sa.select(
                Recommendation.id,
                Recommendation.case_id,
                Recommendation.number,
                Recommendation.date,
                Recommendation.text,
                Recommendation.issuing_agency_id,
                Recommendation.addressee_agency_id,
                Recommendation.follow_up_due_at,
                Recommendation.due_unit,
                escalations.label("escalations"),
            )
            .where(
                Recommendation.pokja_id == sa.bindparam("pokja_id"),
                Recommendation.status == "issued",
                overdue_at(Recommendation.follow_up_due_at),
            )
            .order_by(Recommendation.follow_up_due_at, Recommendation.id)
        )
    return _RECOMMENDATIONS[dialect]


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def new_cases(session: Session, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Section 1: the cases registered since the previous meeting, oldest first."""
    return [
        {
            "object": "case",
            "id": str(row.id),
            "case_id": str(row.id),
            "register_number": row.register_number,
            "why": "registered_since_previous_meeting",
            "registered_at": _iso(row.registered_at),
        }
        for row in session.execute(NEW_CASES, params)
    ]


def handoffs(
    session: Session, params: dict[str, Any], calendar: PokjaCalendar, now: datetime
) -> list[dict[str, Any]]:
    """Section 2: pending handoffs, overdue first, with the working days they have waited;
    then the handoffs declined since the previous meeting (authority in dispute)."""
    today = calendar.local_date(now)
    pending, declined = [], []
    for row in session.execute(HANDOFFS, params):
        item: dict[str, Any] = {
            "object": "handoff",
            "id": str(row.id),
            "case_id": str(row.case_id),
            "status": row.status,
            "from_agency_id": str(row.from_agency_id),
            "to_agency_id": str(row.to_agency_id),
            "purpose": row.purpose,
            "letter_number": row.letter_number,
            "letter_date": _iso(row.letter_date),
            "created_at": _iso(row.created_at),
            "due_on": _iso(row.due_on),
            "text": {"reason": row.reason or ""},
        }
        if row.status == "pending":
            overdue = row.due_on is not None and calendar.day_has_ended(row.due_on, now)
            sent_on = calendar.local_date(row.created_at)
            item["why"] = "handoff_overdue" if overdue else "handoff_pending"
            item["overdue"] = overdue
            item["working_days_waiting"] = max(0, calendar.working_days_between(sent_on, today))
            pending.append(item)
        else:
            item["why"] = "handoff_declined"
            item["decline_reason"] = row.decline_reason
            item["suggested_agency_id"] = _str(row.suggested_agency_id)
            item["decided_at"] = _iso(row.decided_at)
            item["text"]["decline_text"] = row.decline_text or ""
            declined.append(item)
    # Overdue first, the longest waiting first within each; the sort is stable.
    pending.sort(key=lambda i: (not i["overdue"], -i["working_days_waiting"]))
    return pending + declined


def recommendations(
    session: Session, params: dict[str, Any], calendar: PokjaCalendar, now: datetime
) -> list[dict[str, Any]]:
    """Section 3: recommendations past their follow-up deadline, grouped per addressee (the
    addressee with the oldest first), oldest first within a group, with their escalations."""
    dialect = session.get_bind().dialect.name
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in session.execute(_recommendations(dialect), params):
        escalations = [
            {
                "id": str(uuid.UUID(str(e["id"]))),
                "kind": e["kind"],
                "letter_number": e["letter_number"],
                "date": str(e["date"]),
                "due_at": _timestamp(e["due_at"]),
            }
            for e in row.escalations
        ]
        groups.setdefault(str(row.addressee_agency_id), []).append(
            {
                "object": "recommendation",
                "id": str(row.id),
                "case_id": str(row.case_id),
                "why": "recommendation_overdue",
                "number": row.number,
                "date": _iso(row.date),
                "issuing_agency_id": str(row.issuing_agency_id),
                "addressee_agency_id": str(row.addressee_agency_id),
                "follow_up_due_at": _iso(row.follow_up_due_at),
                "due_unit": row.due_unit,
                "days_overdue": -calendar.days_left(row.follow_up_due_at, now, row.due_unit),
                "escalations": escalations,
                "text": {"text": row.text},
            }
        )
    return [item for group in groups.values() for item in group]


def _timestamp(value: Any) -> str:
    """A timestamp aggregated into JSON, as ISO 8601 with its offset (SQLite keeps none)."""
    moment = datetime.fromisoformat(str(value).replace(" ", "T"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def open_decisions(
    session: Session, params: dict[str, Any], calendar: PokjaCalendar, now: datetime
) -> list[dict[str, Any]]:
    """Section 4: decisions of earlier meetings still open, overdue first."""
    items = []
    for row in session.execute(OPEN_DECISIONS, params):
        overdue = is_overdue(calendar.end_of(row.due_on), now)
        items.append(
            {
                "object": "decision",
                "id": str(row.id),
                "case_id": _str(row.case_id),
                "why": "decision_overdue" if overdue else "decision_open",
                "overdue": overdue,
                "meeting_id": str(row.meeting_id),
                "meeting_title": row.meeting_title,
                "meeting_starts_at": _iso(row.meeting_starts_at),
                "owner_agency_id": str(row.owner_agency_id),
                "due_on": _iso(row.due_on),
                "text": {"text": row.text},
            }
        )
    items.sort(key=lambda i: not i["overdue"])
    return items


def case_ids(sections: Iterable[list[dict[str, Any]]]) -> list[str]:
    """Every case the sections name, once, in order of appearance."""
    seen: dict[str, None] = {}
    for items in sections:
        for item in items:
            if item.get("case_id"):
                seen.setdefault(item["case_id"], None)
    return list(seen)
