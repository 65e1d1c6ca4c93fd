"""A meeting's life (DESIGN §3, §7): draft → scheduled (the agenda frozen) → in_progress →
closed (locked), draft|scheduled → cancelled, and a coordinator's reopen of a closed meeting.

Every step locks the meeting row first (:func:`pokja.meetings.queries.for_change`), so of two
concurrent closes one closes and the other gets 409 ``meeting_closed``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pokja.access.roles import is_coordinator_of, manages_meetings
from pokja.audit import events
from pokja.errors import Conflict, NotPermitted, RuleViolation, field_error
from pokja.meetings.agenda_snapshot import freeze_agenda
from pokja.meetings.discussed import record_discussed_cases
from pokja.meetings.notices import notify_invited
from pokja.meetings.queries import (
    for_change,
    invitations_of,
    member_agencies,
    pokja_agencies,
)
from pokja.models import Event, Meeting, MeetingInvitation, User
from pokja.time import clock

EDITABLE = ("title", "starts_at", "ends_at", "place", "online_url")


def _details(meeting: Meeting) -> dict[str, Any]:
    return {name: getattr(meeting, name) for name in EDITABLE}


def _check_times_and_place(values: dict[str, Any]) -> None:
    starts, ends = values["starts_at"], values["ends_at"]
    if ends <= starts:
        raise field_error("ends_at", "The meeting must end after it starts.", "ends_before_start")
    if not (values.get("place") or values.get("online_url")):
        message = "Give a place, an online link, or both."
        raise RuleViolation(
            message, code="place_required", errors={"place": [message], "online_url": [message]}
        )


def _record(
    session: Session, actor: User | None, meeting: Meeting, type: str, **data: Any
) -> Event:
    return events.record(
        session,
        pokja_id=meeting.pokja_id,
        case_id=None,
        actor=actor,
        type=type,
        data={"meeting_id": meeting.id, **data},
    )


def create_meeting(session: Session, actor: User, data: dict[str, Any]) -> Meeting:
    """A draft meeting; ``invited_agency_ids`` defaults to every member agency of the Pokja."""
    if not manages_meetings(actor) or actor.pokja_id is None:
        raise NotPermitted("Only a secretary or a coordinator creates meetings.")
    values = {name: data.get(name) for name in EDITABLE}
    _check_times_and_place(values)
    pokja_id = actor.pokja_id
    invited = (
        pokja_agencies(session, pokja_id, data["invited_agency_ids"], "invited_agency_ids")
        if data.get("invited_agency_ids") is not None
        else member_agencies(session, pokja_id)
    )
    if not invited:
        raise field_error("invited_agency_ids", "Invite at least one agency.", "no_invited")
    meeting = Meeting(pokja_id=pokja_id, status="draft", created_by_id=actor.id, **values)
    session.add(meeting)
    session.flush()
    session.add_all(
        MeetingInvitation(pokja_id=pokja_id, meeting_id=meeting.id, agency_id=a.id) for a in invited
    )
    _record(
        session,
        actor,
        meeting,
        "meeting.created",
        after={**_details(meeting), "invited_agency_ids": sorted(str(a.id) for a in invited)},
    )
    return meeting


def update_meeting(
    session: Session, actor: User, meeting: Meeting, data: dict[str, Any]
) -> Meeting:
    """Change a draft or scheduled meeting. Moving a scheduled meeting's time is a reschedule:
    recorded as such, its iCalendar SEQUENCE grows and the invited agencies are told."""
    meeting = for_change(session, actor, meeting, "draft", "scheduled")
    before = _details(meeting)
    after = {**before, **{k: v for k, v in data.items() if k in EDITABLE}}
    _check_times_and_place(after)
    changed = {k for k in EDITABLE if after[k] != before[k]}
    invited_before = {i.agency_id for i in invitations_of(session, meeting)}
    added: list[Any] = []
    if data.get("invited_agency_ids") is not None:
        wanted = pokja_agencies(
            session, meeting.pokja_id, data["invited_agency_ids"], "invited_agency_ids"
        )
        if not wanted:
            raise field_error("invited_agency_ids", "Invite at least one agency.", "no_invited")
        added = _set_invitations(session, meeting, {a.id for a in wanted})
    invited_after = {i.agency_id for i in invitations_of(session, meeting)}
    if not changed and invited_after == invited_before:
        return meeting
    for name in changed:
        setattr(meeting, name, after[name])
    rescheduled = meeting.status == "scheduled" and bool(changed & {"starts_at", "ends_at"})
    if rescheduled:
        meeting.sequence += 1
    diff: dict[str, Any] = {
        "before": {k: before[k] for k in changed},
        "after": {k: after[k] for k in changed},
    }
    if invited_after != invited_before:
        diff["before"]["invited_agency_ids"] = sorted(str(i) for i in invited_before)
        diff["after"]["invited_agency_ids"] = sorted(str(i) for i in invited_after)
    meeting.updated_at = clock.now()
    _record(
        session,
        actor,
        meeting,
        "meeting.rescheduled" if rescheduled else "meeting.updated",
        **diff,
    )
    if rescheduled:
        notify_invited(session, meeting, "meeting.rescheduled")
    elif added and meeting.status == "scheduled":
        notify_invited(session, meeting, "meeting.scheduled", added)
    return meeting


def _set_invitations(session: Session, meeting: Meeting, wanted: set[Any]) -> list[Any]:
    """Invite ``wanted`` exactly; returns the newly invited agencies' ids."""
    current = {i.agency_id: i for i in invitations_of(session, meeting)}
    for agency_id, invitation in current.items():
        if agency_id not in wanted:
            session.delete(invitation)
    added = sorted(wanted - set(current))
    session.add_all(
        MeetingInvitation(pokja_id=meeting.pokja_id, meeting_id=meeting.id, agency_id=agency_id)
        for agency_id in added
    )
    session.flush()
    return added


