"""Schemas for handoffs (pelimpahan)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.api.schemas.fields import TEXT_LENGTH, not_blank
from pokja.handoffs.queries import acceptance_deadline, is_handoff_overdue
from pokja.models import (
    DECLINE_REASONS,
    HANDOFF_PURPOSES,
    HANDOFF_STATUSES,
    Handoff,
)
from pokja.time import clock


class HandoffCreateSchema(Schema):
    to_agency_id = fields.UUID(
        required=True, metadata={"description": "The agency of the same Pokja to take the case"}
    )
    purpose = fields.String(required=True, validate=validate.OneOf(HANDOFF_PURPOSES))
    reason = fields.String(required=True, validate=[TEXT_LENGTH, not_blank])
    letter_number = fields.String(
        allow_none=True,
        validate=validate.Length(max=100),
        metadata={"description": "Number of the handoff letter (surat pelimpahan)"},
    )
    letter_date = fields.Date(allow_none=True)
    override_justification = fields.String(
        allow_none=True,
        validate=validate.Length(max=10_000),
        metadata={
            "description": "Coordinators only: why the case goes to an agency the authority "
            "rules do not allow; recorded with the handoff and its event"
        },
    )


HANDOFF_EXAMPLE = {
    "to_agency_id": "9b2f7f0e-51a4-4a43-8a11-3c1f4c9d2e70",
    "purpose": "follow_up",
    "reason": "Dugaan pelanggaran netralitas oleh PNS; mohon tindak lanjut sesuai PP 94/2021.",
    "letter_number": "012/PP.01.02/K.BE-07/03/2024",
    "letter_date": "2024-03-13",
}


class HandoffSchema(Schema):
    id = fields.UUID(dump_only=True)
    case_id = fields.UUID(dump_only=True)
    case_register_number = fields.String(
        attribute="case.register_number",
        dump_only=True,
        metadata={"example": "002/LP/PL/Kab/17.01/III/2024"},
    )
    from_agency_id = fields.UUID(dump_only=True)
    to_agency_id = fields.UUID(dump_only=True)
    purpose = fields.String(dump_only=True, metadata={"enum": list(HANDOFF_PURPOSES)})
    reason = fields.String(dump_only=True)
    letter_number = fields.String(dump_only=True, allow_none=True)
    letter_date = fields.Date(dump_only=True, allow_none=True)
    status = fields.String(dump_only=True, metadata={"enum": list(HANDOFF_STATUSES)})
    due_on = fields.Date(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Last day to accept or decline, in the Pokja's zone"},
    )
    due_at = fields.Method(
        "_due_at",
        dump_only=True,
        metadata={
            "type": ["string", "null"],
            "format": "date-time",
            "description": "The end of `due_on` in the Pokja's zone: overdue from this instant",
        },
    )
    overdue = fields.Method(
        "_overdue",
        dump_only=True,
        metadata={
            "type": "boolean",
            "description": "Still pending after `due_at` (derived when read, never stored)",
        },
    )
    decline_reason = fields.String(
        dump_only=True, allow_none=True, metadata={"enum": list(DECLINE_REASONS)}
    )
    decline_text = fields.String(dump_only=True, allow_none=True)
    suggested_agency_id = fields.UUID(dump_only=True, allow_none=True)
    override_justification = fields.String(dump_only=True, allow_none=True)
    created_by_id = fields.UUID(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)
    decided_by_id = fields.UUID(dump_only=True, allow_none=True)
    decided_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    withdrawn_by_id = fields.UUID(dump_only=True, allow_none=True)
    withdrawn_at = fields.AwareDateTime(dump_only=True, allow_none=True)

    def _due_at(self, handoff: Handoff) -> str | None:
        deadline = acceptance_deadline(handoff, handoff.pokja.timezone)
        return deadline.isoformat() if deadline else None

    def _overdue(self, handoff: Handoff) -> bool:
        return is_handoff_overdue(handoff, handoff.pokja.timezone, clock.now())


class HandoffQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    status = fields.String(validate=validate.OneOf(HANDOFF_STATUSES))
    direction = fields.String(
        validate=validate.OneOf(("incoming", "outgoing")),
        metadata={
            "description": "`incoming`: handoffs to the agency; `outgoing`: from it. The "
            "agency is `agency_id`, else the caller's own"
        },
    )
    agency_id = fields.UUID(
        metadata={
            "description": "Handoffs from or to this agency (with `direction`: only one way); "
            "narrows what the caller sees, never widens it"
        }
    )
    case_id = fields.UUID()
    overdue = fields.Boolean(
        metadata={"description": "true: pending past their deadline; false: all others"}
    )


class DeclineSchema(Schema):
    decline_reason = fields.String(required=True, validate=validate.OneOf(DECLINE_REASONS))
    decline_text = fields.String(required=True, validate=[TEXT_LENGTH, not_blank])
    suggested_agency_id = fields.UUID(
        allow_none=True, metadata={"description": "The agency that should take the case"}
    )
