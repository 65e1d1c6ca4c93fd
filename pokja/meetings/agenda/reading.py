"""An agenda as one reader may see it (DESIGN §5, §7): live while the meeting is a draft, the
frozen snapshot from ``schedule`` on, redacted for the reader either way.

The snapshot stores each case's full content and the agencies that see it in full; a reader
who is not among them (nor sees every case) gets the case as a redacted summary — register
number, stage, category, holder and dates — and none of its items' text. The manual items
(section 7) are read live, each with the reader's full-access answer from the one SQL
predicate (:func:`pokja.access.scopes.full_access_condition`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import in_a_pokja
from pokja.access.scopes import (
    CALLER_POKJA,
    access_shape,
    caller_params,
    full_access_condition,
    full_access_test,
)
from pokja.errors import NotFound
from pokja.meetings.agenda.build import SECTION_KEYS, build_snapshot
from pokja.models import AgendaItem, Case, Meeting, MeetingInvitation, Pokja, User
from pokja.models.base import AnySelect

MEETING_COLUMNS = (
    Meeting.id,
    Meeting.pokja_id,
    Meeting.title,
    Meeting.status,
    Meeting.starts_at,
    Meeting.ends_at,
    Meeting.place,
    Meeting.online_url,
    Meeting.sequence,
    Meeting.version,
    Meeting.agenda_snapshot,
    Meeting.agenda_frozen_at,
    Meeting.cancel_reason,
    Meeting.minutes,
    Meeting.closed_at,
    Meeting.chain_head_seq,
    Meeting.chain_head_hash,
    Pokja.name.label("pokja_name"),
    Pokja.timezone,
    Pokja.locale,
)
INVITATIONS = (
    sa.select(
        MeetingInvitation.agency_id, MeetingInvitation.attendance, MeetingInvitation.attendees
    )
    .where(MeetingInvitation.meeting_id == sa.bindparam("meeting_id"))
    .order_by(MeetingInvitation.agency_id)
)
_MANUAL: dict[str, AnySelect] = {}


MEETING = (
    sa.select(*MEETING_COLUMNS)
    .join(Pokja, Pokja.id == Meeting.pokja_id)
    .where(
        Meeting.id == sa.bindparam("meeting_id"),
        Meeting.pokja_id == sa.bindparam(CALLER_POKJA),
    )
)


def load_meeting(session: Session, user: User, meeting_id: uuid.UUID) -> sa.Row[Any]:
    """The meeting with its Pokja's name and zone, for a member of its Pokja (else NotFound)."""
    params = {"meeting_id": meeting_id, CALLER_POKJA: user.pokja_id}
    row = session.execute(MEETING, params).one_or_none() if in_a_pokja(user) else None
    if row is None:
        raise NotFound("Meeting not found.")
    return row


def invitations(session: Session, meeting_id: uuid.UUID) -> list[dict[str, Any]]:
    return [
        {
            "agency_id": str(row.agency_id),
            "attendance": row.attendance,
            "attendees": list(row.attendees or []),
        }
        for row in session.execute(INVITATIONS, {"meeting_id": meeting_id})
    ]


def _manual_statement(user: User) -> AnySelect:
    shape = access_shape(user)
    if shape not in _MANUAL:
        _MANUAL[shape] = (
            sa.select(
                AgendaItem.id,
                AgendaItem.position,
                AgendaItem.title,
                AgendaItem.notes,
                AgendaItem.case_id,
                AgendaItem.presenter_agency_id,
                AgendaItem.planned_minutes,
                AgendaItem.minutes,
                Case.register_number,
                Case.stage,
                Case.category,
                Case.holder_agency_id,
                Case.registered_at,
                Case.title.label("case_title"),
                sa.func.coalesce(full_access_condition(user), False).label("full_access"),
            )
            .outerjoin(Case, Case.id == AgendaItem.case_id)
            .where(AgendaItem.meeting_id == sa.bindparam("meeting_id"))
            .order_by(AgendaItem.position, AgendaItem.created_at, AgendaItem.id)
        )
    return _MANUAL[shape]


