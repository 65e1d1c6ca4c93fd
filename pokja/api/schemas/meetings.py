"""Schemas for meetings (rakor), their attendance, manual agenda items and minutes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.api.schemas.fields import TEXT_MAX, bounded_string, no_nul, not_blank, one_of
from pokja.api.schemas.users import AgencyRefSchema
from pokja.models import ATTENDANCE_STATES, MEETING_STATUSES

# Meetings are held in this century; refusing the calendar's edges keeps the answer a 422
# (a year-9999 time with an offset does not even fit UTC).
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _sane_moment(value: datetime) -> None:
    try:
        utc = value.astimezone(UTC)
    except OverflowError as exc:
        raise ma.ValidationError("Out of range.") from exc
    if not EARLIEST <= utc < LATEST:
        raise ma.ValidationError("Must be between 2000 and 2100.")


def moment(**kwargs: Any) -> fields.AwareDateTime:
    return fields.AwareDateTime(validate=_sane_moment, **kwargs)


def text(max_length: int, **kwargs: Any) -> fields.String:
    """A string of at most ``max_length`` characters that is not blank."""
    field = bounded_string(max_length, min_length=1, **kwargs)
    field.validators.append(not_blank)
    return field


def _url(**kwargs: Any) -> fields.String:
    return fields.String(
        validate=[validate.URL(schemes={"http", "https"}), validate.Length(max=2000), no_nul],
        **kwargs,
    )


class _MeetingFields(Schema):
    title = text(300)
    starts_at = moment(metadata={"description": "ISO 8601 with offset; stored in UTC"})
    ends_at = moment(metadata={"description": "After `starts_at`"})
    place = bounded_string(300, min_length=1, allow_none=True)
    online_url = _url(allow_none=True)
    invited_agency_ids = fields.List(
        fields.UUID(),
        validate=validate.Length(min=1, max=50),
        metadata={"description": "Agencies of the Pokja; default: every member agency"},
    )

    @ma.validates_schema
    def _ends_after_start(self, data: dict[str, Any], **_: Any) -> None:
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            raise ma.ValidationError("The meeting must end after it starts.", "ends_at")


class MeetingCreateSchema(_MeetingFields):
    class Meta:
        unknown = ma.RAISE

    title = text(300, required=True)
    starts_at = moment(required=True, metadata={"description": "ISO 8601 with offset"})
    ends_at = moment(required=True, metadata={"description": "After `starts_at`"})


class MeetingUpdateSchema(_MeetingFields):
    """Any of the fields; moving a scheduled meeting's time reschedules it."""


MEETING_EXAMPLE = {
    "title": "Rapat Koordinasi Pokja Netralitas ASN, TNI dan Polri",
    "starts_at": "2023-12-13T09:00:00+07:00",
    "ends_at": "2023-12-13T12:00:00+07:00",
    "place": "Media center Bawaslu Kabupaten Bengkulu Selatan",
}


class ChainHeadSchema(Schema):
    seq = fields.Integer()
    hash = fields.String()


class AttendeeSchema(Schema):
    name = bounded_string(200, min_length=1, required=True, metadata={"example": "Iptu Andi"})
    position = bounded_string(200, allow_none=True, metadata={"example": "Kasat Intelkam"})


class InvitationSchema(Schema):
    agency = fields.Nested(AgencyRefSchema)
    attendance = fields.String(allow_none=True, metadata={"enum": list(ATTENDANCE_STATES)})
    attendees = fields.List(fields.Nested(AttendeeSchema))
    recorded_at = fields.AwareDateTime(allow_none=True)


class AgendaItemSchema(Schema):
    id = fields.UUID()
    meeting_id = fields.UUID()
    position = fields.Integer()
    title = fields.String(allow_none=True, metadata={"description": "null when redacted"})
    notes = fields.String(allow_none=True)
    case_id = fields.UUID(allow_none=True)
    register_number = fields.String(allow_none=True)
    presenter_agency_id = fields.UUID(allow_none=True)
    planned_minutes = fields.Integer(allow_none=True)
    minutes = fields.String(allow_none=True)
    redacted = fields.Boolean(
        metadata={"description": "On a case the caller does not see in full: no text"}
    )
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class MeetingSummarySchema(Schema):
    id = fields.UUID()
    title = fields.String()
    status = fields.String(metadata={"enum": list(MEETING_STATUSES)})
    starts_at = fields.AwareDateTime(metadata={"description": "In the Pokja's zone"})
    ends_at = fields.AwareDateTime()
    time_zone = fields.String(metadata={"example": "Asia/Jakarta"})
    place = fields.String(allow_none=True)
    online_url = fields.String(allow_none=True)
    sequence = fields.Integer(
        metadata={"description": "iCalendar SEQUENCE: grows with every reschedule"}
    )
    cancel_reason = fields.String(allow_none=True)
    scheduled_at = fields.AwareDateTime(allow_none=True)
    started_at = fields.AwareDateTime(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    cancelled_at = fields.AwareDateTime(allow_none=True)
    agenda_frozen_at = fields.AwareDateTime(allow_none=True)
    chain_head = fields.Nested(
        ChainHeadSchema,
        allow_none=True,
        metadata={"description": "The Pokja's audit-chain head at closing (the anchor)"},
    )
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()


class MeetingSchema(MeetingSummarySchema):
    minutes = fields.String(allow_none=True, metadata={"description": "Markdown"})
    invitations = fields.List(fields.Nested(InvitationSchema))
    agenda_items = fields.List(fields.Nested(AgendaItemSchema))


class MeetingQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    status = one_of(MEETING_STATUSES)
    from_ = moment(data_key="from", metadata={"description": "Starting at or after"})
    to = moment(metadata={"description": "Starting before"})


class CancelSchema(Schema):
    reason = text(10_000, required=True)


class ReopenSchema(Schema):
    justification = text(10_000, required=True)


class AttendanceEntrySchema(Schema):
    agency_id = fields.UUID(required=True)
    attendance = one_of(ATTENDANCE_STATES, required=True)
    attendees = fields.List(
        fields.Nested(AttendeeSchema), load_default=list, validate=validate.Length(max=100)
    )


class AttendanceSchema(Schema):
    attendance = fields.List(
        fields.Nested(AttendanceEntrySchema),
        required=True,
        validate=validate.Length(min=1, max=50),
    )


class AgencyAttendanceSchema(Schema):
    attendance = one_of(ATTENDANCE_STATES, required=True)
    attendees = fields.List(
        fields.Nested(AttendeeSchema), load_default=list, validate=validate.Length(max=100)
    )


class InvitationListSchema(Schema):
    items = fields.List(fields.Nested(InvitationSchema))


class MinutesSchema(Schema):
    minutes = fields.String(
        required=True,
        validate=[validate.Length(max=TEXT_MAX * 5), no_nul],
        metadata={"description": "Markdown"},
    )


class _ItemFields(Schema):
    title = text(300)
    notes = bounded_string(TEXT_MAX, allow_none=True)
    case_id = fields.UUID(allow_none=True)
    presenter_agency_id = fields.UUID(allow_none=True)
    planned_minutes = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=1440))
    position = fields.Integer(validate=validate.Range(min=1, max=10_000))


class AgendaItemCreateSchema(_ItemFields):
    title = text(300, required=True)


class AgendaItemUpdateSchema(_ItemFields):
    pass


AGENDA_ITEM_EXAMPLE = {
    "title": "Evaluasi tindak lanjut rekomendasi netralitas ASN",
    "planned_minutes": 30,
}
