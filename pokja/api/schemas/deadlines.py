"""Schemas for deadlines: a case's clocks and the ``/deadlines`` list of what falls due."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from pokja.api.schemas.clock_extensions import CLOCK_CODES, CaseClockExtensionSchema
from pokja.models.settings import DAY_UNITS
from pokja.time.catalogue import Clock
from pokja.time.meeting_clocks import DECISION_CLOCK


class CaseDeadlineSchema(Schema):
    """One of a case's clocks, derived at read time (DESIGN §6)."""

    clock = fields.String(metadata={"enum": [*CLOCK_CODES, DECISION_CLOCK]})
    label_id = fields.String()
    label_en = fields.String()
    started_at = fields.AwareDateTime()
    due_at = fields.AwareDateTime(
        metadata={"description": "The end of the last day, in the Pokja's zone"}
    )
    unit = fields.String(metadata={"enum": list(DAY_UNITS)})
    days_left = fields.Integer(
        allow_none=True,
        metadata={"description": "Days (in `unit`) from today to the due day; null once stopped"},
    )
    running = fields.Boolean(metadata={"description": "false once the step was taken"})
    overdue = fields.Boolean()
    late = fields.Boolean(
        allow_none=True, metadata={"description": "report_window: the report came too late"}
    )
    extension = fields.Nested(CaseClockExtensionSchema, allow_none=True)
    decision_id = fields.UUID(metadata={"description": "meeting_decision: the open decision"})
    meeting_id = fields.UUID(metadata={"description": "meeting_decision: where it was taken"})
    owner_agency_id = fields.UUID(metadata={"description": "meeting_decision: who must act"})


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
    limit = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": f"Page size (at most {MAX_PAGE_SIZE})"},
    )
    cursor = fields.String(
        metadata={"description": "Opaque cursor from the previous page's `next_cursor`"}
    )


class DueItemSchema(Schema):
    kind = fields.String(
        metadata={"enum": ["handoff", "case_decision", "recommendation", "escalation", "decision"]}
    )
    item_id = fields.UUID()
    case_id = fields.UUID(
        allow_none=True, metadata={"description": "null for a meeting decision on no case"}
    )
    register_number = fields.String(allow_none=True)
    clock = fields.String(metadata={"enum": [*(str(c) for c in Clock), DECISION_CLOCK]})
    due_at = fields.AwareDateTime()
    due_on = fields.Date()
    days_left = fields.Integer(metadata={"description": "In the clock's unit; negative when late"})
    overdue = fields.Boolean()
    agency_id = fields.UUID(metadata={"description": "The agency that must act"})


class DueListSchema(Schema):
    items = fields.List(fields.Nested(DueItemSchema), required=True)
    next_cursor = fields.String(
        allow_none=True,
        metadata={"description": "Pass as `cursor` to get the next page; null at the end"},
    )