def manual_items(session: Session, user: User, meeting_id: uuid.UUID) -> list[dict[str, Any]]:
    """Section 7, live: the meeting's manual items in their order, as ``user`` may see them."""
    params = {**caller_params(user), "meeting_id": meeting_id}
    items = []
    for row in session.execute(_manual_statement(user), params):
        item: dict[str, Any] = {
            "object": "agenda_item",
            "id": str(row.id),
            "why": "manual",
            "position": row.position,
            "presenter_agency_id": _text(row.presenter_agency_id),
            "planned_minutes": row.planned_minutes,
            "case_id": _text(row.case_id),
            "redacted": False,
        }
        text = {"title": row.title, "notes": row.notes or "", "minutes": row.minutes or ""}
        if row.case_id is None:
            item["text"] = text
            items.append(item)
            continue
        full = bool(row.full_access) and user.role != "viewer"
        item["case"] = _summary(
            str(row.case_id),
            row.register_number,
            row.stage,
            row.category,
            str(row.holder_agency_id),
            row.registered_at.isoformat(),
            full,
        )
        item["redacted"] = not full
        if full:
            item["case"]["title"] = row.case_title
            item["text"] = text
        items.append(item)
    return items


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _summary(
    case_id: str,
    register_number: str,
    stage: str,
    category: str,
    holder_agency_id: str,
    registered_at: str,
    full: bool,
) -> dict[str, Any]:
    return {
        "id": case_id,
        "register_number": register_number,
        "stage": stage,
        "category": category,
        "holder_agency_id": holder_agency_id,
        "registered_at": registered_at,
        "redacted": not full,
    }


def present_item(
    item: dict[str, Any], cases: dict[str, Any], sees: Callable[[Collection[str]], bool]
) -> dict[str, Any]:
    """One stored item for ``user``: its case in full or as a redacted summary; its text only
    with the full case (an item of no case is the meeting's own and never redacted)."""
    shown = {key: value for key, value in item.items() if key != "text"}
    if not item.get("case_id"):
        shown.update(redacted=False, text=item.get("text", {}))
        return shown
    case = cases.get(item["case_id"])
    if case is None:
        # No stored facts say who sees the case: nobody gets its text.
        shown.update(redacted=True)
        return shown
    full = sees(case["full_access_agency_ids"])
    block = _summary(
        case["id"],
        case["register_number"],
        case["stage"],
        case["category"],
        case["holder_agency_id"],
        case["registered_at"],
        full,
    )
    if full:
        block.update(case["full"])
        shown["text"] = item.get("text", {})
    shown.update(case=block, redacted=not full)
    return shown


def present(
    snapshot: dict[str, Any], user: User, manual: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The seven sections of a stored agenda, for ``user``."""
    cases, sees = snapshot["cases"], full_access_test(user)
    result = []
    for number, key in enumerate(SECTION_KEYS, start=1):
        section: dict[str, Any] = {"key": key, "number": number, "items": []}
        if key == "statistics":
            section["figures"] = snapshot["statistics"]
        elif key == "manual_items":
            section["items"] = manual
        else:
            section["items"] = [present_item(i, cases, sees) for i in snapshot["sections"][key]]
        result.append(section)
    return result


def read_agenda(
    session: Session, user: User, meeting_id: uuid.UUID, now: datetime
) -> dict[str, Any]:
    """The agenda of a meeting of the reader's Pokja, as the reader may see it."""
    meeting = load_meeting(session, user, meeting_id)
    snapshot = meeting.agenda_snapshot
    frozen = meeting.status != "draft" and snapshot is not None and "sections" in snapshot
    if not frozen:
        snapshot = build_snapshot(session, meeting, now)
    manual = manual_items(session, user, meeting.id)
    return {
        "meeting": meeting_view(meeting, invitations(session, meeting.id)),
        "frozen": frozen,
        "frozen_at": meeting.agenda_frozen_at.isoformat() if frozen else None,
        "generated_at": snapshot["generated_at"],
        "window": snapshot["window"],
        "agencies": snapshot["agencies"],
        "sections": present(snapshot, user, manual),
    }


def meeting_view(meeting: Any, invited: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": str(meeting.id),
        "pokja": {"id": str(meeting.pokja_id), "name": meeting.pokja_name},
        "timezone": meeting.timezone,
        "title": meeting.title,
        "status": meeting.status,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "place": meeting.place,
        "online_url": meeting.online_url,
        "sequence": meeting.sequence,
        "cancel_reason": meeting.cancel_reason,
        "invited": invited,
    }
