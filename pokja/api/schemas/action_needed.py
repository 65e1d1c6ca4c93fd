"""Schemas of the action-needed view (DESIGN §8)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from pokja.api.base import Schema
from pokja.api.schemas.users import AgencyRefSchema
from pokja.models.settings import DAY_UNITS
from pokja.time.catalogue import Clock


class ActionNeededQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    agency_id = fields.UUID(
        metadata={"description": "The agency to list (coordinators; others: their own)"}
    )


class ActionLinkSchema(Schema):
    method = fields.String(metadata={"enum": ["GET", "POST"]})
    href = fields.String(metadata={"description": "The request that takes the action"})
    action = fields.String(metadata={"example": "accept"})


class ActionItemSchema(Schema):
    kind = fields.String(
        metadata={
            "description": "The deadline source's kind (`handoff`, `case_decision`, "
            "`recommendation`, `escalation`, …) or `declined_handoff`",
            "example": "handoff",
        }
    )
    item_id = fields.UUID()
    case_id = fields.UUID()
    register_number = fields.String()
    clock = fields.String(allow_none=True, metadata={"enum": [str(c) for c in Clock]})
    due_at = fields.AwareDateTime(allow_none=True, metadata={"description": "null: no deadline"})
    due_on = fields.Date(allow_none=True)
    days_left = fields.Integer(
        allow_none=True, metadata={"description": "In `unit`; negative when late"}
    )
    unit = fields.String(allow_none=True, metadata={"enum": list(DAY_UNITS)})
    overdue = fields.Boolean()
    agency_id = fields.UUID(metadata={"description": "The agency that must act"})
    recommendation_id = fields.UUID(allow_none=True)
    declined_at = fields.AwareDateTime(metadata={"description": "declined_handoff only"})
    declined_by_id = fields.UUID(metadata={"description": "declined_handoff: the receiver"})
    decline_reason = fields.String(metadata={"description": "declined_handoff only"})
    suggested_agency_id = fields.UUID(allow_none=True)
    action = fields.Nested(ActionLinkSchema)


class ActionNeededSchema(Schema):
    agency = fields.Nested(AgencyRefSchema)
    within_days = fields.Integer(metadata={"description": "Deadlines up to this many days ahead"})
    items = fields.List(fields.Nested(ActionItemSchema))