def schedule(session: Session, actor: User, meeting: Meeting) -> Meeting:
    """draft → scheduled: the agenda is frozen and the invited agencies are told."""
    meeting = for_change(session, actor, meeting, "draft")
    now = clock.now()
    freeze_agenda(meeting)
    meeting.status, meeting.scheduled_at = "scheduled", now
    _record(session, actor, meeting, "meeting.scheduled", **_status_change("draft", meeting))
    notify_invited(session, meeting, "meeting.scheduled")
    return meeting


def refresh_agenda(session: Session, actor: User, meeting: Meeting) -> Meeting:
    """Freeze the agenda again while the meeting is still scheduled."""
    meeting = for_change(session, actor, meeting, "scheduled")
    freeze_agenda(meeting)
    meeting.updated_at = clock.now()
    _record(session, actor, meeting, "meeting.agenda_refreshed", frozen_at=meeting.agenda_frozen_at)
    return meeting


def start(session: Session, actor: User, meeting: Meeting) -> Meeting:
    """scheduled → in_progress: attendance, minutes and decisions may be recorded."""
    meeting = for_change(session, actor, meeting, "scheduled")
    meeting.status, meeting.started_at = "in_progress", clock.now()
    _record(session, actor, meeting, "meeting.started", **_status_change("scheduled", meeting))
    return meeting


def close(session: Session, actor: User, meeting: Meeting) -> Meeting:
    """in_progress → closed, once every invited agency's attendance is recorded.

    The cases on the agenda get "discussed at <meeting>" in their history, and the Pokja's
    audit-chain head after the closing event is stored on the meeting: printed in the signed
    minutes, it anchors the record outside the database (``pokja audit-verify --anchor``).
    """
    meeting = for_change(session, actor, meeting, "in_progress")
    missing = [str(i.agency_id) for i in invitations_of(session, meeting) if i.attendance is None]
    if missing:
        raise Conflict(
            "Record the attendance of every invited agency before closing the meeting.",
            code="attendance_missing",
            missing_agency_ids=missing,
        )
    record_discussed_cases(session, actor, meeting)
    closed_at = clock.now()
    event = _record(
        session,
        actor,
        meeting,
        "meeting.closed",
        before={"status": "in_progress"},
        after={"status": "closed", "closed_at": closed_at},
    )
    meeting.status, meeting.closed_at = "closed", closed_at
    meeting.chain_head_seq, meeting.chain_head_hash = event.seq, event.hash
    session.flush()
    return meeting


def cancel(session: Session, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """draft|scheduled → cancelled, with a reason; the agencies told of a scheduled meeting are
    told it is off (and its iCalendar SEQUENCE grows, RFC 5546 §3.2.5)."""
    meeting = for_change(session, actor, meeting, "draft", "scheduled")
    if not reason.strip():
        raise field_error("reason", "Say why the meeting is cancelled.", "reason_required")
    was = meeting.status
    meeting.status, meeting.cancel_reason, meeting.cancelled_at = "cancelled", reason, clock.now()
    if was == "scheduled":
        meeting.sequence += 1
    _record(
        session, actor, meeting, "meeting.cancelled", reason=reason, **_status_change(was, meeting)
    )
    if was == "scheduled":
        notify_invited(session, meeting, "meeting.cancelled")
    return meeting


def reopen(session: Session, actor: User, meeting: Meeting, justification: str) -> Meeting:
    """closed → in_progress, by a coordinator with a written justification (recorded with the
    anchor it replaces: closing again stores a new one)."""
    if not is_coordinator_of(actor, meeting.pokja_id):
        raise NotPermitted("Only a coordinator reopens a closed meeting.")
    meeting = for_change(session, actor, meeting, "closed")
    if not justification.strip():
        raise field_error("justification", "Say why the meeting is reopened.", "reason_required")
    anchor = {"seq": meeting.chain_head_seq, "hash": meeting.chain_head_hash}
    meeting.status, meeting.closed_at = "in_progress", None
    meeting.chain_head_seq = meeting.chain_head_hash = None
    _record(
        session,
        actor,
        meeting,
        "meeting.reopened",
        justification=justification,
        previous_anchor=anchor,
        **_status_change("closed", meeting),
    )
    return meeting


def _status_change(before: str, meeting: Meeting) -> dict[str, Any]:
    return {"before": {"status": before}, "after": {"status": meeting.status}}
