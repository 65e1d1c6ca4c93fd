"""Schemas of the statistics (DESIGN §8): the dashboard filters and each statistic's rows."""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.api.schemas.fields import bounded_string, one_of
from pokja.models import CASE_CATEGORIES, DECLINE_REASONS, STAGES
from pokja.models.recommendation import ESCALATION_KINDS
from pokja.stats.cases import DIMENSIONS

FORMATS = ("json", "csv")
# The calendar's edges: a day outside them has no day after it (DESIGN §9: never a 500).
_DAY = validate.Range(min=date(1900, 1, 1), max=date(9998, 12, 31))


class StatsQuerySchema(Schema):
    """The filters every statistic takes: the case list's of the same names."""

    class Meta:
        unknown = ma.EXCLUDE

    registered_from = fields.Date(
        validate=_DAY,
        metadata={"description": "Cases registered on or after this day (the Pokja's zone)"},
    )
    registered_to = fields.Date(
        validate=_DAY,
        metadata={"description": "Cases registered on or before this day (the Pokja's zone)"},
    )
    election = bounded_string(40, min_length=1, metadata={"example": "pilkada-2024"})
    category = one_of(CASE_CATEGORIES)
    holder_id = fields.UUID(metadata={"description": "Cases held by this agency"})
    stage = one_of(STAGES)
    format = one_of(
        FORMATS,
        load_default="json",
        metadata={"description": "`csv`: the rows as text/csv, nested fields joined with `_`"},
    )


class CaseStatsQuerySchema(StatsQuerySchema):
    group_by = fields.List(
        one_of(DIMENSIONS),
        required=True,
        validate=validate.Length(min=1, max=2),
        metadata={"description": "One or two dimensions (repeat the parameter for two)"},
    )

    @ma.validates_schema
    def _distinct(self, data: dict[str, Any], **_: Any) -> None:
        group_by = data.get("group_by") or []
        if len(set(group_by)) != len(group_by):
            raise ma.ValidationError("Name two different dimensions.", "group_by")


class LabelSchema(Schema):
    id = fields.String(metadata={"description": "Indonesian label"})
    en = fields.String(metadata={"description": "English label"})


class CaseStatsRowSchema(Schema):
    keys = fields.Dict(
        keys=fields.String(),
        metadata={"description": "The row's value of each dimension (null: none recorded)"},
    )
    labels = fields.Dict(keys=fields.String(), values=fields.Nested(LabelSchema))
    count = fields.Integer()
    cases = fields.String(
        metadata={"description": "The case-list query that lists exactly these cases"}
    )


class CaseStatsSchema(Schema):
    group_by = fields.List(fields.String())
    rows = fields.List(fields.Nested(CaseStatsRowSchema))


class LatencySchema(Schema):
    median = fields.Float(allow_none=True)
    p90 = fields.Float(allow_none=True)


class HandoffStatsRowSchema(Schema):
    agency_id = fields.UUID(allow_none=True, metadata={"description": "null on the total row"})
    agency_name = fields.String()
    agency_kind = fields.String(allow_none=True)
    received = fields.Integer()
    accepted = fields.Integer()
    declined = fields.Integer()
    declined_by_reason = fields.Dict(
        keys=fields.String(metadata={"enum": list(DECLINE_REASONS)}), values=fields.Integer()
    )
    withdrawn = fields.Integer()
    pending = fields.Integer()
    pending_overdue = fields.Integer(
        metadata={"description": "Pending past the acceptance deadline"}
    )
    answered = fields.Integer(metadata={"description": "Accepted or declined"})
    hours_to_answer = fields.Nested(LatencySchema)
    working_days_to_answer = fields.Nested(
        LatencySchema, metadata={"description": "In the Pokja's working days"}
    )


class HandoffStatsSchema(Schema):
    rows = fields.List(fields.Nested(HandoffStatsRowSchema))


class RecommendationStatsRowSchema(Schema):
    agency_id = fields.UUID(allow_none=True, metadata={"description": "null on the total row"})
    agency_name = fields.String()
    agency_kind = fields.String(allow_none=True)
    issued = fields.Integer(metadata={"description": "Every recommendation, whatever its status"})
    followed_up_on_time = fields.Integer()
    followed_up_late = fields.Integer()
    rejected = fields.Integer()
    open_not_due = fields.Integer()
    overdue = fields.Integer()
    escalations = fields.Dict(
        keys=fields.String(metadata={"enum": list(ESCALATION_KINDS)}), values=fields.Integer()
    )
    follow_up_rate = fields.Float(
        allow_none=True,
        metadata={
            "description": "Followed up ÷ (completed or past their deadline); null when none"
        },
    )


class RecommendationStatsSchema(Schema):
    rows = fields.List(fields.Nested(RecommendationStatsRowSchema))
    total = fields.Nested(RecommendationStatsRowSchema)
