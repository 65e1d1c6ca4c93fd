"""Schemas for a Pokja's authority rule set (DESIGN §4)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.models import (
    CASE_CATEGORIES,
    MEMBER_AGENCY_KINDS,
    SUBJECT_TYPES,
)


class RuleSchema(Schema):
    subject_type = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(SUBJECT_TYPES),
        metadata={"description": "null: a case with any subjects"},
    )
    category = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(CASE_CATEGORIES),
        metadata={"description": "null: a case of any category"},
    )
    agency_kind = fields.String(required=True, validate=validate.OneOf(MEMBER_AGENCY_KINDS))


class RuleSetSchema(Schema):
    pokja_id = fields.UUID(dump_only=True)
    rules = fields.List(
        fields.Nested(RuleSchema),
        required=True,
        metadata={
            "description": "Every rule of the Pokja: a case may be held by an agency whose kind "
            "a rule names for the case's category and one of its subjects' types"
        },
    )


class RuleSetQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    pokja_id = fields.UUID(
        metadata={"description": "Administrators: required; others: their own Pokja only"}
    )


RULE_SET_EXAMPLE = {
    "rules": [
        {"subject_type": None, "category": None, "agency_kind": "BAWASLU"},
        {"subject_type": "pns", "category": "neutrality", "agency_kind": "BKDPSDM"},
        {"subject_type": "pns", "category": "neutrality", "agency_kind": "INSPEKTORAT"},
        {"subject_type": "tni", "category": None, "agency_kind": "TNI"},
        {"subject_type": "polri", "category": None, "agency_kind": "POLRI"},
        {"subject_type": None, "category": "election_crime", "agency_kind": "KEJARI"},
    ]
}
