"""Schemas for ``GET /api/v1/deadlines``."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.time.catalogue import Clock


class DueQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    within_days = fields.Integer(
        load_default=7,
        validate=validate.Range(min=0, max=366),
        metadata={"description": "Due within this many calendar days from today (overdue too)"},
    )
    overdue = fields.Boolean(
        metadata={"description": "true: only overdue items; false: only those not yet overdue"}
    )


class DueItemSchema(Schema):
    kind = fields.String(
        metadata={"enum": ["handoff", "case_decision", "recommendation", "escalation"]}
    )
    item_id = fields.UUID()
    case_id = fields.UUID()
    register_number = fields.String()
    clock = fields.String(metadata={"enum": [str(c) for c in Clock]})
    due_at = fields.AwareDateTime()
    due_on = fields.Date()
    days_left = fields.Integer(metadata={"description": "In the clock's unit; negative when late"})
    overdue = fields.Boolean()
    agency_id = fields.UUID(metadata={"description": "The agency that must act"})


class DueListSchema(Schema):
    items = fields.List(fields.Nested(DueItemSchema))
