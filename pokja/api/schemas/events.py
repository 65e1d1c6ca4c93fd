"""Schemas for the changes feed."""

from __future__ import annotations

from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from pokja.api.schemas.fields import bounded_string


class ChangesQuerySchema(Schema):
    cursor = bounded_string(
        200,
        min_length=1,
        metadata={
            "description": "`next_cursor` of the previous page; absent: from the first change"
        },
    )
    limit = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": f"Page size (at most {MAX_PAGE_SIZE})"},
    )
    type = bounded_string(
        64,
        min_length=1,
        metadata={"description": "Only this event type", "example": "case.created"},
    )
    case_id = fields.UUID(metadata={"description": "Only this case's changes"})


class ChangeSchema(Schema):
    """One change. Redacted: only the envelope (type, case, register number, time)."""

    seq = fields.Integer(metadata={"description": "Position in the Pokja's change chain"})
    id = fields.UUID()
    type = fields.String(metadata={"example": "handoff.accepted"})
    case_id = fields.UUID(allow_none=True, metadata={"description": "Null for Pokja-wide changes"})
    register_number = fields.String(allow_none=True)
    occurred_at = fields.AwareDateTime()
    redacted = fields.Boolean(metadata={"description": "true: the envelope only"})
    actor_user_id = fields.UUID(allow_none=True, metadata={"description": "Absent when redacted"})
    actor_agency_id = fields.UUID(allow_none=True, metadata={"description": "Absent when redacted"})
    data = fields.Dict(metadata={"description": "What changed; absent when redacted"})


class ChangesPageSchema(Schema):
    items = fields.List(fields.Nested(ChangeSchema), required=True)
    next_cursor = fields.String(
        required=True,
        metadata={
            "description": "Always present: pass it as `cursor` for the next page, or poll "
            "with it later for the changes made since"
        },
    )
