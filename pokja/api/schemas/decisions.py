"""Schemas for meeting decisions (action items)."""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.api.schemas.fields import TEXT_MAX, bounded_string, one_of
from pokja.api.schemas.meetings import text
from pokja.models import DECISION_STATUSES
from pokja.models.base import DAY_UNITS

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 1, 1)


class DecisionCreateSchema(Schema):
    text = text(TEXT_MAX, required=True)
    owner_agency_id = fields.UUID(required=True, metadata={"description": "An agency of the Pokja"})
    due_on = fields.Date(
        validate=validate.Range(min=EARLIEST, max=LATEST, max_inclusive=False),
        metadata={"description": "The last day, in the Pokja's zone"},
    )
    due_in_working_days = fields.Integer(
        validate=validate.Range(min=1, max=365),
        metadata={"description": "Instead of `due_on`: working days from the meeting's day"},
    )
    case_id = fields.UUID(allow_none=True)

    @ma.validates_schema
    def _one_due(self, data: dict[str, Any], **_: Any) -> None:
        if ("due_on" in data) == ("due_in_working_days" in data):
            raise ma.ValidationError("Give either due_on or due_in_working_days.", "due_on")


DECISION_EXAMPLE = {
    "text": "BKDPSDM menyampaikan laporan tindak lanjut sanksi kepada Pokja.",
    "owner_agency_id": "9b2f7f0e-51a4-4a43-8a11-3c1f4c9d2e70",
    "due_in_working_days": 5,
}


class DecisionUpdateSchema(Schema):
    status = one_of(("done",), required=True, metadata={"description": "Mark it done"})
    done_note = bounded_string(TEXT_MAX, allow_none=True)


class DecisionSchema(Schema):
    id = fields.UUID()
    meeting_id = fields.UUID()
    text = fields.String(allow_none=True, metadata={"description": "null when redacted"})
    redacted = fields.Boolean(
        metadata={"description": "On a case the caller does not see in full: no text"}
    )
    owner_agency_id = fields.UUID()
    case_id = fields.UUID(allow_none=True)
    register_number = fields.String(allow_none=True)
    due_on = fields.Date()
    due_unit = fields.String(metadata={"enum": list(DAY_UNITS)})
    due_at = fields.AwareDateTime(metadata={"description": "The end of `due_on` in the zone"})
    days_left = fields.Integer(allow_none=True)
    overdue = fields.Boolean(metadata={"description": "Derived when read, never stored"})
    status = fields.String(metadata={"enum": list(DECISION_STATUSES)})
    done_at = fields.AwareDateTime(allow_none=True)
    done_by_id = fields.UUID(allow_none=True)
    done_note = fields.String(allow_none=True)
    created_by_id = fields.UUID(allow_none=True)
    created_at = fields.AwareDateTime()
    version = fields.Integer()


class DecisionQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    owner_agency_id = fields.UUID()
    status = one_of(DECISION_STATUSES)
    overdue = fields.Boolean(metadata={"description": "true: open past their day"})
    case_id = fields.UUID()
    meeting_id = fields.UUID()
