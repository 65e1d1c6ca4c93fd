"""Attendance (DESIGN §3): while a meeting is in progress, each invited agency is present,
absent or excused, with the named people who came."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pokja.audit import events
from pokja.errors import RuleViolation
from pokja.meetings.queries import for_change, invitations_of, touch
from pokja.models import ATTENDANCE_STATES, Meeting, MeetingInvitation, User
from pokja.time import clock


def record_attendance(
    session: Session, actor: User, meeting: Meeting, entries: list[dict[str, Any]]
) -> list[MeetingInvitation]:
    """Record each entry's ``attendance`` and ``attendees`` ({name, position}) for its
    ``agency_id``; agencies not named keep what they had. An agency that was not invited is a
    422 and nothing is written."""
    meeting = for_change(session, actor, meeting, "in_progress")
    invitations = {i.agency_id: i for i in invitations_of(session, meeting)}
    not_invited = [str(e["agency_id"]) for e in entries if e["agency_id"] not in invitations]
    if not_invited:
        message = f"Not invited to this meeting: {', '.join(not_invited)}."
        raise RuleViolation(message, code="not_invited", errors={"agency_id": [message]})
    now = clock.now()
    changes = []
    for entry in entries:
        if entry["attendance"] not in ATTENDANCE_STATES:
            raise RuleViolation("Unknown attendance state.", code="validation_error")
        invitation = invitations[entry["agency_id"]]
        attendees = [
            {"name": a["name"], "position": a.get("position")} for a in entry.get("attendees") or []
        ]
        before = {"attendance": invitation.attendance, "attendees": invitation.attendees}
        invitation.attendance, invitation.attendees = entry["attendance"], attendees
        invitation.recorded_at, invitation.recorded_by_id = now, actor.id
        changes.append(
            {
                "agency_id": invitation.agency_id,
                "before": before,
                "after": {"attendance": invitation.attendance, "attendees": attendees},
            }
        )
    touch(meeting)
    events.record(
        session,
        pokja_id=meeting.pokja_id,
        case_id=None,
        actor=actor,
        type="meeting.attendance_recorded",
        data={"meeting_id": meeting.id, "changes": changes},
    )
    return list(invitations.values())
