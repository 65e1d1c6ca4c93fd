"""Schemas for the explicit extension of a case's clock (DESIGN §6)."""

from __future__ import annotations

from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.cases.clock_extensions import EXTENSIBLE
from pokja.models.settings import DAY_UNITS
from pokja.time.catalogue import Clock

CLOCK_CODES = [str(c) for c in Clock]


class CaseClockExtensionSchema(Schema):
    """An explicit extension of a case's clock, with its reason."""

    id = fields.UUID()
    case_id = fields.UUID()
    clock = fields.String(metadata={"enum": CLOCK_CODES, "description": "The clock extended"})
    extension_clock = fields.String(
        metadata={"enum": CLOCK_CODES, "description": "The catalogue clock giving the new length"}
    )
    length = fields.Integer()
    unit = fields.String(metadata={"enum": list(DAY_UNITS)})
    due_at = fields.AwareDateTime(metadata={"description": "Stored when the extension was made"})
    reason = fields.String()
    created_by_id = fields.UUID(allow_none=True)
    created_at = fields.AwareDateTime()


class ExtensionCreateSchema(Schema):
    clock = fields.String(
        required=True,
        validate=validate.OneOf([str(c) for c in EXTENSIBLE]),
        metadata={"example": "decision"},
    )
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={"example": "Keterangan tambahan dari pelapor diperlukan"},
    )
