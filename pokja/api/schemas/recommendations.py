"""Schemas for recommendations (rekomendasi), escalations and sanctions.

Representations are built by ``pokja.followup.presentation`` as plain dicts: the
deadlines' ``days_left`` and ``overdue`` are derived when read, from the Pokja's calendar.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.api.schemas.fields import NUMBER_LENGTH, TEXT_LENGTH, not_blank
from pokja.api.schemas.sanctions import SanctionInputSchema, SanctionSchema
from pokja.followup.sanctions import (
    ESCALATION_KINDS,
    RECOMMENDATION_OUTCOMES,
)
from pokja.models.recommendation import RECOMMENDATION_STATUSES


class DeadlineSchema(Schema):
    due_at = fields.AwareDateTime(
        dump_only=True,
        metadata={"description": "Overdue from this instant (the end of the last day, local)"},
    )
    unit = fields.String(dump_only=True, metadata={"enum": ["calendar", "working"]})
    days_left = fields.Integer(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "Days (in `unit`) from today to the deadline's day: 0 on the day, "
            "negative after; null once completed"
        },
    )
    overdue = fields.Boolean(
        dump_only=True, metadata={"description": "Open at or past `due_at` (derived when read)"}
    )


class EscalationCreateSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(list(ESCALATION_KINDS)))
    letter_number = fields.String(required=True, validate=[NUMBER_LENGTH, not_blank])
    date = fields.Date(required=True, metadata={"description": "The letter's date"})
    received_on = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "When the addressee received the letter, if known: the follow-up "
            "clock runs from then, otherwise from the letter's date"
        },
    )
    addressee = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=200), not_blank],
        metadata={"description": "To whom the letter goes, e.g. 'Kepala BKN'"},
    )
    text = fields.String(load_default="", validate=validate.Length(max=10_000))
    due_at = fields.AwareDateTime(
        allow_none=True,
        metadata={
            "description": "Its own deadline; default: the follow-up clock from the letter's date"
        },
    )


ESCALATION_EXAMPLE = {
    "kind": "request_data_block",
    "letter_number": "031/PP.01.02/K.BE-07/04/2024",
    "date": "2024-04-01",
    "addressee": "Kepala Badan Kepegawaian Negara",
    "text": "Permohonan pemblokiran data kepegawaian terlapor sampai sanksi dijatuhkan.",
}


class EscalationSchema(Schema):
    id = fields.UUID(dump_only=True)
    recommendation_id = fields.UUID(dump_only=True)
    case_id = fields.UUID(dump_only=True)
    kind = fields.String(dump_only=True, metadata={"enum": list(ESCALATION_KINDS)})
    letter_number = fields.String(dump_only=True)
    date = fields.Date(dump_only=True)
    received_on = fields.Date(dump_only=True, allow_none=True)
    addressee = fields.String(dump_only=True)
    text = fields.String(dump_only=True)
    deadline = fields.Nested(DeadlineSchema, dump_only=True)
    due_at = fields.AwareDateTime(dump_only=True)
    days_left = fields.Integer(dump_only=True, allow_none=True)
    overdue = fields.Boolean(dump_only=True)
    created_by_id = fields.UUID(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)


class RecommendationCreateSchema(Schema):
    addressee_agency_id = fields.UUID(
        required=True,
        metadata={"description": "A Pokja agency or an outside authority (KASN, BKN, PPK)"},
    )
    number = fields.String(required=True, validate=[NUMBER_LENGTH, not_blank])
    date = fields.Date(
        required=True,
        metadata={"description": "The recommendation's date: its follow-up clock starts then"},
    )
    received_on = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "When the addressee received the letter, if known: the follow-up "
            "clock runs from then, otherwise from the letter's date"
        },
    )
    text = fields.String(required=True, validate=[TEXT_LENGTH, not_blank])


RECOMMENDATION_EXAMPLE = {
    "addressee_agency_id": "4a1c2e3f-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
    "number": "045/PP.01.02/K.BE-07/03/2024",
    "date": "2024-03-01",
    "text": "Merekomendasikan penjatuhan sanksi kepada terlapor sesuai PP 94/2021.",
}


class RecommendationSchema(Schema):
    id = fields.UUID(dump_only=True)
    case_id = fields.UUID(dump_only=True)
    case_register_number = fields.String(
        dump_only=True, metadata={"example": "002/LP/PL/Kab/17.01/III/2024"}
    )
    issuing_agency_id = fields.UUID(dump_only=True)
    addressee_agency_id = fields.UUID(dump_only=True)
    number = fields.String(dump_only=True)
    date = fields.Date(dump_only=True)
    received_on = fields.Date(dump_only=True, allow_none=True)
    text = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": list(RECOMMENDATION_STATUSES)})
    issued_at = fields.AwareDateTime(dump_only=True)
    issued_by_id = fields.UUID(dump_only=True, allow_none=True)
    follow_up_due_at = fields.AwareDateTime(dump_only=True)
    days_left = fields.Integer(dump_only=True, allow_none=True)
    overdue = fields.Boolean(dump_only=True)
    deadline = fields.Nested(DeadlineSchema, dump_only=True)
    completed_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    completed_by_id = fields.UUID(dump_only=True, allow_none=True)
    outcome_note = fields.String(dump_only=True, allow_none=True)
    reasons = fields.String(dump_only=True, allow_none=True)
    on_time = fields.Boolean(dump_only=True, allow_none=True)
    late_working_days = fields.Integer(dump_only=True, allow_none=True)
    escalations = fields.List(fields.Nested(EscalationSchema), dump_only=True)
    sanctions = fields.List(fields.Nested(SanctionSchema), dump_only=True)
    version = fields.Integer(dump_only=True)


class RecommendationQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    addressee_id = fields.UUID(metadata={"description": "Addressed to this agency"})
    case_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(RECOMMENDATION_STATUSES))
    overdue = fields.Boolean(
        metadata={"description": "true: still issued at or past the deadline; false: the rest"}
    )
    due_before = fields.AwareDateTime(
        metadata={"description": "Follow-up deadline before this instant"}
    )


class FollowUpSchema(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(list(RECOMMENDATION_OUTCOMES)))
    sanctions = fields.List(
        fields.Nested(SanctionInputSchema),
        load_default=list,
        validate=validate.Length(max=500),
        metadata={"description": "followed_up: the sanctions decided, one per subject and kind"},
    )
    reasons = fields.String(
        allow_none=True,
        validate=validate.Length(max=10_000),
        metadata={"description": "rejected: why (required then)"},
    )
    note = fields.String(
        allow_none=True,
        validate=validate.Length(max=10_000),
        metadata={"description": "What was done"},
    )


FOLLOW_UP_EXAMPLE = {
    "outcome": "followed_up",
    "sanctions": [
        {
            "subject_id": "7e3d9c1a-2b4f-4a6e-9c8d-1f2e3a4b5c6d",
            "level": "moderate",
            "kind": "allowance_cut_6m",
            "decree_number": "800/112/BKPSDM/2024",
            "decree_date": "2024-03-20",
        }
    ],
    "note": "Sanksi disiplin sedang dijatuhkan oleh Bupati selaku PPK.",
}
