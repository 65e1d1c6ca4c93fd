"""Schemas for a case's history (its hash-chained events)."""

from __future__ import annotations

from marshmallow import fields

from pokja.api.base import Schema
from pokja.api.schemas.users import AgencyRefSchema


class ActorSchema(Schema):
    id = fields.UUID()
    display_name = fields.String()


class HistoryEventSchema(Schema):
    """One change of the case. Redacted viewers get what happened, when and by whom, but no
    values (``before``, ``after`` and ``details`` are null for them)."""

    id = fields.UUID()
    seq = fields.Integer()
    type = fields.String(metadata={"example": "case.updated"})
    occurred_at = fields.AwareDateTime()
    actor = fields.Nested(ActorSchema, allow_none=True)
    agency = fields.Nested(AgencyRefSchema, allow_none=True)
    changed = fields.List(fields.String(), metadata={"description": "Names of changed fields"})
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    details = fields.Dict(allow_none=True, metadata={"description": "The event's other data"})
