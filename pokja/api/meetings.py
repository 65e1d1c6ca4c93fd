"""Meetings (rapat koordinasi, "rakor"): their lifecycle, attendance and minutes (DESIGN §7)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import manages_meetings
from pokja.access.scopes import visible_meetings
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.idempotency import idempotent
from pokja.api.schemas.meetings import (
    MEETING_EXAMPLE,
    AgencyAttendanceSchema,
    AttendanceSchema,
    CancelSchema,
    MeetingCreateSchema,
    MeetingQuerySchema,
    MeetingSchema,
    MeetingSummarySchema,
    MeetingUpdateSchema,
    MinutesSchema,
    ReopenSchema,
)
from pokja.extensions import db_session
from pokja.meetings import lifecycle
from pokja.meetings.attendance import record_attendance
from pokja.meetings.items import write_minutes
from pokja.meetings.presentation import meeting_rows, present_meeting, present_meetings
from pokja.meetings.queries import get_meeting, meetings_where
from pokja.models import Meeting

blp = Blueprint(
    "meetings",
    __name__,
    url_prefix="/api/v1",
    description="Coordination meetings (rakor): lifecycle, attendance, minutes",
)

LOCATION_HEADER = {
    "Location": {"description": "URL of the created resource", "schema": {"type": "string"}}
}
SORTS = {
    "-starts_at": [(Meeting.starts_at, True), (Meeting.id, True)],
    "starts_at": [(Meeting.starts_at, False), (Meeting.id, False)],
}
CLOSED = "A closed meeting is read-only (`meeting_closed`); or its status does not allow this"


def _present(meeting: Meeting, status: int = 200, **headers: str) -> Any:
    view = present_meeting(db_session(), current_user, meeting)
    return view, status, {"ETag": etag_of(meeting), **headers}


def _show(meeting: Meeting, status: int = 200, **headers: str) -> Any:
    """After a change: committed, then read back as the caller sees it."""
    db_session().commit()
    return _present(get_meeting(db_session(), current_user, meeting.id), status, **headers)


def _changed(meeting_id: uuid.UUID) -> Meeting:
    """The meeting, with a stale ``If-Match`` (when given) refused before anything runs."""
    meeting = get_meeting(db_session(), current_user, meeting_id)
    check_if_match(meeting, required=False)
    return meeting


@blp.route("/meetings")
class Meetings(MethodView):
    @blp.auth_required()
    @blp.arguments(MeetingQuerySchema, location="query", as_kwargs=True)
    @blp.paginate_keyset(MeetingSummarySchema, sorts=SORTS, serialize_once=True)
    def get(self, **filters: Any) -> Any:
        """List the Pokja's meetings, latest first (filters: `status`, `from`, `to`)."""
        stmt = meeting_rows(meetings_where(visible_meetings(current_user), **filters))
        return stmt, lambda rows: present_meetings(db_session(), current_user, rows)

    @blp.auth_required(manages_meetings)
    @idempotent
    @blp.arguments(MeetingCreateSchema, example=MEETING_EXAMPLE)
    @blp.response(201, MeetingSchema, headers={**LOCATION_HEADER, **ETAG_HEADER})
    def post(self, data: dict[str, Any]) -> Any:
        """Create a draft meeting (secretary, coordinator).

        Times are ISO 8601 with an offset, stored in UTC and shown in the Pokja's zone. A
        place, an online link or both. `invited_agency_ids` defaults to every member agency;
        an agency of another Pokja is a 422.
        """
        meeting = lifecycle.create_meeting(db_session(), current_user, data)
        return _show(meeting, 201, Location=url_for("meetings.MeetingById", meeting_id=meeting.id))


@blp.route("/meetings/<uuid:meeting_id>")
class MeetingById(MethodView):
    @blp.auth_required()
    @blp.response(200, MeetingSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, meeting_id: uuid.UUID) -> Any:
        """Read a meeting with its invited agencies, attendance and manual agenda items."""
        return _present(get_meeting(db_session(), current_user, meeting_id))

    @blp.auth_required(manages_meetings)
    @blp.if_match_required
    @blp.arguments(MeetingUpdateSchema)
    @blp.response(200, MeetingSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description=CLOSED)
    def patch(self, data: dict[str, Any], meeting_id: uuid.UUID) -> Any:
        """Change a draft or scheduled meeting.

        Moving a scheduled meeting's time is a reschedule: recorded, its `sequence` grows and
        the invited agencies get `meeting.rescheduled`.
        """
        meeting = get_meeting(db_session(), current_user, meeting_id)
        check_if_match(meeting)
        return _show(lifecycle.update_meeting(db_session(), current_user, meeting, data))


