"""Manual agenda items (DESIGN §7, section 7): added, changed, reordered and removed until the
meeting starts; their minutes, like the meeting's own, are written while it is in progress."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.scopes import can_see_full, get_or_404
from pokja.audit import events
from pokja.errors import NotFound, field_error
from pokja.meetings.queries import for_change, pokja_agencies, touch
from pokja.models import AgendaItem, Case, Meeting, User

FIELDS = ("title", "notes", "case_id", "presenter_agency_id", "planned_minutes", "position")
# Until the meeting starts (DESIGN §7).
EDITABLE_WHILE = ("draft", "scheduled")


def items_of(meeting: Meeting) -> sa.Select[AgendaItem]:
    return (
        sa.select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.created_at, AgendaItem.id)
    )


def get_item(session: Session, meeting: Meeting, item_id: uuid.UUID) -> AgendaItem:
    stmt = sa.select(AgendaItem).where(
        AgendaItem.id == item_id, AgendaItem.meeting_id == meeting.id
    )
    return get_or_404(session, stmt, "Agenda item")  # type: ignore[no-any-return]


def _check_refs(session: Session, actor: User, meeting: Meeting, values: dict[str, Any]) -> None:
    """A case the caller may see (another Pokja's is unknown: 422), an agency of the Pokja."""
    if values.get("case_id") is not None:
        case = session.get(Case, values["case_id"])
        if (
            case is None
            or case.pokja_id != meeting.pokja_id
            or not can_see_full(session, actor, case)
        ):
            raise field_error("case_id", "Unknown case.", "unknown_case")
    if values.get("presenter_agency_id") is not None:
        pokja_agencies(
            session, meeting.pokja_id, [values["presenter_agency_id"]], "presenter_agency_id"
        )


def _record(session: Session, actor: User, meeting: Meeting, type: str, **data: Any) -> None:
    events.record(
        session,
        pokja_id=meeting.pokja_id,
        case_id=None,
        actor=actor,
        type=type,
        data={"meeting_id": meeting.id, **data},
    )


def _snapshot(item: AgendaItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in FIELDS}


def add_item(session: Session, actor: User, meeting: Meeting, data: dict[str, Any]) -> AgendaItem:
    """A manual item, last unless a ``position`` is given."""
    meeting = for_change(session, actor, meeting, *EDITABLE_WHILE)
    _check_refs(session, actor, meeting, data)
    position = data.get("position")
    if position is None:
        last = session.scalar(
            sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
        )
        position = (last or 0) + 1
    item = AgendaItem(
        pokja_id=meeting.pokja_id,
        meeting_id=meeting.id,
        created_by_id=actor.id,
        **{**{k: data.get(k) for k in FIELDS}, "position": position},
    )
    session.add(item)
    session.flush()
    touch(meeting)
    _record(
        session, actor, meeting, "meeting.agenda_item_added", item_id=item.id, after=_snapshot(item)
    )
    return item


def update_item(
    session: Session, actor: User, meeting: Meeting, item: AgendaItem, data: dict[str, Any]
) -> AgendaItem:
    meeting = for_change(session, actor, meeting, *EDITABLE_WHILE)
    _check_refs(session, actor, meeting, data)
    before = _snapshot(item)
    changed = {k: v for k, v in data.items() if k in FIELDS and before[k] != v}
    if not changed:
        return item
    for name, value in changed.items():
        setattr(item, name, value)
    touch(meeting)
    _record(
        session,
        actor,
        meeting,
        "meeting.agenda_item_updated",
        item_id=item.id,
        before={k: before[k] for k in changed},
        after=changed,
    )
    return item


def remove_item(session: Session, actor: User, meeting: Meeting, item: AgendaItem) -> None:
    meeting = for_change(session, actor, meeting, *EDITABLE_WHILE)
    before = _snapshot(item)
    session.delete(item)
    touch(meeting)
    _record(session, actor, meeting, "meeting.agenda_item_removed", item_id=item.id, before=before)


def write_minutes(
    session: Session, actor: User, meeting: Meeting, minutes: str, item: AgendaItem | None = None
) -> Meeting:
    """The meeting's minutes (Markdown), or one item's, while the meeting is in progress."""
    meeting = for_change(session, actor, meeting, "in_progress")
    target: Any = item if item is not None else meeting
    if item is not None and item.meeting_id != meeting.id:
        raise NotFound("Agenda item not found.")
    before = target.minutes
    if before == minutes:
        return meeting
    target.minutes = minutes
    touch(meeting)
    _record(
        session,
        actor,
        meeting,
        "meeting.minutes_written",
        item_id=item.id if item is not None else None,
        before={"minutes": before},
        after={"minutes": minutes},
    )
    return meeting
