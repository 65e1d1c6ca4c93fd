"""Schemas for ``GET /api/v1/code-lists``."""

from __future__ import annotations

from marshmallow import fields

from pokja.api.base import Schema


class CodeSchema(Schema):
    code = fields.String()
    label_id = fields.String(metadata={"description": "Indonesian label"})
    label_en = fields.String(metadata={"description": "English label"})


class StageCodeSchema(CodeSchema):
    next = fields.List(fields.String(), metadata={"description": "Stages it may move to"})


class SanctionKindCodeSchema(CodeSchema):
    level = fields.String()
    subject_types = fields.List(fields.String())
    legal_basis = fields.String()


class ClockDefaultSchema(Schema):
    length = fields.Integer()
    unit = fields.String()
    follows = fields.String(allow_none=True)


class ClockCodeSchema(CodeSchema):
    starts_from = fields.String()
    defaults = fields.Dict(keys=fields.String(), values=fields.Nested(ClockDefaultSchema))


class ViolationTrackSchema(Schema):
    violation_type = fields.String()
    track = fields.String()
    level = fields.String()


def _codes() -> fields.List:
    return fields.List(fields.Nested(CodeSchema))


class CodeListsSchema(Schema):
    violation_types = _codes()
    subject_types = _codes()
    case_sources = _codes()
    case_categories = _codes()
    election_kinds = _codes()
    stages = fields.List(fields.Nested(StageCodeSchema))
    dismissal_reasons = _codes()
    evidence_kinds = _codes()
    external_systems = _codes()
    agency_kinds = _codes()
    handoff_purposes = _codes()
    handoff_statuses = _codes()
    decline_reasons = _codes()
    sanction_levels = _codes()
    sanction_kinds = fields.List(fields.Nested(SanctionKindCodeSchema))
    escalation_kinds = _codes()
    day_units = _codes()
    declared_day_kinds = _codes()
    clocks = fields.List(fields.Nested(ClockCodeSchema))
    violation_track_kinds = _codes()
    violation_tracks = fields.List(
        fields.Nested(ViolationTrackSchema),
        metadata={"description": "The caller's Pokja's usual track and level per violation type"},
    )