def _step(name: str, description: str, step: Any, schema: Any = None) -> None:
    """``POST /meetings/{id}/<name>``: one lifecycle step, ``If-Match`` optional."""

    def post(self: Any, *args: Any, meeting_id: uuid.UUID) -> Any:
        meeting = _changed(meeting_id)
        return _show(step(db_session(), current_user, meeting, *(args[0].values() if args else ())))

    post.__doc__ = description
    view: Any = blp.alt_response(409, response="CONFLICT", description=CLOSED)(post)
    view = blp.alt_response(404, response="NOT_FOUND")(view)
    view = blp.response(200, MeetingSchema, headers=ETAG_HEADER)(view)
    if schema is not None:
        view = blp.arguments(schema)(view)
    view = blp.auth_required(manages_meetings)(blp.if_match_optional(view))
    blp.route(f"/meetings/<uuid:meeting_id>/{name}")(
        type(f"{name.title()}Meeting", (MethodView,), {"post": view})
    )


# The steps' body fields are their single argument: cancel's reason, reopen's justification.
_step(
    "schedule",
    "Schedule a draft meeting: its agenda is frozen, the invited agencies get `meeting.scheduled`.",
    lifecycle.schedule,
)
_step("start", "Start a scheduled meeting: attendance, minutes, decisions open.", lifecycle.start)
_step(
    "close",
    "Close a meeting in progress, once every invited agency's attendance is recorded.\n\n"
    'Afterwards every write is 409 `meeting_closed`. The cases on its agenda get "discussed '
    "at\" in their history, and the Pokja's audit-chain head is stored (`chain_head`).",
    lifecycle.close,
)
_step(
    "cancel",
    "Cancel a draft or scheduled meeting, with a reason (`meeting.cancelled` to the invited "
    "agencies of a scheduled one).",
    lifecycle.cancel,
    CancelSchema,
)
_step(
    "reopen",
    "Reopen a closed meeting (coordinator only), with a justification that is recorded.",
    lifecycle.reopen,
    ReopenSchema,
)


@blp.route("/meetings/<uuid:meeting_id>/attendance")
class Attendance(MethodView):
    @blp.auth_required(manages_meetings)
    @blp.if_match_optional
    @blp.arguments(AttendanceSchema)
    @blp.response(200, MeetingSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Not in progress")
    def put(self, data: dict[str, Any], meeting_id: uuid.UUID) -> Any:
        """Record attendance while the meeting is in progress: per invited agency `present`,
        `absent` or `excused`, with the named attendees. An agency not invited is a 422."""
        meeting = _changed(meeting_id)
        record_attendance(db_session(), current_user, meeting, data["attendance"])
        return _show(meeting)


@blp.route("/meetings/<uuid:meeting_id>/attendance/<uuid:agency_id>")
class AgencyAttendance(MethodView):
    @blp.auth_required(manages_meetings)
    @blp.if_match_optional
    @blp.arguments(AgencyAttendanceSchema)
    @blp.response(200, MeetingSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Not in progress")
    def put(self, data: dict[str, Any], meeting_id: uuid.UUID, agency_id: uuid.UUID) -> Any:
        """Record one invited agency's attendance while the meeting is in progress."""
        meeting = _changed(meeting_id)
        record_attendance(db_session(), current_user, meeting, [{**data, "agency_id": agency_id}])
        return _show(meeting)


@blp.route("/meetings/<uuid:meeting_id>/minutes")
class Minutes(MethodView):
    @blp.auth_required(manages_meetings)
    @blp.if_match_optional
    @blp.arguments(MinutesSchema)
    @blp.response(200, MeetingSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Not in progress")
    def put(self, data: dict[str, Any], meeting_id: uuid.UUID) -> Any:
        """Write the meeting's minutes (Markdown) while it is in progress."""
        meeting = _changed(meeting_id)
        write_minutes(db_session(), current_user, meeting, data["minutes"])
        return _show(meeting)
