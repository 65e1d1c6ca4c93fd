"""Schemas for sanctions decided on a case's subjects."""

from __future__ import annotations

from marshmallow import fields

from pokja.api.base import Schema
from pokja.api.schemas.fields import NUMBER_LENGTH
from pokja.followup.sanctions import (
    SANCTION_KINDS,
    SANCTION_LEVELS,
)


class SanctionInputSchema(Schema):
    subject_id = fields.UUID(required=True, metadata={"description": "A subject of the case"})
    level = fields.String(required=True, metadata={"enum": list(SANCTION_LEVELS)})
    kind = fields.String(
        required=True,
        metadata={
            "enum": list(SANCTION_KINDS),
            "description": "Must fit the subject's type and the level (GET /api/v1/code-lists)",
        },
    )
    decree_number = fields.String(allow_none=True, validate=NUMBER_LENGTH)
    decree_date = fields.Date(allow_none=True)


class SanctionSchema(Schema):
    id = fields.UUID(dump_only=True)
    case_id = fields.UUID(dump_only=True)
    subject_id = fields.UUID(dump_only=True)
    recommendation_id = fields.UUID(dump_only=True, allow_none=True)
    level = fields.String(dump_only=True, metadata={"enum": list(SANCTION_LEVELS)})
    kind = fields.String(dump_only=True, metadata={"enum": list(SANCTION_KINDS)})
    decree_number = fields.String(dump_only=True, allow_none=True)
    decree_date = fields.Date(dump_only=True, allow_none=True)
    deciding_agency_id = fields.UUID(dump_only=True, allow_none=True)
    created_by_id = fields.UUID(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)
